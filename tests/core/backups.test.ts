/**
 * Backups and restore (issue 11 item 3): retention over a simulated year with an injected clock, a backup taken
 * while a write runs, backups before imports / unlock / restore, restore and its refusals, the copy folder and
 * the dashboard reminder.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  backupsDir,
  createBackup,
  ensureDailyBackup,
  listBackups,
  retained,
  rotate,
  verifyBackup,
} from '../../main/core/backups.ts';
import { APPLICATION_ID } from '../../main/core/db/header.ts';
import { LATEST_SCHEMA_VERSION } from '../../main/core/db/migrations.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { familyOf, newLedger, tempDir } from '../helpers.ts';

const DAY = 86_400_000;
const names = (dir: string) => listBackups(dir).map((b) => b.name);

describe('retention: 7 daily + 4 weekly + 12 monthly', () => {
  it('over a simulated year of daily starts (and a second backup some days) keeps what the rule says', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    const dir = backupsDir(file);
    const start = new Date(2026, 0, 1, 8, 30).getTime();
    let now = new Date(start);
    const clock = () => now;
    const taken: Date[] = [];
    for (let day = 0; day < 365; day++) {
      now = new Date(start + day * DAY);
      // The app is off on some days (Sundays), as an office PC is.
      if (now.getDay() === 0) continue;
      expect(await ensureDailyBackup(file, clock)).not.toBeNull();
      taken.push(now);
      // A second start the same day takes none.
      expect(await ensureDailyBackup(file, clock)).toBeNull();
      if (day % 10 === 3) {
        now = new Date(now.getTime() + 3 * 3600_000);
        await createBackup(file, 'import', { now: clock, copyFolder: null });
        taken.push(now);
      }
      const kept = listBackups(dir);
      // Never more than today's backups + 7 + 4 + 12.
      expect(kept.length).toBeLessThanOrEqual(2 + 7 + 4 + 12);
      // Every backup taken today is kept.
      const today = now.toDateString();
      const todays = kept.filter((b) => new Date(b.at).toDateString() === today);
      expect(todays.length).toBeGreaterThanOrEqual(1);
    }
    const kept = listBackups(dir);
    const dayOf = (b: { at: string }) => new Date(b.at).toDateString();
    const onDays = taken.map((t) => t.toDateString()).filter((d, i, all) => all.indexOf(d) === i);
    // The 7 most recent days the PC was on are all there; every other day has at most its newest backup.
    for (const d of onDays.slice(-7)) expect(kept.some((b) => dayOf(b) === d)).toBe(true);
    for (const d of new Set(kept.map(dayOf))) {
      const ofDay = kept.filter((b) => dayOf(b) === d);
      if (d !== now.toDateString()) expect(ofDay).toHaveLength(1);
      const newest = taken.filter((t) => t.toDateString() === d).at(-1)!;
      expect(ofDay.map((b) => b.at)).toContain(newest.toISOString());
    }
    // The 4 most recent weeks (Monday to Sunday, this one included) have one each.
    const monday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - ((now.getDay() + 6) % 7));
    for (let w = 0; w < 4; w++) {
      const from = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7 * w).getTime();
      const to = new Date(monday.getFullYear(), monday.getMonth(), monday.getDate() - 7 * w + 7).getTime();
      expect(kept.some((b) => Date.parse(b.at) >= from && Date.parse(b.at) < to)).toBe(true);
    }
    // The last 12 months have one each, and nothing older is kept.
    const months = new Set(kept.map((b) => b.at.slice(0, 7)));
    expect(months.size).toBe(12);
    expect(new Date(kept.at(-1)!.at).getTime()).toBeGreaterThan(now.getTime() - 366 * DAY);
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 12 + 1);
    // Each file is a verified ledger with its figures and readable by the user only.
    for (const b of kept) {
      expect(b.problem).toBeNull();
      expect(b.figures).toMatchObject({ households: 1, persons: 3, cases: 0 });
      if (process.platform !== 'win32') expect(fs.statSync(b.file).mode & 0o777).toBe(0o600);
    }
    if (process.platform !== 'win32') expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    // No temporary file or WAL beside them.
    expect(fs.readdirSync(dir).filter((n) => !/\.(sqlite|json)$/.test(n))).toEqual([]);
    await ledger.close();
  }, 120_000);

  it('the pure rule: newest per day, week and month, all of today', () => {
    const at = (y: number, m: number, d: number, h = 9) => new Date(y, m - 1, d, h);
    const list = [
      { name: 'a', at: at(2026, 3, 2) },
      { name: 'b', at: at(2026, 3, 2, 17) },
      { name: 'c', at: at(2026, 3, 1) },
      { name: 'old', at: at(2024, 1, 5) },
    ];
    const keep = retained(list, at(2026, 3, 2, 18));
    expect([...keep].sort()).toEqual(['a', 'b', 'c', 'old']);
    const later = retained(list, at(2026, 3, 3));
    // 'a' was today's but no longer: its day's newest ('b') stays; 'old' is one of 12 months that have one.
    expect([...later].sort()).toEqual(['b', 'c', 'old']);
  });

  it('rotation removes a backup together with its figures file', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const t = new Date(2026, 4, 4, 9);
    await createBackup(file, 'daily', { now: () => t, copyFolder: null });
    await createBackup(file, 'daily', { now: () => new Date(t.getTime() + 3600_000), copyFolder: null });
    const dir = backupsDir(file);
    expect(rotate(dir, new Date(t.getTime() + DAY))).toHaveLength(1);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.json') && n !== 'copies.json')).toHaveLength(1);
  });
});

describe('online backup', () => {
  it('taken while a write runs holds the state before it; after the commit, the state after (WAL content too)', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    // A second program writing: a big transaction open on its own connection.
    const writer = new BetterSqlite3(file);
    writer.pragma('busy_timeout = 5000');
    writer.exec('BEGIN IMMEDIATE');
    const insert = writer.prepare("INSERT INTO household (hh_no, village_id, hh_type) VALUES (?, ?, '一般户')");
    for (let i = 0; i < 2000; i++) insert.run(`W${i}`, villageId);
    const during = await createBackup(file, 'manual', { copyFolder: null });
    expect(during.figures).toMatchObject({ households: 1, persons: 3 });
    writer.exec('COMMIT');
    // Committed but still in the WAL (no checkpoint): a copy of the file alone would miss it.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    const after = await createBackup(file, 'manual', { copyFolder: null });
    expect(after.figures).toMatchObject({ households: 2001, persons: 3 });
    writer.close();
    for (const b of [during, after]) {
      const db = new BetterSqlite3(b.file, { readonly: true });
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      db.close();
    }
    await ledger.close();
  });

  it('a backup taken inside the ledger’s own write transaction copies the last committed state only', async () => {
    const { ledger, file, villageId } = await newLedger();
    const raw = ledger.store.raw;
    raw.exec('BEGIN IMMEDIATE');
    raw
      .prepare("INSERT INTO household (hh_no, village_id, hh_type) VALUES (?, ?, '一般户')")
      .run('UNCOMMITTED', villageId);
    const b = await createBackup(file, 'manual', { copyFolder: null });
    raw.exec('ROLLBACK');
    expect(b.figures!.households).toBe(0);
    await ledger.close();
  });

  it('before an import and a payroll unlock, a backup of the state before it', async () => {
    const { ledger, file } = await newLedger();
    const csv = path.join(tempDir(), 'villages.csv');
    fs.writeFileSync(csv, '村名称,村代码\n绿水村,529901101002\n');
    await ledger.run('import.run', { kind: 'villages', file: csv });
    const list = await ledger.run('backup.list', {});
    expect(list.backups.map((b) => b.reason)).toEqual(['import']);
    expect(list.backups[0]!.figures).toMatchObject({ households: 0 });
    const villages = new BetterSqlite3(list.backups[0]!.file, { readonly: true });
    expect(villages.prepare('SELECT count(*) AS n FROM village').get()).toEqual({ n: 1 });
    villages.close();
    expect(fs.existsSync(backupsDir(file))).toBe(true);
    // A refused unlock (the month is not locked) takes none; unlocking a locked month takes one.
    expect((await ledger.call('payroll.unlock', { month: '2026-10', reason: '更正' })).ok).toBe(false);
    expect(listBackups(backupsDir(file))).toHaveLength(1);
    ledger.store.raw
      .prepare("INSERT INTO payroll_month (month, generated_at, locked_at, locked_by) VALUES ('2026-10', ?, ?, '测试')")
      .run('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z');
    await ledger.run('payroll.unlock', { month: '2026-10', reason: '更正' });
    expect(listBackups(backupsDir(file)).map((b) => b.reason)).toEqual(['unlock', 'import']);
    await ledger.close();
  });
});

describe('restore', () => {
  it('backs up the current file, replaces it, and the ledger goes on with the restored data', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    const saved = await ledger.run('backup.create', {});
    await familyOf(ledger, villageId, 2);
    const preview = await ledger.run('backup.preview', { file: saved.name });
    expect(preview.backup.figures).toMatchObject({ households: 1, persons: 3 });
    expect(preview.current).toMatchObject({ households: 2, persons: 6 });
    expect(preview.backup.figures!.lastAudit).toMatchObject({ action: '新增', entity: '人员' });
    // Another program holding the file open (the CLI beside the app) sees the restored database too.
    const other = new BetterSqlite3(file, { readonly: true });
    const result = await ledger.run('backup.restore', { file: saved.name });
    expect(result.before.figures).toMatchObject({ households: 2, persons: 6 });
    expect((await ledger.run('household.list', {})).total).toBe(1);
    expect(other.prepare('SELECT count(*) AS n FROM household').get()).toEqual({ n: 1 });
    other.close();
    const log = await ledger.run('audit.list', {});
    expect(log.rows[0]).toMatchObject({ action: '恢复', entity: '备份' });
    expect(log.rows[0]!.summary).toContain(saved.name);
    // Writing goes on, and the pre-restore backup restores the other way.
    await familyOf(ledger, villageId, 3);
    await ledger.run('backup.restore', { file: result.before.name });
    expect((await ledger.run('household.list', {})).total).toBe(2);
    await ledger.close();
    const reopened = await openLedger(file);
    expect((await reopened.run('household.list', {})).total).toBe(2);
    await reopened.close();
  });

  it('refuses, with the database untouched, a file that is not a ledger, a damaged one, and one from a newer version', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    const dir = tempDir();
    const text = path.join(dir, 'notes.sqlite');
    fs.writeFileSync(text, '这不是数据库'.repeat(200));
    const foreign = path.join(dir, 'foreign.sqlite');
    const f = new BetterSqlite3(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    const newer = path.join(dir, 'newer.sqlite');
    const good = await createBackup(file, 'manual', { copyFolder: null });
    fs.copyFileSync(good.file, newer);
    const n = new BetterSqlite3(newer);
    n.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    n.close();
    const damaged = path.join(dir, 'damaged.sqlite');
    const big = new BetterSqlite3(damaged);
    big.pragma(`application_id = ${APPLICATION_ID}`);
    big.exec('CREATE TABLE household (id INTEGER PRIMARY KEY, x TEXT); CREATE INDEX hx ON household(x)');
    const ins = big.prepare('INSERT INTO household (x) VALUES (?)');
    big.transaction(() => {
      for (let i = 0; i < 3000; i++) ins.run(`值${i}`.repeat(5));
    })();
    big.close();
    const bytes = fs.readFileSync(damaged);
    // Scribble over the middle of the file (an index page): SQLite still opens it, integrity_check finds it.
    bytes.fill(0x55, 4096 * 6, 4096 * 6 + 3000);
    fs.writeFileSync(damaged, bytes);
    const before = fs.readFileSync(file);
    const cases: [string, string, RegExp][] = [
      [text, 'not_ledger', /不是乡镇振兴台账数据库/],
      [foreign, 'not_ledger', /不是乡镇振兴台账数据库/],
      [damaged, 'not_ledger', /已损坏（完整性检查未通过）/],
      [newer, 'schema_newer', /较新版本/],
    ];
    for (const [from, code, message] of cases) {
      const r = await ledger.call('backup.restore', { file: from });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(message);
      }
      const p = await ledger.call('backup.preview', { file: from });
      expect(p.ok).toBe(false);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect((await ledger.run('household.list', {})).total).toBe(1);
    // Only the one good backup was made: a refused restore takes none.
    expect(names(backupsDir(file))).toHaveLength(1);
    expect(() => verifyBackup(damaged)).toThrow(/已损坏/);
    await ledger.close();
  });
});

describe('from a page', () => {
  it('names backups only by their name in 备份/, never a path; restore and the copy folder are the 管理员’s', async () => {
    const { ledger, villageId } = await newLedger();
    await ledger.run('auth.setup', { user: 'admin', password: 'admin-pass-1' });
    await ledger.run('account.create', { user: 'clerk', role: '经办人', password: 'clerk-pass-1' });
    await familyOf(ledger, villageId, 1);
    const admin = ledger.openSession();
    const clerk = ledger.openSession();
    await admin.call('auth.login', { user: 'admin', password: 'admin-pass-1' });
    await clerk.call('auth.login', { user: 'clerk', password: 'clerk-pass-1' });
    const made = await clerk.call('backup.create', {});
    expect(made.ok).toBe(true);
    const name = made.ok ? made.value.name : '';
    for (const [op, input] of [
      ['backup.list', {}],
      ['backup.preview', { file: name }],
      ['backup.restore', { file: name }],
      ['backup.setCopyFolder', { folder: null }],
    ] as const) {
      const r = await clerk.call(op, input);
      expect(r.ok ? null : r.error.code).toBe('forbidden');
    }
    const byPath = await admin.call('backup.restore', { file: '/etc/passwd' });
    expect(byPath.ok ? null : byPath.error.message).toMatch(/不能按调用方给出的路径读取文件/);
    const folder = await admin.call('backup.setCopyFolder', { folder: tempDir() });
    expect(folder.ok ? null : folder.error.message).toMatch(/不能按页面给出的路径设置备份文件夹/);
    const missing = await admin.call('backup.preview', { file: 'township-20200101-000000000-daily.sqlite' });
    expect(missing.ok ? null : missing.error.code).toBe('not_found');
    const restored = await admin.call('backup.restore', { file: name });
    expect(restored.ok).toBe(true);
    await ledger.close();
  });
});

describe('daily backup of the hosts', () => {
  it('the first start of a day takes one; a second start the same day none', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const first = await openLedger(file, { dailyBackup: true });
    await first.run('household.list', {});
    await first.close();
    const second = await openLedger(file, { dailyBackup: true });
    await second.close();
    const quiet = await openLedger(file);
    await quiet.close();
    expect(listBackups(backupsDir(file)).map((b) => b.reason)).toEqual(['daily']);
  });

  it('opening the ledger removes what a killed backup left, never a running one’s', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const dir = backupsDir(file);
    fs.mkdirSync(dir, { recursive: true });
    const dead = path.join(dir, 'township-20261122-090000000-import.sqlite.2147483646-0123456789ab.writing');
    const running = path.join(dir, `township-20261122-090000000-import.sqlite.${process.pid}-0123456789ab.writing`);
    fs.writeFileSync(dead, 'half');
    fs.writeFileSync(running, 'half');
    const again = await openLedger(file);
    await again.close();
    expect(fs.existsSync(dead)).toBe(false);
    expect(fs.existsSync(running)).toBe(true);
  });
});

describe('copy folder and reminder', () => {
  it('copies each backup into the folder picked, and the dashboard reminds until a copy is fresh', async () => {
    const { ledger, file } = await newLedger();
    let dash = await ledger.run('dashboard.get', {});
    expect(dash.backup.remind).toBe(true);
    const usb = tempDir();
    const status = await ledger.run('backup.setCopyFolder', { folder: usb });
    expect(status.copyFolder).toBe(usb);
    expect(status.lastCopyAt).not.toBeNull();
    expect(names(usb)).toHaveLength(1);
    await ledger.run('backup.create', {});
    expect(names(usb)).toHaveLength(2);
    dash = await ledger.run('dashboard.get', {});
    expect(dash.backup.remind).toBe(false);
    // The drive is gone: the backup stays on the PC, the user is told.
    fs.rmSync(usb, { recursive: true });
    fs.writeFileSync(usb, 'a file where the folder was');
    const r = await ledger.run('backup.create', {});
    expect(r.copyError).toMatch(/未能复制到第二个文件夹/);
    expect((await ledger.run('backup.list', {})).status.lastCopyError).toMatch(/无法/);
    expect(names(backupsDir(file)).length).toBeGreaterThanOrEqual(3);
    await ledger.run('backup.setCopyFolder', { folder: null });
    expect((await ledger.run('backup.list', {})).status.copyFolder).toBeNull();
    await ledger.close();
  });
});
