/** What every handler receives: the database (inside a transaction for writes), the actor and the clock. */
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { maskIdNumber } from '../../shared/idnumber.ts';
import { maskAccountNumber } from '../../shared/mask.ts';
import type { Database } from './db/schema.ts';

export interface Ctx {
  db: Kysely<Database>;
  /** The same connection without Kysely, for bulk statements (demo generation); inside the write transaction. */
  raw: BetterSqlite3.Database;
  /** The database file (reports are written beside it unless a path is given). */
  file: string;
  actor: string;
  /** Today's date (YYYY-MM-DD); injectable so tests are reproducible. */
  today(): string;
  /** Count of audit entries written by the current operation. */
  audited: number;
}

export interface AuditInput {
  action: string;
  entity: string;
  entityId: number | null;
  summary: string;
  before?: unknown;
  after?: unknown;
}

const MASKED_KEYS = new Set(['idNumber', 'bankAccount']);

/** Audit snapshots are shown on screen: mask ID and account numbers (personal data rule). */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => {
    if (MASKED_KEYS.has(key) && typeof v === 'string') {
      return key === 'idNumber' ? maskIdNumber(v) : maskAccountNumber(v);
    }
    return v;
  });
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

export function nowIso(): string {
  return new Date().toISOString();
}
