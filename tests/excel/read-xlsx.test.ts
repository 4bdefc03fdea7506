/**
 * The streaming .xlsx reader on real files: workbooks written by exceljs (in memory and streaming), SheetJS and
 * LibreOffice read exactly as SheetJS reads them (rows and numeric flags); hand-written packages cover what those
 * programs do not write (cells and rows without references, prefixed namespaces, CDATA, entities, ZIP64); and the
 * files made to hurt — a merge over the whole sheet, declared sizes forged smaller than the data, too many rows,
 * a cell far away, damaged zips — are read quickly or refused with a clear message.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../main/core/errors.ts';
import { LIMITS, readTables, readWithSheetJs, type Table } from '../../main/core/excel/import/read.ts';
import { tempDir } from '../helpers.ts';
import { SOFFICE } from './lo.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

// ---------------------------------------------------------------------------------------------------------------
// Package builders

interface Part {
  name: string;
  content: string | Buffer;
}

interface ZipOptions {
  zip64?: boolean;
  /** Entries stored uncompressed (method 0) rather than deflated. */
  store?: boolean;
}

/** A zip as spreadsheet programs write one (deflated entries, central directory), optionally in ZIP64 form. */
function zip(parts: Part[], opts: ZipOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  const directory: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const data = Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content, 'utf8');
    const deflated = opts.store ? data : zlib.deflateRawSync(data);
    const method = opts.store ? 0 : 8;
    const fileName = Buffer.from(part.name, 'utf8');
    const crc = zlib.crc32(data);
    const big = opts.zip64 === true;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(big ? 45 : 20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(deflated.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const extra = Buffer.alloc(big ? 28 : 0);
    if (big) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(24, 2);
      extra.writeBigUInt64LE(BigInt(data.length), 4);
      extra.writeBigUInt64LE(BigInt(deflated.length), 12);
      extra.writeBigUInt64LE(BigInt(offset), 20);
    }
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(big ? 45 : 20, 4);
    central.writeUInt16LE(big ? 45 : 20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(big ? 0xffffffff : deflated.length, 20);
    central.writeUInt32LE(big ? 0xffffffff : data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(big ? 0xffffffff : offset, 42);
    directory.push(central, fileName, extra);
    chunks.push(local, fileName, deflated);
    offset += local.length + fileName.length + deflated.length;
  }
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  if (opts.zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(parts.length), 24);
    record.writeBigUInt64LE(BigInt(parts.length), 32);
    record.writeBigUInt64LE(BigInt(directoryBytes.length), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(offset + directoryBytes.length), 8);
    locator.writeUInt32LE(1, 16);
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    return Buffer.concat([...chunks, directoryBytes, record, locator, end]);
  }
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, directoryBytes, end]);
}

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

interface HandSheet {
  name: string;
  /** The worksheet part's whole XML (a Buffer for another encoding). */
  xml: string | Buffer;
}

/**
 * A minimal package written by hand. Sheet parts are named in reverse and their relationships listed in reverse,
 * so only workbook.xml gives the order.
 */
