/**
 * The kill harness (issue 12 §4a): the command line imports, exports and builds the demo township in a child
 * process, which is killed with SIGKILL at a random moment — as a power cut or the task manager would. After each
 * kill the database passes `PRAGMA integrity_check`, holds exactly the state before or the state after the
 * operation (never half an import), no file sits at a target name unless what records it committed (the archive
 * for a report, the import for its error list), a killed demo leaves nothing that blocks the next run, and the next
 * open removes every temporary file the killed process left.
 *
 * The CLI runs bundled by esbuild from the same sources (as the Electron core is), which starts in a fraction of
 * tsx's time: the harness kills often enough within its time on a two-core machine. Random moments are drawn from
 * a seed printed with the counts; nothing is asserted about how long anything takes.
 */
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { tempDir } from '../helpers.ts';
import { dbState, filesIn, integrity, personList, ROOT, runCli, type DbState } from '../processes.ts';

/** Kills wanted per operation (at least 50 in all). */
const WANTED = { import: 18, export: 18, demo: 14 } as const;
type Op = keyof typeof WANTED;

const bundleDir = path.join(ROOT, '.tmp', `kill-cli-${process.pid}`);
// Bundled, exceljs's `new Buffer()` is no longer inside node_modules, where Node keeps its deprecation quiet.
const command = [process.execPath, '--no-deprecation', path.join(bundleDir, 'cli.mjs')];
// Node's compile cache spares each start most of the parsing of the bundle.
const cli = { command, env: { NODE_COMPILE_CACHE: path.join(bundleDir, 'cache') } };

let base: string;
let roster: string;
/** The state before and after each operation, and how long an unkilled run takes (to draw kill moments in). */
const reference = {} as Record<Op, { before: DbState | null; after: DbState; ms: number }>;
/** How long the CLI takes to start and open a database doing nothing else. */
let startMs = 0;

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** A fresh copy of the base township for one attempt. */
function copyBase(dir: string): string {
  const db = path.join(dir, 'township.sqlite');
  fs.copyFileSync(base, db);
  return db;
}

function args(op: Op, dir: string, db: string): string[] {
  if (op === 'import')
    return ['import', 'households', roster, '--db', db, '--errors', path.join(dir, 'out', '错误.xlsx'), '--json'];
  if (op === 'export')
    return ['export', 'monthly', '--month', '2026-10', '--db', db, '--out', path.join(dir, 'out', '月报.xlsx')].concat([
      '--reason',
      '断电测试',
    ]);
  return ['demo', '--db', db];
}

async function timed(op: Op, dir: string, db: string): Promise<number> {
  const started = Date.now();
  const r = await runCli(args(op, dir, db), cli);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return Date.now() - started;
}

