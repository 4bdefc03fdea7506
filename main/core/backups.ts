/**
 * Backups and restore (issue 11 §3). A township's ledger lives on one office PC that gets stolen, reinstalled and
 * power-cut: the core keeps copies of it in `备份/` beside the database and, when the user has picked one, a
 * second folder (a USB drive).
 *
 * - **Taking a backup.** SQLite's online backup (the driver's `db.backup`) from a connection of its own, opened
 *   read-only on the live file, all pages in one step: one read transaction, so the copy is one committed state
 *   of the database whatever another connection or program is writing meanwhile (a write still in progress is
 *   not in it; everything acknowledged is, including what is still in the WAL). The connection the ledger writes
 *   through is never the source: inside its own open transaction it would copy uncommitted pages. The copy is
 *   written as `<name>.<pid>-<random>.writing` (mode 0600, folder 0700), made a single self-contained file
 *   (rollback journal, no WAL beside it), verified (integrity check and figures: households, persons, cases, the
 *   last audit entry), fsynced and renamed to its name; the figures go into `<name>.json` beside it.
 * - **When.** At the first start of each day (hosts), before every import and reconcile, restore, migration,
 *   void-restore and payroll unlock (`backupBefore`), and when asked (`backup.create`, CLI `backup`).
 * - **Keeping.** Every backup of the current day, and the newest of each of the 7 most recent days, the 4 most
 *   recent weeks and the 12 most recent months that have one (`rotate`, clock injected); older ones are removed.
 *   The same rule applies in the copy folder.
 * - **Restoring.** The chosen file is checked first (a SQLite file, a ledger, sound, not from a newer version),
 *   then the current database is backed up, then the backup's pages are copied into the live file by SQLite's
 *   backup into it: one write transaction of the live database, so a restore that fails or is killed midway
 *   leaves it as it was (the uncommitted WAL frames are discarded), and other programs holding the file open
 *   (the CLI beside the app) see either the old or the restored database, never a file renamed under them.
 */
import BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  BACKUP_REASONS,
  BACKUP_REMIND_DAYS,
  type BackupFigures,
  type BackupInfo,
  type BackupReason,
  type BackupStatus,
} from '../../shared/backups.ts';
import { LedgerError } from './errors.ts';
import { DEFAULT_BUSY_TIMEOUT_MS, busyError } from './db/lock.ts';
import { APPLICATION_ID } from './db/header.ts';
import { LATEST_SCHEMA_VERSION } from './db/migrations.ts';

export type Clock = () => Date;

/**
 * Every connection this module opens (the source of a backup, a backup being checked or restored from): one place
 * for what opening a ledger file takes besides its name (a key, once the database is encrypted at rest).
 */
function connect(file: string, readonly: boolean): BetterSqlite3.Database {
  return new BetterSqlite3(file, readonly ? { readonly: true, fileMustExist: true } : { fileMustExist: true });
}

export const backupsDir = (dbFile: string) => path.join(path.dirname(path.resolve(dbFile)), '备份');

const NAME = /^(.+)-(\d{8})-(\d{9})-([a-z-]+)\.sqlite$/;
const STATE = 'copies.json';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Local time in the name (what the user reads); the sidecar keeps the exact instant. */
function stamp(d: Date): string {
  return (
    `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-` +
    `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}${pad(d.getMilliseconds(), 3)}`
  );
}

function parseStamp(day: string, time: string): Date {
  return new Date(
    Number(day.slice(0, 4)),
    Number(day.slice(4, 6)) - 1,
    Number(day.slice(6, 8)),
    Number(time.slice(0, 2)),
    Number(time.slice(2, 4)),
    Number(time.slice(4, 6)),
    Number(time.slice(6, 9)),
  );
}

const baseName = (dbFile: string) => path.basename(dbFile).replace(/\.[^.]*$/, '') || 'ledger';

function fsyncPath(p: string, flags = 'r'): void {
  try {
    const fd = fs.openSync(p, flags);
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Windows cannot open a folder to flush it; the rename is durable there.
  }
}

function ensureDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    throw new LedgerError('io', `无法创建备份文件夹：${dir}`);
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

/** Temporary files a killed backup left in the backups folder (on opening the ledger, and before each backup). */
export const removeStaleBackups = (dbFile: string) => removeStale(backupsDir(dbFile));

