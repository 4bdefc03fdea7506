import { describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { monthEnd } from '../../shared/dates.ts';
import { familyOf, newLedger, tempDbPath, TODAY } from '../helpers.ts';

describe('month figures as of the month end', () => {
  it('counts a household as monitored from county approval until elimination, by category', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await ledger.run('case.create', {
      householdId: fam.householdId,
      category: '脱贫不稳定户',
      channel: '部门筛查预警',
      clueDate: '2025-02-20',
      risks: [{ riskType: '因病' }],
    });
    for (const [stage, doneOn, endOn] of [
      ['verify', '2025-02-21'],
      ['compare', '2025-02-22'],
      ['review', '2025-02-23'],
      ['notice', '2025-02-24', '2025-02-28'],
      ['town', '2025-03-01'],
      ['county', '2025-03-02'],
    ] as const) {
      await ledger.run('case.advance', { caseId: c.id, stage, doneOn, ...(endOn ? { endOn } : {}) });
    }
    const feb = await ledger.run('stats.month', { month: '2025-02' });
    const mar = await ledger.run('stats.month', { month: '2025-03' });
    expect(feb.monitoring).toMatchObject({ asOf: '2025-02-28', current: 0, identifiedInMonth: 0 });
    expect(mar.monitoring).toMatchObject({
      current: 1,
      identifiedInMonth: 1,
      byCategory: { 脱贫不稳定户: 1, 边缘易致贫户: 0, 突发严重困难户: 0 },
    });
    expect(mar.households).toBe(1);
    expect(mar.persons).toBe(3);
    const byVillage = await ledger.run('stats.byVillage', { month: '2025-03' });
    expect(byVillage).toEqual([
      {
        villageId,
        villageName: '青山村',
        current: 1,
        byCategory: { 脱贫不稳定户: 1, 边缘易致贫户: 0, 突发严重困难户: 0 },
      },
    ]);
    await ledger.close();
  });

  it('gives a past month the same answer whatever is recorded later about later dates', async () => {
    const file = tempDbPath();
    const ledger = await openLedger(file, { create: true, today: () => TODAY });
    generateDemo(ledger.store, 'township', 7);
    const month = '2025-06';
    const before = await ledger.run('stats.month', { month });
    expect(before.monitoring.current).toBeGreaterThan(20);
    const later = '2026-11-02';

    // Eliminate-ready cases get rolled back or eliminated, members leave, holders exit, labour finds work — all dated later.
    const eliminated = await ledger.run('case.list', { filter: { status: '已消除' }, limit: 5 });
    expect(eliminated.rows).toHaveLength(5);
    const octBefore = await ledger.run('stats.month', { month: '2026-10' });
    for (const c of eliminated.rows)
      await ledger.run('case.rollback', { caseId: c.id, date: later, reason: '测试：后来回退' });
    const persons = await ledger.run('person.list', { limit: 20, sort: [{ field: 'id', dir: 'asc' }] });
    for (const p of persons.rows.filter((r) => r.relation !== '户主'))
      await ledger.run('person.changeStatus', { personId: p.id, kind: '迁出', effectiveDate: later });
    const holders = await ledger.run('placement.list', { filter: { activeOn: '2026-10-31' }, limit: 10 });
    expect(holders.rows).toHaveLength(10);
    for (const h of holders.rows)
      await ledger.run('placement.exit', { placementId: h.id, exitOn: later, exitReason: '本人自愿退出' });
    const relocated = await ledger.run('relocated.list', { limit: 30 });
    for (const r of relocated.rows) {
      const members = await ledger.run('person.list', { filter: { householdId: r.householdId } });
      for (const m of members.rows)
        await ledger.run('employment.add', { personId: m.id, channel: '县内务工', startMonth: '2026-11' });
    }
    const v = await ledger.run('village.list', {});
    await ledger.run('household.create', { villageId: v[0]!.id, establishedOn: later });

    const after = await ledger.run('stats.month', { month });
    expect(after).toEqual(before);
    const nov = await ledger.run('stats.month', { month: '2026-11' });
    expect(nov.monitoring.asOf).toBe(monthEnd('2026-11'));
    // The later edits did take effect for the later month.
    expect(nov.monitoring.current).toBe(octBefore.monitoring.current + 5);
    expect(nov.posts.holdersInMonth).toBe(octBefore.posts.holdersInMonth); // exits on 11-02 still held the post in November
    expect(nov.relocation.employed).toBeGreaterThan(octBefore.relocation.employed);
    await ledger.close();
  });
});
