/**
 * The hostile-file corpus (hostile-corpus.ts, generated here: nothing binary is committed) through every import
 * kind, in a child process (hostile-child.ts) whose resident memory is the imports' own: each file ends with a
 * clear Chinese message (validation or io, never internal) or a correct import, the database is unchanged by
 * every refusal (a checksum of every table), no external entity is resolved, formula-like text is stored as the
 * text it is, no name is stored with control or invisible characters or beyond the form's length, and no import
 * holds more than the inflation budget above what the process held before it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../main/core/excel/import/table.ts';
import { HIDDEN_CHARACTERS, IMPORT_KINDS, PersonInput } from '../../shared/schemas.ts';
import { tempDir } from '../helpers.ts';
import type { Attempt, Summary } from './hostile-child.ts';
import { FORMULA_NAMES, type HostileFile } from './hostile-corpus.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** As tests/cli.test.ts: the tsx launcher under node_modules/.bin, which runs on the project's pinned Node. */
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MB = 1024 * 1024;
/** What one import may add to the process's resident memory: the inflation budget and the table built from it. */
const GROWTH_BOUND_MB = LIMITS.unzippedBytes / MB + 200;
/** The child's peak over the whole corpus, with what the allocator keeps from import to import. */
const PEAK_BOUND_MB = 1536;

function child(mode: 'generate' | 'run', dir: string): void {
  const r = spawnSync(TSX, ['--expose-gc', 'tests/excel/hostile-child.ts', mode, dir], {
    cwd: ROOT,
    encoding: 'utf8',
    // A hang (a pipe read, a loop) fails here rather than stalling the suite; not a measure of speed.
    timeout: 600_000,
    maxBuffer: 64 * MB,
  });
  expect(r.error, `${mode}: ${r.stderr}`).toBeUndefined();
  expect(r.status, `${mode}: ${r.stderr.slice(-4000)}`).toBe(0);
}

const CHINESE = /[\u4e00-\u9fff]/;

describe('the hostile corpus through every import kind', () => {
  it('ends each file with a clear message or a correct import, within the memory bound, leaving refusals without trace', () => {
    const dir = tempDir();
    child('generate', dir);
    child('run', dir);
    const files = JSON.parse(fs.readFileSync(path.join(dir, 'corpus.json'), 'utf8')) as HostileFile[];
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Summary;
    const { attempts } = summary;

    const refused = attempts.filter((a) => a.outcome !== 'ok');
    const worstTime = attempts.reduce((w, a) => (a.ms > w.ms ? a : w));
    const measured = attempts.filter((a) => a.peakMB !== null && a.baseMB !== null);
    const worstPeak = measured.length ? measured.reduce((w, a) => (a.peakMB! > w.peakMB! ? a : w)) : null;
    const growth = (a: Attempt) => a.peakMB! - a.baseMB!;
    const worstGrowth = measured.length ? measured.reduce((w, a) => (growth(a) > growth(w) ? a : w)) : null;
    const groups = new Map<string, { files: number; refused: number }>();
    for (const a of attempts) {
      const g = groups.get(a.group) ?? { files: 0, refused: 0 };
      if (a.kind === IMPORT_KINDS[0]) g.files++;
      if (a.outcome !== 'ok') g.refused++;
      groups.set(a.group, g);
    }
    console.log(
      [
        `hostile corpus: ${files.length} files tried × ${IMPORT_KINDS.length} import kinds = ${attempts.length} imports`,
        `  clear errors: ${refused.length} (${[...new Set(refused.map((a) => a.outcome))].join(', ')}); imports that ran: ${attempts.length - refused.length}`,
        `  worst time: ${worstTime.ms} ms (${worstTime.file}, ${worstTime.kind})`,
        worstPeak && worstGrowth
          ? `  worst peak memory: ${worstPeak.peakMB} MB resident (${worstPeak.file}, ${worstPeak.kind}); worst growth in one import: ${growth(worstGrowth)} MB (${worstGrowth.file}, ${worstGrowth.baseMB} → ${worstGrowth.peakMB} MB)`
          : `  peak memory: ${summary.maxRssMB} MB resident (per-import peaks not readable here)`,
        ...[...groups].map(
          ([g, c]) => `  ${g}: ${c.files} files, ${c.refused} of ${c.files * IMPORT_KINDS.length} refused`,
        ),
      ].join('\n'),
    );

    expect(files.length).toBeGreaterThanOrEqual(150);
    expect(attempts).toHaveLength(files.length * IMPORT_KINDS.length);
    // Never an internal error; every refusal a validation or I/O error in Chinese, the database as it was.
    const unclear = refused.filter(
      (a) => !['validation', 'io'].includes(a.outcome) || !CHINESE.test(a.message) || a.message.includes('内部错误'),
    );
    expect(unclear.map((a) => `${a.file} ${a.kind}: ${a.outcome} ${a.message}`)).toEqual([]);
    expect(refused.filter((a) => !a.unchanged).map((a) => `${a.file} ${a.kind}`)).toEqual([]);
    // An import that ran and reports a problem reports it in Chinese.
    const ran = attempts.filter((a) => a.outcome === 'ok');
    expect(ran.filter((a) => a.message !== '' && !CHINESE.test(a.message)).map((a) => a.file)).toEqual([]);

    // What is certain about a file happened.
    const byFile = new Map<string, Attempt[]>();
    for (const a of attempts) byFile.set(a.file, [...(byFile.get(a.file) ?? []), a]);
    const wrong: string[] = [];
    for (const f of files) {
      const tried = byFile.get(f.name)!;
      if (f.expect === 'refused') {
        for (const a of tried) if (a.outcome === 'ok') wrong.push(`${f.name} ${a.kind}: imported, should be refused`);
      } else if (f.expect) {
        const households = tried.find((a) => a.kind === 'households')!;
        if (households.outcome !== 'ok' || households.inserted !== f.expect.households)
          wrong.push(`${f.name}: ${households.outcome} ${households.inserted ?? ''} ${households.message}`);
      }
    }
    expect(wrong).toEqual([]);

    // No external entity was resolved; formula-like text was stored as the text it is; the file is sound.
    expect(summary.leaks).toBe(0);
    for (const name of FORMULA_NAMES) expect(summary.names.filter((n) => n === name)).toHaveLength(3);
    expect(summary.integrity).toBe('ok');
    // The forms' limits held: no stored name with control or invisible characters, none longer than a form allows.
    expect(summary.names.filter((n) => HIDDEN_CHARACTERS.test(n))).toEqual([]);
    expect(summary.longestName).toBeLessThanOrEqual(PersonInput.shape.name.maxLength!);

    // Memory: one import never adds more than the inflation budget and its table; the process stays bounded.
    if (worstGrowth && worstPeak) {
      expect(growth(worstGrowth)).toBeLessThan(GROWTH_BOUND_MB);
      expect(worstPeak.peakMB).toBeLessThan(PEAK_BOUND_MB);
    } else expect(summary.maxRssMB).toBeLessThan(PEAK_BOUND_MB);
  }, 900_000);
});
