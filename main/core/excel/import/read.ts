/**
 * Reading an import file: .xlsx / .xlsm with the streaming reader of xlsx.ts, .xls with SheetJS, .csv and .txt
 * with csv.ts (the encoding detected: UTF-8, UTF-16, UTF-32, GB18030, Big5). Formulas are never evaluated (only the
 * cached values are read), and the limits on file size, inflated size, rows and cells fail with a clear Chinese
 * message rather than exhausting memory. Only a regular file is read: a link, a folder, a device or a pipe is
 * refused before it is opened (a pipe or /dev/zero would never end), and a file that is not what its name says is
 * refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { LedgerError } from '../../errors.ts';
import { decodeText, parseDelimited } from './csv.ts';
import {
  type Cell,
  type Table,
  cellTooLong,
  LIMITS,
  readFailure as fail,
  repeatMergedHeaders,
  tooManyCells,
  tooManyRows,
} from './table.ts';
import { readXlsx } from './xlsx.ts';
import { ZipError } from './zip.ts';

export { LIMITS, type Cell, type Table };

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
    case 'size-mismatch':
      return fail(`「${name}」已损坏或被篡改（压缩包记录的大小与实际内容不符），请重新导出`);
  }
}

const tooLarge = (size: number) =>
  fail(`文件过大（${(size / 1048576).toFixed(1)} MB），导入文件不能超过 ${LIMITS.fileBytes / 1048576} MB`);

/** What stands at `file` when it is not a regular file, in words a user understands. */
function notAFile(stat: fs.Stats, name: string): LedgerError | null {
  if (stat.isSymbolicLink())
    return fail(`「${name}」是一个链接（快捷方式），不是文件本身；为安全起见不读取链接，请选择它指向的原文件`);
  if (stat.isDirectory()) return fail(`「${name}」是一个文件夹，不是文件；请选择要导入的 Excel 或 CSV 文件`);
  if (!stat.isFile()) return fail(`「${name}」不是普通文件（而是设备、管道或套接字），无法导入`);
  return null;
}

/**
 * The bytes of a regular file, at most the size limit. The path is examined without following a link, then opened
 * without following one (O_NOFOLLOW) and without waiting on a pipe (O_NONBLOCK), and what was opened is examined
 * again: a path swapped for a link or a pipe in between is refused too.
 */
function readRegularFile(file: string, name: string): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    throw fail(`找不到文件：${file}`);
  }
  const refused = notAFile(stat, name);
  if (refused) throw refused;
  if (stat.size > LIMITS.fileBytes) throw tooLarge(stat.size);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw openFailure(e, file, name);
  }
  try {
    const opened = fs.fstatSync(fd);
    const changed = notAFile(opened, name);
    if (changed) throw changed;
    if (opened.size > LIMITS.fileBytes) throw tooLarge(opened.size);
    // Only the bytes the file had when opened (one that grows meanwhile cannot push past the limit).
    const buf = Buffer.allocUnsafe(opened.size);
    let filled = 0;
    while (filled < buf.length) {
      const n = fs.readSync(fd, buf, filled, buf.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return filled === buf.length ? buf : buf.subarray(0, filled);
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    throw new LedgerError(
      'io',
      `读取「${name}」时出错（${(e as NodeJS.ErrnoException).code ?? '读取失败'}），请检查文件后重试`,
      'file',
    );
  } finally {
    fs.closeSync(fd);
  }
}

function openFailure(e: unknown, file: string, name: string): LedgerError {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return fail(`找不到文件：${file}`);
    case 'ELOOP':
      return fail(`「${name}」是一个链接（快捷方式），不是文件本身；为安全起见不读取链接，请选择它指向的原文件`);
    case 'EACCES':
    case 'EPERM':
      return new LedgerError('io', `没有读取「${name}」的权限，请检查文件的权限或先复制到本机`, 'file');
    case 'EBUSY':
      return new LedgerError('io', `「${name}」正被其他程序占用，请关闭后重试`, 'file');
    default:
      return new LedgerError('io', `无法打开「${name}」（${(e as NodeJS.ErrnoException).code ?? '打开失败'}）`, 'file');
  }
}

/** The sheet name Excel gives a text file: its name without the extension, at most 31 characters. */
const textSheetName = (name: string) => [...path.basename(name, path.extname(name))].slice(0, 31).join('') || 'Sheet1';

/**
 * Every sheet of the file (imports take the first whose header they recognise). `content` is the file's bytes
 * when they were uploaded rather than read from `file` (browser mode), whose name then only gives the type.
 */
export function readTables(file: string, content?: Buffer): Table[] {
  const name = path.basename(file);
  const buf = content ?? readRegularFile(file, name);
  if (buf.length > LIMITS.fileBytes) throw tooLarge(buf.length);
  if (buf.length === 0) throw fail(`「${name}」是空文件（0 字节）：文件是空的，请检查是否选错了文件`);
  const ext = path.extname(file).toLowerCase();
  const isZip = buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50;
  const isOle = buf.length >= 8 && buf.readUInt32BE(0) === 0xd0cf11e0;

  let tables: Table[];
  try {
    if (ext === '.xlsx' || ext === '.xlsm') {
      if (!isZip) throw fail(`「${name}」不是有效的 .xlsx 文件（可能是改了扩展名的其他文件，或文件已损坏）`);
      tables = readXlsx(buf);
    } else if (ext === '.xls') {
      if (!isOle && !isZip) throw fail(`「${name}」不是有效的 .xls 文件（可能是改了扩展名的其他文件，或文件已损坏）`);
      // A zip named .xls is an .xlsx renamed: read by the bounded reader, never by SheetJS's unzip.
      tables = isZip ? readXlsx(buf) : readWithSheetJs(buf);
    } else if (ext === '.csv' || ext === '.txt') {
      const text = decodeText(buf);
      if (!/[^\s\uFEFF\0]/.test(text)) throw fail(`「${name}」中没有任何内容：文件是空的，请检查是否选错了文件`);
      tables = [parseDelimited(text, textSheetName(name))];
    } else {
      throw fail(`不支持的文件类型「${ext || '无扩展名'}」，请使用 .xlsx、.xls 或 .csv`);
    }
  } catch (e) {
    if (e instanceof LedgerError) throw e;
    if (e instanceof ZipError) throw zipFailure(e, name);
    if (e instanceof RangeError)
      // The JavaScript engine's own limits (a string or array too long): the file holds too much to read at once.
      throw fail(`「${name}」的内容过多，无法一次读取，请分批导入`);
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
 * A workbook read by SheetJS, as imports use it: the bytes of an .xls (BIFF in an OLE container). Also the
 * reference the .xlsx reader is tested against.
 */
export function readWithSheetJs(input: Buffer): Table[] {
  const wb = XLSX.read(input, { ...SHEETJS_OPTIONS, type: 'buffer' });
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
      if (typeof v === 'string' && v.length > LIMITS.cellCharacters) throw cellTooLong(sheetName, r, c, v.length);
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
