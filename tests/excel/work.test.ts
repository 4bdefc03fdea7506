/**
 * The national 务工月监测 exports (../shared/national-layouts.md §3), built here from the verbatim headers with
 * synthetic people under two title rows: imported after the person list, row by row, again unchanged; then the
 * monthly submission's T11 务工监测 sheets read back for a known month.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Ledger } from '../../main/core/ledger.ts';
import { workRegion } from '../../main/core/excel/work-region.ts';
import { noteWithChannel, readChannel } from '../../main/core/excel/import/work-channel.ts';
import { makeId, newLedger, tempDir } from '../helpers.ts';

const WORKED_OUT = [
  '县', '乡', '行政村', '户编号', '证件号码', '户类型', '监测对象类别', '是否已务工', '开始时间', '结束时间',
  '务工所在县', '就业渠道', '所属行业', '务工企业名称', '务工月收入', '是否点对点输送', '年度交通费补助',
]; // prettier-ignore
const PLANNED = ['县', '乡', '行政村', '户编号', '证件号码', '户类型', '是否计划务工', '就业服务需求'];
/** A customised person-level export: households, members and the monitored household's case. */
const PERSONS = [
  '县', '乡', '行政村', '户编号', '户类型', '监测对象类别', '证件号码', '姓名', '性别', '出生日期', '与户主关系',
  '在校生状况', '劳动技能', '识别监测时间', '致贫/返贫风险1', '风险是否已消除',
]; // prettier-ignore

type Cells = Record<string, string | number>;

