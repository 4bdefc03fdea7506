/**
 * Violations planted only through the public contract (as a user would through the UI) are found by the rules,
 * and going on with a submission despite 错误 findings needs a reason, which the audit log keeps.
 */
import { describe, expect, it } from 'vitest';
import { familyOf, newLedger } from '../helpers.ts';

describe('rules over data entered through the API', () => {
  it('finds what was entered wrongly and records the reason to submit anyway', async () => {
    const { ledger, villageId } = await newLedger('2026-11-22');
    const a = await familyOf(ledger, villageId, 1);
    const b = await familyOf(ledger, villageId, 2);
    // 因病 with nobody ill, no health measure: JC01 (and JC05 once identified).
    const c = await ledger.run('case.create', {
      householdId: a.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-11-18',
      risks: [{ riskType: '因病' }],
    });
    // A person with both medical insurances, and a 脱贫户 flag without the year.
    await ledger.run('person.update', { id: b.spouseId, medEmployee: 1 });
    await ledger.run('household.update', { id: b.householdId, hhType: '脱贫户' });
    // Two holders from one household (accepted with the warning acknowledged), a site whose reported count is off.
    const post = await ledger.run('post.create', {
      name: '保洁员',
      category: '普通岗位',
      department: '农业农村部门',
      workForm: '非全日制',
      villageId,
      monthlySubsidyFen: 50_000,
      quota: 3,
    });
    const hire = (personId: number) =>
      ledger.run('placement.hire', {
        postId: post.id,
        personId,
        hiredOn: '2026-03-01',
        agreementStart: '2026-03-01',
        agreementEnd: '2026-12-31',
        acknowledgeWarnings: true,
      });
    // Hired while the township allowed two holders per household; the rule is on again now.
    await ledger.run('parameters.update', { postOnePerHousehold: false });
    const h1 = await hire(b.headId);
    const h2 = await hire(b.spouseId);
    await ledger.run('parameters.update', { postOnePerHousehold: true });
    const site = await ledger.run('site.create', {
      name: '幸福小区',
      method: '集中安置',
      reportedHouseholds: 2,
      reportedPersons: 3,
    });
    await ledger.run('relocated.link', {
      siteId: site.id,
      householdId: a.householdId,
      relocationType: '建档立卡',
      movedInOn: '2025-05-01',
    });

    const r = await ledger.run('rules.run', {});
    const found = (rule: string) =>
      r.findings
        .filter((f) => f.rule === rule)
        .map((f) => f.id)
        .sort();
    expect(found('JC01')).toEqual([c.id]);
    expect(found('RY11')).toEqual([b.spouseId]);
    expect(found('NH07')).toEqual([b.householdId]);
    expect(found('GW04')).toEqual([h1.id, h2.id].sort());
    expect(found('BQ02')).toEqual([site.id]);
    expect(found('BQ03')).toEqual([]);
    expect(found('BQ01')).toEqual([expect.any(Number)]);
    expect(r.errors).toBe(r.findings.filter((f) => f.severity === '错误').length);
    expect(r.findings.find((f) => f.rule === 'JC01')!.message).toBe(
      '青山村 户主1户：风险类型含「因病」，但家庭成员中无人患长期慢性病或大病',
    );

    // The export gate: a reason is required, and recorded with the counts.
    const refused = await ledger.call('rules.acknowledge', { month: '2026-11', reason: ' ' });
    expect(refused).toMatchObject({ ok: false, error: { field: 'reason' } });
    const ack = await ledger.run('rules.acknowledge', {
      month: '2026-11',
      reason: '因病户已补录体检报告，明日更正',
      purpose: '月报上报',
    });
    expect(ack).toEqual({ errors: r.errors, warnings: r.warnings });
    const log = await ledger.run('audit.list', { filter: { entity: '数据校验' } });
    expect(log.rows[0]).toMatchObject({ action: '带错误继续上报' });
    expect(log.rows[0]!.summary).toContain('因病户已补录体检报告');
    expect(log.rows[0]!.summary).toContain(`错误 ${r.errors} 条`);

    // Fixing the record clears the finding.
    await ledger.run('person.update', { id: a.headId, health: '长期慢性病' });
    expect((await ledger.run('rules.run', { rules: ['JC01'] })).findings).toEqual([]);
    expect(await ledger.call('rules.run', { rules: ['XX99'] })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('XX99') },
    });
    await ledger.close();
  });
});
