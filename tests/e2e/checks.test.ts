/** 数据校验 through the UI on the demo township: findings by rule and village, open a record, fix it, re-run, confirm. */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { tempDbPath } from '../helpers.ts';
import { startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
beforeAll(async () => {
  const file = tempDbPath('demo-checks.sqlite');
  const seed = await openLedger(file, { create: true });
  await seed.run('setup.loadDemo', {});
  await seed.close();
  app = await startApp(file);
  ui = new Shell(app.page);
});
afterAll(async () => {
  await app?.close();
});

describe('数据校验 page', () => {
  it('lists the findings grouped by rule and village, opens a record, and shows the fix after a re-run', async () => {
    const expected = await app.ledger.run('rules.run', { month: '2026-10' });
    expect(expected.findings.length).toBeGreaterThan(0);
    await ui.go('数据校验');
    await app.page.getByLabel('校验月份').fill('2026-10');
    await ui.button('开始校验').click();
    const totals = app.page.getByTestId('check-totals');
    await expect.poll(() => totals.innerText()).toContain(`错误 ${expected.errors} 条`);
    expect(await totals.innerText()).toContain(`提示 ${expected.warnings} 条`);

    const phones = expected.findings.filter((f) => f.rule === 'RY15');
    expect(phones.length).toBeGreaterThan(0);
    await app.page.getByRole('region', { name: '按规则汇总' }).getByRole('button', { name: /RY15/ }).click();
    const grid = ui.grid('findings-grid');
    await expect.poll(() => grid.texts('rule')).toEqual(phones.map(() => 'RY15'));
    await app.page
      .getByRole('region', { name: '按规则汇总' })
      .getByRole('button', { name: new RegExp(`^${phones[0]!.villageName} \\d+$`) })
      .click();
    await expect.poll(() => grid.texts('villageName')).toEqual([phones[0]!.villageName]);
    await app.shot('08-checks');

    await grid.row(0).getByRole('link', { name: '打开' }).click();
    await app.page.getByRole('region', { name: '农户详情' }).waitFor();
    const members = ui.grid('members-grid');
    const names = await members.texts('name');
    const person = (await app.ledger.run('household.get', { id: phones[0]!.householdId! })).members.find((m) =>
      phones[0]!.message.includes(m.name),
    )!;
    await members.type(names.indexOf(person.name), 'phone', '13912345678');
    await expect.poll(() => members.status().innerText()).toContain('已保存');

    await ui.go('数据校验');
    await app.page.getByLabel('校验月份').fill('2026-10');
    await ui.button('开始校验').click();
    await expect.poll(() => totals.innerText()).toContain(`错误 ${expected.errors - 1} 条`);
  });

  it('asks for a reason to go on with errors and records it in the audit log', async () => {
    await ui.button('确认上报…').click();
    const d = ui.dialog();
    await d.fill({ reason: '个别电话号码待村里核实，先行上报' });
    await d.submit(/确认并记录/);
    await expect.poll(() => app.page.getByRole('status').first().innerText()).toContain('已记录');
    const log = await app.ledger.run('audit.list', { filter: { entity: '数据校验' } });
    expect(log.rows[0]!.summary).toContain('个别电话号码待村里核实');

    const now = await app.ledger.run('rules.run', {});
    await ui.go('工作台');
    await expect.poll(() => app.page.getByTestId('check-counts').innerText()).toBe(`${now.errors} / ${now.warnings}`);
    expect(app.problems).toEqual([]);
  });

  it('报表 warns about 错误 findings, takes a reason, exports and archives the workbook', async () => {
    await ui.go('报表');
    await app.page.getByLabel('报表月份').fill('2026-10');
    const stats = await app.ledger.run('stats.month', { month: '2026-10' });
    await expect
      .poll(() => app.page.getByRole('region', { name: '月报预览' }).innerText())
      .toContain(`${stats.households} / ${stats.persons}`);
    await ui.button('导出月报').click();
    const d = ui.dialog();
    expect(await d.root.innerText()).toContain('条错误');
    await d.fill({ reason: '预置演示错误，已知悉' });
    await d.submit(/仍然导出/);
    const result = app.page.getByRole('status', { name: '导出结果' });
    await expect.poll(() => result.innerText(), { timeout: 30_000 }).toContain('已导出');
    const file = /已导出：(.+?\.xlsx)/.exec(await result.innerText())![1]!;
    expect(fs.existsSync(file)).toBe(true);
    const archive = await app.ledger.run('report.archive', { month: '2026-10' });
    expect(archive[0]).toMatchObject({ kind: 'monthly', fileName: '2026-10 月报.xlsx' });
    await expect
      .poll(() => app.page.getByRole('region', { name: '导出存档' }).innerText())
      .toContain('2026-10 月报.xlsx');
    const log = await app.ledger.run('audit.list', { filter: { entity: '数据校验' } });
    expect(log.rows[0]!.summary).toContain('预置演示错误，已知悉');
    await app.shot('09-reports');
    expect(app.problems).toEqual([]);
  });
});