/** Temporary files a killed backup left in `dir`. */
function removeStale(dir: string): void {
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = /\.(\d+)-[0-9a-f]{12}\.writing$/.exec(name);
    if (m && !alive(Number(m[1]))) fs.rmSync(path.join(dir, name), { force: true });
  }
}

/**
 * Opens a file read-only and checks it is a sound ledger database: the figures, or a LedgerError saying why it
 * cannot be restored (not SQLite, not a ledger, damaged, from a newer version).
 */
export function verifyBackup(file: string): BackupFigures {
  let db: BetterSqlite3.Database;
  try {
    db = connect(file, true);
  } catch {
    throw new LedgerError('io', `无法打开备份文件：${path.basename(file)}`);
  }
  try {
    let appId: number;
    let version: number;
    try {
      appId = db.pragma('application_id', { simple: true }) as number;
      version = db.pragma('user_version', { simple: true }) as number;
    } catch {
      throw new LedgerError(
        'not_ledger',
        `所选文件不是乡镇振兴台账数据库（不是SQLite数据库文件）：${path.basename(file)}`,
      );
    }
    if (appId !== APPLICATION_ID)
      throw new LedgerError('not_ledger', `所选文件不是乡镇振兴台账数据库：${path.basename(file)}`);
    let problems: string[];
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      problems = rows.map((r) => r.integrity_check).filter((s) => s !== 'ok');
    } catch (e) {
      problems = [String((e as Error).message)];
    }
    if (problems.length > 0)
      throw new LedgerError(
        'not_ledger',
        `备份文件已损坏（完整性检查未通过），不能用于恢复：${path.basename(file)}`,
        undefined,
        problems.slice(0, 10),
      );
    if (version > LATEST_SCHEMA_VERSION)
      throw new LedgerError(
        'schema_newer',
        `该备份由较新版本的乡镇振兴台账创建（结构版本 ${version}，本程序最高支持 ${LATEST_SCHEMA_VERSION}），请升级程序后再恢复`,
      );
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    const last = db
      .prepare('SELECT at, actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT 1')
      .get() as BackupFigures['lastAudit'] | undefined;
    return {
      schemaVersion: version,
      households: count('household'),
      persons: count('person'),
      cases: count('monitoring_case'),
      lastAudit: last ?? null,
    };
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    throw new LedgerError('not_ledger', `所选文件不是可用的台账备份：${path.basename(file)}`);
  } finally {
    db.close();
  }
}

/**
 * The online copy itself: from a read-only connection of its own, all pages in one step (one read transaction:
 * one committed state, WAL content included), into `tmp`, then made a single self-contained file.
 */
async function copyDatabase(source: string, tmp: string): Promise<void> {
  const src = connect(source, true);
  try {
    src.pragma(`busy_timeout = ${DEFAULT_BUSY_TIMEOUT_MS}`);
    await src.backup(tmp, { progress: () => 0x7fffffff });
  } finally {
    src.close();
  }
  const copy = connect(tmp, false);
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  fs.chmodSync(tmp, 0o600);
  fsyncPath(tmp, 'r+');
}

function writeJson(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.writing`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 1), { mode: 0o600, flush: true });
  fs.renameSync(tmp, file);
}

function sidecar(file: string) {
  return file.replace(/\.sqlite$/, '.json');
}

export interface CreateOptions {
  now?: Clock;
  /** Folder to put it in (default `备份/` beside the database). */
  dir?: string;
  /** Keep 7 daily + 4 weekly + 12 monthly in `dir` afterwards (default true). */
  rotate?: boolean;
  /** Also copy into the folder the user picked (default: the ledger's setting). Null: no copy. */
  copyFolder?: string | null;
}

/**
 * Takes a verified backup of the database `dbFile` into its backups folder (or `dir`): the file's info. The
 * database need not be open; when it is, writes go on meanwhile.
 */
export async function createBackup(
  dbFile: string,
  reason: BackupReason,
  options: CreateOptions = {},
): Promise<BackupInfo> {
  const now = (options.now ?? (() => new Date()))();
  const dir = options.dir ?? backupsDir(dbFile);
  ensureDir(dir);
  removeStale(dir);
  const name = `${baseName(dbFile)}-${stamp(now)}-${reason}.sqlite`;
  let target = path.join(dir, name);
  for (let i = 1; fs.existsSync(target); i++) {
    // Two backups in the same millisecond (a test's frozen clock): the later one a millisecond on.
    const later = new Date(now.getTime() + i);
    target = path.join(dir, `${baseName(dbFile)}-${stamp(later)}-${reason}.sqlite`);
  }
  const tmp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.writing`;
  let figures: BackupFigures;
  try {
    await copyDatabase(dbFile, tmp);
    figures = verifyBackup(tmp);
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(`${tmp}-journal`, { force: true });
    if (e instanceof LedgerError) throw e;
    if ((e as { code?: string }).code === 'SQLITE_BUSY') throw busyError();
    throw new LedgerError('io', `无法写入备份：${target}（${(e as Error).message}）`);
  }
  fsyncPath(dir);
  const info: BackupInfo = {
    name: path.basename(target),
    file: target,
    at: now.toISOString(),
    reason,
    reasonLabel: BACKUP_REASONS[reason],
    bytes: fs.statSync(target).size,
    problem: null,
    figures,
  };
  writeJson(sidecar(target), { at: info.at, reason, figures });
  if (options.rotate !== false) rotate(dir, now);
  const copyFolder = options.copyFolder === undefined ? readCopyFolder(dbFile) : options.copyFolder;
  if (copyFolder) {
    // A drive that is not plugged in never stops the backup (or the import it comes before): the user is told.
    try {
      copyOutside(dbFile, info, copyFolder, now);
    } catch (e) {
      info.copyError = (e as Error).message;
    }
  }
  return info;
}

