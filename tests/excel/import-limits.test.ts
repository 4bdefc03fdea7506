/**
 * Imports hold the forms' limits: a name (or 户编号) longer than the form allows is refused, a cell longer than
 * Excel allows refuses the file, and control and invisible characters (NUL, BEL, ESC, DEL, zero-width, direction
 * marks such as U+202E, U+2028) are removed exactly as the forms' schemas remove them — silently in a form, with a
 * warning naming the characters in an import. Real files, real SQLite.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../main/core/excel/import/table.ts';
import { HIDDEN_CHARACTERS, PersonInput, withoutHiddenCharacters } from '../../shared/schemas.ts';
import { makeId, newLedger, tempDir } from '../helpers.ts';
import { HOSTILE_CHARACTERS } from './hostile-corpus.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const HEADER = ['行政村', '户编号', '姓名', '证件号码', '与户主关系'];

async function workbook(name: string, rows: string[][]): Promise<string> {
  const file = path.join(dir, name);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

const names = (ledger: Awaited<ReturnType<typeof newLedger>>['ledger']) =>
  ledger.store.raw.prepare('SELECT name FROM person ORDER BY id').pluck().all() as string[];

describe('the text schemas (forms and API)', () => {
  it('remove hidden characters before the length check, keeping tabs and line breaks inside the text', () => {
    const name = PersonInput.shape.name;
    for (const c of HOSTILE_CHARACTERS) expect(name.parse(`张${c}三`), JSON.stringify(c)).toMatch(/^张\n?三$/);
    expect(name.parse('\u202e\u200b 李四 \ufeff')).toBe('李四');
    expect(name.safeParse('\u200b\u200b').success).toBe(false);
    expect(name.safeParse('王'.repeat(30)).success).toBe(true);
    expect(name.safeParse(`${'王'.repeat(30)}\u200b`).success).toBe(true);
    expect(name.safeParse('王'.repeat(31)).error?.issues[0]?.message).toBe('不能超过30个字');
    expect(withoutHiddenCharacters('第一行\u2028第二行\t制表')).toBe('第一行\n第二行\t制表');
    expect(withoutHiddenCharacters('干净的文字')).toBe('干净的文字');
  });

  it('clean what a form sends: the person is stored without them, as the import stores it', async () => {
    const { ledger, villageId } = await newLedger();
    const h = await ledger.run('household.create', { villageId, hhNo: 'F\u200b-1', establishedOn: '2000-01-01' });
    await ledger.run('person.create', {
      householdId: h.id,
      idNumber: `\u202e${makeId('1970-01-01', '男', 1)}`,
      name: '\u202e张\u0000三\u2066',
      relation: '户主',
    });
    expect(names(ledger)).toEqual(['张三']);
    expect(ledger.store.raw.prepare('SELECT hh_no FROM household').pluck().get()).toBe('F-1');
    const tooLong = await ledger.call('person.create', {
      householdId: h.id,
      idNumber: makeId('1972-01-01', '女', 1),
      name: '王'.repeat(31),
      relation: '配偶',
    });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'validation' } });
    await ledger.close();
  });
});

describe('imports hold the same limits', () => {
  it('clean names exactly as the form does, listing a warning with the characters shown', async () => {
    const { ledger } = await newLedger();
    const given = HOSTILE_CHARACTERS.map((c, i) => `张${c}三${i}`);
    const rows = given.map((name, i) => ['青山村', `HC${i}`, name, makeId('1970-01-01', '男', 100 + i), '户主']);
    // The ID with a direction mark and a zero-width space inside: taken once cleaned, as the form takes it.
    rows.push([
      '青山村',
      'HC-ID',
      '李四',
      `\u202e${makeId('1971-01-01', '男', 99).replace(/^(\d{6})/, '$1\u200b')}`,
      '户主',
    ]);
    const r = await ledger.run('import.run', { kind: 'households', file: await workbook('hidden.xlsx', rows) });
    expect(r).toMatchObject({ inserted: given.length + 1, rejected: 0, errors: [] });
    const stored = names(ledger);
    // Exactly the form's result for each name (the import's own cleaning then makes a line break a space).
    expect(stored.slice(0, -1)).toEqual(
      given.map((n) => PersonInput.shape.name.parse(n).replace(/\n/g, ' ').replace(/\s+/g, ' ')),
    );
    expect(stored.every((n) => !HIDDEN_CHARACTERS.test(n))).toBe(true);
    // XML cannot hold NUL, BEL, ESC or DEL (the workbook writer drops them): each other name and the ID is listed,
    // the characters shown where they were.
    const warned = r.warnings.filter((w) => w.message.includes('不可见字符或控制字符'));
    const shown = (c: string) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`;
    expect(warned.map((w) => [w.row, w.column, w.value])).toEqual([
      ...HOSTILE_CHARACTERS.slice(4).map((c, i) => [i + 6, '姓名', `张${shown(c)}三${i + 4}`]),
      [given.length + 2, '证件号码', `<U+202E>529901<U+200B>${makeId('1971-01-01', '男', 99).slice(6)}`],
    ]);
    await ledger.close();
  });

  it('clean NUL and the other control characters in a CSV too', async () => {
    const { ledger } = await newLedger();
    const given = HOSTILE_CHARACTERS.map((c, i) => `王${c}五${i}`);
    const csv = path.join(dir, 'hidden.csv');
    const lines = given.map((name, i) => ['青山村', `HV${i}`, name, makeId('1980-01-01', '女', 200 + i), '户主']);
    fs.writeFileSync(csv, [HEADER, ...lines].map((l) => l.join(',')).join('\r\n'));
    const r = await ledger.run('import.run', { kind: 'households', file: csv });
    expect(r).toMatchObject({ inserted: given.length, rejected: 0 });
    expect(names(ledger).every((n) => !HIDDEN_CHARACTERS.test(n))).toBe(true);
    expect(r.warnings.filter((w) => w.message.includes('不可见字符')).map((w) => w.value)).toContain('王<U+0000>五0');
    await ledger.close();
  });

  it('refuse a name or 户编号 longer than the form allows, and a file with a cell longer than Excel allows', async () => {
    const { ledger } = await newLedger();
    const rows = [
      ['青山村', 'HL1', '王'.repeat(30), makeId('1970-01-01', '男', 301), '户主'],
      ['青山村', 'HL2', '王'.repeat(31), makeId('1970-01-01', '男', 302), '户主'],
      ['青山村', 'HL3', '王'.repeat(20_000), makeId('1970-01-01', '男', 303), '户主'],
      ['青山村', 'H'.repeat(41), '李四', makeId('1970-01-01', '男', 304), '户主'],
    ];
    const r = await ledger.run('import.run', { kind: 'households', file: await workbook('long.xlsx', rows) });
    expect(r).toMatchObject({ inserted: 1, rejected: 3 });
    expect(r.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, '姓名', '不能超过30个字'],
      [4, '姓名', '不能超过30个字'],
      [5, '户编号', '不能超过40个字'],
    ]);
    expect(names(ledger)).toEqual(['王'.repeat(30)]);

    // A 10-million-character name: the file is refused before anything is parsed, and nothing is stored.
    const csv = path.join(dir, 'ten-million.csv');
    fs.writeFileSync(
      csv,
      `${HEADER.join(',')}\r\n青山村,HM1,${'王'.repeat(10_000_000)},${makeId('1970-01-01', '男', 305)},户主`,
    );
    const huge = await ledger.call('import.run', { kind: 'households', file: csv });
    expect(huge).toMatchObject({ ok: false, error: { code: 'validation', field: 'file' } });
    expect(!huge.ok && huge.error.message).toBe(
      `「ten-million」的单元格 C2 有 10000000 个字符，超过 Excel 单元格 ${LIMITS.cellCharacters} 个字符的上限（文件可能已损坏或被篡改），请检查后再导入`,
    );
    expect(names(ledger)).toEqual(['王'.repeat(30)]);
    await ledger.close();
  });
});
