/**
 * Accounts and sign-in (issue 11): the first 管理员 of a new ledger, signing in and out (every attempt audited,
 * 5 wrong passwords in a row lock the account for 10 minutes), a password change, and the 管理员's account list.
 * Passwords are never logged or audited; an unknown name is audited without the name (it may be a password
 * typed in the wrong box).
 */
import type { Kysely } from 'kysely';
import {
  LOCKOUT_MINUTES,
  MAX_FAILED_LOGINS,
  type AccountInfo,
  type Role,
  type SessionInfo,
} from '../../../shared/accounts.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { hasAccounts, idleMinutes, sessionInfo } from '../auth/session.ts';
import { audit, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { KeptRefusal, LedgerError, notFound } from '../errors.ts';

const ENTITY = '账户';
const iso = (ms: number) => new Date(ms).toISOString();

const INFO_COLUMNS = [
  'id',
  'user',
  'role',
  'failedAttempts',
  'lockedUntil',
  'disabledAt',
  'lastLoginAt',
  'createdAt',
] as const;

async function accountInfo(db: Kysely<Database>, id: number): Promise<AccountInfo> {
  const row = await db.selectFrom('account').select(INFO_COLUMNS).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('账户', id, 'id');
  return row;
}

function signIn(ctx: Ctx, account: { id: number; user: string; role: Role }): SessionInfo {
  ctx.session.account = { id: account.id, user: account.user };
  ctx.session.locked = false;
  ctx.session.lastActive = ctx.now();
  ctx.actor = account.user;
  return { user: account.user, role: account.role, locked: false };
}

async function activeAdmins(db: Kysely<Database>, except: number): Promise<number> {
  const r = await db
    .selectFrom('account')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', '管理员')
    .where('disabledAt', 'is', null)
    .where('id', '!=', except)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export const accountHandlers: Pick<
  Handlers,
  | 'auth.status'
  | 'auth.setup'
  | 'auth.login'
  | 'auth.logout'
  | 'auth.changePassword'
  | 'account.list'
  | 'account.create'
  | 'account.update'
> = {
  async 'auth.status'(ctx) {
    return {
      accounts: await hasAccounts(ctx.db),
      session: await sessionInfo(ctx.db, ctx.session),
      idleMinutes: await idleMinutes(ctx.db),
      demoAccounts: ctx.demoAccounts,
    };
  },

  async 'auth.setup'(ctx, { user, password }) {
    if (await hasAccounts(ctx.db))
      throw new LedgerError('conflict', '本台账已有账户：请登录；新账户由管理员在「账户」页添加');
    const hash = await hashPassword(password);
    const row = await ctx.db
      .insertInto('account')
      .values({ user, role: '管理员', ...hash, passwordChangedAt: iso(ctx.now()) })
      .returning(['id', 'user', 'role'])
      .executeTakeFirstOrThrow();
    const info = signIn(ctx, row);
    await audit(ctx, { action: '新建', entity: ENTITY, entityId: row.id, summary: `首个管理员账户「${user}」` });
    await audit(ctx, { action: '登录', entity: ENTITY, entityId: row.id, summary: '登录' });
    return info;
  },

  async 'auth.login'(ctx, { user, password }) {
    const account = await ctx.db.selectFrom('account').selectAll().where('user', '=', user).executeTakeFirst();
    const now = ctx.now();
    if (!account || account.disabledAt !== null) {
      await burnPasswordCheck(password);
      ctx.actor = account ? account.user : '（未知账户）';
      await audit(ctx, {
        action: '登录失败',
        entity: ENTITY,
        entityId: account?.id ?? null,
        summary: account ? '登录失败：账户已停用' : '登录失败：没有此账户',
      });
      throw new KeptRefusal('auth_failed', '账户名或密码不正确', 'password');
    }
    ctx.actor = account.user;
    const lockedUntil = account.lockedUntil === null ? 0 : Date.parse(account.lockedUntil);
    if (lockedUntil > now) {
      const minutes = Math.ceil((lockedUntil - now) / 60_000);
      await audit(ctx, { action: '登录失败', entity: ENTITY, entityId: account.id, summary: '登录失败：账户锁定中' });
      throw new KeptRefusal(
        'account_locked',
        `账户「${account.user}」因连续 ${MAX_FAILED_LOGINS} 次密码错误已锁定，请 ${minutes} 分钟后再试，或请管理员解锁`,
        'password',
      );
    }
    if (!(await verifyPassword(password, account))) {
      // A lockout that has ended starts the count again.
      const failed = (account.lockedUntil === null ? account.failedAttempts : 0) + 1;
      const locks = failed >= MAX_FAILED_LOGINS;
      await ctx.db
        .updateTable('account')
        .set({
          failedAttempts: locks ? 0 : failed,
          lockedUntil: locks ? iso(now + LOCKOUT_MINUTES * 60_000) : null,
          updatedAt: iso(now),
        })
        .where('id', '=', account.id)
        .execute();
      await audit(ctx, {
        action: '登录失败',
        entity: ENTITY,
        entityId: account.id,
        summary: locks
          ? `登录失败：密码错误，连续 ${MAX_FAILED_LOGINS} 次，锁定 ${LOCKOUT_MINUTES} 分钟`
          : `登录失败：密码错误（连续第 ${failed} 次）`,
      });
      if (locks)
        throw new KeptRefusal(
          'account_locked',
          `密码连续 ${MAX_FAILED_LOGINS} 次错误，账户「${account.user}」已锁定 ${LOCKOUT_MINUTES} 分钟`,
          'password',
        );
      throw new KeptRefusal('auth_failed', '账户名或密码不正确', 'password');
    }
    await ctx.db
      .updateTable('account')
      .set({ failedAttempts: 0, lockedUntil: null, lastLoginAt: iso(now) })
      .where('id', '=', account.id)
      .execute();
    const unlocking = ctx.session.locked && ctx.session.account?.id === account.id;
    const info = signIn(ctx, account);
    await audit(ctx, {
      action: '登录',
      entity: ENTITY,
      entityId: account.id,
      summary: unlocking ? '解除锁定' : '登录',
    });
    return info;
  },

  async 'auth.logout'(ctx) {
    const account = ctx.session.account;
    ctx.session.account = null;
    ctx.session.locked = false;
    if (account) {
      // One statement outside a transaction: signing out is not a write of the ledger's data.
      await audit(
        { ...ctx, actor: account.user },
        { action: '退出', entity: ENTITY, entityId: account.id, summary: '退出登录' },
      );
    }
    return null;
  },

  async 'auth.changePassword'(ctx, { oldPassword, newPassword }) {
    const id = ctx.session.account?.id;
    if (id === undefined) throw new LedgerError('unauthenticated', '请先登录');
    const account = await ctx.db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (!(await verifyPassword(oldPassword, account)))
      throw new LedgerError('auth_failed', '原密码不正确', 'oldPassword');
    if (oldPassword === newPassword) throw new LedgerError('validation', '新密码不能与原密码相同', 'newPassword');
    await ctx.db
      .updateTable('account')
      .set({ ...(await hashPassword(newPassword)), passwordChangedAt: iso(ctx.now()), updatedAt: iso(ctx.now()) })
      .where('id', '=', id)
      .execute();
    await audit(ctx, { action: '修改', entity: ENTITY, entityId: id, summary: '修改本人密码' });
    return null;
  },

  async 'account.list'(ctx) {
    return ctx.db.selectFrom('account').select(INFO_COLUMNS).orderBy('id').execute();
  },

  async 'account.create'(ctx, { user, role, password }) {
    const taken = await ctx.db.selectFrom('account').select('id').where('user', '=', user).executeTakeFirst();
    if (taken) throw new LedgerError('conflict', `已有名为「${user}」的账户`, 'user');
    const row = await ctx.db
      .insertInto('account')
      .values({ user, role, ...(await hashPassword(password)), passwordChangedAt: iso(ctx.now()) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await audit(ctx, { action: '新建', entity: ENTITY, entityId: row.id, summary: `账户「${user}」（${role}）` });
    return accountInfo(ctx.db, row.id);
  },

  async 'account.update'(ctx, { id, role, disabled, unlock, password }) {
    const before = await accountInfo(ctx.db, id);
    const self = ctx.session.account?.id === id;
    const losesAdmin = before.role === '管理员' && ((role !== undefined && role !== '管理员') || disabled === true);
    if (losesAdmin && (await activeAdmins(ctx.db, id)) === 0)
      throw new LedgerError('conflict', '至少要保留一个可用的管理员账户', role !== undefined ? 'role' : 'disabled');
    if (self && disabled === true) throw new LedgerError('conflict', '不能停用当前登录的账户', 'disabled');
    const now = iso(ctx.now());
    const changes: string[] = [];
    if (role !== undefined && role !== before.role) changes.push(`角色 ${before.role} → ${role}`);
    if (disabled !== undefined && disabled !== (before.disabledAt !== null)) changes.push(disabled ? '停用' : '启用');
    if (unlock) changes.push('解除锁定');
    if (password !== undefined) changes.push('重设密码');
    if (changes.length === 0) throw new LedgerError('validation', '没有要修改的内容');
    await ctx.db
      .updateTable('account')
      .set({
        ...(role !== undefined ? { role } : {}),
        ...(disabled !== undefined ? { disabledAt: disabled ? (before.disabledAt ?? now) : null } : {}),
        ...(unlock || password !== undefined ? { failedAttempts: 0, lockedUntil: null } : {}),
        ...(password !== undefined ? { ...(await hashPassword(password)), passwordChangedAt: now } : {}),
        updatedAt: now,
      })
      .where('id', '=', id)
      .execute();
    await audit(ctx, {
      action: '修改',
      entity: ENTITY,
      entityId: id,
      summary: `账户「${before.user}」：${changes.join('，')}`,
    });
    return accountInfo(ctx.db, id);
  },
};
