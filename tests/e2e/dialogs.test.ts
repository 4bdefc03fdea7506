/**
 * Dialogs the month walk-through does not open (parameters, township, village, group, threshold, helper, visit,
 * reject, member status change, the 数据校验 confirmation), filled through the UI: with forms typed from the
 * operations' schemas, what a dialog sends must be what the core accepts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeId, tempDbPath } from '../helpers.ts';
import { startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
beforeAll(async () => {
  app = await startApp(tempDbPath('adhoc.sqlite'));
  ui = new Shell(app.page);
  app.page.on('dialog', (d) => void d.accept());
  const r = app.ledger.run.bind(app.ledger);
  await r('settings.update', {
    townshipName: '青山镇',
    townshipCode: '529901101000',
    county: '示例县',
    province: '贵州省',
  });
  await r('village.create', { code: '529901101001', name: '青山村' });
  const h = await r('household.create', { villageId: 1, hhNo: '529901101001000001' });
  await r('person.create', {
    householdId: h.id,
    idNumber: makeId('1970-05-06', '男', 7),
    name: '王建国',
    relation: '户主',
  });
  await r('person.create', {
    householdId: h.id,
    idNumber: makeId('1972-08-09', '女', 7),
    name: '李秀英',
    relation: '配偶',
  });
  await r('case.create', {
    householdId: h.id,
    category: '边缘易致贫户',
    channel: '基层干部排查',
    clueDate: '2026-10-01',
    risks: [{ riskType: '因病' }],
  });
  await app.page.reload();
});
afterAll(async () => {
  await app?.close();
});

describe('dialogs beyond the month walk-through', () => {
  it('settings dialogs', async () => {
    await ui.go('设置');
    await ui.button('修改参数').click();
    let d = ui.dialog();
    await d.fill({ identificationDays: '20' });
    await d.field('postOnePerHousehold').uncheck();
    await d.submit();
    const p = await app.ledger.run('parameters.get', {});
    expect(p.identificationDays).toBe(20);
    expect(p.postOnePerHousehold).toBe(false);
    expect(p.minMonthsBlocksElimination).toBe(false);
    await app.page.getByRole('button', { name: '修改', exact: true }).click();
    d = ui.dialog();
    await d.fill({ county: '新县' });
    await d.submit();
    expect((await app.ledger.run('settings.get', {}))!.county).toBe('新县');
    await ui.button('新增行政村').click();
    d = ui.dialog();
    await d.fill({ code: '529901101002', name: '石桥村' });
    await d.submit();
    await ui.button('添加小组').first().click();
    d = ui.dialog();
    await d.fill({ name: '一组' });
    await d.submit();
    const v = await app.ledger.run('village.list', {});
    expect(v.map((x) => x.name)).toContain('石桥村');
    expect(v[0]!.groups.map((g) => g.name)).toEqual(['一组']);
    await ui.button('设置年度标准').click();
    d = ui.dialog();
    await d.fill({ year: '2026', amountFen: '8000' });
    await d.submit();
    expect((await app.ledger.run('thresholds.list', {})).find((t) => t.year === 2026)?.amountFen).toBe(800_000);
  });

  it('helper assign, reject, member status change, checks confirm', async () => {
    await app.page.goto(app.url + '#/cases?id=1');
    await app.page.getByRole('region', { name: '监测对象详情' }).waitFor();
    await ui.button('指定责任人').click();
    let d = ui.dialog();
    await d.fill({ newName: '张干部', newUnit: '镇政府', newPhone: '13900001111' });
    await d.submit();
    const det = await app.ledger.run('case.get', { id: 1 });
    expect(det.helpers.map((h) => h.helperName)).toEqual(['张干部']);
    await ui.button('登记走访').click();
    d = ui.dialog();
    await d.fill({ helperId: '张干部（镇政府）', findings: 'ok' });
    await d.check('newRisk');
    await d.submit();
    const visits = (await app.ledger.run('case.get', { id: 1 })).visits;
    expect(visits[0]).toMatchObject({ helperId: 1, newRisk: 1, findings: 'ok' });
    await ui.button('否决').click();
    d = ui.dialog();
    await d.fill({ reason: '收入达标' });
    await d.submit();
    expect((await app.ledger.run('case.get', { id: 1 })).case.status).toBe('已否决');

    await app.page.goto(app.url + '#/households?id=1');
    await app.page.getByRole('region', { name: '农户详情' }).waitFor();
    await ui.grid('members-grid').cell(1, 'name').click();
    await ui.button('成员变动').click();
    d = ui.dialog();
    await d.fill({ kind: '迁出', effectiveDate: '2026-10-10', note: '外嫁' });
    await d.submit();
    const m = (await app.ledger.run('household.get', { id: 1 })).members.find((x) => x.name === '李秀英');
    expect(m?.leftOn).toBe('2026-10-10');

    await ui.go('数据校验');
    await ui.button('开始校验').click();
    await ui.button('确认上报…').click();
    d = ui.dialog();
    await d.fill({ reason: '已核实' });
    await d.submit(/确认并记录/);
    await app.page.getByText('已记录：').waitFor();
    expect(app.problems.filter((p) => !p.includes('favicon'))).toEqual([]);
  });
});
