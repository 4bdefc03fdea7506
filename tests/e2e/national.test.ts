/**
 * A new ledger reaches a correct state from files alone, through the 导入 page in Chromium: the person-level
 * monitoring export (its villages created from their names), the village list (their codes), the 务工 export and
 * the county post roster; then next month's export is compared with the ledger and half the differences taken.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { makeId, tempDbPath, tempDir } from '../helpers.ts';
import { startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
let dir: string;

async function workbook(name: string, header: string[], rows: Record<string, string | number>[], titles: string[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const t of titles) ws.addRow([t]);
  ws.addRow(header);
  for (const r of rows) ws.addRow(header.map((h) => r[h] ?? null));
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}
const NATIONAL_TITLES = ['（自定义）监测对象信息', '导出时间：2026-11-01'];

const PERSONS = [
  '县', '乡', '行政村', '户编号', '户类型', '监测对象类别', '证件类型', '证件号码', '姓名', '与户主关系', '民族',
  '劳动技能', '户联系电话', '识别监测时间', '致贫/返贫风险1', '风险是否已消除', '就业帮扶',
]; // prettier-ignore
const place = { 县: '测试县', 乡: '测试镇', 证件类型: '居民身份证', 民族: '汉族', 劳动技能: '普通劳动力' };
const A = { ...place, 行政村: '青山村', 户编号: '529901101001000701', 户类型: '脱贫户', 户联系电话: '13800000701' };
const B = { ...place, 行政村: '石桥村', 户编号: '529901101002000702', 户类型: '一般农户', 户联系电话: '13800000702' };
const monitored = {
  监测对象类别: '边缘易致贫户',
  识别监测时间: '202405',
  '致贫/返贫风险1': '因病',
  风险是否已消除: '否',
};
const ID = {
  黎一: makeId('1970-03-03', '男', 91),
  黎二: makeId('1973-04-04', '女', 92),
  莫一: makeId('1968-05-05', '男', 93),
  莫二: makeId('1995-06-06', '女', 94),
};
const rows = (phoneA = A.户联系电话) => [
  { ...A, 户联系电话: phoneA, ...monitored, 就业帮扶: '劳务输出', 证件号码: ID.黎一, 姓名: '黎一', 与户主关系: '户主' },
  { ...A, 户联系电话: phoneA, ...monitored, 证件号码: ID.黎二, 姓名: '黎二', 与户主关系: '配偶' },
  { ...B, 证件号码: ID.莫一, 姓名: '莫一', 与户主关系: '户主' },
  { ...B, 证件号码: ID.莫二, 姓名: '莫二', 与户主关系: '之女' },
];

beforeAll(async () => {
  dir = tempDir();
  const db = tempDbPath('from-files.sqlite');
  const blank = await openLedger(db, { create: true });
  await blank.run('settings.update', {
    townshipName: '测试镇',
    townshipCode: '529901101000',
    county: '测试县',
    province: '贵州省',
  });
  await blank.close();
  app = await startApp(db, { today: '2026-11-22' });
  ui = new Shell(app.page);
});
afterAll(async () => {
  await app?.close();
});

describe('a new ledger from files alone', () => {
  const counts = () => app.page.getByTestId('import-counts').innerText();
  const upload = (file: string) => app.page.getByLabel('选择要导入的文件').setInputFiles(file);
  const confirm = async () => {
    await ui.button('确认导入').click();
    await app.page.getByRole('region', { name: '导入结果' }).waitFor();
  };

  it('takes the monitoring export (creating its villages), the village list, 务工 and the post roster', async () => {
    await ui.go('导入');
    await upload(await workbook('监测对象信息.xlsx', PERSONS, rows(), NATIONAL_TITLES));
    await expect.poll(() => app.page.getByTestId('import-layout').innerText()).toContain('监测对象信息（每人一行）');
    expect(await app.page.getByTestId('import-layout').innerText()).toContain('农户与家庭成员 → 监测对象');
    // A new ledger knows no villages: every row is refused, with a way out on the page.
    await expect.poll(counts).toContain('拒收 4');
    await app.shot('30-national-unknown-villages');
    await ui.button('新建这些村并重新检查').click();
    await expect.poll(counts).toContain('新增 4');
    expect(await app.page.getByRole('region', { name: '导入预览' }).innerText()).toContain(
      '将新建行政村 2 个：青山村、石桥村',
    );
    await confirm();
    // The same file feeds the cases next.
    await ui.button('继续导入：监测对象').click();
    await expect.poll(counts).toContain('新增 1');
    expect(await counts()).toContain('跳过 3');
    await app.shot('31-national-monitoring-next');
    await confirm();

    await upload(
      await workbook(
        '行政村信息.xlsx',
        ['行政村名称', '行政区划代码'],
        [
          { 行政村名称: '青山村', 行政区划代码: '529901101001' },
          { 行政村名称: '石桥村', 行政区划代码: '529901101002' },
        ],
        ['（自定义）行政村信息'],
      ),
    );
    await expect.poll(() => app.page.getByTestId('import-layout').innerText()).toContain('行政村信息');
    await expect.poll(counts).toContain('更新 2');
    await confirm();

    await upload(
      await workbook(
        '已外出务工信息.xlsx',
        ['县', '乡', '行政村', '户编号', '证件号码', '是否已务工', '开始时间', '结束时间', '务工所在县', '就业渠道'],
        [
          { 行政村: '石桥村', 户编号: B.户编号, 证件号码: ID.莫二, 是否已务工: '是', 开始时间: '2026年03月', 务工所在县: '广东省深圳市宝安区', 就业渠道: '省外' }, // prettier-ignore
        ],
        ['（务工月监测）已外出务工信息', '导出时间：2026-11-01'],
      ),
    );
    await expect.poll(() => app.page.getByTestId('import-layout').innerText()).toContain('已外出务工信息');
    await expect.poll(counts).toContain('新增 1');
    await confirm();

    const roster = ['所属行政区', '姓名', '身份证号', '就业岗位(工种)', '就业单位名称', '就业起始年月', '就业终止年月', '岗位补贴']; // prettier-ignore
    await upload(
      await workbook(
        '公益性岗位就业信息.xlsx',
        roster,
        [
          { 所属行政区: '贵州省测试县测试镇青山村', 姓名: '黎二', 身份证号: ID.黎二, '就业岗位(工种)': '保洁员', 就业单位名称: '青山村村民委员会', 就业起始年月: '202604', 就业终止年月: '202612', 岗位补贴: '500' }, // prettier-ignore
        ],
        [],
      ),
    );
    await expect.poll(() => app.page.getByTestId('import-layout').innerText()).toContain('公益性岗位就业信息');
    await expect.poll(counts).toContain('新增 1');
    await confirm();

    const ledger = app.ledger;
    expect((await ledger.run('village.list', {})).map((v) => [v.name, v.code, v.households])).toEqual([
      ['青山村', '529901101001', 1],
      ['石桥村', '529901101002', 1],
    ]);
    expect((await ledger.run('person.list', {})).total).toBe(4);
    expect((await ledger.run('case.list', {})).rows.map((c) => [c.category, c.status])).toEqual([
      ['边缘易致贫户', '监测中'],
    ]);
    expect(ledger.store.raw.prepare('SELECT channel, place, start_month FROM employment').all()).toEqual([
      { channel: '省外务工', place: '广东省深圳市宝安区', start_month: '2026-03' },
    ]);
    expect(ledger.store.raw.prepare('SELECT hired_on FROM placement').all()).toEqual([{ hired_on: '2026-04-01' }]);
    // The 务工 record shows in the household's detail, editable like any sheet.
    await ui.go('农户与人口');
    const households = ui.grid('households-grid');
    await expect.poll(() => households.texts('hhNo')).toContain(B.户编号);
    await households.cell((await households.texts('hhNo')).indexOf(B.户编号), 'hhNo').click();
    const work = ui.grid('household-work');
    await expect.poll(() => work.texts('personName')).toEqual(['莫二']);
    expect(await work.texts('channel')).toEqual(['省外务工']);
    await app.shot('33-national-household-work');
    // Every record written has its own audit entry.
    expect(
      (ledger.store.raw.prepare("SELECT count(*) AS n FROM audit_log WHERE action = '导入' AND entity_id IS NULL AND summary LIKE '%新增%'").get() as { n: number }).n, // prettier-ignore
    ).toBeGreaterThan(0);
    expect(app.problems).toEqual([]);
  });

  it("compares next month's export with the ledger and takes only what the user chose", async () => {
    await ui.go('导入');
    await upload(await workbook('监测对象信息-12月.xlsx', PERSONS, rows('13800009701'), NATIONAL_TITLES));
    await expect.poll(counts).toContain('更新');
    const panel = app.page.getByRole('region', { name: '国家系统比对' });
    await panel.getByRole('button', { name: '与台账比对' }).click();
    await expect.poll(() => app.page.getByTestId('reconcile-counts').innerText()).toContain('不一致 1 处');
    const grid = ui.grid('reconcile-differences');
    expect(await grid.texts('label')).toEqual(['户联系电话']);
    expect(await grid.texts('choice')).toEqual(['保留台账']);
    await grid.cell(0, 'group').click();
    await panel.getByRole('button', { name: '本户全部采用' }).click();
    await expect.poll(() => grid.texts('choice')).toEqual(['采用国家系统']);
    await app.shot('32-national-reconcile');
    await panel.getByRole('button', { name: /按选择更新台账/ }).click();
    await expect.poll(() => panel.innerText()).toContain('已采用国家系统的值 1 项');
    await expect.poll(() => app.page.getByTestId('reconcile-counts').innerText()).toContain('不一致 0 处');
    const phone = app.ledger.store.raw.prepare('SELECT phone FROM household WHERE hh_no = ?').get(A.户编号);
    expect(phone).toEqual({ phone: '13800009701' });
    expect(app.problems).toEqual([]);
  });
});