async function nationalWorkbook(file: string, title: string, header: string[], rows: Cells[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow([title]);
  ws.addRow(['导出时间：2026-10-20']);
  ws.addRow(header);
  for (const r of rows) ws.addRow(header.map((h) => r[h] ?? null));
  await wb.xlsx.writeFile(file);
}

const place = { 县: '测试县', 乡: '测试镇', 行政村: '青山村' };
const A = { ...place, 户编号: '529901101001000301', 户类型: '脱贫户' };
const B = { ...place, 户编号: '529901101001000302', 户类型: '一般农户' };
const C = { ...place, 户编号: '529901101001000303', 户类型: '一般农户' };
const D = { ...place, 户编号: '529901101001000304', 户类型: '脱贫户' };
const ID = {
  韦一: makeId('1975-01-10', '男', 51),
  韦二: makeId('1978-02-11', '女', 52),
  韦三: makeId('2012-03-12', '男', 53),
  韦四: makeId('1960-04-13', '男', 54),
  罗一: makeId('1985-05-14', '男', 55),
  罗二: makeId('1988-06-15', '女', 56),
  潘一: makeId('1980-07-16', '男', 57),
  杨一: makeId('1990-08-17', '男', 58),
  外人: makeId('1982-09-18', '女', 59),
};

const person = (hh: Cells, name: keyof typeof ID, gender: string, relation: string, extra: Cells = {}): Cells => ({
  ...hh,
  姓名: name,
  证件号码: ID[name],
  性别: gender,
  出生日期: ID[name].slice(6, 14),
  与户主关系: relation,
  劳动技能: '普通劳动力',
  ...extra,
});

const PEOPLE: Cells[] = [
  person(A, '韦一', '男', '户主'),
  person(A, '韦二', '女', '配偶'),
  person(A, '韦三', '男', '之子', { 在校生状况: '八年级', 劳动技能: '无劳动力' }),
  person(A, '韦四', '男', '之父', { 劳动技能: '弱劳动力或半劳动力' }),
  person(B, '罗一', '男', '户主', {
    监测对象类别: '边缘易致贫户',
    识别监测时间: '202403',
    '致贫/返贫风险1': '因病',
    风险是否已消除: '否',
    劳动技能: '技能劳动力',
  }),
  person(B, '罗二', '女', '配偶'),
  person(C, '潘一', '男', '户主'),
  person(D, '杨一', '男', '户主'),
];

const spell = (hh: Cells, name: keyof typeof ID, cells: Cells): Cells => ({
  ...hh,
  证件号码: ID[name],
  是否已务工: '是',
  ...cells,
});

/** Rows 4–15 of the 已外出 file (the header is on row 3). */
const WORK_ROWS: Cells[] = [
  // 4: 外出务工 names no ledger channel: kept in the note, with a warning; the region comes from the place.
  spell(A, '韦一', {
    开始时间: '2026年03月', 务工所在县: '广东省深圳市宝安区', 就业渠道: '外出务工', 所属行业: '制造业',
    务工企业名称: '深圳某电子厂', 务工月收入: 4500, 是否点对点输送: '是', 年度交通费补助: 500,
  }), // prettier-ignore
  // 5: YYYYMM as a number cell; 公益岗位 is the ledger's 公益性岗位.
  spell(A, '韦二', {
    开始时间: 202601, 结束时间: '202612', 务工所在县: '测试县', 就业渠道: '公益岗位', 所属行业: '公共管理',
    务工企业名称: '青山村村民委员会', 务工月收入: '600', 是否点对点输送: '否',
  }), // prettier-ignore
  // 6: 66 years old, not labour; an unreadable 是否点对点输送 is left unknown with a warning.
  spell(A, '韦四', {
    开始时间: '2026年05月', 务工所在县: '测试县测试镇', 就业渠道: '县内务工', 所属行业: '建筑业',
    务工企业名称: '某建筑队', 务工月收入: 3000, 是否点对点输送: '不清楚',
  }), // prettier-ignore
  // 7 and 8: two spells of one person, both covering October 2026.
  spell(B, '罗一', {
    开始时间: '2025年10月', 结束时间: '2026年10月', 务工所在县: '贵州省贵阳市云岩区', 就业渠道: '省内县外务工',
    所属行业: '住宿和餐饮业', 务工企业名称: '某酒店', 务工月收入: 3200, 是否点对点输送: '否', 年度交通费补助: 300,
  }), // prettier-ignore
  spell(B, '罗一', {
    开始时间: '2026年10月', 务工所在县: '贵州省遵义市汇川区', 所属行业: '制造业', 务工企业名称: '某工厂',
    务工月收入: 3800, 是否点对点输送: '否',
  }), // prettier-ignore
  // 9: a city without its province: 地域不详.
  spell(B, '罗二', { 开始时间: '2026-08', 务工所在县: '深圳市', 务工企业名称: '某物业', 务工月收入: '3,600元' }),
  // 10: an ordinary household (not in T11); its 户编号 differs from the ledger's: taken by the ID, with a warning.
  spell({ ...C, 户编号: '529901101001000399' }, '潘一', {
    开始时间: '2026年02月', 务工所在县: '浙江省杭州市', 就业渠道: '灵活就业', 务工月收入: 5000,
  }), // prettier-ignore
  // 11: not working: skipped.
  spell(D, '杨一', { 是否已务工: '否' }),
  // 12: not in the ledger.
  spell(place, '外人', { 开始时间: '2026年04月', 务工所在县: '浙江省杭州市' }),
  // 13: a month that does not exist.
  spell(A, '韦三', { 开始时间: '2026年13月', 务工所在县: '测试县' }),
  // 14: an amount that is not one.
  spell(D, '杨一', { 开始时间: '2026年09月', 务工所在县: '测试县', 务工月收入: '四千五' }),
  // 15: the same person and start month as row 4.
  spell(A, '韦一', { 开始时间: '202603', 务工所在县: '广东省深圳市' }),
];

const PLAN_ROWS: Cells[] = [
  { ...B, 证件号码: ID.罗二, 是否计划务工: '是', 就业服务需求: '职业介绍' },
  { ...D, 证件号码: ID.杨一, 是否计划务工: '是', 就业服务需求: '技能培训' },
  { ...A, 证件号码: ID.韦一, 是否计划务工: '否', 就业服务需求: '无' },
  { ...A, 证件号码: ID.韦二, 是否计划务工: '可能', 就业服务需求: '政策咨询' },
  { ...C, 证件号码: ID.潘一, 是否计划务工: '是' },
  { ...A, 证件号码: ID.韦四 },
  { ...place, 证件号码: ID.外人, 是否计划务工: '是' },
];

// Plans carry no month: they are taken for the import's month, so the township's "today" is in October 2026.
const TODAY = '2026-10-20';
let ledger: Ledger;
let dir: string;
const files = { persons: '', worked: '', planned: '' };

beforeAll(async () => {
  ({ ledger } = await newLedger(TODAY));
  await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
  dir = tempDir();
  files.persons = path.join(dir, 'persons.xlsx');
  files.worked = path.join(dir, '（务工月监测）已外出务工信息.xlsx');
  files.planned = path.join(dir, '计划外出务工信息.xlsx');
  await nationalWorkbook(files.persons, '监测对象信息', PERSONS, PEOPLE);
  await nationalWorkbook(files.worked, '（务工月监测）已外出务工信息', WORKED_OUT, WORK_ROWS);
  await nationalWorkbook(files.planned, '计划外出务工信息', PLANNED, PLAN_ROWS);
  expect(await ledger.run('import.run', { kind: 'households', file: files.persons })).toMatchObject({
    inserted: 8,
    rejected: 0,
  });
  expect(await ledger.run('import.run', { kind: 'monitoring', file: files.persons })).toMatchObject({
    inserted: 1,
    rejected: 0,
  });
});

const employment = () =>
  ledger.store.raw
    .prepare(
      `SELECT p.name, em.channel, em.place, em.employer, em.industry, em.start_month AS start, em.end_month AS end,
        em.monthly_income_fen AS income, em.point_to_point AS p2p, em.transport_subsidy_fen AS transport, em.note
      FROM employment em JOIN person p ON p.id = em.person_id ORDER BY em.id`,
    )
    .all();
const plans = () =>
  ledger.store.raw
    .prepare(
      `SELECT p.name, w.month, w.planned, w.service_need AS need FROM work_plan w JOIN person p ON p.id = w.person_id
      ORDER BY w.id`,
    )
    .all();

describe('（务工月监测）已外出务工信息', () => {
  it('makes one employment record per spell, by the person’s ID, and says what it refused and changed', async () => {
    const r = await ledger.run('import.run', { kind: 'work', file: files.worked });
    expect(r).toMatchObject({ read: 12, inserted: 7, updated: 0, unchanged: 0, skipped: 1, rejected: 4 });
    expect(r.errors.map(({ sheet, row, column, value }) => ({ sheet, row, column, value }))).toEqual([
      { sheet: 'Sheet1', row: 12, column: '证件号码', value: ID.外人 },
      { sheet: 'Sheet1', row: 13, column: '开始时间', value: '2026年13月' },
      { sheet: 'Sheet1', row: 14, column: '务工月收入', value: '四千五' },
      { sheet: 'Sheet1', row: 15, column: '开始时间', value: '202603' },
    ]);
    expect(r.errors.map((e) => e.message)).toEqual([
      '该证件号码不在本台账中，请先导入人员名单（导入内容选“农户与家庭成员”）',
      '「2026年13月」不是有效的年月（可用 2024年03月、202403、2024-03）',
      '「四千五」不是金额（以元为单位，如 3500 或 3500.50）',
      '与第 4 行是同一人、同一开始时间的务工记录',
    ]);
    expect(r.warnings.map(({ row, column, value }) => ({ row, column, value }))).toEqual([
      { row: 4, column: '就业渠道', value: '外出务工' },
      { row: 5, column: '就业渠道', value: '公益岗位' },
      { row: 6, column: '是否点对点输送', value: '不清楚' },
      { row: 10, column: '户编号', value: '529901101001000399' },
    ]);
    expect(r.warnings[0]!.message).toMatch(
      /^「外出务工」不是台账的就业方式（省外务工、.*），就业方式留空，原文记入备注$/,
    );
    expect(r.warnings[1]!.message).toBe('「公益岗位」已按台账就业方式「公益性岗位」导入');
    expect(r.warnings[3]!.message).toBe(
      '户编号与台账不一致（台账中该人员属户编号 529901101001000303），已按证件号码导入',
    );

    const none = { end: null, transport: null, note: null, industry: null, channel: null, p2p: null };
    expect(employment()).toEqual([
      {
        ...none, name: '韦一', place: '广东省深圳市宝安区', employer: '深圳某电子厂', industry: '制造业',
        start: '2026-03', income: 450_000, p2p: 1, transport: 50_000, note: '就业渠道（原表）：外出务工',
      },
      {
        ...none, name: '韦二', channel: '公益性岗位', place: '测试县', employer: '青山村村民委员会',
        industry: '公共管理', start: '2026-01', end: '2026-12', income: 60_000, p2p: 0,
      },
      {
        ...none, name: '韦四', channel: '县内务工', place: '测试县测试镇', employer: '某建筑队', industry: '建筑业',
        start: '2026-05', income: 300_000,
      },
      {
        ...none, name: '罗一', channel: '省内县外务工', place: '贵州省贵阳市云岩区', employer: '某酒店',
        industry: '住宿和餐饮业', start: '2025-10', end: '2026-10', income: 320_000, p2p: 0, transport: 30_000,
      },
      {
        ...none, name: '罗一', place: '贵州省遵义市汇川区', employer: '某工厂', industry: '制造业', start: '2026-10',
        income: 380_000, p2p: 0,
      },
      { ...none, name: '罗二', place: '深圳市', employer: '某物业', start: '2026-08', income: 360_000 },
      {
        ...none, name: '潘一', channel: '灵活就业', place: '浙江省杭州市', employer: null, start: '2026-02',
        income: 500_000,
      },
    ]); // prettier-ignore
  });

  it('changes nothing when the same file comes again, and updates only what a later file states', async () => {
    const before = employment();
    const again = await ledger.run('import.run', { kind: 'work', file: files.worked });
    expect(again).toMatchObject({ read: 12, inserted: 0, updated: 0, unchanged: 7, skipped: 1, rejected: 4 });
    expect(employment()).toEqual(before);

    // A customised export with three columns: 韦二's spell gets its new place; what the file does not hold stays.
    const custom = path.join(dir, 'custom.xlsx');
    await nationalWorkbook(
      custom,
      '（务工月监测）已外出务工信息',
      ['证件号码', '开始时间', '务工所在县'],
      [
        { 证件号码: ID.韦二, 开始时间: '2026年01月', 务工所在县: '测试县测试镇青山村' },
        { 证件号码: ID.韦一, 开始时间: '2026年03月', 务工所在县: '广东省深圳市宝安区' },
      ],
    );
    const later = await ledger.run('import.run', { kind: 'work', file: custom });
    expect(later).toMatchObject({ read: 2, inserted: 0, updated: 1, unchanged: 1, rejected: 0 });
    expect(employment()[1]).toEqual({ ...(before[1] as object), place: '测试县测试镇青山村' });
  });

  it('refuses a file that is neither 务工 layout, naming what it looks for', async () => {
    const r = await ledger.run('import.run', { kind: 'work', file: files.persons });
    expect(r).toMatchObject({ read: 0, inserted: 0 });
    expect(r.errors[0]!.message).toContain('「开始时间」（已外出务工信息）或「是否计划务工」（计划外出务工信息）');
  });
});

describe('计划外出务工信息', () => {
  it('makes a work plan per person for the import’s month, and re-imports as unchanged', async () => {
    const r = await ledger.run('import.run', { kind: 'work', file: files.planned });
    expect(r).toMatchObject({ read: 7, inserted: 5, updated: 0, unchanged: 0, skipped: 1, rejected: 1 });
    expect(r.errors).toEqual([
      expect.objectContaining({ sheet: 'Sheet1', row: 10, column: '证件号码', value: ID.外人 }),
    ]);
    expect(r.warnings).toEqual([
      expect.objectContaining({ row: 7, column: '是否计划务工', value: '可能', message: '「可能」应为 是/否；该项未导入，其余内容已导入' }),
    ]); // prettier-ignore
    expect(plans()).toEqual([
      { name: '罗二', month: '2026-10', planned: 1, need: '职业介绍' },
      { name: '杨一', month: '2026-10', planned: 1, need: '技能培训' },
      { name: '韦一', month: '2026-10', planned: 0, need: '无' },
      { name: '韦二', month: '2026-10', planned: null, need: '政策咨询' },
      { name: '潘一', month: '2026-10', planned: 1, need: null },
    ]);
    const again = await ledger.run('import.run', { kind: 'work', file: files.planned });
    expect(again).toMatchObject({ read: 7, inserted: 0, updated: 0, unchanged: 5, skipped: 1, rejected: 1 });
  });

  it('takes the month from a month column when the file has one', async () => {
    const file = path.join(dir, 'plan-with-month.xlsx');
    await nationalWorkbook(
      file,
      '计划外出务工信息',
      ['证件号码', '监测月份', '是否计划务工', '就业服务需求'],
      [
        { 证件号码: ID.罗二, 监测月份: '2026年09月', 是否计划务工: '否' },
        { 证件号码: ID.罗二, 监测月份: '2026-13', 是否计划务工: '否' },
      ],
    );
    const r = await ledger.run('import.run', { kind: 'work', file });
    expect(r).toMatchObject({ inserted: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ row: 5, column: '监测月份', value: '2026-13' });
    expect(plans().filter((p) => (p as { month: string }).month === '2026-09')).toEqual([
      { name: '罗二', month: '2026-09', planned: 0, need: null },
    ]);
  });
});

type Value = string | number | null;
/** A sheet's rows as arrays of plain values (0-based columns). */
function sheetValues(ws: ExcelJS.Worksheet): Value[][] {
  const out: Value[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    // exceljs leaves empty cells as holes and stops at the last filled one: pad to the sheet's width.
    out[n - 1] = Array.from({ length: ws.columnCount }, (_, i) => (values[i] ?? null) as Value);
  });
  return out.map((r) => r ?? []);
}

