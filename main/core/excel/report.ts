/**
 * One writer for every report (architecture.md "Excel"): a report is a declarative definition — title, info
 * lines, one- or two-level headers, columns with a value getter and a kind, grouping with subtotals, a total row,
 * footer/signature lines, A4 page setup — rendered here with exceljs's streaming writer, so memory stays bounded
 * however many rows come. ID numbers, 户编号 and phones are written as text; money in yuan with two decimals.
 */
import ExcelJS from 'exceljs';
import { fenToYuan } from '../../../shared/money.ts';
import { linesFor, rowPointsFor } from './measure.ts';

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
  /** A3 for the national rosters, printed one page wide on A3 as counties do; A4 otherwise. */
  paper?: 'A4' | 'A3';
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

/**
 * Writes the workbook into `file` (an existing file is overwritten, keeping its permissions). Callers write into
 * a temporary file that the core puts in place once the export is archived (files.ts stageFile).
 */
export async function writeReport<R>(
  file: string,
  sheets: SheetDef<R>[],
  meta: { creator: string },
): Promise<SheetSummary[]> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  wb.creator = meta.creator;
  wb.created = new Date(0);
  const summaries: SheetSummary[] = [];
  for (const def of sheets as SheetDef<unknown>[]) summaries.push(await writeSheet(wb, def));
  await wb.commit();
  return summaries;
}

/** Where the header rows are: after the title and info lines; a second row when any column has a group. */
interface HeaderLayout {
  twoLevel: boolean;
  start: number;
  end: number;
}

/** What the parts of one sheet share: the worksheet, its columns, and the next row to write. */
interface SheetWriter<R> {
  ws: ExcelJS.Worksheet;
  cols: Column<R>[];
  /** Column count: title, info and footer lines merge across all of them. */
  n: number;
  /** Each column's width, and their sum (the width of a line merged across the sheet). */
  widths: number[];
  width: number;
  row: number;
}

type LineOptions = { size?: number; bold?: boolean; align?: 'left' | 'center' | 'right' };

async function writeSheet<R>(wb: ExcelJS.stream.xlsx.WorkbookWriter, def: SheetDef<R>): Promise<SheetSummary> {
  const layout = headerLayout(def);
  const widths = def.columns.map(columnWidth);
  const w: SheetWriter<R> = {
    ws: addPage(wb, def, layout),
    cols: def.columns,
    n: def.columns.length,
    widths,
    width: sum(widths),
    row: 1,
  };
  writeTitleAndInfo(w, def);
  writeHeader(w, layout);
  const { count, sums } = writeBody(w, def);
  w.row += 1;
  for (const f of def.footer ?? []) writeLine(w, f);
  w.ws.commit();
  return { name: def.name, rows: count, sums };
}

const columnWidth = <R>(c: Column<R>) => c.width ?? 12;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function headerLayout<R>(def: SheetDef<R>): HeaderLayout {
  const twoLevel = def.columns.some((c) => c.group);
  const start = 2 + (def.info?.length ?? 0);
  return { twoLevel, start, end: start + (twoLevel ? 1 : 0) };
}

// exceljs's PaperSize enum lacks A3 (8 in the OOXML list); both are written as the numbers given.
const PAPER_SIZE = { A4: 9, A3: 8 } as unknown as Record<'A4' | 'A3', ExcelJS.PageSetup['paperSize']>;

/** The worksheet with its page setup: fitted to one page wide, header rows frozen and repeated on every page. */
function addPage<R>(wb: ExcelJS.stream.xlsx.WorkbookWriter, def: SheetDef<R>, layout: HeaderLayout): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(def.name, {
    views: [{ state: 'frozen', ySplit: layout.end, xSplit: 0 }],
    pageSetup: {
      paperSize: PAPER_SIZE[def.paper ?? 'A4'],
      orientation: def.landscape ? 'landscape' : 'portrait',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: {
        left: 0.4,
        right: 0.4,
        top: 0.6,
        bottom: 0.6,
        header: 0.3,
        footer: 0.3,
      },
      printTitlesRow: `${layout.start}:${layout.end}`,
    },
    headerFooter: { oddFooter: '第 &P 页，共 &N 页' },
  });
  ws.columns = def.columns.map((c) => ({ key: c.key, width: columnWidth(c) }));
  return ws;
}

