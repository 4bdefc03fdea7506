import { describe, expect, it } from 'vitest';
import { familyOf, newLedger } from '../helpers.ts';

describe('update operations patch only what they are given', () => {
  it('households, posts, sites, measures, employment and risks keep absent fields and record before/after', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);

    await ledger.run('household.update', { id: fam.householdId, hhType: '脱贫户', exitedPoverty: true, dibao: true });
    const h = await ledger.run('household.update', { id: fam.householdId, address: '青山村一组8号' });
    expect(h).toMatchObject({
      address: '青山村一组8号',
      hhNo: 'H1',
      phone: '13800000000',
      hhType: '脱贫户',
      exitedPoverty: 1,
      dibao: 1,
    });
    const cleared = await ledger.run('household.update', { id: fam.householdId, phone: '' });
    expect(cleared).toMatchObject({ phone: null, address: '青山村一组8号' });

    const post = await ledger.run('post.create', {
      name: '护林员',
      category: '普通岗位',
      department: '农业农村部门',
      workForm: '全日制',
      monthlySubsidyFen: 80_000,
    });
    expect(post.requiredDays).toBe(30);
    expect(await ledger.run('post.update', { id: post.id, monthlySubsidyFen: 90_000 })).toMatchObject({
      name: '护林员',
      monthlySubsidyFen: 90_000,
      requiredDays: 30,
    });

    const site = await ledger.run('site.create', { name: '新民安置点', method: '集中安置', facilities: ['小学'] });
    const s2 = await ledger.run('site.update', { id: site.id, workshops: 2 });
    expect(s2).toMatchObject({ workshops: 2, facilities: '["小学"]' });
    const link = await ledger.run('relocated.link', {
      siteId: site.id,
      householdId: fam.householdId,
      relocationType: '同步搬迁',
      movedInOn: '2020-01-01',
    });
    expect(await ledger.run('relocated.update', { id: link.id, propertyCertificate: true })).toMatchObject({
      propertyCertificate: 1,
      movedInOn: '2020-01-01',
    });

    const m = await ledger.run('measure.add', {
      householdId: fam.householdId,
      category: '产业帮扶',
      startDate: '2025-01-01',
    });
    const badEnd = await ledger.call('measure.update', { id: m.id, endDate: '2024-12-31' });
    expect(badEnd.ok ? null : badEnd.error.field).toBe('endDate');
    expect(await ledger.run('measure.update', { id: m.id, item: '种植' })).toMatchObject({
      category: '产业帮扶',
      item: '种植',
    });

    const e = await ledger.run('employment.add', { personId: fam.headId, channel: '县内务工', startMonth: '2025-03' });
    const badMonth = await ledger.call('employment.update', { id: e.id, endMonth: '2025-01' });
    expect(badMonth.ok ? null : badMonth.error.field).toBe('endMonth');
    expect(await ledger.run('employment.update', { id: e.id, endMonth: '2025-09' })).toMatchObject({
      startMonth: '2025-03',
      endMonth: '2025-09',
    });

    const c = await ledger.run('case.create', {
      householdId: fam.householdId,
      category: '边缘易致贫户',
      channel: '基层干部排查',
      clueDate: '2025-03-01',
      risks: [{ riskType: '因病' }],
    });
    const risks = await ledger.run('case.setRisks', {
      caseId: c.id,
      risks: [{ riskType: '因学' }, { riskType: '因病' }],
    });
    expect(risks.map((r) => [r.seq, r.riskType])).toEqual([
      [1, '因学'],
      [2, '因病'],
    ]);

    const log = await ledger.run('audit.list', { filter: { entity: '户', entityId: fam.householdId, action: '修改' } });
    expect(log.total).toBe(3);
    const addressChange = log.rows.find(
      (r) => JSON.parse(r.after!).address === '青山村一组8号' && JSON.parse(r.before!).address === null,
    )!;
    expect(JSON.parse(addressChange.before!)).toMatchObject({ hhType: '脱贫户', dibao: 1 });
    await ledger.close();
  });
});
