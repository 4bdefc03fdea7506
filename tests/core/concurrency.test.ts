/**
 * Two programs on one township file (issue 12 §1): browser mode writing while the command line imports and
 * exports. Writes take the write lock first (BEGIN IMMEDIATE, db/lock.ts), so neither side fails half-way with
 * SQLITE_BUSY_SNAPSHOT; a writer that cannot get the lock within the busy timeout says the database is busy.
 * Real processes on a real file; nothing here depends on how long anything takes.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { createBridge, type Bridge } from '../../main/web/server.ts';
import type { CallResult } from '../../shared/errors.ts';
import { tempDir, TEST_PASSWORD, TEST_USER } from '../helpers.ts';

/** The CLI signs in as the file's 管理员 (main/cli/auth.ts). */
const signedIn = { env: { LEDGER_PASSWORD: TEST_PASSWORD } };
import { dbState, integrity, personList, runCli } from '../processes.ts';

const BUSY = '数据库正被其他程序使用，请稍后重试';

let dir: string;
let db: string;
let roster: string;
let persons: number;

beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'township.sqlite');
  const ledger = await openLedger(db, { create: true });
  generateDemo(ledger.store, 'township', 1);
  // Accounts on the file: the bridge's session and the CLI sign in (the CLI with LEDGER_PASSWORD).
  await ledger.run('auth.setup', { user: TEST_USER, password: TEST_PASSWORD });
  const villages = (await ledger.run('village.list', {})).map((v) => v.name);
  await ledger.close();
  roster = path.join(dir, '人员名单.xlsx');
  persons = await personList(roster, villages, 400);
});

describe('two programs on one file', () => {
  let ledger: Ledger;
  let bridge: Bridge;
  afterAll(async () => {
    await bridge?.close();
    await ledger?.close();
  });

  it('a CLI import and a CLI export succeed while the bridge writes once a second', async () => {
    ledger = await openLedger(db);
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<p>台账</p>');
    bridge = createBridge({ ledger, rendererDir });
    const url = new URL(await bridge.listen(0));
    const token = url.searchParams.get('token')!;
    let cookie = '';
    const post = async (op: string, input: unknown) => {
      const r = await fetch(`${url.origin}/api/${op}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ledger-token': token, cookie },
        body: JSON.stringify(input),
      });
      cookie = r.headers.get('set-cookie')?.split(';')[0] ?? cookie;
      return (await r.json()) as CallResult<unknown>;
    };
    expect(await post('auth.login', { user: TEST_USER, password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const before = dbState(db);

    const answers: CallResult<unknown>[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) {
        answers.push(
          await post('village.create', { code: `5299011019${String(i).padStart(2, '0')}`, name: `并发村${i}` }),
        );
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
    const out = path.join(dir, '月报.xlsx');
    const [imported, exported] = await Promise.all([
      runCli(['import', 'households', roster, '--db', db, '--json'], signedIn),
      runCli(['export', 'monthly', '--month', '2026-10', '--db', db, '--out', out, '--reason', '并发测试'], signedIn),
    ]);
    // One more write after both: the bridge still works on the file the CLI wrote.
    writing = false;
    await writer;
    answers.push(await post('village.create', { code: '529901101999', name: '并发村末' }));

    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ kind: 'households', inserted: persons, rejected: 0 });
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: out, archiveId: 1 });
    expect(fs.existsSync(out)).toBe(true);

    // Every bridge write either happened or said the database was busy; none failed with 内部错误.
    const failures = answers.filter((a) => !a.ok).map((a) => (a.ok ? null : a.error));
    for (const f of failures) expect(f).toEqual({ code: 'busy', message: BUSY });
    const written = answers.filter((a) => a.ok).length;
    expect(written).toBeGreaterThan(0);

    const after = dbState(db);
    expect(integrity(db)).toEqual([]);
    expect(after.counts.person).toBe(before.counts.person! + persons);
    expect(after.counts.village).toBe(before.counts.village! + written);
    expect(after.counts.report_archive).toBe(before.counts.report_archive! + 1);
  });

  it('under a write lock held past the busy timeout the CLI says the database is busy and changes nothing', async () => {
    const holder = new BetterSqlite3(db);
    holder.exec('BEGIN IMMEDIATE');
    const before = dbState(db);
    const out = path.join(dir, '忙时月报.xlsx');
    // Both wait for the lock this process holds until they have given up (and exited).
    const [imported, exported] = await Promise.all([
      runCli(['import', 'households', roster, '--db', db, '--json'], signedIn),
      runCli(['export', 'monthly', '--month', '2026-10', '--db', db, '--out', out, '--reason', '并发测试'], signedIn),
    ]);
    holder.exec('ROLLBACK');
    holder.close();
    for (const r of [imported, exported]) {
      expect(r.code).toBe(3);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        `错误：${BUSY} / Error: the database is in use by another program; try again later`,
      ]);
    }
    expect(dbState(db)).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('忙时'))).toEqual([]);
  });

  it('a write in this process waits for the lock and answers busy, not 内部错误, when it stays taken', async () => {
    const quick = await openLedger(db, { busyTimeoutMs: 200 });
    await quick.run('auth.login', { user: TEST_USER, password: TEST_PASSWORD });
    const holder = new BetterSqlite3(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      expect(await quick.call('village.create', { code: '529901101998', name: '等待村' })).toEqual({
        ok: false,
        error: { code: 'busy', message: BUSY },
      });
      // A dry run writes inside a transaction it rolls back: it needs the lock too.
      expect(await quick.call('import.preview', { kind: 'households', file: roster })).toEqual({
        ok: false,
        error: { code: 'busy', message: BUSY },
      });
      // Reading goes on beside the held lock (WAL).
      expect((await quick.run('village.list', {})).length).toBeGreaterThan(0);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect((await quick.call('village.create', { code: '529901101998', name: '等待村' })).ok).toBe(true);
    await quick.close();
  });
});
