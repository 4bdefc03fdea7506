/**
 * Sessions: who is signed in on one page (a browser session of the bridge, Electron's window) or in the process
 * (CLI, tests). The dispatcher asks `authorize` before every operation that is not `open` (shared/api.ts): the
 * account is read again on every call, so a role change or a disabled account counts at once; a page's session
 * locks after the idle time of the parameter `sessionIdleMinutes`.
 */
import type { Kysely } from 'kysely';
import { roleAllows, type Role, type SessionInfo } from '../../../shared/accounts.ts';
import { DEFAULT_PARAMETERS } from '../../../shared/parameters.ts';
import type { Database } from '../db/schema.ts';
import { LedgerError } from '../errors.ts';

export interface Session {
  account: { id: number; user: string } | null;
  /** Milliseconds (the dispatcher's clock) of the last operation allowed. */
  lastActive: number;
  /** Locked after idling: only signing in again (auth.login) unlocks it. */
  locked: boolean;
  /** A page's session locks when idle; the in-process library (a command that runs and ends) does not. */
  idleLock: boolean;
}

export function newSession(idleLock: boolean): Session {
  return { account: null, lastActive: 0, locked: false, idleLock };
}

export async function hasAccounts(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('account').select('id').limit(1).executeTakeFirst()) !== undefined;
}

export async function idleMinutes(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('parameter')
    .select('value')
    .where('key', '=', 'sessionIdleMinutes')
    .executeTakeFirst();
  const stored = row ? (JSON.parse(row.value) as unknown) : undefined;
  return typeof stored === 'number' && Number.isInteger(stored) && stored >= 1
    ? stored
    : DEFAULT_PARAMETERS.sessionIdleMinutes;
}

export async function sessionInfo(db: Kysely<Database>, session: Session): Promise<SessionInfo | null> {
  if (!session.account) return null;
  const row = await db
    .selectFrom('account')
    .select(['user', 'role', 'disabledAt'])
    .where('id', '=', session.account.id)
    .executeTakeFirst();
  if (!row || row.disabledAt !== null) return null;
  return { user: row.user, role: row.role, locked: session.locked };
}

/**
 * The actor an operation needing `need` runs as, or the refusal: not signed in, session locked after idling,
 * account disabled, or a role below the operation's. `fallback` is the actor of the in-process library on a
 * ledger without accounts (an older file, or one made without a password), which works as it always did.
 */
export async function authorize(
  db: Kysely<Database>,
  session: Session,
  need: Role,
  now: number,
  fallback: string | null,
): Promise<string> {
  if (!session.account) {
    const any = await hasAccounts(db);
    if (!any && fallback !== null) return fallback;
    throw new LedgerError('unauthenticated', any ? '请先登录' : '本台账还没有账户：请先创建管理员账户');
  }
  const row = await db
    .selectFrom('account')
    .select(['user', 'role', 'disabledAt'])
    .where('id', '=', session.account.id)
    .executeTakeFirst();
  if (!row || row.disabledAt !== null) {
    session.account = null;
    throw new LedgerError('unauthenticated', '此账户已停用，请用其他账户登录');
  }
  if (session.idleLock) {
    const minutes = await idleMinutes(db);
    if (!session.locked && now - session.lastActive > minutes * 60_000) session.locked = true;
    if (session.locked)
      throw new LedgerError('session_locked', `超过 ${minutes} 分钟未操作，已自动锁定：请重新输入密码`);
  }
  if (!roleAllows(row.role, need))
    throw new LedgerError(
      'forbidden',
      `权限不足：账户「${row.user}」的角色是「${row.role}」，此操作需要「${need}」${need === '管理员' ? '' : '或更高'}角色`,
    );
  session.lastActive = now;
  return row.user;
}
