/** What every handler receives: the database (inside a transaction for writes), the actor and the clock. */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { maskIdNumber } from '../../shared/idnumber.ts';
import { maskAccountNumber } from '../../shared/mask.ts';
import type { DemoAccount } from '../../shared/accounts.ts';
import type { Session } from './auth/session.ts';
import type { Database } from './db/schema.ts';
import type { FileAccess, StagedFile } from './files.ts';

export interface Ctx {
  db: Kysely<Database>;
  /** The same connection without Kysely, for bulk statements (demo generation); inside the write transaction. */
  raw: BetterSqlite3.Database;
  /** The database file (reports go to the 报表 folder beside it unless a file was picked; files.ts). */
  file: string;
  /** The signed-in account's name (the audit log's actor), or the host's name on a ledger without accounts. */
  actor: string;
  /** Who is signed in on the caller's session (auth.* handlers sign it in and out). */
  session: Session;
  /** Today's date (YYYY-MM-DD); injectable so tests are reproducible. */
  today(): string;
  /** The clock in milliseconds (lockouts, idle sessions); injectable for tests. */
  now(): number;
  /** Demo townships only: the accounts shown on the login screen. */
  demoAccounts: DemoAccount[] | null;
  /** Count of audit entries written by the current operation. */
  audited: number;
  /** Which paths this caller may name (files.ts): paths as given in-process, only picked-file tokens from a page. */
  access: FileAccess;
  /** Files the operation wrote, put at their targets once its transaction has committed (files.ts). */
  staged: StagedFile[];
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId: number | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}

const MASKED_KEYS = new Set(['idNumber', 'bankAccount', 'disabilityCert']);

const mask = (key: string, v: string) => (key === 'bankAccount' ? maskAccountNumber(v) : maskIdNumber(v));

/** Audit snapshots are shown on screen: mask ID and account numbers (personal data rule). */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const flat = maskedFlat(value);
  if (flat) return JSON.stringify(flat);
  return JSON.stringify(value, (key, v: unknown) => (MASKED_KEYS.has(key) && typeof v === 'string' ? mask(key, v) : v));
}

/**
 * A plain object without nested values (what imports audit, once per record) masked key by key: the same JSON
 * as the replacer walk, which costs more than the rest of the entry. Null for anything else.
 */
function maskedFlat(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return null;
  const record = value as Record<string, unknown>;
  let masked: Record<string, unknown> | null = null;
  for (const key of Object.keys(record)) {
    const v = record[key];
    if (typeof v === 'object' && v !== null) return null;
    if (typeof v === 'string' && MASKED_KEYS.has(key)) (masked ??= { ...record })[key] = mask(key, v);
  }
  return masked ?? record;
}

export async function audit(ctx: Ctx, entry: AuditInput): Promise<void> {
  await ctx.db
    .insertInto('auditLog')
    .values({
      at: new Date().toISOString(),
      actor: ctx.actor,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId,
      summary: entry.summary,
      before: snapshot(entry.before),
      after: snapshot(entry.after),
    })
    .execute();
  ctx.audited += 1;
}

/**
 * The same audit entry written synchronously through one prepared statement: for imports, which audit every
 * record they write inside their transaction without a round trip through Kysely per row.
 */
export function auditWriter(ctx: Ctx): (entry: AuditInput) => void {
  const insert = ctx.raw.prepare(
    'INSERT INTO audit_log (at, actor, action, entity, entity_id, summary, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // One timestamp text per millisecond: formatting a Date per entry cost as much as a tenth of the entry's insert.
  let lastMs = -1;
  let lastAt = '';
  return (entry) => {
    const ms = Date.now();
    if (ms !== lastMs) [lastMs, lastAt] = [ms, new Date(ms).toISOString()];
    insert.run(
      lastAt,
      ctx.actor,
      entry.action,
      entry.entity,
      entry.entityId,
      entry.summary,
      snapshot(entry.before),
      snapshot(entry.after),
    );
    ctx.audited += 1;
  };
}

export function nowIso(): string {
  return new Date().toISOString();
}
