import { describe, expect, it } from 'vitest';
import { familyOf, newLedger } from '../helpers.ts';

describe('relocation sites', () => {
  it('links households to a site and computes labour, employment rate and zero-employment households', async () => {
    const { ledger, villageId } = await newLedger();
    const site = await ledger.run('site.create', {
      name: '幸福社区安置点',
      method: '集中安置',
      facilities: ['幼儿园', '帮扶车间'],
      builtOn: '2019-06-01',
      villageId,
    });
    const a = await familyOf(ledger, villageId, 1);
    const b = await familyOf(ledger, villageId, 2);
    await ledger.run('relocated.link', {
      siteId: site.id,
      householdId: a.householdId,
      relocationType: '建档立卡',
      movedInOn: '2019-08-01',
      houseAreaM2: 75,
    });
    await ledger.run('relocated.link', {
      siteId: site.id,
      householdId: b.householdId,
      relocationType: '同步搬迁',
      movedInOn: '2019-09-01',
    });
    const dup = await ledger.call('relocated.link', {
      siteId: site.id,
      householdId: a.householdId,
      relocationType: '建档立卡',
      movedInOn: '2019-08-01',
    });
    expect(dup.ok ? null : dup.error).toMatchObject({ code: 'conflict', field: 'householdId' });

    await ledger.run('employment.add', {
      personId: a.headId,
      channel: '帮扶车间',
      startMonth: '2024-03',
      monthlyIncomeFen: 250_000,
    });
    await ledger.run('employment.add', {
      personId: a.spouseId,
      channel: '省外务工',
      place: '广东省',
      startMonth: '2026-12',
    });
    const bad = await ledger.call('employment.add', {
      personId: b.headId,
      channel: '县内务工',
      startMonth: '2026-05',
      endMonth: '2026-01',
    });
    expect(bad.ok ? null : bad.error.field).toBe('endMonth');

    const [row] = await ledger.run('site.list', { month: '2026-10' });
    expect(row).toMatchObject({
      households: 2,
      persons: 6,
      labour: 4,
      employed: 1,
      zeroEmploymentHouseholds: 1,
      sizeClass: '小型',
      facilities: ['幼儿园', '帮扶车间'],
    });
    expect(row!.employmentRate).toBeCloseTo(0.25);
    const list = await ledger.run('relocated.list', { filter: { siteId: site.id } });
    expect(list.rows.map((r) => [r.headName, r.labour])).toEqual([
      ['户主1', 2],
      ['户主2', 2],
    ]);
    await ledger.close();
  });
});
