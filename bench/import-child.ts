/**
 * Import benchmark steps, each in its own process: `make` writes a 100,000-person workbook (national person
 * layout, two title rows) from the county demo; `ledger` imports it into a new township database with the same
 * villages (parse, validate, write); `reader` only reads it as imports do (main/core/excel/import/read.ts); `sheetjs`
 * only parses it with SheetJS. Prints {ms, peakRssMB, …}.
 */
import fs from 'node:fs';
import * as XLSX from '@e965/xlsx';
import BetterSqlite3 from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { readTables } from '../main/core/excel/import/read.ts';
import { openLedger } from '../main/core/ledger.ts';

const [mode, a, b] = process.argv.slice(2) as [string, string, string];
const t0 = performance.now();
const out: Record<string, unknown> = {};
if (mode === 'make') {
  const db = new BetterSqlite3(a, { readonly: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: b, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet('家庭成员');
  ws.addRow(['全国防返贫监测信息系统 家庭成员信息']).commit();
  ws.addRow(['导出时间：2026-11-01']).commit();
  ws.addRow([
    '序号',
    '行政村',
    '户编号',
    '姓名',
    '证件号码',
    '与户主关系',
    '民族',
    '文化程度',
    '在校生状况',
    '健康状况',
    '劳动技能',
    '务工时间（月）',
    '是否参加大病保险',
    '户类型',
    '人联系电话',
  ]).commit();
  let i = 0;
  for (const r of db
    .prepare(
      `SELECT v.name AS village, h.hh_no, p.name, p.id_number, p.relation, p.ethnicity, p.education, p.school_status, p.health, p.labour_capacity, p.work_months,
      p.serious_illness_ins, h.hh_type, p.phone FROM person p JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id WHERE p.left_on IS NULL ORDER BY h.id, p.id LIMIT 100000`,
    )
    .iterate() as Iterable<Record<string, unknown>>) {
    i += 1;
    ws.addRow([
      i,
      r.village,
      r.hh_no,
      r.name,
      r.id_number,
      r.relation,
      r.ethnicity,
      r.education,
      r.school_status,
      r.health,
      r.labour_capacity,
      r.work_months,
      r.serious_illness_ins ? '是' : '否',
      r.hh_type,
      r.phone,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
  out.rows = i;
  out.fileMB = Math.round(fs.statSync(b).size / 1e5) / 10;
  const villages = db.prepare('SELECT code, name, sort_order AS sortOrder FROM village').all();
  fs.writeFileSync(`${b}.villages.json`, JSON.stringify(villages));
} else if (mode === 'ledger') {
  const ledger = await openLedger(b, { create: true });
  await ledger.run('settings.update', {
    townshipName: '基准镇',
    townshipCode: '529901101000',
    county: '基准县',
    province: '贵州省',
  });
  for (const v of JSON.parse(fs.readFileSync(`${a}.villages.json`, 'utf8')) as {
    code: string;
    name: string;
    sortOrder: number;
  }[])
    await ledger.run('village.create', v);
  const t1 = performance.now();
  const r = await ledger.run('import.run', { kind: 'households', file: a, errorsFile: null });
  out.importMs = Math.round(performance.now() - t1);
  Object.assign(out, { read: r.read, inserted: r.inserted, rejected: r.rejected });
  await ledger.close();
} else if (mode === 'reader') {
  out.rows = readTables(a)[0]!.rows.length;
} else {
  const wb = XLSX.read(fs.readFileSync(a), { dense: true, cellFormula: false });
  out.rows = XLSX.utils.decode_range(wb.Sheets[wb.SheetNames[0]!]!['!ref']!).e.r + 1;
}
console.log(
  JSON.stringify({
    ms: Math.round(performance.now() - t0),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...out,
  }),
);
