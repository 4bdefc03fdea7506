/**
 * The monthly submission and the notices: written, reopened with SheetJS and with LibreOffice, reconciled with
 * `stats.month`, stable for a past month whatever is recorded later, archived with the file's hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { tempDbPath, tempDir } from '../helpers.ts';
import { REPORT_ARTIFACTS, toPdf } from './lo.ts';
import { printProblems } from './print-check.ts';

const MONTH = '2026-10';
let ledger: Ledger;
let dir: string;
let monthly: string;

/** The month with most notice stages of a kind (the demo's busiest notice). */
const busiestMonth = (stage: 'notice' | 'e_notice') =>
  (
    ledger.store.raw
      .prepare(
        'SELECT substr(done_on, 1, 7) AS m, count(*) AS n FROM case_stage WHERE stage = ? GROUP BY m ORDER BY n DESC LIMIT 1',
      )
      .get(stage) as { m: string }
  ).m;
const sheetRows = (wb: XLSX.WorkBook, name: string) =>
  XLSX.utils.sheet_to_json<(string | number | null)[]>(wb.Sheets[name]!, { header: 1, defval: null, raw: true });
const totalRow = (rows: (string | number | null)[][], label: RegExp) =>
  rows.find((r) => typeof r[0] === 'string' && label.test(r[0]))!;

beforeAll(async () => {
  const file = tempDbPath('demo.sqlite');
  ledger = await openLedger(file, { create: true, today: () => '2026-11-22' });
  generateDemo(ledger.store, 'township', 1);
  dir = tempDir();
  monthly = path.join(dir, 'monthly.xlsx');
  await ledger.run('report.exportMonthly', { month: MONTH, file: monthly, reason: '测试：演示数据含预置错误' });
});

