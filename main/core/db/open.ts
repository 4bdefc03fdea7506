/**
 * Opening a township database: pragmas for office PCs that lose power, migrations with a backup first,
 * and a refusal to touch files from a newer version (architecture.md "Data conventions").
 */
import BetterSqlite3 from 'better-sqlite3';
import { CamelCasePlugin, Kysely, sql } from 'kysely';
import fs from 'node:fs';
import { createBackup } from '../backups.ts';
import { LedgerError } from '../errors.ts';
import { busyError, DEFAULT_BUSY_TIMEOUT_MS, ImmediateSqliteDialect, isBusy } from './lock.ts';
import { APPLICATION_ID } from './header.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';
import type { Database } from './schema.ts';

export interface LedgerDb {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
  file: string;
  /** Path of the backup taken before migrating, if one was taken. */
  backupFile: string | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Create the file when missing (default false: a missing file is an error). */
  create?: boolean;
  /** The ordered migration list; only tests pass their own. */
  migrations?: readonly Migration[];
  /** How long a write waits for another program's write lock (default 5 s; see db/lock.ts). */
  busyTimeoutMs?: number;
}

export async function openLedgerDb(file: string, options: OpenOptions = {}): Promise<LedgerDb> {
  const existed = fs.existsSync(file);
  if (!existed && !options.create) {
    throw new LedgerError('io', `数据库文件不存在：${file}`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file);
    raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
    raw.pragma('journal_mode = WAL');
  } catch (e) {
    if (isBusy(e)) throw busyError();
    throw new LedgerError(
      'not_ledger',
      `无法打开数据库文件（文件损坏或不是SQLite数据库）：${file}`,
      undefined,
      String(e),
    );
  }
  try {
    raw.pragma('foreign_keys = ON');
    raw.pragma('synchronous = FULL');
    const db = new Kysely<Database>({
      // Transactions begin with BEGIN IMMEDIATE: the write lock first (db/lock.ts).
      dialect: new ImmediateSqliteDialect(raw, busyTimeoutMs),
      plugins: [new CamelCasePlugin()],
    });
    const backupFile = await migrate(file, raw, db, options.migrations ?? MIGRATIONS);
    return {
      db,
      raw,
      file,
      backupFile,
      async close() {
        await db.destroy();
      },
    };
  } catch (e) {
    raw.close();
    throw isBusy(e) ? busyError() : e;
  }
}

/**
 * Checks the open file is a ledger this program can read and brings it to the latest schema, each migration in its
 * own transaction, after a backup (backups.ts) when an existing file is migrated: the backup's path, if one was
 * taken. Run at open and again after a restore has put an older backup's pages into the live file.
 */
export async function migrate(
  file: string,
  raw: BetterSqlite3.Database,
  db: Kysely<Database>,
  migrations: readonly Migration[],
): Promise<string | null> {
  const version = raw.pragma('user_version', { simple: true }) as number;
  const appId = raw.pragma('application_id', { simple: true }) as number;
  const tableCount = (
    raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get() as { n: number }
  ).n;
  if ((version > 0 || tableCount > 0) && appId !== APPLICATION_ID) {
    throw new LedgerError('not_ledger', `该文件不是乡镇振兴台账数据库：${file}`);
  }
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (version > latest) {
    throw new LedgerError(
      'schema_newer',
      `该数据库由较新版本的乡镇振兴台账创建（结构版本 ${version}，本程序最高支持 ${latest}），请升级程序后再打开。文件未作任何改动。`,
    );
  }
  const pending = migrations.filter((m) => m.version > version);
  let backupFile: string | null = null;
  if (pending.length > 0 && version > 0) {
    // The copy holds the same personal data: in 备份/ beside the file, readable by the user only (backups.ts).
    backupFile = (await createBackup(file, 'migration')).file;
  }
  for (const m of pending) {
    // foreign_keys cannot change inside a transaction: it is switched off around a rebuilding migration only.
    if (m.rebuildsTables) raw.pragma('foreign_keys = OFF');
    try {
      await db.transaction().execute(async (trx) => {
        // Another program opening the same file may have migrated it while this one waited for the lock.
        if (schemaVersion(raw) >= m.version) return;
        await m.up(trx);
        if (m.rebuildsTables && (raw.pragma('foreign_key_check') as unknown[]).length > 0)
          throw new LedgerError('internal', `结构升级 ${m.version}（${m.name}）后外键不一致，已撤销升级`);
        await sql.raw(`PRAGMA user_version = ${m.version}`).execute(trx);
        await sql.raw(`PRAGMA application_id = ${APPLICATION_ID}`).execute(trx);
      });
    } finally {
      if (m.rebuildsTables) raw.pragma('foreign_keys = ON');
    }
  }
  return backupFile;
}

export function schemaVersion(raw: BetterSqlite3.Database): number {
  return raw.pragma('user_version', { simple: true }) as number;
}

/** `PRAGMA integrity_check` and `foreign_key_check`; empty when the file is sound. */
export function integrityProblems(raw: BetterSqlite3.Database): string[] {
  const problems: string[] = [];
  const rows = raw.pragma('integrity_check') as { integrity_check: string }[];
  for (const r of rows) if (r.integrity_check !== 'ok') problems.push(r.integrity_check);
  const fk = raw.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
  for (const r of fk) problems.push(`外键错误：${r.table} 第 ${r.rowid} 行引用的 ${r.parent} 不存在`);
  return problems;
}