/** One line of text merged across the whole width (title, info, footer, "no data"). */
function writeLine<R>(w: SheetWriter<R>, text: string, opts: LineOptions = {}) {
  const row = w.ws.getRow(w.row);
  row.getCell(1).value = text;
  row.getCell(1).font = {
    name: FONT,
    size: opts.size ?? 11,
    bold: opts.bold ?? false,
  };
  row.getCell(1).alignment = {
    horizontal: opts.align ?? 'left',
    vertical: 'middle',
    wrapText: true,
  };
  // A larger font takes proportionally more of the merged width per character.
  const size = opts.size ?? 11;
  const lines = linesFor(text, (w.width * 11) / size);
  if (size > 14) row.height = Math.max(32, rowPointsFor(lines, size * 1.4));
  else if (lines > 1) row.height = rowPointsFor(lines);
  w.ws.mergeCells(w.row, 1, w.row, w.n);
  row.commit();
  w.row += 1;
}

function writeTitleAndInfo<R>(w: SheetWriter<R>, def: SheetDef<R>) {
  writeLine(w, def.title, { size: 18, bold: true, align: 'center' });
  for (const info of def.info ?? []) {
    if (typeof info === 'string') writeLine(w, info);
    else writeInfoPair(w, info);
  }
}

/** An info pair: the left text over the left half, the right one right-aligned over the rest. */
function writeInfoPair<R>(w: SheetWriter<R>, [left, right]: [string, string]) {
  const { ws, n } = w;
  const row = ws.getRow(w.row);
  const half = Math.max(1, Math.floor(n / 2));
  row.getCell(1).value = left;
  row.getCell(half + 1).value = right;
  row.getCell(1).font = { name: FONT, size: 11 };
  row.getCell(half + 1).font = { name: FONT, size: 11 };
  row.getCell(1).alignment = { vertical: 'middle', wrapText: true };
  row.getCell(half + 1).alignment = { horizontal: 'right', vertical: 'middle', wrapText: true };
  const leftWidth = sum(w.widths.slice(0, half));
  const lines = Math.max(linesFor(left, leftWidth), linesFor(right, w.width - leftWidth));
  if (lines > 1) row.height = rowPointsFor(lines);
  ws.mergeCells(w.row, 1, w.row, half);
  if (half + 1 < n) ws.mergeCells(w.row, half + 1, w.row, n);
  row.commit();
  w.row += 1;
}

function headerStyle(cell: ExcelJS.Cell) {
  cell.font = { name: FONT, size: 11, bold: true };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.border = BORDER;
  cell.fill = {
    type: 'pattern',
    pattern: 'solid',
    fgColor: { argb: 'FFF2F2F2' },
  };
}

/** One header row, or two: groups above, their columns' headers below; ungrouped headers span both rows. */
function writeHeader<R>(w: SheetWriter<R>, layout: HeaderLayout) {
  const { ws, cols } = w;
  const top = ws.getRow(layout.start);
  const bottom = layout.twoLevel ? ws.getRow(layout.end) : null;
  const heights = headerHeights(w, layout);
  top.height = heights.top;
  if (bottom) bottom.height = heights.bottom;
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
  if (bottom) mergeHeaderGroups(w, layout);
  top.commit();
  bottom?.commit();
  w.row = layout.end + 1;
}

/**
 * Header row heights that show every header whole: a group's text over its columns' width, a grouped column's
 * header in the lower row, an ungrouped header over both rows together.
 */
function headerHeights<R>(w: SheetWriter<R>, layout: HeaderLayout): { top: number; bottom: number } {
  const { cols, widths } = w;
  if (!layout.twoLevel)
    return { top: Math.max(30, rowPointsFor(maxOf(cols.map((c, i) => linesFor(c.header, widths[i]!))))), bottom: 0 };
  let groupLines = 1;
  let lowerLines = 1;
  let spanningLines = 1;
  for (let i = 0; i < cols.length;) {
    const g = cols[i]!.group;
    let j = i;
    while (g && j + 1 < cols.length && cols[j + 1]!.group === g) j += 1;
    if (g) {
      groupLines = Math.max(groupLines, linesFor(g, sum(widths.slice(i, j + 1))));
      for (let k = i; k <= j; k++) lowerLines = Math.max(lowerLines, linesFor(cols[k]!.header, widths[k]!));
    } else spanningLines = Math.max(spanningLines, linesFor(cols[i]!.header, widths[i]!));
    i = j + 1;
  }
  const top = Math.max(22, rowPointsFor(groupLines));
  const bottom = Math.max(32, rowPointsFor(lowerLines), rowPointsFor(spanningLines) - top);
  return { top, bottom };
}