beforeAll(async () => {
  await build({
    absWorkingDir: ROOT,
    entryPoints: ['main/cli/index.ts'],
    outfile: path.join(bundleDir, 'cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['better-sqlite3'],
    // exceljs and its dependencies are CommonJS and require Node's modules at run time.
    banner: { js: "import { createRequire as __req } from 'node:module'; const require = __req(import.meta.url);" },
    logLevel: 'warning',
  });
  const dir = tempDir();
  base = path.join(dir, 'base.sqlite');
  const ledger = await openLedger(base, { create: true });
  generateDemo(ledger.store, 'township', 1);
  const villages = (await ledger.run('village.list', {})).map((v) => v.name);
  await ledger.close();
  // A quarter of the households name a village the ledger lacks: their rows go to the error list.
  roster = path.join(dir, '人员名单.xlsx');
  await personList(roster, [...villages.slice(0, 3), '不存在村'], 800);

  const check = Date.now();
  expect((await runCli(['check', '--db', base], cli)).code).toBe(0);
  startMs = Date.now() - check;
  const before = dbState(base);
  await Promise.all(
    (['import', 'export', 'demo'] as const).map(async (op) => {
      const d = tempDir();
      const db = op === 'demo' ? path.join(d, 'demo.sqlite') : copyBase(d);
      const ms = await timed(op, d, db);
      reference[op] = { before: op === 'demo' ? null : before, after: dbState(db), ms };
    }),
  );
}, 120_000);

afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

/** Small, seeded and printed: a failure can be replayed with the same moments (as far as timing allows). */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tally {
  kills: number;
  intact: number;
  finished: number;
  before: number;
  after: number;
}

/**
 * One attempt: run the operation, kill it at `delayMs`, then check the database and the files. Returns how long
 * the run took when it finished before the kill, else null.
 */
async function attempt(op: Op, delayMs: number, tally: Tally): Promise<number | null> {
  const dir = tempDir();
  const db = op === 'demo' ? path.join(dir, 'demo.sqlite') : copyBase(dir);
  const out = path.join(dir, 'out');
  const started = Date.now();
  const child = runCli(args(op, dir, db), cli);
  const timer = setTimeout(() => {
    if (child.kill()) tally.kills++;
  }, delayMs);
  const exit = await child;
  clearTimeout(timer);
  const took = exit.signal === 'SIGKILL' ? null : Date.now() - started;
  if (took !== null) {
    expect(exit.stderr).toBe('');
    expect(exit.code).toBe(0);
    tally.finished++;
  }
  const ref = reference[op];

  if (op === 'demo') {
    // Nothing at the target name, or the complete demo township; never an empty ledger in the way.
    if (fs.existsSync(db)) {
      expect(integrity(db)).toEqual([]);
      expect(dbState(db)).toEqual(ref.after);
      tally.after++;
    } else {
      expect(exit.signal).toBe('SIGKILL');
      tally.before++;
    }
    tally.intact++;
    fs.rmSync(dir, { recursive: true, force: true });
    return took;
  }

  expect(integrity(db)).toEqual([]);
  const state = dbState(db);
  const committed = JSON.stringify(state) === JSON.stringify(ref.after);
  if (!committed) expect(state).toEqual(ref.before);
  tally[committed ? 'after' : 'before']++;
  // A file at the target name is known: the report by its archive row, the error list by the committed import.
  const raw = new BetterSqlite3(db, { readonly: true });
  const archived = new Set(
    (raw.prepare('SELECT sha256 FROM report_archive').all() as { sha256: string }[]).map((r) => r.sha256),
  );
  raw.close();
  const report = path.join(out, '月报.xlsx');
  if (fs.existsSync(report)) expect(archived.has(sha256(report))).toBe(true);
  if (fs.existsSync(path.join(out, '错误.xlsx'))) expect(committed).toBe(true);
  if (exit.signal !== 'SIGKILL') expect(committed).toBe(true);

  // The next open removes what the killed process was writing, and its notes.
  const again = await openLedger(db);
  await again.close();
  expect(filesIn(out).filter((f) => !['月报.xlsx', '错误.xlsx'].includes(f))).toEqual([]);
  expect(fs.existsSync(`${db}-writing`)).toBe(false);
  tally.intact++;
  fs.rmSync(dir, { recursive: true, force: true });
  return took;
}

describe('kill harness', () => {
  it('import, export and demo killed at random moments leave the database and the files whole', async () => {
    const started = Date.now();
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    const next = random(seed);
    const tallies = Object.fromEntries(
      (Object.keys(WANTED) as Op[]).map((op) => [op, { kills: 0, intact: 0, finished: 0, before: 0, after: 0 }]),
    ) as Record<Op, Tally>;
    // The moments fall between the CLI having started and a little past the end of an unkilled run. Two runs at
    // a time (and other test files) slow each other down: the window widens while every run is killed and
    // narrows to what a finished run took, so that some runs commit before their kill.
    const high = Object.fromEntries((Object.keys(WANTED) as Op[]).map((op) => [op, reference[op].ms])) as Record<
      Op,
      number
    >;
    const widest = (op: Op) => reference[op].ms * 2.5;
    const moment = (op: Op) => startMs * 0.7 + next() * Math.max(high[op] - startMs * 0.7, 50);
    const queue: Op[] = [];
    const refill = () => {
      for (const op of Object.keys(WANTED) as Op[])
        if (tallies[op].kills < WANTED[op] && !queue.includes(op)) queue.push(op);
    };
    let attempts = 0;
    // Two at a time: the machine has two cores, and each attempt mostly waits for its child.
    const lane = async () => {
      for (refill(); queue.length > 0 && attempts < 200; refill()) {
        const op = queue.shift()!;
        attempts++;
        const took = await attempt(op, moment(op), tallies[op]);
        high[op] = Math.min(took === null ? high[op] * 1.02 : Math.max(took * 0.95, high[op] * 0.85), widest(op));
      }
    };
    await Promise.all([lane(), lane()]);

    const total = (k: keyof Tally) => Object.values(tallies).reduce((n, t) => n + t[k], 0);
    console.log(
      `kill harness (seed ${seed}): ${total('kills')} kills, ${attempts} runs, ${total('intact')} intact ` +
        `(state before ${total('before')}, after ${total('after')}; ${total('finished')} finished before the kill) — ` +
        (Object.keys(WANTED) as Op[])
          .map((op) => `${op} ${tallies[op].kills} kills/${tallies[op].intact} intact`)
          .join(', ') +
        ` (${Math.round((Date.now() - started) / 1000)} s)`,
    );
    expect(total('kills')).toBeGreaterThanOrEqual(50);
    expect(total('intact')).toBe(attempts);
  }, 240_000);

  it('a demo killed half-way does not block the next run', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'demo.sqlite');
    const child = runCli(['demo', '--db', db], cli);
    setTimeout(() => child.kill(), startMs + (reference.demo.ms - startMs) / 2);
    await child;
    if (fs.existsSync(db)) fs.rmSync(db);
    const again = await runCli(['demo', '--db', db], cli);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    // Nothing of the killed run is left beside it (its .creating file with WAL and shared memory are gone).
    expect(filesIn(dir)).toEqual(['demo.sqlite']);
    expect(dbState(db)).toEqual(reference.demo.after);
  });
});
