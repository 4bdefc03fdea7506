import { describe, expect, it } from 'vitest';
import type { Ledger } from '../../main/core/ledger.ts';
import { familyOf, newLedger } from '../helpers.ts';

async function identify(ledger: Ledger, caseId: number) {
  const steps: [string, string, string?][] = [
    ['verify', '2025-03-03'],
    ['compare', '2025-03-04'],
    ['review', '2025-03-05'],
    ['notice', '2025-03-06', '2025-03-10'],
    ['town', '2025-03-11'],
    ['county', '2025-03-12'],
    ['announce', '2025-03-13'],
    ['enter', '2025-03-14'],
  ];
  for (const [stage, doneOn, endOn] of steps) {
    await ledger.run('case.advance', { caseId, stage, doneOn, ...(endOn ? { endOn } : {}), actor: '村两委' });
  }
}

async function openCase(ledger: Ledger, householdId: number) {
  return ledger.run('case.create', {
    householdId,
    category: '边缘易致贫户',
    channel: '基层干部排查',
    clueDate: '2025-03-01',
    risks: [{ riskType: '因病' }, { riskType: '因学' }],
  });
}

async function readyForElimination(ledger: Ledger, householdId: number, caseId: number) {
  await ledger.run('measure.add', {
    householdId,
    caseId,
    category: '健康帮扶',
    startDate: '2025-04-01',
    amountFen: 200_000,
  });
  await ledger.run('income.add', {
    householdId,
    caseId,
    kind: '消除时',
    asOf: '2025-10-20',
    members: 3,
    wageFen: 2_400_000,
    businessFen: 300_000,
  });
}

