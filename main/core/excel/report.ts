/**
 * One writer for every report (architecture.md "Excel"): a report is a declarative definition — title, info
 * lines, one- or two-level headers, columns with a value getter and a kind, grouping with subtotals, a total row,
 * footer/signature lines, A4 page setup — rendered here with exceljs's streaming writer, so memory stays bounded
 * however many rows come. ID numbers, 户编号 and phones are written as text; money in yuan with two decimals.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { fenToYuan } from '../../../shared/money.ts';

export type CellValue = string | number | null;
export type ColumnKind = 'text' | 'int' | 'money' | 'percent' | 'date';

export interface Column<R> {
  key: string;
  header: string;
  /** Upper header for a two-level header; consecutive columns with the same group share one merged cell. */
  group?: string;
  width?: number;
  kind?: ColumnKind;
  /** Money columns take fen and show yuan. */
  value: (row: R, index: number) => CellValue;
  /** Summed into subtotal and total rows. */
  sum?: boolean;
}

export interface SheetDef<R> {
  name: string;
  title: string;
  /** Lines under the title (填报单位（盖章）、填报时间…); a pair is written left and right on one line. */
  info?: (string | [string, string])[];
  columns: Column<R>[];
  rows: Iterable<R>;
  /** Rows arrive sorted by this key; a subtotal row closes each group. */
  groupBy?: (row: R) => string;
  subtotalLabel?: (group: string, rows: number) => string;
  /** The total row's label; sums come from `sum` columns, `totals` may override cells (rates at total level). */
  totalLabel?: (rows: number, sums: Record<string, number>) => string;
  totals?: (sums: Record<string, number>, rows: number) => Record<string, CellValue>;
  footer?: string[];
  landscape?: boolean;
}

export interface SheetSummary {
  name: string;
  rows: number;
  sums: Record<string, number>;
}

const FONT = '宋体';
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const FORMATS: Record<ColumnKind, string> = { text: '@', int: '0', money: '#,##0.00', percent: '0.0%', date: '@' };

function cellValue(kind: ColumnKind, v: CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (kind === 'money') return typeof v === 'number' ? fenToYuan(Math.round(v)) : v;
  if (kind === 'text' || kind === 'date') return String(v);
  return v;
}

export async function writeReport<R>(
  file: string,
  sheets: SheetDef<R>[],
  meta: { creator: string },
): Promise<SheetSummary[]> {
  const tmp = `${file}.writing`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: tmp, useStyles: true, useSharedStrings: false });
  wb.creator = meta.creator;
  wb.created = new Date(0);
  const summaries: SheetSummary[] = [];
  try {
    for (const def of sheets as SheetDef<unknown>[]) summaries.push(await writeSheet(wb, def));
    await wb.commit();
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return summaries;
}

