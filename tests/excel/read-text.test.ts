/**
 * Reading text files and refusing what is not a file: CSV and tab-separated text in every encoding a Chinese
 * office produces (UTF-8 with and without a mark, Excel's "Unicode 文本" in UTF-16, UTF-32, GB18030, Big5) read
 * cell for cell; separators, quoting and line ends as spreadsheet programs write them; text that merely looks like
 * another format stays text; and links, folders, pipes, empty and mark-only files end with a clear message.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as codepage from '@e965/xlsx/dist/cpexcel';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LedgerError } from '../../main/core/errors.ts';
import { decodeText, detectEncoding, parseDelimited } from '../../main/core/excel/import/csv.ts';
import { readTables } from '../../main/core/excel/import/read.ts';
import { makeId, newLedger, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const encode = (cp: number, text: string) =>
  Buffer.from((codepage as unknown as { utils: { encode(cp: number, s: string): number[] } }).utils.encode(cp, text));

function write(name: string, bytes: Buffer | string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** readTables refuses the file: the LedgerError a user sees (validation, on the file field). */
function refusal(file: string, content?: Buffer): LedgerError {
  try {
    readTables(file, content);
  } catch (e) {
    expect(e).toBeInstanceOf(LedgerError);
    expect(e).toMatchObject({ code: 'validation', field: 'file' });
    return e as LedgerError;
  }
  throw new Error(`${file} was read`);
}

const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
function utf32(text: string, littleEndian: boolean): Buffer {
  const points = [...text].map((c) => c.codePointAt(0)!);
  const out = Buffer.alloc(points.length * 4);
  points.forEach((p, i) => (littleEndian ? out.writeUInt32LE(p, i * 4) : out.writeUInt32BE(p, i * 4)));
  return out;
}

