import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../main/core/ledger.ts';
import { familyOf, makeId, newLedger } from '../helpers.ts';

async function aPost(ledger: Ledger, villageId: number, quota = 1) {
  return ledger.run('post.create', {
    name: '保洁员',
    category: '普通岗位',
    department: '人社部门',
    workForm: '非全日制',
    villageId,
    monthlySubsidyFen: 60_000,
    quota,
    establishedOn: '2025-01-01',
  });
}

const hire = (postId: number, personId: number, extra: Record<string, unknown> = {}) => ({
  postId,
  personId,
  agreementStart: '2026-01-01',
  agreementEnd: '2026-12-31',
  hiredOn: '2026-01-01',
  bankAccount: '6217000012345678901',
  ...extra,
});

describe('public-welfare posts', () => {
  it('hires with eligibility feedback: age limits, one post per person, one holder per household', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const post = await aPost(ledger, villageId, 3);
    const child = await ledger.run('placement.eligibility', {
      postId: post.id,
      personId: fam.childId,
      hiredOn: '2026-01-01',
    });
    expect(child.ok).toBe(false);
    expect(child.age).toBe(13);
    expect(child.problems.find((p) => p.code === 'minAge')).toMatchObject({ ok: false, blocking: true });

    const placed = await ledger.run('placement.hire', hire(post.id, fam.headId));
    expect(placed.exitOn).toBeNull();
    const again = await ledger.call('placement.hire', hire(post.id, fam.headId));
    expect(again.ok ? '' : again.error.message).toContain('一人一岗');
    const spouse = await ledger.call('placement.hire', hire(post.id, fam.spouseId));
    expect(spouse.ok ? '' : spouse.error.message).toContain('每户一人');
    await ledger.run('parameters.update', { postOnePerHousehold: false });
    const warned = await ledger.call('placement.hire', hire(post.id, fam.spouseId));
    expect(warned.ok ? null : warned.error).toMatchObject({ field: 'acknowledgeWarnings' }); // now a warning, not a block
    expect((await ledger.call('placement.hire', hire(post.id, fam.spouseId, { acknowledgeWarnings: true }))).ok).toBe(
      true,
    );

    const list = await ledger.run('placement.list', { filter: { postId: post.id } });
    expect(list.rows[0]!.bankAccountMasked).toBe('****8901');
    expect(JSON.stringify(list.rows)).not.toContain('6217000012345678901');
    // The audit snapshot uses the same mask.
    const log = await ledger.run('audit.list', { filter: { entity: '公益性岗位聘用' } });
    expect(log.rows[0]!.after).toContain('"bankAccount":"****8901"');
    expect(JSON.stringify(log.rows)).not.toContain('6217000012345678901');
    await ledger.close();
  });

  it('warns about hires over the new-hire age and refuses over the holding limit', async () => {
    const { ledger, villageId } = await newLedger();
    const h = await ledger.run('household.create', { villageId });
    const older = await ledger.run('person.create', {
      householdId: h.id,
      idNumber: makeId('1963-05-01', '男', 7),
      name: '老甲',
      relation: '户主',
      labourCapacity: '普通劳动力',
    });
    const post = await aPost(ledger, villageId);
    const warn = await ledger.call('placement.hire', hire(post.id, older.id));
    expect(warn.ok ? null : warn.error).toMatchObject({ field: 'acknowledgeWarnings' });
    expect((await ledger.call('placement.hire', hire(post.id, older.id, { acknowledgeWarnings: true }))).ok).toBe(true);
    const h2 = await ledger.run('household.create', { villageId });
    const old = await ledger.run('person.create', {
      householdId: h2.id,
      idNumber: makeId('1955-05-01', '男', 8),
      name: '老乙',
      relation: '户主',
    });
    const post2 = await aPost(ledger, villageId);
    const refused = await ledger.call('placement.hire', hire(post2.id, old.id, { acknowledgeWarnings: true }));
    expect(refused.ok ? '' : refused.error.message).toContain('不超过65周岁');
    await ledger.close();
  });

  it('enters a month of attendance with the subsidy computed by the formula, then generates and locks payroll', async () => {
    const { ledger, villageId } = await newLedger();
    const a = await familyOf(ledger, villageId, 1);
    const b = await familyOf(ledger, villageId, 2);
    const post = await aPost(ledger, villageId, 2);
    const pa = await ledger.run('placement.hire', hire(post.id, a.headId));
    await ledger.run('placement.hire', hire(post.id, b.headId));

    const row = await ledger.run('attendance.set', { placementId: pa.id, month: '2026-10', days: 28 });
    expect(row).toMatchObject({ days: 28, requiredDays: 30, subsidyFen: 56_000, payFen: 56_000 });
    const tooMany = await ledger.call('attendance.set', { placementId: pa.id, month: '2026-09', days: 31 });
    expect(tooMany.ok ? null : tooMany.error).toMatchObject({
      field: 'days',
      message: '「出勤天数」不能超过2026-09月的天数（30天）',
    });
    const future = await ledger.call('attendance.set', { placementId: pa.id, month: '2026-12', days: 10 });
    expect(future.ok ? null : future.error.field).toBe('month');
    const outside = await ledger.call('attendance.set', { placementId: pa.id, month: '2025-12', days: 10 });
    expect(outside.ok ? null : outside.error.field).toBe('month');

    const lockEarly = await ledger.call('payroll.lock', { month: '2026-10' });
    expect(lockEarly.ok ? null : lockEarly.error.code).toBe('workflow');
    const sheet = await ledger.run('payroll.generate', { month: '2026-10' });
    expect(sheet.rows).toHaveLength(2);
    expect(sheet.totals).toEqual({ persons: 2, subsidyFen: 56_000 + 60_000, deductionFen: 0, payFen: 116_000 });
    const locked = await ledger.run('payroll.lock', { month: '2026-10' });
    expect(locked.locked).toBe(true);
    const edit = await ledger.call('attendance.set', { placementId: pa.id, month: '2026-10', days: 30 });
    expect(edit.ok ? null : edit.error.code).toBe('locked');
    // An exit inside the locked month would change what it paid: refused, naming the month and the way out.
    const exit = await ledger.call('placement.exit', {
      placementId: pa.id,
      exitOn: '2026-10-15',
      exitReason: '本人自愿退出',
    });
    expect(exit.ok ? null : exit.error).toMatchObject({ code: 'locked', field: 'exitOn' });
    expect(exit.ok ? '' : exit.error.message).toContain('2026-10月的考勤补贴已于');
    const stats = await ledger.run('stats.month', { month: '2026-10' });
    expect(stats.posts).toEqual({ posts: 1, holdersInMonth: 2, subsidyFenInMonth: 116_000 });

    // Unlocking needs a reason, is audited, and makes the month editable again.
    const noReason = await ledger.call('payroll.unlock', { month: '2026-10', reason: ' ' });
    expect(noReason.ok ? null : noReason.error.field).toBe('reason');
    expect((await ledger.run('payroll.unlock', { month: '2026-10', reason: '补录病假扣发' })).locked).toBe(false);
    const log = await ledger.run('audit.list', { limit: 1 });
    expect(log.rows[0]).toMatchObject({ action: '解锁', summary: expect.stringContaining('补录病假扣发') });
    // A deduction needs its reason.
    const bare = await ledger.call('attendance.set', {
      placementId: pa.id,
      month: '2026-10',
      days: 28,
      deductionFen: 1_000,
    });
    expect(bare.ok ? null : bare.error.field).toBe('deductionReason');
    const withReason = await ledger.run('attendance.set', {
      placementId: pa.id,
      month: '2026-10',
      days: 28,
      deductionFen: 1_000,
      deductionReason: '病假',
    });
    expect(withReason).toMatchObject({ deductionFen: 1_000, payFen: 55_000 });
    await ledger.close();
  });

  it('records an exit with a reason and keeps the post open for a new hire', async () => {
    const { ledger, villageId } = await newLedger();
    const a = await familyOf(ledger, villageId, 1);
    const b = await familyOf(ledger, villageId, 2);
    const post = await aPost(ledger, villageId);
    const pa = await ledger.run('placement.hire', hire(post.id, a.headId));
    const full = await ledger.call('placement.hire', hire(post.id, b.headId, { hiredOn: '2026-03-01' }));
    expect(full.ok ? '' : full.error.message).toContain('岗位数1个');
    await ledger.run('attendance.set', { placementId: pa.id, month: '2026-06', days: 20 });
    const tooEarly = await ledger.call('placement.exit', {
      placementId: pa.id,
      exitOn: '2026-04-30',
      exitReason: '本人自愿退出',
    });
    expect(tooEarly.ok ? null : tooEarly.error.field).toBe('exitOn');
    const badReason = await ledger.call('placement.exit', {
      placementId: pa.id,
      exitOn: '2026-06-20',
      exitReason: '不想干了' as never,
    });
    expect(badReason.ok ? null : badReason.error.field).toBe('exitReason');
    await ledger.run('placement.exit', { placementId: pa.id, exitOn: '2026-06-20', exitReason: '本人自愿退出' });
    expect((await ledger.call('placement.hire', hire(post.id, b.headId, { hiredOn: '2026-06-21' }))).ok).toBe(true);
    const june = await ledger.run('attendance.sheet', { month: '2026-06' });
    expect(june.rows.map((r) => r.personName).sort()).toEqual(['户主1', '户主2']);
    const july = await ledger.run('attendance.sheet', { month: '2026-07' });
    expect(july.rows.map((r) => r.personName)).toEqual(['户主2']);
    await ledger.close();
  });
});
