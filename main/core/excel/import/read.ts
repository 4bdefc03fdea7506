/**
 * Reading an import file: .xlsx / .xlsm with the streaming reader of xlsx.ts, .xls and .csv (UTF-8 or GB18030) with
 * SheetJS. Formulas are never evaluated (only the cached values are read), and the limits on file size, inflated
 * size, rows and cells fail with a clear Chinese message rather than exhausting memory. A file that is not what its
 * name says is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { LedgerError } from '../../errors.ts';
import {
  type Cell,
  type Table,
  LIMITS,
  readFailure as fail,
  repeatMergedHeaders,
  tooManyCells,
  tooManyRows,
} from './table.ts';
import { readXlsx } from './xlsx.ts';
import { ZipError } from './zip.ts';

export { LIMITS, type Cell, type Table };

function decodeText(buf: Buffer): string {
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
  }
}

/** The zip container's problems in words a user can act on. */
function zipFailure(e: ZipError, name: string): LedgerError {
  switch (e.problem) {
    case 'directory':
      return fail(`「${name}」已损坏或不完整（无法读取压缩目录），请重新导出`);
    case 'too-large':
      return fail(
        `「${name}」解压后超过 ${LIMITS.unzippedBytes / 1048576} MB 的限制（数据过多，或文件已损坏、被篡改），请分批导入`,
      );
    case 'encrypted':
      return fail(`「${name}」的内容已加密，请在 Excel 中取消密码后再导入`);
    case 'damaged':
      return fail(`「${name}」已损坏或不完整，请重新导出`);
  }
}

/** Every sheet of the file (imports take the first whose header they recognise). */
export function readTables(file: string, content?: Buffer): Table[] {
  let buf: Buffer;
  if (content) buf = content;
  else {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      throw fail(`找不到文件：${file}`);
    }
    if (size > LIMITS.fileBytes)
      throw fail(`文件过大（${(size / 1048576).toFixed(1)} MB），导入文件不能超过 ${LIMITS.fileBytes / 1048576} MB`);
    buf = fs.readFileSync(file);
  }
  if (buf.length > LIMITS.fileBytes) throw fail(`文件过大，导入文件不能超过 ${LIMITS.fileBytes / 1048576} MB`);
  if (buf.length === 0) throw fail('文件是空的');
  const ext = path.extname(file).toLowerCase();
  const isZip = buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
  const isOle = buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0;
  const name = path.basename(file);

  let tables: Table[];
  try {
    if (ext === '.xlsx' || ext === '.xlsm') {
      if (!isZip) throw fail(`「${name}」不是有效的 .xlsx 文件（可能是改了扩展名的其他文件，或文件已损坏）`);
      tables = readXlsx(buf);
    } else if (ext === '.xls') {
      if (!isOle && !isZip) throw fail(`「${name}」不是有效的 .xls 文件`);
      tables = readWithSheetJs(buf);
    } else if (ext === '.csv' || ext === '.txt') {
      tables = readWithSheetJs(decodeText(buf));
    } else {
      throw fail(`不支持的文件类型「${ext || '无扩展名'}」，请使用 .xlsx、.xls 或 .csv`);
    }
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    if (e instanceof ZipError) throw zipFailure(e, name);
    throw fail(`无法读取「${name}」：文件已损坏、不完整或不是 Excel 文件`);
  }
  if (tables.length === 0) throw fail(`「${name}」中没有工作表`);
  return tables;
}

export function readTable(file: string, content?: Buffer): Table {
  return readTables(file, content)[0]!;
}

// No formatted text (cellText), number formats or styles: only cached values are used, and skipping the rest makes
// parsing a 100,000-row sheet about 40% faster.
const SHEETJS_OPTIONS: XLSX.ParsingOptions = {
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  cellText: false,
  cellNF: false,
  cellDates: false,
  sheetRows: LIMITS.rows + 1,
  dense: true,
};

/**
 * A workbook read by SheetJS, as imports use it: a buffer in any format SheetJS knows (.xls here), or the decoded
 * text of a CSV file. Also the reference the .xlsx reader is tested against.
 */
export function readWithSheetJs(input: Buffer | string): Table[] {
  const wb =
    typeof input === 'string'
      ? XLSX.read(input, { ...SHEETJS_OPTIONS, type: 'string', raw: true })
      : XLSX.read(input, { ...SHEETJS_OPTIONS, type: 'buffer' });
  return wb.SheetNames.map((sheetName) => sheetTable(sheetName, wb.Sheets[sheetName]!));
}

function sheetTable(sheetName: string, ws: XLSX.WorkSheet): Table {
  const ref = ws['!ref'];
  if (!ref) return { sheet: sheetName, rows: [], numeric: [] };
  const range = XLSX.utils.decode_range(ref);
  const height = range.e.r + 1;
  const width = range.e.c + 1;
  if (height > LIMITS.rows) throw tooManyRows(sheetName);
  if (height * width > LIMITS.cells) throw tooManyCells(sheetName, height, width);
  const data = (ws['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
  const rows: Cell[][] = [];
  const numeric: boolean[][] = [];
  for (let r = 0; r < height; r++) {
    const src = data[r] ?? [];
    const out: Cell[] = [];
    const nums: boolean[] = [];
    for (let c = 0; c < width; c++) {
      const cell = src[c];
      const v = cell?.v;
      // Error cells (#N/A, #DIV/0!…) read as empty, as in the .xlsx reader; SheetJS gives their error codes.
      out.push(v === undefined || v === null || cell!.t === 'e' ? null : cell!.t === 'd' ? String(v) : (v as Cell));
      nums.push(cell?.t === 'n');
    }
    rows.push(out);
    numeric.push(nums);
  }
  repeatMergedHeaders(rows, width, ws['!merges'] ?? []);
  return { sheet: sheetName, rows, numeric };
}
