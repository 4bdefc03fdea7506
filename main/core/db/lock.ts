/**
 * The write lock. Several programs may have the same township file open (browser mode or the desktop app, and
 * the command line importing or exporting beside it). SQLite lets one of them write at a time; a transaction that
 * starts by reading and only later writes (`BEGIN`, SQLite's default) cannot wait for the lock once another
 * program has committed since its first read: it fails at once with SQLITE_BUSY_SNAPSHOT. So every transaction
 * here starts with `BEGIN IMMEDIATE`: it takes the write lock before reading anything, waits for it up to the busy
 * timeout, and then can no longer be refused by another writer. The wait is a loop of short tries with pauses in
 * between, so a host serving other requests (the browser-mode bridge) is not frozen while it waits. When the lock
 * cannot be had in time the caller gets a 'busy' LedgerError, never an internal error.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';
import { SqliteDriver } from 'kysely';
import { LedgerError } from '../errors.ts';

export const BUSY_MESSAGE = '数据库正被其他程序使用，请稍后重试';

/** How long a writer waits for another program's write to end (also PRAGMA busy_timeout for single statements). */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/** Each try waits this long inside SQLite (blocking) before the loop pauses without blocking. */
const TRY_MS = 20;

export const busyError = () => new LedgerError('busy', BUSY_MESSAGE);

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, _RECOVERY, _TIMEOUT), and SQLITE_LOCKED. */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** `BEGIN IMMEDIATE`, waiting up to `timeoutMs` for the write lock; a 'busy' LedgerError when it stays taken. */
export async function beginImmediate(raw: BetterSqlite3.Database, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const begin = raw.prepare('BEGIN IMMEDIATE');
  for (let pause = 5; ; pause = Math.min(pause * 2, 50)) {
    raw.pragma(`busy_timeout = ${TRY_MS}`);
    try {
      begin.run();
      return;
    } catch (e) {
      if (!isBusy(e)) throw e;
      if (Date.now() >= deadline) throw busyError();
    } finally {
      raw.pragma(`busy_timeout = ${timeoutMs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

class ImmediateDriver extends SqliteDriver {
  readonly #raw: BetterSqlite3.Database;
  readonly #timeoutMs: number;
  constructor(config: SqliteDialectConfig, raw: BetterSqlite3.Database, timeoutMs: number) {
    super(config);
    this.#raw = raw;
    this.#timeoutMs = timeoutMs;
  }
  override async beginTransaction(_connection: DatabaseConnection): Promise<void> {
    await beginImmediate(this.#raw, this.#timeoutMs);
  }
}

/** Kysely's SQLite dialect whose transactions begin with `BEGIN IMMEDIATE` (see above). */
export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #raw: BetterSqlite3.Database;
  readonly #timeoutMs: number;
  constructor(raw: BetterSqlite3.Database, timeoutMs = DEFAULT_BUSY_TIMEOUT_MS) {
    super({ database: raw });
    this.#raw = raw;
    this.#timeoutMs = timeoutMs;
  }
  override createDriver(): Driver {
    return new ImmediateDriver({ database: this.#raw }, this.#raw, this.#timeoutMs);
  }
}