describe('T11 务工监测 in the monthly submission', () => {
  it('counts the labour of 脱贫 and monitored households at work in the month, by region, with the detail', async () => {
    const file = path.join(dir, 'monthly-2026-10.xlsx');
    const r = await ledger.run('report.exportMonthly', { month: '2026-10', file, reason: '测试：合成数据' });
    expect(r.sheets.map((s) => s.name).slice(-2)).toEqual(['T11 务工监测月报', 'T11 务工明细']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);

    const rows = sheetValues(wb.getWorksheet('T11 务工监测月报')!);
    expect(rows[0]![0]).toBe('脱贫人口和监测对象务工监测月报（2026年10月）');
    const h = rows.findIndex((x) => x[0] === '序号');
    const at = (name: string, group?: string) => {
      if (!group) return rows[h]!.indexOf(name);
      const g = rows[h]!.indexOf(group);
      return rows[h + 1]!.indexOf(name, g);
    };
    const figures = (x: Value[]) => ({
      户数: x[at('户数')],
      人数: x[at('人数')],
      有劳动力户数: x[at('有劳动力户数')],
      劳动力人数: x[at('劳动力人数')],
      务工: x[at('合计', '务工劳动力')],
      省外: x[at('省外务工', '务工劳动力')],
      省内县外: x[at('省内县外', '务工劳动力')],
      县内: x[at('县内务工', '务工劳动力')],
      不详: x[at('地域不详', '务工劳动力')],
      点对点: x[at('其中点对点输送', '务工劳动力')],
      务工率: x[at('务工率(%)')],
      无人务工户: x[at('有劳动力但无人务工户数')],
      非劳动力务工: x[at('非劳动力务工人数')],
      计划外出: x[at('计划外出务工', '计划外出务工人员')],
      服务需求: x[at('有就业服务需求', '计划外出务工人员')],
    });
    // 青山村: households A and D (脱贫户) and B (monitored); C is an ordinary household and not counted.
    // Labour: 韦一, 韦二, 罗一, 罗二, 杨一 (韦三 is at school, 韦四 is 66). At work in October: all but 杨一.
    const qingshan = {
      户数: 3, 人数: 7, 有劳动力户数: 3, 劳动力人数: 5, 务工: 4, 省外: 1, 省内县外: 1, 县内: 1, 不详: 1, 点对点: 1,
      务工率: 0.8, 无人务工户: 1, 非劳动力务工: 1, 计划外出: 2, 服务需求: 3,
    }; // prettier-ignore
    const zero = Object.fromEntries(Object.keys(qingshan).map((k) => [k, 0]));
    expect(figures(rows[h + 2]!)).toEqual(qingshan);
    expect(rows[h + 2]![1]).toBe('青山村');
    expect(figures(rows[h + 3]!)).toEqual({ ...zero, 务工率: null });
    expect(rows[h + 3]![1]).toBe('石桥村');
    expect(rows[h + 4]![0]).toBe('合计');
    expect(figures(rows[h + 4]!)).toEqual(qingshan);

    const detail = sheetValues(wb.getWorksheet('T11 务工明细')!);
    const dh = detail.findIndex((x) => x[0] === '序号');
    expect(detail[dh]).toEqual([
      '序号', '行政村', '户编号', '姓名', '身份证号码', '是否劳动力', '开始时间', '结束时间', '务工所在地', '务工地域',
      '就业渠道', '所属行业', '务工单位', '务工月收入（元）', '是否点对点输送',
    ]); // prettier-ignore
    // Village, household, the head first and then by age, then by start month.
    const body = detail.slice(dh + 1, dh + 7);
    expect(body.map((x) => [x[3], x[4], x[5], x[6], x[7], x[9], x[10], x[13], x[14]])).toEqual([
      ['韦一', ID.韦一, '是', '2026-03', null, '省外', null, 4500, '是'],
      ['韦四', ID.韦四, '否', '2026-05', null, '县内', '县内务工', 3000, null],
      ['韦二', ID.韦二, '是', '2026-01', '2026-12', '县内', '公益性岗位', 600, '否'],
      ['罗一', ID.罗一, '是', '2025-10', '2026-10', '省内县外', '省内县外务工', 3200, '否'],
      ['罗一', ID.罗一, '是', '2026-10', null, '省内县外', null, 3800, '否'],
      ['罗二', ID.罗二, '是', '2026-08', null, '不详', null, 3600, null],
    ]);
    expect(detail[dh + 7]![0]).toBe('合计：5人，6条务工记录');
    // ID numbers are text cells (never numbers that lose digits).
    expect(
      wb
        .getWorksheet('T11 务工明细')!
        .getRow(dh + 2)
        .getCell(5).type,
    ).toBe(ExcelJS.ValueType.String);
  });
});

