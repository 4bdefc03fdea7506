/**
 * The child process of hostile.test.ts, run with the project's Node (tsx):
 *   tsx tests/excel/hostile-child.ts generate DIR   writes the corpus (hostile-corpus.ts) into DIR/corpus
 *   tsx tests/excel/hostile-child.ts run DIR        imports every file of it as every import kind into a new ledger
 * and prints one JSON summary line. Generating and importing are separate processes so that the importing
 * process's peak resident memory (process.resourceUsage().maxRSS) is the imports' own; on Linux each import's
 * peak is also read from /proc/self/status (VmHWM, reset through /proc/self/clear_refs before each import, after a
 * garbage collection when run with --expose-gc and much is resident): an upper bound of the import's own peak, as
 * what the allocator kept from earlier imports counts too. The reset also resets maxRSS: the worst peak is then
 * the largest VmHWM read.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IMPORT_KINDS } from '../../shared/schemas.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { writeCorpus, type HostileFile } from './hostile-corpus.ts';

export interface Attempt {
  file: string;
  group: string;
  kind: string;
  ms: number;
  /** This import's peak resident memory (Linux), MB; null where it cannot be read. */
  peakMB: number | null;
  /** Resident memory when it began (what earlier imports left the allocator holding), MB. */
  baseMB: number | null;
  /** The error code when refused, 'ok' when the import ran (with or without row errors). */
  outcome: string;
  message: string;
  /** On refusal: whether every table holds what it held before. */
  unchanged: boolean;
  inserted?: number;
  rejected?: number;
}

export interface Summary {
  files: number;
  attempts: Attempt[];
  maxRssMB: number;
  /** Stored person names (longer ones cut to 200 characters). */
  names: string[];
  longestName: number;
  /** Any stored text holding the secret file's mark (an external entity resolved). */
  leaks: number;
  integrity: string;
}

const [mode, dir] = process.argv.slice(2);
if (!dir || (mode !== 'generate' && mode !== 'run')) {
  console.error('usage: hostile-child.ts generate|run DIR');
  process.exit(2);
}
const corpus = path.join(dir, 'corpus');
/** Growth of resident memory since the last collection that calls for another before the next import. */
const GC_ABOVE = 150 * 1024 * 1024;
const list = path.join(dir, 'corpus.json');

function resetPeak(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
function peakMB(): number | null {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return kb ? Math.round(Number(kb[1]) / 1024) : null;
  } catch {
    return null;
  }
}

if (mode === 'generate') {
  fs.mkdirSync(corpus, { recursive: true });
  const files = await writeCorpus(corpus);
  fs.writeFileSync(list, JSON.stringify(files));
  console.log(JSON.stringify({ files: files.length }));
} else {
  const files = JSON.parse(fs.readFileSync(list, 'utf8')) as HostileFile[];
  const db = path.join(dir, 'ledger.sqlite');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) fs.rmSync(f, { force: true });
  const ledger = await openLedger(db, { create: true, today: () => '2026-11-22' });
  await ledger.run('settings.update', {
    townshipName: '测试镇',
    townshipCode: '529901101000',
    county: '测试县',
    province: '贵州省',
  });
  await ledger.run('village.create', { code: '529901101001', name: '青山村' });
  const raw = ledger.store.raw;
  const tables = raw
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  /** Every row of every table. */
  const checksum = () => {
    const hash = createHash('sha256');
    for (const t of tables) {
      hash.update(`\u0000${t}\u0000`);
      for (const row of raw.prepare(`SELECT * FROM "${t}"`).raw().iterate())
        hash.update(JSON.stringify(row, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    }
    return hash.digest('hex');
  };

  const attempts: Attempt[] = [];
  const canReset = resetPeak();
  let state = checksum();
  const gc = (globalThis as { gc?: () => void }).gc;
  /** Resident memory after the last collection: what the allocator keeps however much is garbage. */
  let collected = process.memoryUsage.rss();
  for (const f of files) {
    for (const kind of IMPORT_KINDS) {
      // Garbage a large earlier import left is collected first (only then: a collection before every import would
      // cost more than the imports), so that the peak measured is this import's.
      if (gc && process.memoryUsage.rss() > collected + GC_ABOVE) {
        // Twice: a buffer's memory is only given back on the collection after the one that found it unreachable.
        gc();
        gc();
        collected = process.memoryUsage.rss();
      }
      if (canReset) resetPeak();
      const baseMB = canReset ? peakMB() : null;
      const before = state;
      const started = performance.now();
      const r = await ledger.call('import.run', { kind, file: path.join(corpus, f.name), errorsFile: null });
      const ms = Math.round(performance.now() - started);
      const peak = canReset ? peakMB() : null;
      state = checksum();
      const base = { file: f.name, group: f.group, kind, ms, peakMB: peak, baseMB };
      if (r.ok)
        attempts.push({
          ...base,
          outcome: 'ok',
          message: r.value.errors[0]?.message ?? '',
          unchanged: true,
          inserted: r.value.inserted,
          rejected: r.value.rejected,
        });
      else attempts.push({ ...base, outcome: r.error.code, message: r.error.message, unchanged: state === before });
    }
  }

  let leaks = 0;
  for (const t of tables)
    for (const row of raw.prepare(`SELECT * FROM "${t}"`).raw().iterate())
      if (JSON.stringify(row).includes('SECRET-')) leaks++;
  const names = raw.prepare('SELECT name FROM person ORDER BY id').pluck().all() as string[];
  const integrity = (raw.pragma('integrity_check', { simple: true }) as string) ?? '';
  await ledger.close();
  const summary: Summary = {
    files: files.length,
    attempts,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    names: names.map((n) => n.slice(0, 200)),
    longestName: Math.max(0, ...names.map((n) => n.length)),
    leaks,
    integrity,
  };
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary));
  console.log(JSON.stringify({ attempts: attempts.length }));
}
