/**
 * Files in the national system's layouts (../shared/national-layouts.md), built here from the header lists
 * verbatim with synthetic people: title rows above the header, the national labels a member may carry.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeId, newLedger, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

/** The 2022 national person list (名单), 31 columns, header on row 3 under two title rows. */
const PERSON_LIST_2022 = [
  '序号', '县(市、区、旗)', '乡(镇)', '行政村', '自然村', '户编号', '人编号', '姓名', '证件号码', '人数', '与户主关系',
  '民族', '文化程度', '在校生状况', '健康状况', '劳动技能', '务工时间（月）', '是否参加大病保险', '致贫原因1', '危房户',
  '是否解决安全饮用水', '人均纯收入', '户联系电话', '人联系电话', '首次识别时间', '人员识别时间', '户类型',
  '易返贫致贫户(监测对象)类型', '风险是否消除', '风险识别时间', '风险消除时间',
]; // prettier-ignore

async function nationalWorkbook(file: string, header: string[], rows: Record<string, string | number>[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['已脱贫人口名单']);
  ws.addRow(['导出时间：2026-11-01']);
  ws.addRow(header);
  rows.forEach((r, i) => ws.addRow(header.map((h) => (h === '序号' ? i + 1 : (r[h] ?? null)))));
  await wb.xlsx.writeFile(file);
}

describe('national person list (2022 名单)', () => {
  it('takes every member with the national labels (之外祖母, 学龄前儿童, bare 小学, 高职高专, 技师学院)', async () => {
    const { ledger } = await newLedger();
    const hh = { 行政村: '青山村', 户编号: '529901101001000009', 户类型: '脱贫户', 户联系电话: '13800001111' };
    const rows = [
      { ...hh, 姓名: '韦国强', 证件号码: makeId('1975-04-02', '男', 11), 与户主关系: '户主', 文化程度: '初中' },
      { ...hh, 姓名: '李秀兰', 证件号码: makeId('1977-09-12', '女', 12), 与户主关系: '配偶', 文化程度: '小学' },
      {
        ...hh,
        姓名: '黄老太',
        证件号码: makeId('1940-01-20', '女', 13),
        与户主关系: '之外祖母',
        文化程度: '文盲或半文盲',
      },
      {
        ...hh,
        姓名: '韦小宝',
        证件号码: makeId('2022-06-01', '男', 14),
        与户主关系: '之孙子',
        在校生状况: '学龄前儿童',
      },
      { ...hh, 姓名: '韦小玲', 证件号码: makeId('2016-03-05', '女', 15), 与户主关系: '之女', 在校生状况: '小学' },
      { ...hh, 姓名: '韦大军', 证件号码: makeId('2006-07-07', '男', 16), 与户主关系: '之子', 文化程度: '高职高专' },
      {
        ...hh,
        姓名: '韦二军',
        证件号码: makeId('2008-08-08', '男', 17),
        与户主关系: '之子',
        在校生状况: '技师学院二年级',
      },
    ];
    const file = path.join(dir, 'person-list-2022.xlsx');
    await nationalWorkbook(file, PERSON_LIST_2022, rows);

    const r = await ledger.run('import.run', { kind: 'households', file });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ read: 7, inserted: 7, rejected: 0 });
    const stored = ledger.store.raw
      .prepare('SELECT name, relation, gender, education, school_status AS school FROM person ORDER BY id')
      .all();
    expect(stored).toEqual([
      { name: '韦国强', relation: '户主', gender: '男', education: '初中', school: null },
      { name: '李秀兰', relation: '配偶', gender: '女', education: '小学', school: null },
      { name: '黄老太', relation: '之外祖母', gender: '女', education: '文盲或半文盲', school: null },
      { name: '韦小宝', relation: '之孙子', gender: '男', education: null, school: '学龄前儿童' },
      { name: '韦小玲', relation: '之女', gender: '女', education: null, school: '小学' },
      { name: '韦大军', relation: '之子', gender: '男', education: '高职高专', school: null },
      { name: '韦二军', relation: '之子', gender: '男', education: null, school: '技师学院二年级' },
    ]);
    // A national label with the wrong gender for its relation is still refused, naming the row and column.
    await nationalWorkbook(file, PERSON_LIST_2022, [
      { ...hh, 姓名: '黄老爷', 证件号码: makeId('1938-02-02', '女', 18), 与户主关系: '之外祖父' },
    ]);
    const bad = await ledger.run('import.run', { kind: 'households', file });
    expect(bad).toMatchObject({ read: 1, inserted: 0, rejected: 1 });
    expect(bad.errors[0]).toMatchObject({ sheet: 'Sheet1', row: 4, column: '与户主关系' });
    await ledger.close();
  });
});