const maxOf = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 1);

function mergeHeaderGroups<R>(w: SheetWriter<R>, layout: HeaderLayout) {
  const { ws, cols, n } = w;
  for (let i = 0; i < n;) {
    const g = cols[i]!.group;
    let j = i;
    while (g && j + 1 < n && cols[j + 1]!.group === g) j += 1;
    if (!g) ws.mergeCells(layout.start, i + 1, layout.end, i + 1);
    else if (j > i) ws.mergeCells(layout.start, i + 1, layout.start, j + 1);
    i = j + 1;
  }
}

function styleFor(kind: ColumnKind, bold: boolean): Partial<ExcelJS.Style> {
  return {
    numFmt: FORMATS[kind],
    font: { name: FONT, size: 10.5, bold },
    border: BORDER,
    alignment: {
      vertical: 'middle',
      horizontal: kind === 'money' || kind === 'int' || kind === 'percent' ? 'right' : 'center',
      wrapText: kind === 'text',
    },
  };
}

/** Writes body rows and (bold, labelled) subtotal and total rows. */
interface RowWriter {
  values(values: CellValue[]): void;
  totals(label: string, sums: Record<string, number>, override?: Record<string, CellValue>): void;
}

function rowWriter<R>(w: SheetWriter<R>): RowWriter {
  const { ws, cols } = w;
  // A total row's label spans the columns before the first summed one (all of them when none is summed).
  const firstSum = cols.findIndex((c) => c.sum);
  const labelSpan = Math.max(1, firstSum === -1 ? w.n : firstSum);
  // One shared style object per column (and a bold one for totals): exceljs caches styles by object identity,
  // so body cells cost no style work — this is most of the writer's speed at county scale.
  const bodyStyles = cols.map((c) => styleFor(c.kind ?? 'text', false));
  const boldStyles = cols.map((c) => styleFor(c.kind ?? 'text', true));
  const labelWidth = sum(w.widths.slice(0, labelSpan));
  const write = (values: CellValue[], bold: boolean, label?: string) => {
    const row = ws.getRow(w.row);
    const styles = bold ? boldStyles : bodyStyles;
    let lines = label !== undefined ? linesFor(label, labelWidth) : 1;
    cols.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const labelled = label !== undefined && i < labelSpan;
      const value = labelled ? (i === 0 ? label : null) : cellValue(c.kind ?? 'text', values[i] ?? null);
      cell.value = value;
      cell.style = styles[i]!;
      if (!labelled && typeof value === 'string' && (c.kind ?? 'text') === 'text') {
        lines = Math.max(lines, linesFor(value, w.widths[i]!));
      }
    });
    if (lines > 1) row.height = rowPointsFor(lines);
    if (label !== undefined && labelSpan > 1) ws.mergeCells(w.row, 1, w.row, labelSpan);
    row.commit();
    w.row += 1;
  };
  return {
    values: (values) => write(values, false),
    totals: (label, sums, override) =>
      write(
        cols.map((c) => (override && c.key in override ? override[c.key]! : c.sum ? (sums[c.key] ?? 0) : null)),
        true,
        label,
      ),
  };
}

/** The data rows, a subtotal closing each group (rows arrive sorted by it), the total row, or "no data". */
function writeBody<R>(w: SheetWriter<R>, def: SheetDef<R>): { count: number; sums: Record<string, number> } {
  const { cols } = w;
  const out = rowWriter(w);
  const sums: Record<string, number> = {};
  const groupSums: Record<string, number> = {};
  let count = 0;
  let groupCount = 0;
  let currentGroup: string | null = null;
  const closeGroup = (group: string) =>
    out.totals(
      def.subtotalLabel?.(group, groupCount) ?? `${group} 小计`,
      groupSums,
      def.totals?.(groupSums, groupCount),
    );

  for (const item of def.rows) {
    const key = def.groupBy?.(item) ?? null;
    if (def.groupBy && currentGroup !== null && key !== currentGroup) {
      closeGroup(currentGroup);
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
    out.values(values);
    count += 1;
    groupCount += 1;
  }
  if (def.groupBy && currentGroup !== null) closeGroup(currentGroup);
  if (def.totalLabel) out.totals(def.totalLabel(count, sums), sums, def.totals?.(sums, count));
  if (count === 0) writeLine(w, '（本月无数据）', { align: 'center' });
  return { count, sums };
}
