/**
 * What a read sheet becomes for the importers — a rectangle of cached values with, per cell, whether Excel stored
 * it as a number — and the limits every reader enforces while building it.
 */
import { LedgerError } from '../../errors.ts';

export const LIMITS = {
  fileBytes: 50 * 1024 * 1024,
  /** Bytes actually inflated from an .xlsx's parts, together (not what the zip declares). */
  unzippedBytes: 400 * 1024 * 1024,
  rows: 200_000,
  /** Rows × columns of one sheet: 200,000 rows of 100 columns; beyond it memory, not the data, runs out. */
  cells: 20_000_000,
  /**
   * Characters in one cell: Excel's own limit, so no file Excel saved exceeds it. A longer cell (a 10-million-
   * character "name") would cost every later step its length in time and memory, and is refused with the file.
   */
  cellCharacters: 32_767,
};

export type Cell = string | number | boolean | null;
export interface Table {
  sheet: string;
  rows: Cell[][];
  /** Per cell: true when Excel stored it as a number (an ID stored so has lost digits). */
  numeric: boolean[][];
}

/** A cell range, 0-based and inclusive, as SheetJS decodes it. */
export interface CellRange {
  s: { r: number; c: number };
  e: { r: number; c: number };
}

/** Merges starting in these first rows are header merges whose value is repeated over them. */
export const HEADER_ROWS = 16;
/** Excel's widest sheet (XFD). */
export const MAX_COLUMNS = 16_384;

export const readFailure = (message: string) => new LedgerError('validation', message, 'file');

/** Excel's name of a column (0 → A, 26 → AA). */
export function columnName(column: number): string {
  let name = '';
  for (let n = column + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A cell longer than Excel allows, refused with the file. */
export const cellTooLong = (sheet: string, row: number, column: number, length: number) =>
  readFailure(
    `「${sheet}」的单元格 ${columnName(column)}${row + 1} 有 ${length} 个字符，超过 Excel 单元格 ${LIMITS.cellCharacters} 个字符的上限（文件可能已损坏或被篡改），请检查后再导入`,
  );
export const tooManyRows = (sheet: string) => readFailure(`「${sheet}」超过 ${LIMITS.rows} 行，请分批导入`);
export const tooManyCells = (sheet: string, rows: number, columns: number) =>
  readFailure(
    `「${sheet}」的表格范围过大（${rows} 行 × ${columns} 列），请删除多余的行列（例如远处误填的单元格）后再导入`,
  );

/**
 * Merged header cells: the value of a merge's first cell repeated over its empty cells, so a two-row header reads
 * naturally. Only merges starting in the header rows, and only over the rows and columns the sheet has: a merge
 * declared as A1:XFD1048576 costs what the sheet's own cells cost. Spreadsheet programs never write overlapping
 * merges, so together they cover each cell once; a file whose merges would visit more cells than the sheet holds
 * is not worth the CPU and its remaining merges are left alone.
 */
export function repeatMergedHeaders(rows: Cell[][], width: number, merges: readonly CellRange[]): void {
  let budget = rows.length * width;
  for (const m of merges) {
    if (m.s.r >= HEADER_ROWS || m.s.r < 0 || m.s.c < 0) continue;
    const lastRow = Math.min(m.e.r, rows.length - 1);
    const lastColumn = Math.min(m.e.c, width - 1);
    if (lastRow < m.s.r || lastColumn < m.s.c) continue;
    const area = (lastRow - m.s.r + 1) * (lastColumn - m.s.c + 1);
    if (area > budget) break;
    budget -= area;
    const value = rows[m.s.r]![m.s.c] ?? null;
    for (let r = m.s.r; r <= lastRow; r++) {
      const row = rows[r]!;
      for (let c = m.s.c; c <= lastColumn; c++) if (row[c] === null) row[c] = value;
    }
  }
}

/**
 * A sheet's cells gathered in any order (sparse rows, gaps, cells without references) into the rectangle the
 * importers read: as many rows and columns as the last cell holding a value, every row padded with nulls. The row
 * and cell limits are checked as cells arrive, so a file claiming far-away cells is refused before memory is spent.
 */
export class TableBuilder {
  private readonly rows: Cell[][] = [];
  private readonly numeric: boolean[][] = [];
  private width = 0;
  readonly sheet: string;

  constructor(sheet: string) {
    this.sheet = sheet;
  }

  set(row: number, column: number, value: Cell, isNumeric: boolean): void {
    if (row >= LIMITS.rows) throw tooManyRows(this.sheet);
    if (typeof value === 'string' && value.length > LIMITS.cellCharacters)
      throw cellTooLong(this.sheet, row, column, value.length);
    if (column >= MAX_COLUMNS) throw readFailure(`「${this.sheet}」中有超出 Excel 列范围的单元格，文件已损坏`);
    const height = Math.max(row + 1, this.rows.length);
    const width = Math.max(column + 1, this.width);
    if (height * width > LIMITS.cells) throw tooManyCells(this.sheet, height, width);
    this.width = width;
    while (this.rows.length <= row) {
      this.rows.push([]);
      this.numeric.push([]);
    }
    const cells = this.rows[row]!;
    const flags = this.numeric[row]!;
    while (cells.length < column) {
      cells.push(null);
      flags.push(false);
    }
    cells[column] = value;
    flags[column] = isNumeric;
  }

  finish(merges: readonly CellRange[]): Table {
    for (let r = 0; r < this.rows.length; r++) {
      const cells = this.rows[r]!;
      const flags = this.numeric[r]!;
      while (cells.length < this.width) {
        cells.push(null);
        flags.push(false);
      }
    }
    repeatMergedHeaders(this.rows, this.width, merges);
    return { sheet: this.sheet, rows: this.rows, numeric: this.numeric };
  }
}
