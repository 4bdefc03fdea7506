/**
 * Day one from files alone: which layout a file is, kinds run in order, villages created from names, the
 * header row and columns chosen by hand and remembered for the next file of that layout.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { makeId, newLedger, tempDbPath, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

async function workbook(file: string, rows: (string | number | null)[][], titles = ['导出表', '导出时间：2026-11-01']) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const t of titles) ws.addRow([t]);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

describe('layout detection', () => {
  it('names each national layout by its headers, whatever their order, and the kinds it feeds', async () => {
    const { ledger } = await newLedger();
    const cases: [string[], string, string[]][] = [
      [['证件号码', '行政村', '与户主关系', '监测对象类别', '姓名', '识别监测时间'], '监测对象信息（每人一行）', ['households', 'monitoring']],
      [['序号', '户编号', '人编号', '姓名', '证件号码', '易返贫致贫户(监测对象)类型'], '2022年名单', ['households', 'monitoring']],
      [['县', '户编号', '证件号码', '是否已务工', '开始时间'], '已外出务工信息', ['work']],
      [['县', '证件号码', '是否计划务工', '就业服务需求'], '计划外出务工信息', ['work']],
      [['所属行政区', '姓名', '身份证号', '就业岗位(工种)', '就业起始年月'], '公益性岗位就业信息', ['posts']],
      [['户编号', '户主姓名', '监测对象类别', '识别监测时间'], '监测对象户花名册', ['monitoring']],
      [['行政村名称', '行政区划代码'], '行政村信息', ['villages']],
      [['安置点名称', '户编号', '入住时间'], '按列名识别为「易地搬迁户」', ['relocation']],
    ]; // prettier-ignore
    for (const [i, [header, name, kinds]] of cases.entries()) {
      const file = await workbook(path.join(dir, `layout-${i}.xlsx`), [header]);
      const found = await ledger.run('import.detect', { file });
      expect(found, name).toMatchObject({ sheet: 'Sheet1', kinds });
      expect(found!.name).toContain(name);
    }
    const unknown = await workbook(path.join(dir, 'layout-unknown.xlsx'), [['甲', '乙', '丙']]);
    expect(await ledger.run('import.detect', { file: unknown })).toBeNull();
    await ledger.close();
  });
});

describe('a new ledger from files alone', () => {
  it('creates the villages a person list names when asked, and refuses them with a way out when not', async () => {
    const ledger = await openLedger(tempDbPath('blank.sqlite'), { create: true, today: () => '2026-11-22' });
    const file = await workbook(path.join(dir, 'new-villages.xlsx'), [
      ['行政村', '户编号', '姓名', '证件号码', '与户主关系'],
      ['白岩村', 'B-1', '白一', makeId('1970-01-01', '男', 61), '户主'],
      ['测试县测试镇黑石村', 'K-1', '黑一', makeId('1971-01-01', '男', 62), '户主'],
      ['白岩村', 'B-1', '白二', makeId('1972-01-01', '女', 63), '配偶'],
    ]);
    const refused = await ledger.run('import.preview', { kind: 'households', file });
    expect(refused).toMatchObject({ rejected: 3, inserted: 0 });
    expect(refused.errors[0]).toMatchObject({
      row: 4,
      column: '行政村',
      message: expect.stringContaining('新建这些村'),
    });

    const r = await ledger.run('import.run', { kind: 'households', file, createVillages: true });
    expect(r).toMatchObject({ inserted: 3, rejected: 0, villagesCreated: ['白岩村', '黑石村'] });
    expect(await ledger.run('village.list', {})).toMatchObject([
      { name: '白岩村', code: null, households: 1 },
      { name: '黑石村', code: null, households: 1 },
    ]);
    // The codes are filled in later, in 设置.
    const [white] = await ledger.run('village.list', {});
    await ledger.run('village.update', { id: white!.id, code: '529901101002' });
    expect((await ledger.run('village.list', {}))[0]).toMatchObject({ code: '529901101002' });
    await ledger.close();
  });

  it('takes the header row the user names, and remembers the columns for the next file of that layout', async () => {
    const { ledger } = await newLedger();
    // A layout nobody taught the importer: a note row, then the header on row 4 with unusual names.
    const rows = (seq: number) => [
      ['单位：测试镇', '', '', '', ''],
      ['村', '家庭编号', '名字', '居民身份号码', '家庭角色'],
      ['青山村', `Q-${seq}`, `秦${seq}`, makeId('1980-01-01', '男', 70 + seq), '户主'],
    ];
    const first = await workbook(path.join(dir, 'odd-1.xlsx'), rows(1), ['花名册']);
    const mapping = { village: 0, hhNo: 1, name: 2, idNumber: 3, relation: 4 };
    const r = await ledger.run('import.run', { kind: 'households', file: first, headerRow: 2, mapping });
    expect(r).toMatchObject({ inserted: 1, rejected: 0, headerRow: 2 });

    const next = await workbook(path.join(dir, 'odd-2.xlsx'), rows(2), ['花名册']);
    const again = await ledger.run('import.preview', { kind: 'households', file: next, mapping: {} });
    expect(again).toMatchObject({ inserted: 1, rejected: 0, savedMapping: true, headerRow: 2 });
    expect(again.mapping!.filter((m) => m.column !== null).map((m) => [m.field, m.column])).toEqual([
      ['village', 0],
      ['hhNo', 1],
      ['name', 2],
      ['idNumber', 3],
      ['relation', 4],
    ]);
    await ledger.close();
  });
});
