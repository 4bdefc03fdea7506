/**
 * Reading an import file: .xlsx, .xls or .csv (UTF-8 or GB18030) with SheetJS, formulas never evaluated (only
 * the cached values are read), with limits on file size, decompressed size and rows that fail with a clear
 * Chinese message rather than exhausting memory. A file that is not what its name says is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { LedgerError } from '../../errors.ts';

export const LIMITS = { fileBytes: 50 * 1024 * 1024, unzippedBytes: 400 * 1024 * 1024, rows: 200_000 };

export type Cell = string | number | boolean | null;
export interface Table {
  sheet: string;
  rows: Cell[][];
  /** Per cell: true when Excel stored it as a number (an ID stored so has lost digits). */
  numeric: boolean[][];
}

const fail = (message: string) => new LedgerError('validation', message, 'file');

/** Sum of uncompressed sizes from a zip's central directory (an .xlsx is a zip): refuses zip bombs before inflating. */
export function zipUncompressedSize(buf: Buffer): number | null {
  const min = Math.max(0, buf.length - 65_557);
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    const entries = buf.readUInt16LE(i + 10);
    let p = buf.readUInt32LE(i + 16);
    let total = 0;
    for (let e = 0; e < entries; e++) {
      if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
      total += buf.readUInt32LE(p + 24);
      p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
    }
    return total;
  }
  return null;
}

function decodeText(buf: Buffer): string {
  const body = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return new TextDecoder('gb18030').decode(body);
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
  const isZip = buf.readUInt32LE(0) === 0x04034b50;
  const isOle = buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0;
  const name = path.basename(file);

  let wb: XLSX.WorkBook;
  // No formatted text (cellText), number formats or styles: only cached values are used, and skipping the rest
  // makes parsing a 100,000-row sheet about 40% faster.
  const opts: XLSX.ParsingOptions = {
    cellFormula: false,
    cellHTML: false,
    cellStyles: false,
    cellText: false,
    cellNF: false,
    cellDates: false,
    sheetRows: LIMITS.rows + 1,
    dense: true,
  };
  try {
    if (ext === '.xlsx' || ext === '.xlsm') {
      if (!isZip) throw fail(`「${name}」不是有效的 .xlsx 文件（可能是改了扩展名的其他文件，或文件已损坏）`);
      const unzipped = zipUncompressedSize(buf);
      if (unzipped === null) throw fail(`「${name}」已损坏或不完整（无法读取压缩目录），请重新导出`);
      if (unzipped > LIMITS.unzippedBytes)
        throw fail(
          `「${name}」解压后过大（${Math.round(unzipped / 1048576)} MB），超过 ${LIMITS.unzippedBytes / 1048576} MB 的限制`,
        );
      wb = XLSX.read(buf, { ...opts, type: 'buffer' });
    } else if (ext === '.xls') {
      if (!isOle && !isZip) throw fail(`「${name}」不是有效的 .xls 文件`);
      wb = XLSX.read(buf, { ...opts, type: 'buffer' });
    } else if (ext === '.csv' || ext === '.txt') {
      wb = XLSX.read(decodeText(buf), { ...opts, type: 'string', raw: true });
    } else {
      throw fail(`不支持的文件类型「${ext || '无扩展名'}」，请使用 .xlsx、.xls 或 .csv`);
    }
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    throw fail(`无法读取「${name}」：文件已损坏、不完整或不是 Excel 文件`);
  }
  if (wb.SheetNames.length === 0) throw fail(`「${name}」中没有工作表`);
  return wb.SheetNames.map((sheetName) => sheetTable(sheetName, wb.Sheets[sheetName]!));
}

export function readTable(file: string, content?: Buffer): Table {
  return readTables(file, content)[0]!;
}

function sheetTable(sheetName: string, ws: XLSX.WorkSheet): Table {
  const ref = ws['!ref'];
  if (!ref) return { sheet: sheetName, rows: [], numeric: [] };
  const range = XLSX.utils.decode_range(ref);
  if (range.e.r + 1 > LIMITS.rows) throw fail(`「${sheetName}」超过 ${LIMITS.rows} 行，请分批导入`);
  const data = (ws['!data'] ?? []) as (XLSX.CellObject | undefined)[][];
  const rows: Cell[][] = [];
  const numeric: boolean[][] = [];
  for (let r = 0; r <= range.e.r; r++) {
    const src = data[r] ?? [];
    const out: Cell[] = [];
    const nums: boolean[] = [];
    for (let c = 0; c <= range.e.c; c++) {
      const cell = src[c];
      const v = cell?.v;
      out.push(v === undefined || v === null ? null : cell!.t === 'd' ? String(v) : (v as Cell));
      nums.push(cell?.t === 'n');
    }
    rows.push(out);
    numeric.push(nums);
  }
  // Merged header cells: repeat the value over the merge so a two-row header reads naturally.
  for (const m of ws['!merges'] ?? []) {
    if (m.s.r > 15) continue;
    const v = rows[m.s.r]?.[m.s.c] ?? null;
    for (let r = m.s.r; r <= m.e.r; r++)
      for (let c = m.s.c; c <= m.e.c; c++) if (rows[r] && rows[r]![c] === null) rows[r]![c] = v;
  }
  return { sheet: sheetName, rows, numeric };
}
