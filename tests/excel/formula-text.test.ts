/**
 * Formula-like text (=…, +…, -…, @… at the start of a name) comes back out of every workbook the app writes as
 * the text it is, never as a formula: the monthly submission, the three notices, the import error list and the
 * comparison list are written for a township whose every name is such text, then read back — no sheet holds a
 * formula element, and exceljs reads those cells as strings. (The app writes no CSV: there is nothing to prefix.)
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { ZipArchive } from '../../main/core/excel/import/zip.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { makeId, tempDbPath, tempDir } from '../helpers.ts';
import { FORMULA_NAMES } from './hostile-corpus.ts';

const MONTH = '2026-10';
let ledger: Ledger;
let dir: string;

beforeAll(async () => {
  ledger = await openLedger(tempDbPath('formulas.sqlite'), { create: true, today: () => '2026-11-22' });
  generateDemo(ledger.store, 'township', 1);
  // Every person's name formula-like, as an import of such a file (before the forms' limits applied) left it.
  const raw = ledger.store.raw;
  const names = raw.prepare('UPDATE person SET name = ? WHERE id % ? = ?');
  FORMULA_NAMES.forEach((name, i) => names.run(name, FORMULA_NAMES.length, i));
  dir = tempDir();
}, 120_000);

/** Every worksheet part's XML, straight from the package. */
function sheetXml(file: string): string[] {
  const zip = new ZipArchive(fs.readFileSync(file), 1024 * 1024 * 1024);
  const parts: string[] = [];
  for (let i = 1; zip.find(`xl/worksheets/sheet${i}.xml`); i++)
    parts.push(zip.read(zip.find(`xl/worksheets/sheet${i}.xml`)!).toString('utf8'));
  return parts;
}

/** Cells whose text is formula-like, as exceljs reads them back, and any cell it reads as a formula. */
async function readBack(file: string): Promise<{ formulaLike: ExcelJS.ValueType[]; formulas: string[] }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const formulaLike: ExcelJS.ValueType[] = [];
  const formulas: string[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas.push(`${ws.name}!${cell.address}`);
        if (typeof cell.text === 'string' && FORMULA_NAMES.some((n) => cell.text.includes(n)))
          formulaLike.push(cell.type);
      }),
    ),
  );
  return { formulaLike, formulas };
}

async function expectText(file: string): Promise<number> {
  for (const xml of sheetXml(file)) expect(xml).not.toMatch(/<(\w+:)?f[\s>/]/);
  const { formulaLike, formulas } = await readBack(file);
  expect(formulas).toEqual([]);
  expect(formulaLike.every((t) => t === ExcelJS.ValueType.String)).toBe(true);
  return formulaLike.length;
}

/** The month with the most stage events of a kind (a notice lists that month's). */
function busiestMonth(stage: string): string {
  return (
    ledger.store.raw
      .prepare(
        'SELECT substr(done_on, 1, 7) AS m FROM case_stage WHERE stage = ? GROUP BY m ORDER BY count(*) DESC LIMIT 1',
      )
      .get(stage) as { m: string }
  ).m;
}

describe('formula-like text in every export', () => {
  it('(the check itself: a workbook holding a formula fails it)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('表');
    ws.getCell('A1').value = FORMULA_NAMES[0]!;
    ws.getCell('A2').value = { formula: 'HYPERLINK("http://e.cn","点")', result: '点' };
    const file = path.join(dir, 'control.xlsx');
    await wb.xlsx.writeFile(file);
    await expect(expectText(file)).rejects.toThrow();
    expect((await readBack(file)).formulas).toEqual(['表!A2']);
  });

  it('stays text in the monthly submission and the three notices', async () => {
    const monthly = path.join(dir, 'monthly.xlsx');
    await ledger.run('report.exportMonthly', { month: MONTH, file: monthly, reason: '测试：公式样文本' });
    expect(await expectText(monthly)).toBeGreaterThan(100);
    for (const [kind, month] of [
      ['identification', busiestMonth('notice')],
      ['elimination', busiestMonth('e_notice')],
      ['subsidy', MONTH],
    ] as const) {
      const file = path.join(dir, `${kind}.xlsx`);
      await ledger.run('report.exportNotice', { kind, month, file });
      expect(await expectText(file), kind).toBeGreaterThan(0);
    }
  });

  it('stays text in the import error list and the comparison list', async () => {
    const village = (ledger.store.raw.prepare('SELECT name FROM village ORDER BY id LIMIT 1').get() as { name: string })
      .name;
    const rows = [
      ['行政村', '户编号', '姓名', '证件号码', '与户主关系'],
      [village, 'FX-1', FORMULA_NAMES[0]!, makeId('1970-01-01', '男', 901), '户主'],
      [village, 'FX-1', FORMULA_NAMES[1]!, makeId('1972-02-02', '女', 901), '配偶'],
      // Refused rows: their formula-like values go into the error list.
      [village, 'FX-2', FORMULA_NAMES[2]!, FORMULA_NAMES[3]!, '户主'],
      [village, 'FX-3', '张三', makeId('1980-03-03', '男', 902), FORMULA_NAMES[4]!],
    ];
    const csv = path.join(dir, 'formulas.csv');
    fs.writeFileSync(csv, rows.map((r) => r.map((v) => `"${v.replace(/"/g, '""')}"`).join(',')).join('\r\n'));
    const errorsFile = path.join(dir, 'errors.xlsx');
    const r = await ledger.run('import.preview', { kind: 'households', file: csv, errorsFile });
    expect(r.errors.map((e) => e.value)).toEqual(expect.arrayContaining([FORMULA_NAMES[3], FORMULA_NAMES[4]]));
    expect(await expectText(errorsFile)).toBeGreaterThanOrEqual(2);

    const out = path.join(dir, 'compare.xlsx');
    const compared = await ledger.run('import.compare', { kind: 'households', file: csv, out });
    expect(compared.differences.some((d) => d.national.includes(FORMULA_NAMES[0]!))).toBe(true);
    expect(await expectText(out)).toBeGreaterThan(0);
  });
});