const ROSTER = [
  ['户编号', '行政村', '姓名', '证件号码', '与户主关系', '备注'],
  ['QS-100', '青山村', '陈大山', makeId('1965-04-04', '男', 41), '户主', '布依族, 住"老寨"'],
  ['QS-100', '青山村', '陈小花', makeId('1995-06-06', '女', 41), '之女', ''],
];
/** As Excel writes CSV: fields with separators or quotes quoted, CR LF line ends. */
const csvOf = (rows: string[][], sep = ',') =>
  rows.map((r) => r.map((v) => (/[",\t\n;]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(sep)).join('\r\n');
const expectedRows = (rows: string[][]) => rows.map((r) => r.map((v) => (v === '' ? null : v)));

describe('text files in every encoding', () => {
  const comma = csvOf(ROSTER);
  const tabs = csvOf(ROSTER, '\t');
  const cases: [string, Buffer, string][] = [
    ['utf8-bom.csv', Buffer.from(`\uFEFF${comma}`), 'utf-8'],
    ['utf8.csv', Buffer.from(comma), 'utf-8'],
    // Excel's "Unicode 文本": UTF-16LE with a mark, tab-separated.
    ['unicode-text.txt', Buffer.from(`\uFEFF${tabs}`, 'utf16le'), 'utf-16le'],
    ['utf16le-bom.csv', Buffer.from(`\uFEFF${comma}`, 'utf16le'), 'utf-16le'],
    ['utf16be-bom.csv', utf16be(`\uFEFF${comma}`), 'utf-16be'],
    ['utf16le.csv', Buffer.from(tabs, 'utf16le'), 'utf-16le'],
    ['utf16be.csv', utf16be(tabs), 'utf-16be'],
    ['utf32le-bom.csv', utf32(`\uFEFF${comma}`, true), 'utf-32le'],
    ['utf32be-bom.csv', utf32(`\uFEFF${comma}`, false), 'utf-32be'],
    ['utf32le.csv', utf32(comma, true), 'utf-32le'],
    ['utf32be.csv', utf32(tabs, false), 'utf-32be'],
    ['gbk.csv', encode(936, comma), 'gb18030'],
  ];
  for (const [name, bytes, encoding] of cases)
    it(`reads ${name} as ${encoding}, cell for cell`, () => {
      expect(detectEncoding(bytes).encoding).toBe(encoding);
      const [table] = readTables(write(name, bytes));
      expect(table!.sheet).toBe(path.basename(name, path.extname(name)));
      expect(table!.rows).toEqual(expectedRows(ROSTER));
      expect(table!.numeric.flat().some(Boolean)).toBe(false);
    });

  it('reads GB18030 with rare characters (GBK extension, four-byte sequences) and a file cut mid-character', () => {
    // 堃 and 喆 are in GBK's extension (second bytes below 0xA1); 𠀀 (U+20000) takes four bytes: 95 32 82 36.
    const gb = Buffer.concat([
      encode(936, '姓名,证件号码\r\n王堃,1\r\n张喆,2\r\n李'),
      Buffer.from([0x95, 0x32, 0x82, 0x36]),
      encode(936, ',3\r\n'),
    ]);
    expect(detectEncoding(gb).encoding).toBe('gb18030');
    expect(readTables(write('rare.csv', gb))[0]!.rows).toEqual([
      ['姓名', '证件号码'],
      ['王堃', '1'],
      ['张喆', '2'],
      ['李𠀀', '3'],
    ]);
    // UTF-8 whose last character was cut off is still UTF-8 (the lost character becomes U+FFFD).
    const cut = Buffer.from('姓名,村\r\n王芳,青山村');
    expect(decodeText(cut.subarray(0, cut.length - 1))).toBe('姓名,村\r\n王芳,青山\uFFFD');
  });

  it('reads Big5 (traditional characters) and tells it from GBK', () => {
    const traditional = [
      ['戶編號', '行政村', '姓名', '證件號碼', '與戶主關係', '備註'],
      ['TW-1', '青山村', '陳大山', makeId('1965-04-04', '男', 41), '戶主', '這是我們的資料'],
      ['TW-1', '青山村', '林美麗', makeId('1995-06-06', '女', 41), '配偶', '沒有'],
    ];
    const big5 = encode(950, csvOf(traditional));
    expect(detectEncoding(big5).encoding).toBe('big5');
    expect(readTables(write('big5.csv', big5))[0]!.rows).toEqual(expectedRows(traditional));
    // The same words in simplified characters, as GBK, stay GBK.
    const simplified = encode(
      936,
      csvOf(ROSTER.concat([['QS-101', '石桥村', '龙婷婷', '1', '户主', '这是我们的资料']])),
    );
    expect(detectEncoding(simplified).encoding).toBe('gb18030');
  });
});

describe('delimited text as spreadsheet programs write it', () => {
  it('takes the separator the first lines use, or the one a sep= line names', () => {
    expect(parseDelimited('a;b;c\r\n1;2;3', 'S').rows).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(parseDelimited('sep=|\na|b\n1|2', 'S').rows).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(parseDelimited('姓名\t备注\n张三\t逗号,不分列', 'S').rows).toEqual([
      ['姓名', '备注'],
      ['张三', '逗号,不分列'],
    ]);
    expect(parseDelimited('只有一列\n第二行', 'S').rows).toEqual([['只有一列'], ['第二行']]);
  });

  it('reads quotes, doubled quotes, line breaks inside quotes, blank lines, CR-only lines and empty fields', () => {
    const text = 'a,"x ""y"", z",c\r\n"多\r\n行",,"" \r\n\r\n"ab"c,d"e\rlast,"unclosed\nto the end';
    const _ = null;
    expect(parseDelimited(text, 'S').rows).toEqual([
      ['a', 'x "y", z', 'c'],
      ['多\n行', _, ' '],
      [_, _, _],
      ['abc', 'd"e', _],
      ['last', 'unclosed\nto the end', _],
    ]);
  });

  it('reads text that looks like HTML, XML, a zip or SYLK as the text it is', () => {
    // Each read as delimited text: the cells joined by the separator the text uses give the text back.
    const looksLike: [string, string][] = [
      ['<html><body><table><tr><td>姓名</td></tr></table></body></html>', ','],
      ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;b">]><x>&b;</x>', ';'],
      ['PK\u0003\u0004,姓名', ','],
      ['ID;PWXL;N;E', ';'],
      ['{\\rtf1 姓名}', ','],
    ];
    for (const [i, [text, sep]] of looksLike.entries()) {
      const [table] = readTables(write(`looks-${i}.csv`, text));
      expect(table!.rows.flat().join(sep), text).toBe(text);
    }
  });
});

describe('files that are not files, or hold nothing', () => {
  it('refuses empty, mark-only and blank text files with a clear message', () => {
    expect(refusal(write('empty.csv', '')).message).toContain('是空文件');
    expect(refusal(write('empty.xlsx', '')).message).toContain('是空文件');
    for (const [name, bytes] of [
      ['bom.csv', Buffer.from([0xef, 0xbb, 0xbf])],
      ['bom16.csv', Buffer.from([0xff, 0xfe])],
      ['blank.csv', Buffer.from(' \r\n\t\r\n')],
      ['nul.csv', Buffer.from([0])],
    ] as const)
      expect(refusal(write(name, bytes)).message, name).toContain('中没有任何内容');
    expect(refusal('upload.csv', Buffer.from([0xef, 0xbb, 0xbf])).message).toContain('「upload.csv」中没有任何内容');
  });

  it('reads a one-byte text file as one cell and refuses a one-byte workbook', () => {
    expect(readTables(write('one.csv', 'a'))[0]!.rows).toEqual([['a']]);
    expect(refusal(write('one.xlsx', 'a')).message).toContain('不是有效的 .xlsx 文件');
    expect(refusal(write('one.xls', 'a')).message).toContain('不是有效的 .xls 文件');
    expect(refusal(write('one.ods', 'a')).message).toContain('不支持的文件类型「.ods」');
  });

  it('refuses a folder named like a workbook, links (to a file, to /dev/zero, dangling) and devices', () => {
    const folder = path.join(dir, 'folder.xlsx');
    fs.mkdirSync(folder);
    expect(refusal(folder).message).toBe('「folder.xlsx」是一个文件夹，不是文件；请选择要导入的 Excel 或 CSV 文件');
    const target = write('target.csv', '姓名,证件号码\n');
    const links: [string, string][] = [
      ['passwd.csv', '/etc/passwd'],
      ['zero.xlsx', '/dev/zero'],
      ['link.csv', target],
    ];
    for (const [name, to] of links) {
      const link = path.join(dir, name);
      fs.symlinkSync(to, link);
      expect(refusal(link).message, name).toContain(`「${name}」是一个链接`);
    }
    const dangling = path.join(dir, 'dangling.csv');
    fs.symlinkSync(path.join(dir, 'nowhere.csv'), dangling);
    expect(refusal(dangling).message).toContain('是一个链接');
    expect(refusal(path.join(dir, 'missing.csv')).message).toContain('找不到文件');
    expect(refusal('/dev/null').message).toContain('不是普通文件');
  });

  it.skipIf(process.platform === 'win32')('refuses a named pipe at once instead of waiting on it', () => {
    const fifo = path.join(dir, 'pipe.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(refusal(fifo).message).toBe('「pipe.csv」不是普通文件（而是设备、管道或套接字），无法导入');
  });

  it('reads an .xlsx renamed .xls with the bounded .xlsx reader', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('名单').addRow(['姓名', '证件号码']);
    const file = path.join(dir, 'renamed.xls');
    await wb.xlsx.writeFile(file);
    expect(readTables(file)[0]!.rows).toEqual([['姓名', '证件号码']]);
  });
});

describe('imports of text files', () => {
  it('imports Excel\'s "Unicode 文本" (UTF-16, tab-separated) and a UTF-32 CSV, refusing the FIFO and the link', async () => {
    const { ledger } = await newLedger();
    const unicode = write('unicode.txt', Buffer.from(`\uFEFF${csvOf(ROSTER, '\t')}`, 'utf16le'));
    expect(await ledger.run('import.run', { kind: 'households', file: unicode })).toMatchObject({
      inserted: 2,
      rejected: 0,
    });
    const rows = ROSTER.slice(0, 1).concat([
      ['QS-102', '青山村', '龙婷婷', makeId('1988-01-02', '女', 43), '户主', ''],
    ]);
    const wide = write('wide.csv', utf32(`\uFEFF${csvOf(rows)}`, true));
    expect(await ledger.run('import.run', { kind: 'households', file: wide })).toMatchObject({ inserted: 1 });
    const names = ledger.store.raw.prepare('SELECT name FROM person ORDER BY name').pluck().all();
    expect(names).toEqual(['陈大山', '陈小花', '龙婷婷'].sort());
    const link = path.join(dir, 'to-unicode.csv');
    fs.symlinkSync(unicode, link);
    const r = await ledger.call('import.preview', { kind: 'households', file: link });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation', field: 'file' } });
    await ledger.close();
  });
});