async function writeSheet<R>(wb: ExcelJS.stream.xlsx.WorkbookWriter, def: SheetDef<R>): Promise<SheetSummary> {
  const cols = def.columns;
  const n = cols.length;
  const twoLevel = cols.some((c) => c.group);
  const infoRows = def.info?.length ?? 0;
  const headerStart = 2 + infoRows;
  const headerEnd = headerStart + (twoLevel ? 1 : 0);
  const ws = wb.addWorksheet(def.name, {
    views: [{ state: 'frozen', ySplit: headerEnd, xSplit: 0 }],
    pageSetup: {
      paperSize: 9,
      orientation: def.landscape ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${headerStart}:${headerEnd}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  ws.columns = cols.map((c) => ({ key: c.key, width: c.width ?? 12 }));

  let r = 1;
  const line = (text: string, opts: { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right' } = {}) => {
    const row = ws.getRow(r);
    row.getCell(1).value = text;
    row.getCell(1).font = { name: FONT, size: opts.size ?? 11, bold: opts.bold ?? false };
    row.getCell(1).alignment = { horizontal: opts.align ?? 'left', vertical: 'middle' };
    if (opts.size && opts.size > 14) row.height = 32;
    ws.mergeCells(r, 1, r, n);
    row.commit();
    r += 1;
  };

  line(def.title, { size: 18, bold: true, align: 'center' });
  for (const info of def.info ?? []) {
    if (typeof info === 'string') {
      line(info);
      continue;
    }
    const row = ws.getRow(r);
    const half = Math.max(1, Math.floor(n / 2));
    row.getCell(1).value = info[0];
    row.getCell(half + 1).value = info[1];
    row.getCell(1).font = { name: FONT, size: 11 };
    row.getCell(half + 1).font = { name: FONT, size: 11 };
    row.getCell(half + 1).alignment = { horizontal: 'right' };
    ws.mergeCells(r, 1, r, half);
    if (half + 1 < n) ws.mergeCells(r, half + 1, r, n);
    row.commit();
    r += 1;
  }

  // Header rows
  const headerStyle = (cell: ExcelJS.Cell) => {
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = BORDER;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
  };
  const top = ws.getRow(headerStart);
  const bottom = twoLevel ? ws.getRow(headerEnd) : null;
  top.height = twoLevel ? 22 : 30;
  if (bottom) bottom.height = 32;
  cols.forEach((c, i) => {
    if (bottom) {
      top.getCell(i + 1).value = c.group ?? c.header;
      bottom.getCell(i + 1).value = c.group ? c.header : null;
      headerStyle(bottom.getCell(i + 1));
    } else {
      top.getCell(i + 1).value = c.header;
    }
    headerStyle(top.getCell(i + 1));
  });
  if (bottom) {
    for (let i = 0; i < n;) {
      const g = cols[i]!.group;
      let j = i;
      while (g && j + 1 < n && cols[j + 1]!.group === g) j += 1;
      if (!g) ws.mergeCells(headerStart, i + 1, headerEnd, i + 1);
      else if (j > i) ws.mergeCells(headerStart, i + 1, headerStart, j + 1);
      i = j + 1;
    }
  }
  top.commit();
  bottom?.commit();
  r = headerEnd + 1;

  // Body
  const sums: Record<string, number> = {};
  const groupSums: Record<string, number> = {};
  let count = 0;
  let groupCount = 0;
  let currentGroup: string | null = null;
  const labelSpan = Math.max(1, cols.findIndex((c) => c.sum) === -1 ? n : cols.findIndex((c) => c.sum));

  // One shared style object per column (and a bold one for totals): exceljs caches styles by object identity,
  // so body cells cost no style work — this is most of the writer's speed at county scale.
  const styleFor = (kind: ColumnKind, bold: boolean): Partial<ExcelJS.Style> => ({
    numFmt: FORMATS[kind],
    font: { name: FONT, size: 10.5, bold },
    border: BORDER,
    alignment: {
      vertical: 'middle',
      horizontal: kind === 'money' || kind === 'int' || kind === 'percent' ? 'right' : 'center',
      wrapText: kind === 'text',
    },
  });
  const bodyStyles = cols.map((c) => styleFor(c.kind ?? 'text', false));
  const boldStyles = cols.map((c) => styleFor(c.kind ?? 'text', true));
  const writeRow = (values: CellValue[], bold = false, label?: string) => {
    const row = ws.getRow(r);
    const styles = bold ? boldStyles : bodyStyles;
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      cell.value =
        label !== undefined && i < labelSpan
          ? i === 0
            ? label
            : null
          : cellValue(c.kind ?? 'text', values[i] ?? null);
      cell.style = styles[i]!;
    });
    if (label !== undefined && labelSpan > 1) ws.mergeCells(r, 1, r, labelSpan);
    row.commit();
    r += 1;
  };
  const totalsRow = (label: string, s: Record<string, number>, override?: Record<string, CellValue>) =>
    writeRow(
      cols.map((c) => (override && c.key in override ? override[c.key]! : c.sum ? (s[c.key] ?? 0) : null)),
      true,
      label,
    );

  for (const item of def.rows) {
    const key = def.groupBy?.(item) ?? null;
    if (def.groupBy && currentGroup !== null && key !== currentGroup) {
      totalsRow(
        def.subtotalLabel?.(currentGroup, groupCount) ?? `${currentGroup} 小计`,
        groupSums,
        def.totals?.(groupSums, groupCount),
      );
      for (const k of Object.keys(groupSums)) delete groupSums[k];
      groupCount = 0;
    }
    currentGroup = key;
    const values = cols.map((c) => c.value(item, count));
    cols.forEach((c, i) => {
      if (!c.sum) return;
      const v = Number(values[i] ?? 0);
      sums[c.key] = (sums[c.key] ?? 0) + v;
      groupSums[c.key] = (groupSums[c.key] ?? 0) + v;
    });
    writeRow(values);
    count += 1;
    groupCount += 1;
  }
  if (def.groupBy && currentGroup !== null) {
    totalsRow(
      def.subtotalLabel?.(currentGroup, groupCount) ?? `${currentGroup} 小计`,
      groupSums,
      def.totals?.(groupSums, groupCount),
    );
  }
  if (def.totalLabel) totalsRow(def.totalLabel(count, sums), sums, def.totals?.(sums, count));
  if (count === 0) line('（本月无数据）', { align: 'center' });

  r += 1;
  for (const f of def.footer ?? []) line(f);
  ws.commit();
  return { name: def.name, rows: count, sums };
}
