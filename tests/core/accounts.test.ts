/**
 * Accounts and roles (issue 11): every operation of the contract through the dispatcher for each role, sign-in
 * with its lockout, idle sessions, and the account as the audit log's actor. Real ledger files, an injected clock.
 */
import { describe, expect, it } from 'vitest';
import { roleAllows, ROLES, type Role } from '../../shared/accounts.ts';
import { API, OP_NAMES, type LedgerApi, type OpName } from '../../shared/api.ts';
import type { CallResult } from '../../shared/errors.ts';
import { DEMO_ACCOUNTS, ensureDemoAccounts } from '../../main/core/demo/accounts.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { familyOf, newLedger, tempDbPath, TODAY } from '../helpers.ts';

const PASSWORD = { 管理员: 'admin-pass-1', 经办人: 'clerk-pass-1', 查看: 'viewer-pass-1' } as const;
const USER = { 管理员: 'admin', 经办人: 'clerk', 查看: 'viewer' } as const;
const MINUTE = 60_000;

/** A ledger with one account per role, its clock in `clock.now`, and a signed-in page session per role. */
async function ledgerWithAccounts() {
  const clock = { now: Date.parse(`${TODAY}T02:00:00Z`) };
  const file = tempDbPath();
  const ledger = await openLedger(file, { create: true, today: () => TODAY, now: () => clock.now });
  await ledger.run('auth.setup', { user: USER.管理员, password: PASSWORD.管理员 });
  await ledger.run('settings.update', {
    townshipName: '测试镇',
    townshipCode: '529901101000',
    county: '测试县',
    province: '贵州省',
  });
  const village = await ledger.run('village.create', { code: '529901101001', name: '青山村' });
  await ledger.run('account.create', { user: USER.经办人, role: '经办人', password: PASSWORD.经办人 });
  await ledger.run('account.create', { user: USER.查看, role: '查看', password: PASSWORD.查看 });
  const pages = {} as Record<Role, LedgerApi>;
  for (const role of ROLES) {
    pages[role] = ledger.openSession();
    expect(await pages[role].call('auth.login', { user: USER[role], password: PASSWORD[role] })).toMatchObject({
      ok: true,
      value: { user: USER[role], role },
    });
  }
  return { ledger, file, clock, pages, villageId: village.id };
}

const errorOf = (r: CallResult<unknown>) => (r.ok ? null : r.error);

describe('roles declared in the contract', () => {
  it('every operation names its least role: reads 查看, writes 经办人, the 管理员 list explicit', () => {
    const admin = OP_NAMES.filter((op) => API[op].role === '管理员');
    const ADMIN_OPS = [
      'account.create',
      'account.list',
      'account.update',
      'parameters.update',
      'payroll.unlock',
      'settings.update',
      'setup.loadDemo',
      'thresholds.set',
    ];
    // Backups and restoring them (issue 11 item 3) are the 管理员's too; everything else is named here.
    expect(admin.filter((op) => !op.startsWith('backup.') && !op.startsWith('restore.')).sort()).toEqual(ADMIN_OPS);
    for (const op of OP_NAMES.filter((o) => /restore/i.test(o))) expect([op, API[op].role]).toEqual([op, '管理员']);
    // 查看 may write only its own password and exports of public notices (and signing in).
    const viewerWrites = OP_NAMES.filter((op) => API[op].write && API[op].role === '查看' && !API[op].open);
    expect(viewerWrites.sort()).toEqual(['auth.changePassword', 'report.exportNotice']);
    const open = OP_NAMES.filter((op) => API[op].open).sort();
    expect(open).toEqual(['auth.login', 'auth.logout', 'auth.setup', 'auth.status']);
    for (const op of OP_NAMES) {
      const def = API[op];
      if (def.open || def.role === '管理员') continue;
      if (op.startsWith('backup.')) continue;
      if (def.write || ('dryRun' in def && def.dryRun))
        expect([op, def.role]).toEqual([
          op,
          op === 'report.exportNotice' || op === 'auth.changePassword' ? '查看' : '经办人',
        ]);
      else expect([op, def.role]).toEqual([op, op === 'import.detect' ? '经办人' : '查看']);
    }
  });
});