describe('monthly submission', () => {
  it('has every sheet with its title, headers, merges and text-typed ID cells', () => {
    const wb = XLSX.read(fs.readFileSync(monthly), { cellStyles: false });
    expect(wb.SheetNames).toEqual([
      'T1 监测对象花名册',
      'T2 监测对象户花名册',
      'T3 统计月报',
      'T5 公益岗位人员花名册',
      'T6 出勤和补贴汇总',
      'T8 补贴发放表',
      'T9 安置点基本情况',
      'T10 搬迁劳动力就业月报',
      'T10 就业明细',
      'T11 务工监测月报',
      'T11 务工明细',
    ]);
    const t6 = wb.Sheets['T6 出勤和补贴汇总']!;
    expect(t6.A1!.v).toBe('乡村公益性岗位出勤天数和拟拨付岗位补贴金额汇总表（2026年10月）');
    const t6rows = sheetRows(wb, 'T6 出勤和补贴汇总');
    const header = t6rows.findIndex((r) => r[0] === '序号');
    expect(t6rows[header]).toEqual([
      '序号',
      '姓名',
      '身份证号码',
      '规定出勤天数（天）',
      '本月累计出勤天数（天）',
      '补贴金额（元）',
      '协议时间起止时间',
      null,
    ]);
    expect(t6rows[header + 1]!.slice(6)).toEqual(['起', '止']);
    const merges = (t6['!merges'] ?? []).map((m) => XLSX.utils.encode_range(m));
    expect(merges).toEqual(
      expect.arrayContaining(['A1:H1', `G${header + 1}:H${header + 1}`, `A${header + 1}:A${header + 2}`]),
    );

    const t1 = wb.Sheets['T1 监测对象花名册']!;
    const t1rows = sheetRows(wb, 'T1 监测对象花名册');
    const h1 = t1rows.findIndex((r) => r[0] === '序号');
    const idCol = t1rows[h1]!.indexOf('证件号码');
    const idCell = t1[XLSX.utils.encode_cell({ r: h1 + 1, c: idCol })]!;
    expect(idCell.t).toBe('s');
    expect(String(idCell.v)).toMatch(/^\d{17}[\dX]$/);
    expect(t1rows[h1]!.slice(0, 10)).toEqual([
      '序号',
      '县(市、区、旗)',
      '乡(镇)',
      '行政村',
      '自然村',
      '户编号',
      '人编号',
      '姓名',
      '证件号码',
      '人数',
    ]);
    expect(t1['!views']?.[0] ?? {}).toBeDefined();
  });

  it('reconciles: detail sheets equal the summary sheet and the stats command', async () => {
    const stats = await ledger.run('stats.month', { month: MONTH });
    const wb = XLSX.read(fs.readFileSync(monthly));
    const t3 = sheetRows(wb, 'T3 统计月报');
    const top = t3.findIndex((r) => r[0] === '序号');
    const groups = t3[top]!;
    const subs = t3[top + 1]!;
    const col = (group: string, sub: '户' | '人') => {
      const g = groups.indexOf(group);
      return subs[g] === sub ? g : g + 1;
    };
    const total = totalRow(t3, /^合计/);
    expect(total[groups.indexOf('总户数')]).toBe(stats.households);
    expect(total[groups.indexOf('总人数')]).toBe(stats.persons);
    expect(total[col('未消除风险', '户')]).toBe(stats.monitoring.current);
    expect(total[col('本月新识别', '户')]).toBe(stats.monitoring.identifiedInMonth);
    expect(total[col('本月消除', '户')]).toBe(stats.monitoring.eliminatedInMonth);
    const monitored = total[col('监测对象合计', '户')];
    const monitoredPersons = total[col('监测对象合计', '人')];
    expect(Number(total[col('未消除风险', '户')]) + Number(total[col('已消除风险', '户')])).toBe(monitored);

    const t1 = sheetRows(wb, 'T1 监测对象花名册');
    expect(totalRow(t1, /^合计：/)[0]).toBe(`合计：${monitoredPersons}人`);
    const t2 = sheetRows(wb, 'T2 监测对象户花名册');
    expect(totalRow(t2, /^合计：/)[0]).toBe(`合计：${monitored}户${monitoredPersons}人`);

    const t6 = sheetRows(wb, 'T6 出勤和补贴汇总');
    const t6total = totalRow(t6, /^合计：/);
    expect(t6total[0]).toBe(
      `合计：${stats.posts.holdersInMonth}人，${(stats.posts.subsidyFenInMonth / 100).toFixed(2)}元`,
    );
    expect(Math.round(Number(t6total[5]) * 100)).toBe(stats.posts.subsidyFenInMonth);

    const t10 = sheetRows(wb, 'T10 搬迁劳动力就业月报');
    const h10 = t10.findIndex((r) => r[0] === '序号');
    const names = t10[h10]!;
    const subNames = t10[h10 + 1]!;
    const at = (name: string) => {
      const i = names.indexOf(name);
      return i >= 0 ? i : subNames.indexOf(name);
    };
    const t10total = totalRow(t10, /^合计$/);
    expect(t10total[at('搬迁户数')]).toBe(stats.relocation.households);
    expect(t10total[at('劳动力人数')]).toBe(stats.relocation.labour);
    expect(t10total[at('已就业人数')]).toBe(stats.relocation.employed);
    const rate = Number(t10total[at('就业率(%)')]);
    expect(rate).toBeCloseTo(stats.relocation.employed / stats.relocation.labour, 10);
    const siteRates = t10
      .slice(h10 + 2)
      .filter((r) => typeof r[0] === 'number')
      .map((r) => Number(r[at('就业率(%)')]));
    expect(siteRates.length).toBe(stats.relocation.sites);
    const detail = sheetRows(wb, 'T10 就业明细');
    expect(totalRow(detail, /^合计：/)[0]).toBe(`合计：${stats.relocation.labour}人`);

    // T11: the detail lists the persons the summary counts at work, labour or not.
    const t11 = sheetRows(wb, 'T11 务工监测月报');
    const h11 = t11.findIndex((r) => r[0] === '序号');
    const t11total = totalRow(t11, /^合计$/);
    const working = Number(t11total[t11[h11 + 1]!.indexOf('合计')]);
    const others = Number(t11total[t11[h11]!.indexOf('非劳动力务工人数')]);
    const spells = sheetRows(wb, 'T11 务工明细');
    expect(String(totalRow(spells, /^合计：/)[0])).toMatch(new RegExp(`^合计：${working + others}人，\\d+条务工记录$`));
  });

  it('gives the same figures for a past month after later changes, and archives each export with its hash', async () => {
    const archive = await ledger.run('report.archive', { month: MONTH });
    const first = archive.find((a) => a.kind === 'monthly')!;
    expect(first.sha256).toBe(createHash('sha256').update(fs.readFileSync(monthly)).digest('hex'));
    // Later facts about later dates: a new household, an exit and a new case in November.
    const h = await ledger.run('household.create', { villageId: 1, hhNo: 'LATER-1' });
    await ledger
      .run('person.create', {
        householdId: h.id,
        idNumber: '52990119800101001X'.slice(0, 17) + 'X',
        name: '后来户',
        relation: '户主',
        medResident: true,
      })
      .catch(() => undefined);
    const holder = (await ledger.run('placement.list', { filter: { activeInMonth: MONTH }, limit: 1 })).rows[0]!;
    await ledger.run('placement.exit', { placementId: holder.id, exitOn: '2026-11-10', exitReason: '本人自愿退出' });
    await ledger.run('case.create', {
      householdId: h.id,
      category: '突发严重困难户',
      channel: '农户自主申报',
      clueDate: '2026-11-15',
      risks: [{ riskType: '因意外事故' }],
    });
    const again = path.join(dir, 'monthly-again.xlsx');
    const r = await ledger.run('report.exportMonthly', { month: MONTH, file: again, reason: '重新导出' });
    const archived = (await ledger.run('report.archive', { month: MONTH })).filter((a) => a.kind === 'monthly');
    expect(archived).toHaveLength(2);
    expect(JSON.parse(archived[0]!.figures!)).toEqual(JSON.parse(first.figures!));
    expect(r.sheets.map((s) => s.rows)).toEqual(
      Object.values(JSON.parse(first.figures!) as Record<string, { rows: number }>).map((s) => s.rows),
    );
  });

  it('refuses to export with 错误 findings unless a reason is given, and leaves no file', async () => {
    const file = path.join(dir, 'refused.xlsx');
    const refused = await ledger.call('report.exportMonthly', { month: MONTH, file });
    expect(refused).toMatchObject({ ok: false, error: { code: 'workflow', field: 'reason' } });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('opens in LibreOffice as a user would, every sheet printed with its title and totals', () => {
    const titles: Record<string, string> = {
      '防止返贫监测对象花名册（': 'T1-roster',
      防止返贫监测对象户花名册: 'T2-households',
      防止返贫监测对象统计月报: 'T3-summary',
      乡村公益性岗位人员花名册: 'T5-posts',
      乡村公益性岗位出勤天数和拟拨付岗位补贴金额汇总表: 'T6-attendance',
      '公益性岗位补贴发放表（': 'T8-payroll',
      易地扶贫搬迁安置点基本情况表: 'T9-sites',
      易地扶贫搬迁劳动力就业情况月报: 'T10-employment',
      脱贫人口和监测对象务工监测月报: 'T11-work',
    };
    const { text, pages } = toPdf(monthly, undefined, titles);
    expect(pages).toBeGreaterThan(9);
    for (const title of Object.keys(titles)) expect(text).toContain(title);
    for (const name of Object.values(titles))
      expect(fs.existsSync(path.join(REPORT_ARTIFACTS, `${name}.png`)), name).toBe(true);
    expect(text).toMatch(/合计：\d+人，[\d,]+\.\d{2}元/);
  });
});

describe('printed output', () => {
  it('has no text wider than its cell in any sheet or notice: rows as tall as their wrapped text', async () => {
    expect(await printProblems(monthly)).toEqual([]);
    const notices: string[] = [];
    for (const kind of ['identification', 'elimination', 'subsidy'] as const) {
      const file = path.join(dir, `print-${kind}.xlsx`);
      const month = kind === 'subsidy' ? MONTH : busiestMonth(kind === 'identification' ? 'notice' : 'e_notice');
      await ledger.run('report.exportNotice', { kind, month, file });
      notices.push(file);
      expect(await printProblems(file)).toEqual([]);
    }
    // Every header line filled: the 公示时间 comes from the notice stages (or the export day for subsidies).
    for (const file of notices) expect(toPdf(file).text).not.toContain('____年');
  });

  it('finds a cell whose text overflows (the check can fail)', async () => {
    const file = path.join(dir, 'overflow.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('x');
    ws.columns = [{ width: 6 }, { width: 6 }];
    ws.getCell('A1').value = '弱劳动力或半劳动力';
    ws.getCell('A1').alignment = { wrapText: true };
    ws.getCell('B1').value = 1234567.5;
    ws.getCell('B1').numFmt = '#,##0.00';
    await wb.xlsx.writeFile(file);
    const problems = await printProblems(file);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('x A1');
    expect(problems[1]).toContain('x B1');
  });
});

describe('public notices', () => {
  it('T7 subsidy notice masks every ID number and totals the month', async () => {
    const file = path.join(dir, 'subsidy.xlsx');
    await ledger.run('report.exportNotice', { kind: 'subsidy', month: MONTH, file });
    const wb = XLSX.read(fs.readFileSync(file));
    const rows = sheetRows(wb, wb.SheetNames[0]!);
    const all = rows
      .flat()
      .map((v) => String(v ?? ''))
      .join('\n');
    expect(all).not.toMatch(/\d{17}[\dX]/);
    expect(all).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    const stats = await ledger.run('stats.month', { month: MONTH });
    expect(totalRow(rows, /^合计：/)[0]).toBe(
      `合计：${stats.posts.holdersInMonth}人，${(stats.posts.subsidyFenInMonth / 100).toFixed(2)}元`,
    );
    expect(toPdf(file, 'notice-subsidy-2026-10').text).toContain('乡村公益性岗位补贴发放公示表');
  });

  it('T4 identification and elimination notices list households without IDs or health details', async () => {
    const raw = ledger.store.raw;
    for (const [kind, stage] of [
      ['identification', 'notice'],
      ['elimination', 'e_notice'],
    ] as const) {
      const m = raw
        .prepare(
          'SELECT substr(done_on, 1, 7) AS m, count(*) AS n FROM case_stage WHERE stage = ? GROUP BY m ORDER BY n DESC LIMIT 1',
        )
        .get(stage) as { m: string; n: number };
      const file = path.join(dir, `${kind}.xlsx`);
      await ledger.run('report.exportNotice', { kind, month: m.m, file });
      const rows = sheetRows(XLSX.read(fs.readFileSync(file)), kind === 'identification' ? '识别公示' : '风险消除公示');
      expect(totalRow(rows, /^合计：/)[0]).toBe(`合计：${m.n}户`);
      const text = rows
        .flat()
        .map((v) => String(v ?? ''))
        .join('\n');
      expect(text).not.toMatch(/\d{17}[\dX]/);
      expect(text).not.toMatch(/患大病|长期慢性病|残疾/);
      expect(toPdf(file, `notice-${kind}`).text).toContain('公示名单');
    }
  });
});
