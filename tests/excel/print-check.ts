/**
 * What a printed report must not do, measured on the workbook as written (read back with exceljs): text wider than
 * its cell. A wrapped cell needs a row tall enough for its lines (LibreOffice keeps the stated height and lets the
 * rest spill over the rows below); a cell that does not wrap (numbers, dates) must fit its column on one line.
 */
import ExcelJS from 'exceljs';
import { fitsOneLine, LINE_POINTS, linesFor } from '../../main/core/excel/measure.ts';

/** LibreOffice's height of a row that states none (one line of 11 pt 宋体). */
const DEFAULT_ROW_POINTS = 15;

export async function printProblems(file: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const problems: string[] = [];
  for (const ws of wb.worksheets) {
    const widths = ws.columns.map((c) => c.width ?? 9);
    // Merged ranges: the top-left cell shows its text over the whole range.
    const merged = new Map<string, { cols: [number, number]; rows: [number, number] }>();
    for (const range of (ws.model as unknown as { merges: string[] }).merges ?? []) {
      const [a, b] = range.split(':') as [string, string];
      const from = ws.getCell(a);
      const to = ws.getCell(b);
      merged.set(from.address, {
        cols: [Number(from.col), Number(to.col)],
        rows: [Number(from.row), Number(to.row)],
      });
    }
    ws.eachRow((row, r) => {
      row.eachCell((cell, c) => {
        // The other cells of a merged range repeat its text: it is shown once, by the range's first cell.
        if (cell.isMerged && cell.master.address !== cell.address) return;
        const text = shown(cell);
        if (!text) return;
        const m = merged.get(cell.address);
        const [c0, c1] = m?.cols ?? [c, c];
        const [r0, r1] = m?.rows ?? [r, r];
        let width = 0;
        for (let i = c0; i <= c1; i++) width += widths[i - 1] ?? 9;
        let height = 0;
        for (let i = r0; i <= r1; i++) height += ws.getRow(i).height ?? DEFAULT_ROW_POINTS;
        const size = cell.font?.size ?? 11;
        const at = `${ws.name} ${cell.address}「${text.slice(0, 20)}」`;
        if (cell.alignment?.wrapText) {
          const lines = linesFor(text, (width * 11) / Math.max(11, size));
          const needed = lines * LINE_POINTS * (Math.max(11, size) / 11);
          if (height + 0.5 < needed) problems.push(`${at}: ${lines} 行需 ${needed} 磅，行高 ${height} 磅`);
        } else if (!fitsOneLine(text, (width * 11) / Math.max(11, size))) {
          problems.push(`${at}: 宽于列宽 ${width}`);
        }
      });
    });
  }
  return problems;
}

/** The text a cell shows: numbers in their format (money with two decimals and thousands separators). */
function shown(cell: ExcelJS.Cell): string {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (cell.numFmt === '#,##0.00')
      return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (cell.numFmt === '0.0%') return `${(v * 100).toFixed(1)}%`;
    return String(v);
  }
  return cell.text;
}
