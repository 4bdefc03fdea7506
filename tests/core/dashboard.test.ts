/** 工作台 figures and to-do list, and loading the demo township into a new database from the setup screen. */
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { familyOf, newLedger, tempDbPath } from '../helpers.ts';

describe('dashboard.get', () => {
  it('lists what needs doing, each pointing at its record, and nothing that does not', async () => {
    const { ledger, villageId } = await newLedger('2026-11-22');
    const a = await familyOf(ledger, villageId, 1);
    const b = await familyOf(ledger, villageId, 2);
    const c = await familyOf(ledger, villageId, 3);
    const risks = [{ riskType: '因病' as const }];
    // Clue on 2026-11-01 and not approved by 2026-11-16: overdue. Clue on 2026-11-10: still within 15 days.
    const late = await ledger.run('case.create', {
      householdId: a.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-11-01',
      risks,
    });
    await ledger.run('case.create', {
      householdId: b.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2026-11-10',
      risks,
    });
    // A case at its village notice.
    const notice = await ledger.run('case.create', {
      householdId: c.householdId,
      category: '突发严重困难户',
      channel: '基层干部排查',
      clueDate: '2026-11-12',
      risks,
    });
    for (const [stage, doneOn] of [
      ['verify', '2026-11-13'],
      ['compare', '2026-11-14'],
      ['review', '2026-11-15'],
    ] as const) {
      await ledger.run('case.advance', { caseId: notice.id, stage, doneOn });
    }
    await ledger.run('case.advance', { caseId: notice.id, stage: 'notice', doneOn: '2026-11-16', endOn: '2026-11-21' });

    const post = await ledger.run('post.create', {
      name: '护林员',
      category: '普通岗位',
      department: '农业农村部门',
      workForm: '非全日制',
      villageId,
      monthlySubsidyFen: 50_000,
      quota: 2,
    });
    const ending = await ledger.run('placement.hire', {
      postId: post.id,
      personId: a.spouseId,
      hiredOn: '2026-01-01',
      agreementStart: '2026-01-01',
      agreementEnd: '2026-12-10',
    });
    await ledger.run('placement.hire', {
      postId: post.id,
      personId: b.spouseId,
      hiredOn: '2026-01-01',
      agreementStart: '2026-01-01',
      agreementEnd: '2027-12-31',
    });
    await ledger.run('payroll.generate', { month: '2026-10' });

    const d = await ledger.run('dashboard.get', { month: '2026-11' });
    const byKind = (k: string) => d.todo.filter((t) => t.kind === k);
    expect(byKind('overdue')).toEqual([expect.objectContaining({ entity: 'case', id: late.id, due: '2026-11-16' })]);
    expect(byKind('notice')).toEqual([expect.objectContaining({ entity: 'case', id: notice.id, due: '2026-11-21' })]);
    expect(byKind('notice')[0]!.title).toContain('已结束');
    expect(byKind('agreement')).toEqual([
      expect.objectContaining({ entity: 'placement', id: ending.id, due: '2026-12-10' }),
    ]);
    expect(byKind('payroll')).toEqual([expect.objectContaining({ entity: 'payroll', ref: '2026-10' })]);
    expect(byKind('age')).toEqual([]);
    expect(d.trend.map((t) => t.month)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(d.stats.posts.holdersInMonth).toBe(2);

    await ledger.run('payroll.lock', { month: '2026-10' });
    expect((await ledger.run('dashboard.get', {})).todo.filter((t) => t.kind === 'payroll')).toEqual([]);
    await ledger.close();
  });
});

describe('setup.loadDemo', () => {
  it('fills an empty database with the demo township once, audited, and refuses a database in use', async () => {
    const ledger = await openLedger(tempDbPath(), { create: true });
    expect(await ledger.run('settings.get', {})).toBeNull();
    const loaded = await ledger.run('setup.loadDemo', {});
    expect(loaded.households).toBe(3000);
    expect((await ledger.run('settings.get', {}))?.townshipName).toContain('示范镇');
    expect((await ledger.run('audit.list', { filter: { entity: '示范数据' } })).total).toBe(1);
    const again = await ledger.call('setup.loadDemo', {});
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await ledger.close();

    const { ledger: used } = await newLedger();
    expect(await used.call('setup.loadDemo', {})).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('空数据库') },
    });
    expect((await used.run('village.list', {})).length).toBe(1);
    await used.close();
  });
});