/** Copies a backup into a folder outside the PC (USB drive) and records when: the dashboard reminds after 30 days. */
export function copyOutside(dbFile: string, info: BackupInfo, folder: string, now: Date): string {
  const state = readState(dbFile);
  try {
    ensureDir(folder);
    removeStale(folder);
    const target = path.join(folder, info.name);
    const tmp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.writing`;
    try {
      fs.copyFileSync(info.file, tmp);
      fs.chmodSync(tmp, 0o600);
      fsyncPath(tmp, 'r+');
      verifyBackup(tmp);
      fs.renameSync(tmp, target);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    fsyncPath(folder);
    const side = sidecar(info.file);
    if (fs.existsSync(side)) writeJson(sidecar(target), JSON.parse(fs.readFileSync(side, 'utf8')));
    rotate(folder, now);
    writeState(dbFile, { ...state, lastCopyAt: now.toISOString(), lastCopyFolder: folder, lastCopyError: null });
    return target;
  } catch (e) {
    const message = e instanceof LedgerError ? e.message : `无法复制备份到：${folder}`;
    writeState(dbFile, { ...state, lastCopyError: `${now.toISOString()} ${message}` });
    throw new LedgerError('io', `备份已保存在本机，但未能复制到第二个文件夹（${folder}）：请检查U盘是否插好`);
  }
}

interface CopyState {
  lastCopyAt?: string;
  lastCopyFolder?: string;
  lastCopyError?: string | null;
}

function readState(dbFile: string): CopyState {
  try {
    return JSON.parse(fs.readFileSync(path.join(backupsDir(dbFile), STATE), 'utf8')) as CopyState;
  } catch {
    return {};
  }
}

function writeState(dbFile: string, state: CopyState): void {
  const dir = backupsDir(dbFile);
  ensureDir(dir);
  writeJson(path.join(dir, STATE), state);
}

/** The second folder the user picked, from the ledger's settings (read on a connection of its own). */
export function readCopyFolder(dbFile: string): string | null {
  try {
    const db = connect(dbFile, true);
    try {
      const row = db.prepare("SELECT value FROM setting WHERE key = 'backupCopyFolder'").get() as
        { value: string } | undefined;
      return row?.value || null;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** The backups in a folder, newest first, with the figures recorded when each was verified. */
export function listBackups(dir: string, only?: string): BackupInfo[] {
  const out: BackupInfo[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = NAME.exec(name);
    if (!m || (only !== undefined && name !== only)) continue;
    const file = path.join(dir, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat?.isFile()) continue;
    const reason = (Object.hasOwn(BACKUP_REASONS, m[4]!) ? m[4] : 'unknown') as BackupReason | 'unknown';
    let at = parseStamp(m[2]!, m[3]!).toISOString();
    let figures: BackupFigures | null = null;
    let problem: string | null = null;
    try {
      const side = JSON.parse(fs.readFileSync(sidecar(file), 'utf8')) as { at?: string; figures?: BackupFigures };
      if (typeof side.at === 'string') at = side.at;
      figures = side.figures ?? null;
    } catch {
      // No record of its check (copied in by hand, or cut short): checked now.
      try {
        figures = verifyBackup(file);
      } catch (e) {
        problem = e instanceof LedgerError ? e.message : '无法读取备份文件';
      }
    }
    out.push({
      name,
      file,
      at,
      reason,
      reasonLabel: reason === 'unknown' ? '其他' : BACKUP_REASONS[reason],
      bytes: stat.size,
      problem,
      figures,
    });
  }
  return out.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

const localDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localMonth = (d: Date) => localDay(d).slice(0, 7);
/** ISO week (Monday first) as `YYYY-Www`. */
function isoWeek(d: Date): string {
  const t = new Date(d.getFullYear(), d.getMonth(), d.getDate());
  const day = (t.getDay() + 6) % 7;
  t.setDate(t.getDate() - day + 3);
  const firstThursday = new Date(t.getFullYear(), 0, 4);
  const week =
    1 + Math.round(((t.getTime() - firstThursday.getTime()) / 86400000 - 3 + ((firstThursday.getDay() + 6) % 7)) / 7);
  return `${t.getFullYear()}-W${pad(week)}`;
}

export const RETENTION = { daily: 7, weekly: 4, monthly: 12 } as const;

/**
 * Which backups to keep at `now`: every one of the current day, and the newest of each of the 7 most recent days,
 * 4 most recent weeks and 12 most recent months that have one. Pure: names in, names to keep out.
 */
export function retained(backups: { name: string; at: Date }[], now: Date): Set<string> {
  const keep = new Set<string>();
  const today = localDay(now);
  const newestFirst = [...backups].sort((a, b) => b.at.getTime() - a.at.getTime());
  for (const b of newestFirst) if (localDay(b.at) === today) keep.add(b.name);
  const bucket = (key: (d: Date) => string, n: number) => {
    const seen = new Set<string>();
    for (const b of newestFirst) {
      const k = key(b.at);
      if (seen.has(k)) continue;
      if (seen.size >= n) break;
      seen.add(k);
      keep.add(b.name);
    }
  };
  bucket(localDay, RETENTION.daily);
  bucket(isoWeek, RETENTION.weekly);
  bucket(localMonth, RETENTION.monthly);
  return keep;
}

/** Removes the backups in `dir` that the retention rule no longer keeps; returns their names. */
export function rotate(dir: string, now: Date): string[] {
  const all = listNames(dir);
  const keep = retained(all, now);
  const removed: string[] = [];
  for (const b of all) {
    if (keep.has(b.name)) continue;
    fs.rmSync(path.join(dir, b.name), { force: true });
    fs.rmSync(path.join(dir, sidecar(b.name)), { force: true });
    removed.push(b.name);
  }
  return removed;
}

function listNames(dir: string): { name: string; at: Date }[] {
  const out: { name: string; at: Date }[] = [];
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = NAME.exec(name);
    if (m) out.push({ name, at: parseStamp(m[2]!, m[3]!) });
  }
  return out;
}

/** Where things stand: the last backup, the copy folder, and whether the dashboard should remind. */
export function backupStatus(dbFile: string, copyFolder: string | null, now: Date): BackupStatus {
  const dir = backupsDir(dbFile);
  const names = listNames(dir).sort((a, b) => b.at.getTime() - a.at.getTime());
  const newest = names[0] ? (listBackups(dir, names[0].name)[0] ?? null) : null;
  const state = readState(dbFile);
  const lastCopyAt = state.lastCopyAt ?? null;
  const remind = !lastCopyAt || now.getTime() - new Date(lastCopyAt).getTime() > BACKUP_REMIND_DAYS * 86400000;
  return {
    folder: dir,
    last: newest,
    count: names.length,
    copyFolder,
    lastCopyAt,
    lastCopyError: state.lastCopyError ?? null,
    remind,
  };
}

/** A backup copied somewhere outside the PC by hand (`backup --to DIR`) counts for the reminder. */
export function recordOutsideCopy(dbFile: string, folder: string, now: Date): void {
  writeState(dbFile, {
    ...readState(dbFile),
    lastCopyAt: now.toISOString(),
    lastCopyFolder: folder,
    lastCopyError: null,
  });
}

/** Today's backup, when the database has none yet (the first start of each day). */
export async function ensureDailyBackup(dbFile: string, now: Clock = () => new Date()): Promise<BackupInfo | null> {
  const today = localDay(now());
  if (listNames(backupsDir(dbFile)).some((b) => b.name.endsWith('-daily.sqlite') && localDay(b.at) === today))
    return null;
  return createBackup(dbFile, 'daily', { now });
}

/**
 * Copies the pages of a verified backup into the live database `dbFile` (SQLite's backup into it: one write
 * transaction, waiting for another program's write to end). Killed or failed midway, the database stays as it was.
 */
export async function copyInto(backupFile: string, dbFile: string, timeoutMs = DEFAULT_BUSY_TIMEOUT_MS): Promise<void> {
  const src = connect(backupFile, true);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // A destination whose write lock is taken gives up at once with nothing copied (totalPages 0): try again.
      const r = await src.backup(dbFile, { progress: () => 0x7fffffff });
      if (r.totalPages > 0) return;
      if (Date.now() >= deadline) throw busyError();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    src.close();
  }
}

/** A file name the backups folder holds (no path): what a page may name. */
export const isBackupName = (s: string) => NAME.test(s) && path.basename(s) === s;

/** A backup file checked now (the restore preview): its info and figures, or the refusal saying why not. */
export function describeBackup(file: string): BackupInfo {
  const name = path.basename(file);
  const figures = verifyBackup(file);
  const m = NAME.exec(name);
  const reason = (m && Object.hasOwn(BACKUP_REASONS, m[4]!) ? m[4] : 'unknown') as BackupReason | 'unknown';
  let at = m ? parseStamp(m[2]!, m[3]!).toISOString() : fs.statSync(file).mtime.toISOString();
  try {
    const side = JSON.parse(fs.readFileSync(sidecar(file), 'utf8')) as { at?: string };
    if (typeof side.at === 'string') at = side.at;
  } catch {
    // Taken elsewhere or copied in by hand: the name's time, or the file's.
  }
  return {
    name,
    file,
    at,
    reason,
    reasonLabel: reason === 'unknown' ? '其他' : BACKUP_REASONS[reason],
    bytes: fs.statSync(file).size,
    problem: null,
    figures,
  };
}

/** The same figures of the open database, to set beside a backup's in the preview. */
export function liveFigures(raw: BetterSqlite3.Database): BackupFigures {
  const count = (table: string) => (raw.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const last = raw
    .prepare('SELECT at, actor, action, entity, summary FROM audit_log ORDER BY id DESC LIMIT 1')
    .get() as BackupFigures['lastAudit'] | undefined;
  return {
    schemaVersion: raw.pragma('user_version', { simple: true }) as number,
    households: count('household'),
    persons: count('person'),
    cases: count('monitoring_case'),
    lastAudit: last ?? null,
  };
}

/**
 * A database file SQLite cannot read at all (not a database, or its first pages damaged): it cannot be opened to
 * restore into, so `replaceDamaged` puts the backup in its place instead. False for a sound file and for a SQLite
 * file of another program (refused elsewhere, never replaced).
 */
export function unreadable(dbFile: string): boolean {
  if (!fs.existsSync(dbFile)) return true;
  let db: BetterSqlite3.Database | null = null;
  try {
    db = connect(dbFile, true);
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return false;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
  } finally {
    db?.close();
  }
}

/**
 * Restore over a database that cannot be opened (`unreadable`): the backup is checked, copied beside the database
 * and fsynced, the damaged file (with its WAL and shared memory) is moved into 备份/ as `损坏-<name>-<time>` (never
 * listed, never rotated away), and the copy renamed into place. Killed midway, the damaged file is kept and
 * running the restore again finishes it.
 */
export function replaceDamaged(backupFile: string, dbFile: string, now: Date = new Date()): BackupInfo {
  const info = describeBackup(backupFile);
  const target = path.resolve(dbFile);
  const tmp = `${target}.${process.pid}-${randomBytes(6).toString('hex')}.restoring`;
  try {
    fs.copyFileSync(backupFile, tmp);
    fs.chmodSync(tmp, 0o600);
    fsyncPath(tmp, 'r+');
    const dir = backupsDir(target);
    ensureDir(dir);
    const aside = path.join(dir, `损坏-${baseName(target)}-${stamp(now)}.sqlite`);
    // The WAL first: a stale WAL beside the restored file would be replayed into it.
    for (const suffix of ['-wal', '-shm', '-journal', ''])
      if (fs.existsSync(`${target}${suffix}`)) fs.renameSync(`${target}${suffix}`, `${aside}${suffix}`);
    fs.renameSync(tmp, target);
    fsyncPath(path.dirname(target));
    return info;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