describe('monitoring cases', () => {
  it('runs identification stage by stage to county approval and entry, with a timeline', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    expect(c.status).toBe('识别中');
    await identify(ledger, c.id);
    const detail = await ledger.run('case.get', { id: c.id });
    expect(detail.case.status).toBe('监测中');
    expect(detail.case.identifiedOn).toBe('2025-03-12');
    expect(detail.case.riskTypes).toEqual(['因病', '因学']);
    expect(detail.stages.map((s) => s.stage)).toEqual([
      'clue',
      'verify',
      'compare',
      'review',
      'notice',
      'town',
      'county',
      'announce',
      'enter',
    ]);
    expect(detail.stages.find((s) => s.stage === 'notice')!.endOn).toBe('2025-03-10');
    expect(detail.events.map((e) => [e.kind, e.effectiveDate])).toEqual([['identified', '2025-03-12']]);
    expect(detail.nextStages.map((s) => s.code)).toEqual(['e_verify']);
    const list = await ledger.run('case.list', { filter: { riskType: '因学', status: '监测中' } });
    expect(list.rows.map((r) => r.id)).toEqual([c.id]);
    await ledger.close();
  });

  it('enforces stage order and date order with Chinese messages', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    const skip = await ledger.call('case.advance', { caseId: c.id, stage: 'town', doneOn: '2025-03-05' });
    expect(skip.ok ? null : skip.error).toMatchObject({
      code: 'workflow',
      message: '不能办理「乡镇审核」：下一环节应为「入户核实」',
    });
    const early = await ledger.call('case.advance', { caseId: c.id, stage: 'verify', doneOn: '2025-02-28' });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'workflow', field: 'doneOn' });
    const future = await ledger.call('case.advance', { caseId: c.id, stage: 'verify', doneOn: '2027-01-01' });
    expect(future.ok ? null : future.error).toMatchObject({ field: 'doneOn' });
    await ledger.run('case.advance', { caseId: c.id, stage: 'verify', doneOn: '2025-03-02' });
    await ledger.run('case.advance', { caseId: c.id, stage: 'compare', doneOn: '2025-03-03' });
    await ledger.run('case.advance', { caseId: c.id, stage: 'review', doneOn: '2025-03-04' });
    const noEnd = await ledger.call('case.advance', { caseId: c.id, stage: 'notice', doneOn: '2025-03-05' });
    expect(noEnd.ok ? null : noEnd.error).toMatchObject({ field: 'endOn' });
    // A notice shorter than the parameter (5 days, both ends counted) is refused when entered.
    const short = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'notice',
      doneOn: '2025-03-05',
      endOn: '2025-03-07',
    });
    expect(short.ok ? null : short.error).toMatchObject({
      code: 'workflow',
      field: 'endOn',
      message: '「村级公示」2025-03-05 至 2025-03-07 共3天，不足规定的5天（设置中的公示天数）',
    });
    await ledger.run('case.advance', { caseId: c.id, stage: 'notice', doneOn: '2025-03-05', endOn: '2025-03-09' });
    const duringNotice = await ledger.call('case.advance', { caseId: c.id, stage: 'town', doneOn: '2025-03-08' });
    expect(duringNotice.ok ? null : duringNotice.error).toMatchObject({
      code: 'workflow',
      message: '日期不能早于上一环节的日期（2025-03-09）',
    });
    const second = await ledger.call('case.create', {
      householdId: fam.householdId,
      category: '边缘易致贫户',
      channel: '农户自主申报',
      clueDate: '2025-03-02',
      risks: [{ riskType: '因病' }],
    });
    expect(second.ok ? null : second.error).toMatchObject({ code: 'conflict', field: 'householdId' });
    await ledger.close();
  });

  it('validates risks: at least one, at most five, no duplicates', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const base = {
      householdId: fam.householdId,
      category: '边缘易致贫户',
      channel: '基层干部排查',
      clueDate: '2025-03-01',
    } as const;
    const none = await ledger.call('case.create', { ...base, risks: [] });
    expect(none.ok ? null : none.error.message).toBe('「风险类型」至少选择一个风险类型');
    const six = await ledger.call('case.create', {
      ...base,
      risks: (['因病', '因残', '因学', '因安全住房', '因安全饮水', '缺劳动力'] as const).map((riskType) => ({
        riskType,
      })),
    });
    expect(six.ok ? null : six.error.field).toBe('risks');
    const dup = await ledger.call('case.create', { ...base, risks: [{ riskType: '因病' }, { riskType: '因病' }] });
    expect(dup.ok).toBe(false);
    await ledger.close();
  });

  it('rejects during identification with a reason; the household can be flagged again later', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    await ledger.run('case.advance', { caseId: c.id, stage: 'verify', doneOn: '2025-03-03' });
    const r = await ledger.run('case.reject', { caseId: c.id, date: '2025-03-04', reason: '家庭收入高于监测范围' });
    expect(r).toMatchObject({ status: '已否决', rejectReason: '家庭收入高于监测范围', rejectedOn: '2025-03-04' });
    expect((await ledger.run('case.get', { id: c.id })).nextStages).toEqual([]);
    const again = await ledger.run('case.create', {
      householdId: fam.householdId,
      category: '突发严重困难户',
      channel: '农户自主申报',
      clueDate: '2025-06-01',
      risks: [{ riskType: '因意外事故' }],
    });
    expect(again.status).toBe('识别中');
    await ledger.close();
  });

  it('shows which elimination preconditions hold and blocks until they do', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    await identify(ledger, c.id);
    const before = await ledger.run('case.eliminationCheck', { id: c.id });
    expect(Object.fromEntries(before.map((x) => [x.code, x.ok]))).toEqual({
      measure: false,
      income: false,
      months: true,
      labour: true,
    });
    const blocked = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-10-21',
      method: '帮扶消除',
      actor: '甲、乙',
    });
    expect(blocked.ok ? null : blocked.error).toMatchObject({ code: 'workflow' });
    expect(blocked.ok ? '' : blocked.error.message).toContain('至少落实一项帮扶措施');

    await readyForElimination(ledger, fam.householdId, c.id);
    const oneVerifier = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-10-21',
      method: '帮扶消除',
      actor: '甲',
    });
    expect(oneVerifier.ok ? null : oneVerifier.error).toMatchObject({ field: 'actor' });
    const early = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-06-01',
      method: '帮扶消除',
      actor: '甲、乙',
    });
    expect(early.ok ? null : early.error.message).toContain('人均纯收入'); // the income snapshot is dated later
    await ledger.close();
  });

  it('asks for acknowledgement when identified less than the minimum months ago', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    await identify(ledger, c.id);
    await ledger.run('measure.add', {
      householdId: fam.householdId,
      caseId: c.id,
      category: '健康帮扶',
      startDate: '2025-04-01',
    });
    await ledger.run('income.add', {
      householdId: fam.householdId,
      kind: '消除时',
      asOf: '2025-05-01',
      members: 3,
      wageFen: 3_000_000,
    });
    const warn = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-05-02',
      method: '帮扶消除',
      actor: '甲、乙',
    });
    expect(warn.ok ? null : warn.error).toMatchObject({ code: 'workflow', field: 'acknowledgeWarnings' });
    const ok = await ledger.run('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-05-02',
      method: '帮扶消除',
      actor: '甲、乙',
      acknowledgeWarnings: true,
    });
    expect(ok.status).toBe('消除中');
    await ledger.close();
  });

  it('eliminates, rolls back, eliminates again, and re-flags after a new risk', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const c = await openCase(ledger, fam.householdId);
    await identify(ledger, c.id);
    await readyForElimination(ledger, fam.householdId, c.id);
    const eliminate = async (start: string) => {
      const d = (n: number) => new Date(Date.parse(`${start}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      await ledger.run('case.advance', {
        caseId: c.id,
        stage: 'e_verify',
        doneOn: d(0),
        method: '帮扶消除',
        actor: '张三、李四',
      });
      await ledger.run('case.advance', { caseId: c.id, stage: 'e_review', doneOn: d(1) });
      await ledger.run('case.advance', { caseId: c.id, stage: 'e_notice', doneOn: d(2), endOn: d(8) });
      await ledger.run('case.advance', { caseId: c.id, stage: 'e_town', doneOn: d(9) });
      await ledger.run('case.advance', { caseId: c.id, stage: 'e_county', doneOn: d(10) });
    };
    await eliminate('2025-10-21');
    let detail = await ledger.run('case.get', { id: c.id });
    expect(detail.case).toMatchObject({
      status: '已消除',
      eliminatedOn: '2025-10-31',
      eliminationMethod: '帮扶消除',
      round: 1,
    });
    expect(detail.canRollback).toBe(true);

    await ledger.run('case.rollback', { caseId: c.id, date: '2026-01-15', reason: '户主患大病，收入不稳定' });
    detail = await ledger.run('case.get', { id: c.id });
    expect(detail.case).toMatchObject({ status: '监测中', eliminatedOn: null });
    expect(detail.nextStages.map((s) => s.code)).toEqual(['e_verify']);

    await ledger.run('income.add', {
      householdId: fam.householdId,
      kind: '年度',
      asOf: '2026-07-01',
      members: 3,
      wageFen: 3_000_000,
    });
    await eliminate('2026-07-02');
    detail = await ledger.run('case.get', { id: c.id });
    expect(detail.case).toMatchObject({ status: '已消除', round: 2, eliminatedOn: '2026-07-12' });
    expect(detail.events.map((e) => e.kind)).toEqual(['identified', 'eliminated', 'rolled_back', 'eliminated']);

    const tooEarly = await ledger.call('case.reflag', {
      previousCaseId: c.id,
      category: '突发严重困难户',
      channel: '农户自主申报',
      clueDate: '2026-07-01',
      risks: [{ riskType: '因意外事故' }],
    });
    expect(tooEarly.ok ? null : tooEarly.error).toMatchObject({ field: 'clueDate' });
    const reflag = await ledger.run('case.reflag', {
      previousCaseId: c.id,
      category: '突发严重困难户',
      channel: '农户自主申报',
      clueDate: '2026-09-01',
      risks: [{ riskType: '因意外事故' }],
    });
    expect(reflag).toMatchObject({ status: '识别中', previousCaseId: c.id, householdId: fam.householdId });
    await ledger.close();
  });

  it('never eliminates a whole household without labour capacity', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    for (const id of [fam.headId, fam.spouseId])
      await ledger.run('person.update', { id, labourCapacity: '丧失劳动力' });
    const c = await openCase(ledger, fam.householdId);
    await identify(ledger, c.id);
    await readyForElimination(ledger, fam.householdId, c.id);
    const r = await ledger.call('case.advance', {
      caseId: c.id,
      stage: 'e_verify',
      doneOn: '2025-10-21',
      method: '帮扶消除',
      actor: '甲、乙',
    });
    expect(r.ok ? '' : r.error.message).toContain('不是整户无劳动能力家庭');
    await ledger.close();
  });

  it('keeps helpers, visits and measures on the household', async () => {
    const { ledger, villageId } = await newLedger();
    const fam = await familyOf(ledger, villageId, 1);
    const helper = await ledger.run('helper.create', { name: '王帮扶', unit: '县农业农村局', phone: '13912345678' });
    await ledger.run('helper.assign', { householdId: fam.householdId, helperId: helper.id, startDate: '2025-03-12' });
    const overlap = await ledger.call('helper.assign', {
      householdId: fam.householdId,
      helperId: helper.id,
      startDate: '2025-06-01',
    });
    expect(overlap.ok ? null : overlap.error).toMatchObject({ code: 'conflict' });
    await ledger.run('visit.add', {
      householdId: fam.householdId,
      helperId: helper.id,
      visitedOn: '2025-04-02',
      method: '入户',
      findings: '收入稳定',
    });
    const badMeasure = await ledger.call('measure.add', {
      householdId: fam.householdId,
      category: '健康帮扶',
      startDate: '2025-05-01',
      endDate: '2025-04-01',
    });
    expect(badMeasure.ok ? null : badMeasure.error).toMatchObject({ field: 'endDate' });
    const badCategory = await ledger.call('measure.add', {
      householdId: fam.householdId,
      category: '发钱' as never,
      startDate: '2025-05-01',
    });
    expect(badCategory.ok ? null : badCategory.error.field).toBe('category');
    const detail = await ledger.run('household.get', { id: fam.householdId });
    expect(detail.helpers.map((h) => h.helperName)).toEqual(['王帮扶']);
    expect(detail.visits).toHaveLength(1);
    await ledger.close();
  });
});