describe('placing a spell of work and keeping 就业渠道 words', () => {
  const home = { province: '贵州省', county: '测试县' };
  it('takes the region from the channel, else from the place against the township’s county and province', () => {
    expect(workRegion('省外务工', '测试县', home)).toBe('省外');
    expect(workRegion('帮扶车间', null, home)).toBe('县内');
    expect(workRegion('灵活就业', '测试县城', home)).toBe('县内');
    expect(workRegion(null, '贵州省遵义市', home)).toBe('省内县外');
    expect(workRegion(null, '广西壮族自治区南宁市', home)).toBe('省外');
    expect(workRegion(null, '本县', home)).toBe('县内');
    expect(workRegion(null, '深圳市', home)).toBe('不详');
    expect(workRegion(null, '广东省', null)).toBe('不详');
    expect(workRegion(null, null, home)).toBe('不详');
    expect(workRegion(null, '南宁市', { province: '广西壮族自治区', county: '隆安县' })).toBe('不详');
    expect(workRegion(null, '广西南宁市', { province: '广西壮族自治区', county: '隆安县' })).toBe('省内县外');
  });

  it('maps only certain channel names and keeps other words in one note segment', () => {
    expect(readChannel('帮扶车间')).toEqual({ kind: 'same', channel: '帮扶车间' });
    expect(readChannel('就业帮扶车间')).toEqual({ kind: 'mapped', channel: '帮扶车间' });
    expect(readChannel('外出务工')).toEqual({ kind: 'kept', text: '外出务工' });
    expect(noteWithChannel(null, '外出务工')).toBe('就业渠道（原表）：外出务工');
    expect(noteWithChannel('家中有老人', '外出务工')).toBe('家中有老人；就业渠道（原表）：外出务工');
    expect(noteWithChannel('家中有老人；就业渠道（原表）：外出务工', '劳务协作')).toBe(
      '家中有老人；就业渠道（原表）：劳务协作',
    );
  });
});