function handWorkbook(sheets: HandSheet[], sharedStrings?: string, opts: ZipOptions = {}): Buffer {
  const n = sheets.length;
  const rels = sheets
    .map(
      (_, i) =>
        `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${i === 0 ? '/xl/' : ''}worksheets/sheet${n - i}.xml"/>`,
    )
    .reverse();
  if (sharedStrings) rels.push(`<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>`);
  const parts: Part[] = [
    {
      name: '[Content_Types].xml',
      content: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
    },
    {
      name: '_rels/.rels',
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      content: `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${MAIN}" xmlns:r="${REL}"><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      content: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="${PKG}">${rels.join('')}</Relationships>`,
    },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${n - i}.xml`, content: s.xml })),
  ];
  if (sharedStrings) parts.push({ name: 'xl/sharedStrings.xml', content: sharedStrings });
  return zip(parts, opts);
}

const worksheet = (sheetData: string, after = '') =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetData>${sheetData}</sheetData>${after}</worksheet>`;

function write(name: string, bytes: Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** readTables refuses the file: the LedgerError a user sees (validation, on the file field). */
function refusal(file: string): LedgerError {
  try {
    readTables(file);
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    expect(e).toMatchObject({ code: 'validation', field: 'file' });
    return e as LedgerError;
  }
  throw new Error(`${file} was read`);
}

/** Asserts the new reader and SheetJS agree on every sheet, cell and numeric flag. */
function expectSameAsSheetJs(file: string): Table[] {
  const ours = readTables(file);
  expect(ours).toEqual(readWithSheetJs(fs.readFileSync(file)));
  return ours;
}

// ---------------------------------------------------------------------------------------------------------------
// Workbooks from real programs

const ID_TEXT = '520102197005060012';
const ID_NUMBER = 520102197208090000;

/** Rows every producer writes: strings, text and numeric IDs, booleans, decimals, blanks and gaps, a far column. */
const VARIED: (string | number | boolean | null)[][] = [
  ['青山村 防止返贫监测对象花名册'],
  ['序号', '成员信息', null, null, '保障', null],
  [null, '姓名', '身份证号', '联系电话', '是否参加大病保险', '补贴（元）'],
  [1, '王建国', ID_TEXT, '13800001111', true, 1234.5],
  [2, '李秀英', ID_NUMBER, 13800002222, false, 0],
  [3, '布依族·韦小宝', '', null, null, -0.25],
  [],
  [],
  [4, 'x & <y> "z" \'w\'', ' 前后空格 ', '第一行\n第二行', null, 1e-7, null, null, '远处'],
  [5, '𠀀生僻字', '下划线_x 原样', 45000.75, true, 12345678901234],
];

async function exceljsWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  VARIED.forEach((row, i) => (row.length ? ws.addRow(row) : ws.getRow(i + 1)));
  ws.mergeCells('A1:F1');
  ws.mergeCells('A2:A3');
  ws.mergeCells('B2:D2');
  ws.mergeCells('E2:F2');
  ws.getCell('B12').value = { richText: [{ text: '赵' }, { font: { bold: true }, text: '丽' }, { text: ' 户主' }] };
  ws.getCell('C12').value = { formula: 'F4*2', result: 2469 };
  ws.getCell('D12').value = { formula: 'B4&"户"', result: '王建国户' };
  ws.getCell('E12').value = new Date(Date.UTC(2021, 2, 5));
  const second = wb.addWorksheet('统计表&<汇总>');
  second.addRow(['村', '户数']);
  second.addRow(['石桥村', 12]);
  const hidden = wb.addWorksheet('隐藏', { state: 'hidden' });
  hidden.addRow(['隐藏的表']);
  await wb.xlsx.writeFile(file);
}

function sheetjsWorkbook(file: string, bookSST: boolean): void {
  const wb = XLSX.utils.book_new();
  const ws = XLSX.utils.aoa_to_sheet(VARIED);
  ws['!merges'] = [XLSX.utils.decode_range('A1:F1'), XLSX.utils.decode_range('B2:D2')];
  XLSX.utils.book_append_sheet(wb, ws, '花名册');
  XLSX.utils.book_append_sheet(
    wb,
    XLSX.utils.aoa_to_sheet([
      ['村', '户数'],
      ['石桥村', 12],
    ]),
    '统计表&<汇总>',
  );
  fs.writeFileSync(file, XLSX.write(wb, { bookType: 'xlsx', type: 'buffer', bookSST, compression: true }) as Buffer);
}

describe('the .xlsx reader returns what SheetJS returned', () => {
  it('for a varied workbook written by exceljs: strings, numbers, IDs, booleans, gaps, merges, rich text, formulas', async () => {
    const file = path.join(dir, 'exceljs.xlsx');
    await exceljsWorkbook(file);
    const [roster, summary, hidden] = expectSameAsSheetJs(file);
    expect([roster!.sheet, summary!.sheet, hidden!.sheet]).toEqual(['花名册', '统计表&<汇总>', '隐藏']);
    // An ID kept as text is text; one stored as a number is a number flagged numeric (its digits already lost).
    expect(roster!.rows[3]![2]).toBe(ID_TEXT);
    expect(roster!.numeric[3]![2]).toBe(false);
    expect(roster!.rows[4]![2]).toBe(ID_NUMBER);
    expect(roster!.numeric[4]![2]).toBe(true);
    expect(roster!.rows[3]![4]).toBe(true);
    // Merged header cells repeat their value over the merge.
    expect(roster!.rows[0]!.slice(0, 6)).toEqual(Array<string>(6).fill('青山村 防止返贫监测对象花名册'));
    expect(roster!.rows[1]!.slice(0, 6)).toEqual(['序号', '成员信息', '成员信息', '成员信息', '保障', '保障']);
    expect(roster!.rows[2]![0]).toBe('序号');
    // Blank rows are there, as empty rows; the far column widens every row.
    expect(roster!.rows[6]).toEqual(Array<null>(9).fill(null));
    expect(roster!.rows.every((r) => r.length === 9)).toBe(true);
    expect(roster!.rows[8]!.slice(1, 4)).toEqual(['x & <y> "z" \'w\'', ' 前后空格 ', '第一行\n第二行']);
    // Rich text runs joined; formulas give their cached results; dates stay serial numbers.
    expect(roster!.rows[11]!.slice(1, 5)).toEqual(['赵丽 户主', 2469, '王建国户', 44260]);
  });

  it('for the same rows written by SheetJS, with and without a shared string table', () => {
    for (const bookSST of [true, false]) {
      const file = path.join(dir, `sheetjs-${bookSST}.xlsx`);
      sheetjsWorkbook(file, bookSST);
      const [roster] = expectSameAsSheetJs(file);
      expect(roster!.rows[9]!.slice(1, 3)).toEqual(['𠀀生僻字', '下划线_x 原样']);
      expect(roster!.numeric[4]!.slice(2, 4)).toEqual([true, true]);
    }
  });

  it.skipIf(!SOFFICE)('for the exceljs workbook saved again by LibreOffice, as an office suite writes it', async () => {
    const source = path.join(dir, 'for-lo.xlsx');
    await exceljsWorkbook(source);
    const out = path.join(dir, 'lo-out');
    const profile = path.join(dir, 'lo-profile');
    const r = spawnSync(
      SOFFICE!,
      [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'xlsx', '--outdir', out, source],
      { encoding: 'utf8', timeout: 180_000 },
    );
    expect(r.status).toBe(0);
    const [roster] = expectSameAsSheetJs(path.join(out, 'for-lo.xlsx'));
    expect(roster!.rows[3]![2]).toBe(ID_TEXT);
  });

  it('for 5,000 rows of Chinese text streamed by exceljs: every character intact across the deflate chunks', async () => {
    const file = path.join(dir, 'stream.xlsx');
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: false, useSharedStrings: false });
    const ws = wb.addWorksheet('家庭成员');
    const long = '布依族苗族'.repeat(6000); // 90,000 bytes: characters straddle every 16 and 64 KiB boundary
    ws.addRow(['序号', '姓名', '民族', '备注']).commit();
    for (let i = 1; i <= 5000; i++)
      ws.addRow([
        i,
        `韦${'小'.repeat(i % 7)}宝${i}`,
        i % 2 ? '布依族' : '苗族',
        i === 2500 ? long : `第${i}户`,
      ]).commit();
    ws.commit();
    await wb.commit();
    const [table] = expectSameAsSheetJs(file);
    expect(table!.rows).toHaveLength(5001);
    expect(table!.rows[2500]![3]).toBe(long);
    const bad = table!.rows.slice(1).filter((r, i) => r[2] !== ((i + 1) % 2 ? '布依族' : '苗族'));
    expect(bad).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What programs write differently, written by hand

describe('the .xlsx reader on hand-written packages', () => {
  it('reads sheet names and order from the workbook, shared and inline strings, rich text, entities and spaces', () => {
    const sst = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${MAIN}" count="4" uniqueCount="4"><si><t>户主</t></si><si><r><rPr><b/></rPr><t>王</t></r><r><t xml:space="preserve"> 建国 </t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si><si><t>A &amp; B &lt;c&gt; &#x4E2D;&#25991; _x000D_</t></si><si><t/></si></sst>`;
    const first = worksheet(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve">  内联  </t></is></c><c r="B2" t="inlineStr"><is><r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r></is></c><c r="C2" t="str"><f>A1</f><v>公式&amp;文本</v></c><c r="D2" t="inlineStr"/></row>',
    );
    const file = write(
      'hand-strings.xlsx',
      handWorkbook(
        [
          { name: '第一&amp;表', xml: first },
          { name: '第二', xml: worksheet('<row><c><v>2</v></c></row>') },
          { name: '第三', xml: worksheet('<row><c><v>3</v></c></row>') },
        ],
        sst,
      ),
    );
    // Written out rather than compared with SheetJS, which loses the first sheet of this (valid) package.
    const tables = readTables(file);
    expect(tables.map((t) => t.sheet)).toEqual(['第一&表', '第二', '第三']);
    expect(tables[0]!.rows).toEqual([
      ['户主', '王 建国 ', 'A & B <c> 中文 \r', ''],
      ['  内联  ', '富文本', '公式&文本', ''],
    ]);
    expect(tables.slice(1).map((t) => t.rows)).toEqual([[[2]], [[3]]]);
  });

  it('places rows and cells without references after the previous ones, and keeps sparse rows and gaps', () => {
    const xml = worksheet(
      '<row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c><c r="E2"><v>3</v></c><c><v>4</v></c></row>' +
        '<row><c><v>5</v></c></row>' +
        '<row r="6" spans="1:3"><c r="C6" t="b"><v>1</v></c><c r="D6" t="b"><v>0</v></c><c r="E6" s="3"/></row>',
    );
    const file = write('hand-sparse.xlsx', handWorkbook([{ name: 'S', xml }]));
    const [table] = expectSameAsSheetJs(file);
    const _ = null;
    expect(table!.rows).toEqual([
      [_, _, _, _, _, _],
      [_, 1, 2, _, 3, 4],
      [5, _, _, _, _, _],
      [_, _, _, _, _, _],
      [_, _, _, _, _, _],
      [_, _, true, false, _, _],
    ]);
    expect(table!.numeric[1]).toEqual([false, true, true, false, true, true]);
    expect(table!.numeric[5]).toEqual(Array<boolean>(6).fill(false));
  });

  it('reads prefixed namespaces, CDATA, comments and a DTD; errors and never-calculated formulas read as empty', () => {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x:worksheet [<!ENTITY e "boom">]><x:worksheet xmlns:x="${MAIN}">` +
      '<!-- written by a tool --><x:sheetData>' +
      '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t><![CDATA[<原样> & 文本]]></x:t></x:is></x:c><x:c r="B1"><x:v>42</x:v></x:c>' +
      '<x:c r="C1" t="e"><x:v>#N/A</x:v></x:c><x:c r="D1"><x:f>A1*2</x:f></x:c><x:c r="E1" t="d"><x:v>2021-03-05T12:00:00</x:v></x:c>' +
      '<x:c r="F1"><x:v>1.5E+3</x:v></x:c><x:c r="G1" t="inlineStr"><x:is><x:t>&e;</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>';
    const file = write('hand-prefixed.xlsx', handWorkbook([{ name: 'P', xml }]));
    const [table] = readTables(file);
    // A document type's own entities are never expanded (no entity bombs): the reference stays as written.
    expect(table!.rows).toEqual([['<原样> & 文本', 42, null, null, 44260.5, 1500, '&e;']]);
    expect(table!.numeric).toEqual([[false, true, false, false, true, true, false]]);
  });

  it('reads ZIP64 packages, entries stored without compression, and parts in UTF-16', () => {
    const xml = worksheet(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>六十四位</t></is></c><c r="B1"><v>64</v></c></row>',
    );
    const zip64 = write('zip64.xlsx', handWorkbook([{ name: 'Z', xml }], undefined, { zip64: true }));
    expect(readTables(zip64)[0]!.rows).toEqual([['六十四位', 64]]);
    const stored = write('stored.xlsx', handWorkbook([{ name: 'S', xml }], undefined, { store: true }));
    expect(readTables(stored)[0]!.rows).toEqual([['六十四位', 64]]);
    const utf16 = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const littleEndian = Buffer.from(`\ufeff${utf16}`, 'utf16le');
    const bigEndian = Buffer.from(littleEndian).swap16();
    const file = write(
      'utf16.xlsx',
      handWorkbook([
        { name: 'LE', xml: littleEndian },
        { name: 'BE', xml: bigEndian },
      ]),
    );
    expect(readTables(file).map((t) => t.rows)).toEqual([[['六十四位', 64]], [['六十四位', 64]]]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Files made to hurt

/** Sets LIMITS fields for the duration of `run` (vitest runs each test file in its own worker). */
function withLimits<T>(limits: Partial<typeof LIMITS>, run: () => T): T {
  const saved = { ...LIMITS };
  Object.assign(LIMITS, limits);
  try {
    return run();
  } finally {
    Object.assign(LIMITS, saved);
  }
}

describe('the .xlsx reader on hostile files', () => {
  it('repeats a merge declared over the whole sheet (A1:XFD1048576) only over the cells the sheet has', () => {
    const xml = worksheet(
      '<row r="1"><c r="A1" t="inlineStr"><is><t>标题</t></is></c></row><row r="3"><c r="C3"><v>7</v></c></row>',
      '<mergeCells count="2"><mergeCell ref="A1:XFD1048576"/><mergeCell ref="A20:XFD1048576"/></mergeCells>',
    );
    const file = write('huge-merge.xlsx', handWorkbook([{ name: 'M', xml }]));
    const [table] = readTables(file);
    expect(table!.rows).toEqual([
      ['标题', '标题', '标题'],
      ['标题', '标题', '标题'],
      ['标题', '标题', 7],
    ]);
  });

  it('refuses a file whose zip declares sizes other than its data inflates to, inflating no more than declared', async () => {
    const file = path.join(dir, 'forged.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('表');
    for (let i = 0; i < 20_000; i++) ws.addRow([i, `第${i}行`, '布依族']);
    await wb.xlsx.writeFile(file);
    expect(readTables(file)[0]!.rows[19_999]).toEqual([19_999, '第19999行', '布依族']);
    // Every entry's uncompressed size, in its local header and in the central directory, forged down to 100 bytes.
    const bytes = fs.readFileSync(file);
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const forge = (size: number) => {
      let p = bytes.readUInt32LE(end + 16);
      for (let e = bytes.readUInt16LE(end + 10); e > 0; e--) {
        bytes.writeUInt32LE(size, p + 24);
        bytes.writeUInt32LE(size, bytes.readUInt32LE(p + 42) + 22);
        p += 46 + bytes.readUInt16LE(p + 28) + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
      }
      fs.writeFileSync(file, bytes);
    };
    // Smaller: refused once a part passes what it declared (never inflated further).
    forge(100);
    expect(refusal(file).message).toBe('「forged.xlsx」已损坏或被篡改（压缩包记录的大小与实际内容不符），请重新导出');
    // Larger than the budget: refused before inflating anything.
    forge(LIMITS.unzippedBytes + 1);
    expect(refusal(file).message).toContain('「forged.xlsx」解压后超过 400 MB 的限制');
    // The real parts inflate to about 3 MB: honest sizes over a 512 KB budget are refused before inflating them.
    const honest = path.join(dir, 'honest.xlsx');
    await wb.xlsx.writeFile(honest);
    const error = withLimits({ unzippedBytes: 512 * 1024 }, () => refusal(honest));
    expect(error.message).toContain('「honest.xlsx」解压后超过 0.5 MB 的限制');
  });

  it('refuses more rows than the limit, and a row numbered beyond it', () => {
    const rows = Array.from({ length: LIMITS.rows + 1 }, (_, i) => `<row><c><v>${i}</v></c></row>`).join('');
    const many = write('many-rows.xlsx', handWorkbook([{ name: '名单', xml: worksheet(rows) }]));
    expect(refusal(many).message).toBe(`「名单」超过 ${LIMITS.rows} 行，请分批导入`);
    const far = write(
      'far-row.xlsx',
      handWorkbook([{ name: '名单', xml: worksheet('<row r="1048576"><c r="A1048576"><v>1</v></c></row>') }]),
    );
    expect(refusal(far).message).toBe(`「名单」超过 ${LIMITS.rows} 行，请分批导入`);
  });

  it('refuses a sheet whose one far-away cell would make it too large to hold', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`);
    rows[1999] = '<row r="2000"><c r="XFD2000"><v>1</v></c></row>';
    const file = write('far-cell.xlsx', handWorkbook([{ name: '名单', xml: worksheet(rows.join('')) }]));
    expect(refusal(file).message).toContain('「名单」的表格范围过大（2000 行 × 16384 列）');
  });

  it('refuses damaged packages with a clear message, never an internal error', () => {
    const good = handWorkbook([{ name: 'S', xml: worksheet('<row><c><v>1</v></c></row>') }]);
    const cases: [string, Buffer, string][] = [
      ['cut.xlsx', good.subarray(0, good.length - 30), '已损坏或不完整（无法读取压缩目录）'],
      ['renamed.xlsx', Buffer.from('PK\u0003\u0004 不是压缩包'), '已损坏或不完整（无法读取压缩目录）'],
      ['text.xlsx', Buffer.from('姓名,身份证号\n'), '不是有效的 .xlsx 文件'],
      [
        'not-a-workbook.xlsx',
        zip([{ name: 'word/document.xml', content: '<w:document/>' }]),
        '文件已损坏、不完整或不是 Excel 文件',
      ],
      [
        'bad-xml.xlsx',
        handWorkbook([{ name: 'S', xml: worksheet('<row><c><v>1</v></c></row><row><c r="A2') }]),
        '文件已损坏、不完整或不是 Excel 文件',
      ],
      [
        'missing-string.xlsx',
        handWorkbook([{ name: 'S', xml: worksheet('<row><c t="s"><v>5</v></c></row>') }]),
        '文件已损坏、不完整或不是 Excel 文件',
      ],
    ];
    // The worksheet's deflated data overwritten (a reserved block type) under a valid directory: it fails to inflate.
    const scrambled = Buffer.from(good);
    const data = scrambled.indexOf('xl/worksheets/sheet1.xml') + 'xl/worksheets/sheet1.xml'.length;
    scrambled.fill(0xff, data, data + 8);
    cases.push(['scrambled.xlsx', scrambled, '已损坏或不完整']);
    for (const [name, bytes, text] of cases) expect(refusal(write(name, bytes)).message, name).toContain(text);
  });
});