describe('the dispatcher checks each operation’s role', () => {
  it('refuses every operation above the caller’s role with `forbidden`, and lets the others through', async () => {
    const { ledger, pages } = await ledgerWithAccounts();
    let checked = 0;
    for (const op of OP_NAMES) {
      const def = API[op];
      if (def.open || op === 'auth.changePassword') continue;
      for (const role of ROLES) {
        // Empty input: allowed calls fail validation (or run harmlessly); refused ones never reach the handler.
        const r = await pages[role].call(op, {});
        const error = errorOf(r);
        if (roleAllows(role, def.role)) {
          expect([op, role, error?.code]).not.toEqual([op, role, 'forbidden']);
          expect([op, role, error?.code]).not.toEqual([op, role, 'unauthenticated']);
        } else {
          expect([op, role, error?.code]).toEqual([op, role, 'forbidden']);
          expect(error!.message).toBe(
            `权限不足：账户「${USER[role]}」的角色是「${role}」，此操作需要「${def.role}」${def.role === '管理员' ? '' : '或更高'}角色`,
          );
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
    await ledger.close();
  });

  it('lets each role do its own kind of work, with real inputs', async () => {
    const { ledger, pages, villageId } = await ledgerWithAccounts();
    const household = { villageId, hhNo: 'H1', establishedOn: '2000-01-01' };
    // Data work: 经办人 and 管理员 yes, 查看 no.
    expect(errorOf(await pages.查看.call('household.create', household))?.code).toBe('forbidden');
    expect((await pages.经办人.call('household.create', household)).ok).toBe(true);
    expect((await pages.管理员.call('household.create', { ...household, hhNo: 'H2' })).ok).toBe(true);
    expect((await pages.查看.call('household.list', {})).ok).toBe(true);
    // Settings and parameters: 管理员 only.
    expect(errorOf(await pages.经办人.call('parameters.update', { identificationDays: 20 }))?.code).toBe('forbidden');
    expect((await pages.管理员.call('parameters.update', { identificationDays: 20 })).ok).toBe(true);
    expect(errorOf(await pages.经办人.call('account.list', {}))?.code).toBe('forbidden');
    expect(
      errorOf(await pages.经办人.call('account.create', { user: 'x', role: '管理员', password: '12345678' }))?.code,
    ).toBe('forbidden');
    // Exports: a public notice by 查看, the monthly submission not.
    const notice = await pages.查看.call('report.exportNotice', { kind: 'identification', month: '2026-11' });
    expect(notice.ok).toBe(true);
    expect(errorOf(await pages.查看.call('report.exportMonthly', { month: '2026-11', reason: '试' }))?.code).toBe(
      'forbidden',
    );
    expect(errorOf(await pages.查看.call('import.detect', { file: '/dev/null' }))?.code).toBe('forbidden');
    await ledger.close();
  });

  it('unlocking a paid month is for the 管理员', async () => {
    const { ledger, pages } = await ledgerWithAccounts();
    const input = { month: '2026-10', reason: '补发' };
    expect(errorOf(await pages.经办人.call('payroll.unlock', input))?.code).toBe('forbidden');
    expect(errorOf(await pages.管理员.call('payroll.unlock', input))?.code).not.toBe('forbidden');
    await ledger.close();
  });

  it('a page without a signed-in account is refused everything but signing in; a role change counts at once', async () => {
    const { ledger, pages } = await ledgerWithAccounts();
    const anonymous = ledger.openSession();
    for (const op of ['household.list', 'settings.get', 'audit.list', 'auth.changePassword'] as OpName[])
      expect(errorOf(await anonymous.call(op, {}))).toEqual({ code: 'unauthenticated', message: '请先登录' });
    expect(await anonymous.call('auth.status', {})).toMatchObject({
      ok: true,
      value: { accounts: true, session: null, idleMinutes: 30 },
    });
    const clerk = (await ledger.run('account.list', {})).find((a) => a.user === USER.经办人)!;
    await ledger.run('account.update', { id: clerk.id, role: '查看' });
    expect(errorOf(await pages.经办人.call('village.create', { code: '529901101002', name: '石桥村' }))?.code).toBe(
      'forbidden',
    );
    await ledger.run('account.update', { id: clerk.id, disabled: true });
    expect(errorOf(await pages.经办人.call('household.list', {}))).toEqual({
      code: 'unauthenticated',
      message: '此账户已停用，请用其他账户登录',
    });
    expect(errorOf(await anonymous.call('auth.login', { user: USER.经办人, password: PASSWORD.经办人 }))).toEqual({
      code: 'auth_failed',
      message: '账户名或密码不正确',
      field: 'password',
    });
    // The last 管理员 stays.
    const admin = (await ledger.run('account.list', {})).find((a) => a.user === USER.管理员)!;
    expect(errorOf(await ledger.call('account.update', { id: admin.id, role: '经办人' }))).toMatchObject({
      code: 'conflict',
      message: '至少要保留一个可用的管理员账户',
    });
    await ledger.close();
  });

  it('a ledger without accounts: the in-process library works as before, a page must create the first 管理员', async () => {
    const { ledger } = await newLedger();
    expect((await ledger.run('household.list', {})).total).toBe(0);
    const page = ledger.openSession();
    expect(errorOf(await page.call('settings.get', {}))).toEqual({
      code: 'unauthenticated',
      message: '本台账还没有账户：请先创建管理员账户',
    });
    expect(await page.call('auth.status', {})).toMatchObject({ ok: true, value: { accounts: false, session: null } });
    expect(errorOf(await page.call('auth.setup', { user: 'admin', password: 'short' }))).toMatchObject({
      code: 'validation',
      field: 'password',
      message: '「密码」至少8位',
    });
    expect(await page.call('auth.setup', { user: 'admin', password: 'long-enough' })).toEqual({
      ok: true,
      value: { user: 'admin', role: '管理员', locked: false },
    });
    expect((await page.call('settings.get', {})).ok).toBe(true);
    // Once an account exists, the in-process library signs in too, and a second first account is refused.
    expect(errorOf(await ledger.call('household.list', {}))?.code).toBe('unauthenticated');
    expect(
      errorOf(await ledger.openSession().call('auth.setup', { user: 'other', password: 'long-enough' }))?.code,
    ).toBe('conflict');
    await ledger.close();
  });
});

describe('sign-in', () => {
  it('locks an account for 10 minutes after 5 wrong passwords, then lets the right one in', async () => {
    const { ledger, clock } = await ledgerWithAccounts();
    const page = ledger.openSession();
    const login = (password: string) => page.call('auth.login', { user: USER.经办人, password });
    for (let i = 1; i <= 4; i++) expect(errorOf(await login(`wrong-${i}`))?.code).toBe('auth_failed');
    expect(errorOf(await login('wrong-5'))).toEqual({
      code: 'account_locked',
      message: '密码连续 5 次错误，账户「clerk」已锁定 10 分钟',
      field: 'password',
    });
    // The right password is refused while locked.
    expect(errorOf(await login(PASSWORD.经办人))).toEqual({
      code: 'account_locked',
      message: '账户「clerk」因连续 5 次密码错误已锁定，请 10 分钟后再试，或请管理员解锁',
      field: 'password',
    });
    clock.now += 9 * MINUTE;
    expect(errorOf(await login(PASSWORD.经办人))?.code).toBe('account_locked');
    clock.now += MINUTE + 1000;
    expect((await login(PASSWORD.经办人)).ok).toBe(true);
    // A fresh count after the lockout: 4 wrong ones do not lock.
    for (let i = 1; i <= 4; i++) expect(errorOf(await login(`again-${i}`))?.code).toBe('auth_failed');
    expect((await login(PASSWORD.经办人)).ok).toBe(true);

    const entries = (await ledger.run('audit.list', { limit: 100 })).rows.filter((e) => e.entity === '账户');
    const failed = entries.filter((e) => e.action === '登录失败');
    expect(failed).toHaveLength(4 + 1 + 2 + 4);
    expect(failed.every((e) => e.actor === USER.经办人)).toBe(true);
    expect(failed.map((e) => e.summary)).toContain('登录失败：密码错误，连续 5 次，锁定 10 分钟');
    expect(failed.map((e) => e.summary)).toContain('登录失败：账户锁定中');
    // No password, right or wrong, anywhere in the log.
    const all = JSON.stringify((await ledger.run('audit.list', { limit: 1000 })).rows);
    for (const p of [...Object.values(PASSWORD), 'wrong-1', 'wrong-5', 'again-4']) expect(all).not.toContain(p);
    await ledger.close();
  });

  it('a 管理员 unlocks a locked account; an unknown name is audited without the name', async () => {
    const { ledger } = await ledgerWithAccounts();
    const page = ledger.openSession();
    for (let i = 1; i <= 5; i++) await page.call('auth.login', { user: USER.查看, password: `x${i}` });
    const viewer = (await ledger.run('account.list', {})).find((a) => a.user === USER.查看)!;
    expect(viewer.lockedUntil).not.toBeNull();
    await ledger.run('account.update', { id: viewer.id, unlock: true });
    expect((await page.call('auth.login', { user: USER.查看, password: PASSWORD.查看 })).ok).toBe(true);

    expect(errorOf(await page.call('auth.login', { user: 'my-secret-pw', password: 'whatever' }))?.code).toBe(
      'auth_failed',
    );
    const last = (await ledger.run('audit.list', { limit: 1 })).rows[0]!;
    expect(last).toMatchObject({ actor: '（未知账户）', action: '登录失败', summary: '登录失败：没有此账户' });
    expect(JSON.stringify(last)).not.toContain('my-secret-pw');
    await ledger.close();
  });

  it('changes a password: the old one is needed, the new one signs in', async () => {
    const { ledger, pages } = await ledgerWithAccounts();
    expect(
      errorOf(await pages.查看.call('auth.changePassword', { oldPassword: 'nope', newPassword: 'brand-new-1' })),
    ).toMatchObject({ code: 'auth_failed', field: 'oldPassword' });
    expect(
      await pages.查看.call('auth.changePassword', { oldPassword: PASSWORD.查看, newPassword: 'brand-new-1' }),
    ).toEqual({ ok: true, value: null });
    const page = ledger.openSession();
    expect(errorOf(await page.call('auth.login', { user: USER.查看, password: PASSWORD.查看 }))?.code).toBe(
      'auth_failed',
    );
    expect((await page.call('auth.login', { user: 'VIEWER', password: 'brand-new-1' })).ok).toBe(true);
    await ledger.close();
  });
});

describe('idle sessions', () => {
  it('lock after the configured minutes without an operation; signing in again unlocks', async () => {
    const { ledger, clock, pages } = await ledgerWithAccounts();
    const clerk = pages.经办人;
    clock.now += 29 * MINUTE;
    expect((await clerk.call('household.list', {})).ok).toBe(true);
    clock.now += 29 * MINUTE; // 29 minutes since the last call: still open
    expect((await clerk.call('household.list', {})).ok).toBe(true);
    clock.now += 30 * MINUTE + 1000;
    expect(errorOf(await clerk.call('household.list', {}))).toEqual({
      code: 'session_locked',
      message: '超过 30 分钟未操作，已自动锁定：请重新输入密码',
    });
    expect(await clerk.call('auth.status', {})).toMatchObject({
      ok: true,
      value: { session: { user: USER.经办人, role: '经办人', locked: true } },
    });
    // Still locked (a status call does not count as activity), until the password again.
    expect(errorOf(await clerk.call('household.list', {}))?.code).toBe('session_locked');
    expect(errorOf(await clerk.call('auth.login', { user: USER.经办人, password: 'bad' }))?.code).toBe('auth_failed');
    expect(errorOf(await clerk.call('household.list', {}))?.code).toBe('session_locked');
    expect((await clerk.call('auth.login', { user: USER.经办人, password: PASSWORD.经办人 })).ok).toBe(true);
    expect((await clerk.call('household.list', {})).ok).toBe(true);
    expect((await ledger.run('audit.list', { limit: 1 })).rows[0]).toMatchObject({
      actor: USER.经办人,
      action: '登录',
      summary: '解除锁定',
    });

    // The time is a parameter the 管理员 sets.
    await ledger.run('parameters.update', { sessionIdleMinutes: 5 });
    clock.now += 6 * MINUTE;
    expect(errorOf(await clerk.call('household.list', {}))?.message).toBe(
      '超过 5 分钟未操作，已自动锁定：请重新输入密码',
    );
    // The in-process library (a command that runs and ends) does not lock.
    expect((await ledger.call('household.list', {})).ok).toBe(true);
    await ledger.close();
  });
});

describe('the audit log names the account', () => {
  it('for writes, exports and sign-ins', async () => {
    const { ledger, pages, villageId } = await ledgerWithAccounts();
    const last = async () => (await ledger.run('audit.list', { limit: 1 })).rows[0]!;
    const { householdId } = await familyOf(ledger, villageId, 1);
    expect((await last()).actor).toBe(USER.管理员);
    expect((await pages.经办人.call('household.update', { id: householdId, phone: '13900000000' })).ok).toBe(true);
    expect(await last()).toMatchObject({ actor: USER.经办人, entity: '户', entityId: householdId });
    expect((await pages.查看.call('report.exportNotice', { kind: 'identification', month: '2026-11' })).ok).toBe(true);
    expect((await last()).actor).toBe(USER.查看);
    await pages.查看.call('auth.logout', {});
    expect(await last()).toMatchObject({ actor: USER.查看, action: '退出' });
    expect(errorOf(await pages.查看.call('household.list', {}))?.code).toBe('unauthenticated');
    const logins = (await ledger.run('audit.list', { limit: 200 })).rows.filter((e) => e.action === '登录');
    expect(logins.map((e) => e.actor).sort()).toEqual([USER.管理员, USER.管理员, USER.查看, USER.经办人].sort());
    await ledger.close();
  });

  it('an older file without accounts keeps the host’s actor for in-process calls', async () => {
    const { ledger } = await newLedger();
    const r = await openLedger(ledger.store.file, { actor: '命令行' }).catch((e: unknown) => e);
    expect(r).toBeDefined();
    await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
    expect((await ledger.run('audit.list', { limit: 1 })).rows[0]!.actor).toBe('本机用户');
    await (r as Ledger).close();
    await ledger.close();
  });
});

describe('the demo township’s accounts', () => {
  it('one per role, shown by auth.status only when the host says the ledger is the demo', async () => {
    const { ledger, file } = await newLedger();
    await ensureDemoAccounts(ledger);
    await ensureDemoAccounts(ledger); // once only
    expect((await ledger.run('auth.status', {})).demoAccounts).toBeNull();
    await ledger.close();
    const demo = await openLedger(file, { demoAccounts: [...DEMO_ACCOUNTS] });
    const page = demo.openSession();
    expect(await page.call('auth.status', {})).toMatchObject({ ok: true, value: { demoAccounts: DEMO_ACCOUNTS } });
    for (const a of DEMO_ACCOUNTS)
      expect(await page.call('auth.login', { user: a.user, password: a.password })).toEqual({
        ok: true,
        value: { user: a.user, role: a.role, locked: false },
      });
    await demo.close();
  });
});
