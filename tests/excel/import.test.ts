/**
 * Import: the exported roster round-trips into an empty database; messy real-world files made here (title rows,
 * merged two-row headers, numeric IDs, full-width text, GB18030 CSV, .xls, 合计 rows, duplicates, a truncated
 * file, a renamed non-Excel file) each give the stated outcome; re-import changes nothing; a dry run writes
 * nothing; a failure mid-write leaves the database as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as codepage from '@e965/xlsx/dist/cpexcel';
import * as XLSX from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseRow as CaseRowT } from '../../shared/api.ts';
import { generateDemo } from '../../main/core/demo/generate.ts';
import { parseDate, parseYesNo } from '../../main/core/excel/import/parse.ts';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { makeId, newLedger, tempDbPath, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

async function township(): Promise<Ledger> {
  const { ledger } = await newLedger();
  await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
  return ledger;
}
const personCount = (l: Ledger) => (l.store.raw.prepare('SELECT count(*) AS n FROM person').get() as { n: number }).n;
const householdCount = (l: Ledger) =>
  (l.store.raw.prepare('SELECT count(*) AS n FROM household').get() as { n: number }).n;

import { HEAD, WIFE, messyWorkbook } from './fixtures.ts';

describe('import of households and members', () => {
  it('round-trips the exported roster into an empty database: same households and persons', async () => {
    const src = await openLedger(tempDbPath('src.sqlite'), { create: true, today: () => '2026-11-22' });
    generateDemo(src.store, 'township', 1);
    const roster = path.join(dir, 'roster.xlsx');
    await src.run('report.exportMonthly', { month: '2026-10', file: roster, reason: '往返测试' });

    const dst = await openLedger(tempDbPath('dst.sqlite'), { create: true, today: () => '2026-11-22' });
    await dst.run('settings.update', (await src.run('settings.get', {}))!);
    for (const v of await src.run('village.list', {}))
      await dst.run('village.create', { code: v.code, name: v.name, sortOrder: v.sortOrder });
    const r = await dst.run('import.run', { kind: 'households', file: roster });
    expect(r).toMatchObject({ rejected: 0, errors: [] });

    const key = (l: Ledger) =>
      l.store.raw
        .prepare(
          `SELECT h.hh_no AS hh, v.name AS village, p.id_number AS id, p.name, p.relation, p.labour_capacity AS labour, p.health, p.education FROM person p
        JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id WHERE h.hh_no IN (SELECT hh_no FROM household WHERE id IN (SELECT household_id FROM person WHERE id_number IN (${dstIds.map(() => '?').join(',')})))
        AND p.id_number IN (${dstIds.map(() => '?').join(',')}) ORDER BY p.id_number`,
        )
        .all(...dstIds, ...dstIds);
    const dstIds = (dst.store.raw.prepare('SELECT id_number AS id FROM person').all() as { id: string }[]).map(
      (x) => x.id,
    );
    expect(dstIds.length).toBe(r.inserted);
    expect(key(dst)).toEqual(key(src));
    const households = (
      dst.store.raw.prepare('SELECT count(DISTINCT hh_no) AS n FROM household').get() as { n: number }
    ).n;
    const rosterHouseholds = (await src.run('report.archive', { month: '2026-10' }))[0]!;
    expect(households).toBe(JSON.parse(rosterHouseholds.figures!)['T2 监测对象户花名册'].rows);

    // The same file again: nothing changes. A dry run: nothing written.
    const again = await dst.run('import.run', { kind: 'households', file: roster });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: r.inserted, rejected: 0 });
    const before = personCount(dst);
    const preview = await dst.run('import.preview', { kind: 'households', file: roster });
    expect(preview.unchanged).toBe(r.inserted);
    expect(personCount(dst)).toBe(before);
    await src.close();
    await dst.close();
  });

  it('reads a messy village sheet: title rows, merged two-row header, full-width text, 合计 and footer rows, duplicates', async () => {
    const ledger = await township();
    const file = path.join(dir, 'messy.xlsx');
    await messyWorkbook(file);
    const preview = await ledger.run('import.preview', { kind: 'households', file });
    expect(preview).toMatchObject({ read: 5, inserted: 4, rejected: 1 });
    expect(householdCount(ledger)).toBe(0);
    const errorsFile = path.join(dir, 'messy-errors.xlsx');
    const r = await ledger.run('import.run', { kind: 'households', file, errorsFile });
    expect(r).toMatchObject({ read: 5, inserted: 4, updated: 0, unchanged: 0, rejected: 1 });
    expect(r.errors).toEqual([
      { sheet: '青山村花名册', row: 9, column: '身份证号码', value: HEAD, message: '与第 5 行的身份证号重复' },
    ]);
    const wife = (await ledger.run('person.list', { quick: '李秀英' })).rows[0]!;
    expect(wife).toMatchObject({ idNumber: WIFE, relation: '配偶', name: '李秀英', seriousIllnessIns: 1 });
    const households = (await ledger.run('household.list', {})).rows;
    expect(households.map((h) => [h.hhNo, h.villageName, h.members]).sort()).toEqual([
      ['QS-001', '青山村', 3],
      ['SQ-009', '石桥村', 1],
    ]);

    // The error workbook lists sheet, row, column, value and reason.
    const back = XLSX.read(fs.readFileSync(errorsFile));
    expect(XLSX.utils.sheet_to_json(back.Sheets['导入错误']!, { header: 1 })).toEqual([
      ['工作表', '行号', '列', '值', '原因'],
      ['青山村花名册', 9, '身份证号码', HEAD, '与第 5 行的身份证号重复'],
    ]);

    // Re-import: unchanged; an edited value: updated.
    expect(await ledger.run('import.run', { kind: 'households', file })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 4,
    });
    await ledger.close();
  });

  it('rejects an ID number that Excel stored as a number, saying why', async () => {
    const ledger = await township();
    const file = path.join(dir, 'numeric.xlsx');
    await messyWorkbook(file, { numericId: true });
    const r = await ledger.run('import.run', { kind: 'households', file });
    const numeric = r.errors.find((e) => e.row === 8)!;
    expect(numeric.column).toBe('身份证号码');
    expect(numeric.message).toContain('存成了数字');
    expect(r.inserted).toBe(3);
    await ledger.close();
  });

  it('reads GB18030 and UTF-8 CSV and legacy .xls', async () => {
    const rows = [
      ['户编号', '行政村', '姓名', '证件号码', '与户主关系'],
      ['QS-100', '青山村', '陈大山', makeId('1965-04-04', '男', 41), '户主'],
      ['QS-100', '青山村', '陈小花', makeId('1995-06-06', '女', 41), '之女'],
    ];
    const csv = rows.map((r) => r.join(',')).join('\r\n');
    const gb = path.join(dir, 'gb.csv');
    fs.writeFileSync(
      gb,
      Buffer.from(
        (codepage as unknown as { utils: { encode(cp: number, s: string): number[] } }).utils.encode(936, csv),
      ),
    );
    const utf = path.join(dir, 'utf8.csv');
    fs.writeFileSync(utf, `\uFEFF${csv}`);
    const xls = path.join(dir, 'legacy.xls');
    const sheet = XLSX.utils.aoa_to_sheet([
      ['乡镇花名册'],
      [],
      rows[0]!,
      ['QS-300', '石桥村', '孙老三', makeId('1960-07-07', '男', 42), '户主'],
    ]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, sheet, '花名册');
    fs.writeFileSync(xls, XLSX.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer);

    const ledger = await township();
    expect(await ledger.run('import.run', { kind: 'households', file: gb })).toMatchObject({
      inserted: 2,
      rejected: 0,
    });
    expect((await ledger.run('person.list', { quick: '陈小花' })).total).toBe(1);
    expect(await ledger.run('import.run', { kind: 'households', file: utf })).toMatchObject({
      inserted: 0,
      unchanged: 2,
    });
    expect(await ledger.run('import.run', { kind: 'households', file: xls })).toMatchObject({
      inserted: 1,
      rejected: 0,
    });
    await ledger.close();
  });

  it('refuses a truncated file and a non-Excel file renamed .xlsx with a clear message, writing nothing', async () => {
    const ledger = await township();
    const good = path.join(dir, 'good.xlsx');
    await messyWorkbook(good);
    const truncated = path.join(dir, 'truncated.xlsx');
    const bytes = fs.readFileSync(good);
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const fake = path.join(dir, 'fake.xlsx');
    fs.writeFileSync(fake, '这不是Excel文件，只是改了扩展名的文本。');
    for (const [file, text] of [
      [truncated, '已损坏或不完整'],
      [fake, '不是有效的 .xlsx 文件'],
    ] as const) {
      const r = await ledger.call('import.run', { kind: 'households', file });
      expect(r).toMatchObject({ ok: false, error: { field: 'file' } });
      expect(!r.ok && r.error.message).toContain(text);
    }
    expect(householdCount(ledger)).toBe(0);
    expect(await ledger.call('import.run', { kind: 'households', file: path.join(dir, 'missing.xlsx') })).toMatchObject(
      { ok: false, error: { message: expect.stringContaining('找不到文件') } },
    );
    await ledger.close();
  });

  it('leaves the database as it was when a write fails part-way', async () => {
    const ledger = await township();
    const file = path.join(dir, 'fails.xlsx');
    await messyWorkbook(file);
    // A trigger standing in for a disk or constraint failure on the third person written.
    ledger.store.raw.exec(
      "CREATE TRIGGER boom BEFORE INSERT ON person WHEN NEW.name = '赵丽' BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    const audits = (await ledger.run('audit.list', { limit: 1 })).total;
    const r = await ledger.call('import.run', { kind: 'households', file });
    expect(r.ok).toBe(false);
    expect(householdCount(ledger)).toBe(0);
    expect(personCount(ledger)).toBe(0);
    expect((await ledger.run('audit.list', { limit: 1 })).total).toBe(audits);
    await ledger.close();
  });
});

describe('field parsing', () => {
  it('reads dates in every form people type', () => {
    for (const v of [
      '2021-03-05',
      '2021/3/5',
      '2021.3.5',
      '2021年3月5日',
      '20210305',
      '２０２１－０３－０５',
      ' 2021-3-5 ',
    ])
      expect(parseDate(v), v).toBe('2021-03-05');
    expect(parseDate('202103')).toBe('2021-03-01');
    expect(parseDate(202103)).toBe('2021-03-01');
    expect(parseDate(44260)).toBe('2021-03-05');
    expect(parseDate('')).toBeNull();
    expect(() => parseDate('2021-02-30')).toThrow('不存在');
    expect(() => parseDate('明天')).toThrow('无法识别');
  });
  it('reads yes/no words', () => {
    for (const v of ['是', '√', 'Y', '1', '有']) expect(parseYesNo(v)).toBe(1);
    for (const v of ['否', '', '×', '0', '无']) expect(parseYesNo(v)).toBe(0);
    expect(() => parseYesNo('也许')).toThrow('是/否');
  });
});

describe('import of relocated households', () => {
  it('links households to sites with every date form, refuses unknown sites and households, and re-imports as unchanged', async () => {
    const { ledger, villageId } = await newLedger();
    const { familyOf } = await import('../helpers.ts');
    for (let i = 1; i <= 7; i++) await familyOf(ledger, villageId, i);
    await ledger.run('site.create', { name: '幸福家园', method: '集中安置' });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('搬迁户');
    ws.addRow(['易地扶贫搬迁户台账']);
    ws.addRow([]);
    ws.addRow([
      '序号',
      '安置点名称',
      '户编号',
      '户主姓名',
      '搬迁类型',
      '搬迁年度',
      '入住时间',
      '迁出地',
      '安置房面积（㎡）',
    ]);
    const dates: unknown[] = [
      '2021-03-05',
      '2021/3/5',
      '2021.3.5',
      '2021年3月5日',
      '202103',
      new Date(Date.UTC(2021, 2, 5)),
    ];
    dates.forEach((d, i) =>
      ws.addRow([
        i + 1,
        '幸福家园',
        `H${i + 1}`,
        `户主${i + 1}`,
        i % 2 ? '同步搬迁' : '建档立卡',
        2020,
        d,
        '某某村',
        i === 3 ? '７５' : 60 + i,
      ]),
    );
    ws.addRow([7, '不存在的点', 'H7', '户主7', '建档立卡', 2020, '2021-03-05']);
    ws.addRow([8, '幸福家园', 'H99', '无此户', '建档立卡', 2020, '2021-03-05']);
    ws.addRow([9, '幸福家园', 'H7', '户主7', '建档立卡', 2020, '2021-02-30']);
    ws.addRow(['合计', '', '', '6户']);
    const file = path.join(dir, 'relocated.xlsx');
    await wb.xlsx.writeFile(file);

    const r = await ledger.run('import.run', { kind: 'relocation', file });
    expect(r).toMatchObject({ read: 9, inserted: 6, rejected: 3 });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [10, '安置点名称'],
      [11, '户编号'],
      [12, '入住时间'],
    ]);
    expect(r.errors[2]!.message).toContain('不存在');
    const rows = (await ledger.run('relocated.list', { limit: 100 })).rows;
    expect(rows.map((x) => x.movedInOn).sort()).toEqual([
      '2021-03-01',
      '2021-03-05',
      '2021-03-05',
      '2021-03-05',
      '2021-03-05',
      '2021-03-05',
    ]);
    expect(rows.find((x) => x.hhNo === 'H4')!.houseAreaM2).toBe(75);
    expect(await ledger.run('import.run', { kind: 'relocation', file })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 6,
      rejected: 3,
    });
    await ledger.close();
  });
});

describe('import of posts with holders', () => {
  it('recreates posts and holdings from the exported T5 roster, and refuses holders not registered or holding another post', async () => {
    const file = tempDbPath('posts.sqlite');
    const ledger = await openLedger(file, { create: true, today: () => '2026-11-22' });
    generateDemo(ledger.store, 'township', 1);
    const book = path.join(dir, 'monthly-posts.xlsx');
    await ledger.run('report.exportMonthly', { month: '2026-10', file: book, reason: '导入测试' });
    const holders = (await ledger.run('placement.list', { filter: { activeInMonth: '2026-10' }, limit: 5000 })).rows;
    const raw = ledger.store.raw;
    raw.exec('DELETE FROM attendance; DELETE FROM payroll_month; DELETE FROM placement; DELETE FROM post;');

    const r = await ledger.run('import.run', { kind: 'posts', file: book });
    expect(r).toMatchObject({ read: holders.length, inserted: holders.length, rejected: 0 });
    const after = (await ledger.run('placement.list', { limit: 5000 })).rows;
    const key = (p: {
      idNumber: string;
      postName: string;
      hiredOn: string;
      agreementStart: string;
      agreementEnd: string;
    }) => `${p.idNumber} ${p.postName} ${p.hiredOn} ${p.agreementStart} ${p.agreementEnd}`;
    expect(after.map(key).sort()).toEqual(holders.map(key).sort());
    expect(await ledger.run('import.run', { kind: 'posts', file: book })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: holders.length,
    });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('岗位');
    ws.addRow(['岗位名称', '村', '月补贴标准（元）', '姓名', '身份证号码', '上岗时间', '协议起止时间']);
    ws.addRow([
      '护林员',
      '青山村',
      500,
      '无此人',
      makeId('1980-02-02', '男', 400),
      '2026-01-01',
      '2026-01-01 至 2026-12-31',
    ]);
    ws.addRow([
      '护林员',
      '青山村',
      500,
      holders[0]!.personName,
      holders[0]!.idNumber,
      '2026/2/1',
      '2026.2.1 至 2026.12.31',
    ]);
    const extra = path.join(dir, 'posts-extra.xlsx');
    await wb.xlsx.writeFile(extra);
    const bad = await ledger.run('import.run', { kind: 'posts', file: extra });
    expect(bad).toMatchObject({ read: 2, inserted: 0, rejected: 2 });
    expect(bad.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, '身份证号码', '该身份证号未登记，请先导入或登记该人员'],
      [3, '身份证号码', expect.stringContaining('岗位在岗（一人一岗）')],
    ]);
    await ledger.close();
  });
});

describe('import of monitored households', () => {
  it('rebuilds the monitored households from the exported T2 roster with the same month figures, and re-imports as unchanged', async () => {
    const ledger = await openLedger(tempDbPath('monitoring.sqlite'), { create: true, today: () => '2026-11-22' });
    generateDemo(ledger.store, 'township', 1);
    const book = path.join(dir, 'monthly-monitoring.xlsx');
    await ledger.run('report.exportMonthly', { month: '2026-10', file: book, reason: '导入测试' });
    const before = await ledger.run('stats.month', { month: '2026-10' });
    const roster = JSON.parse((await ledger.run('report.archive', { month: '2026-10' }))[0]!.figures!)[
      'T2 监测对象户花名册'
    ].rows as number;
    ledger.store.raw
      .exec(`UPDATE measure SET case_id = NULL; UPDATE income_snapshot SET case_id = NULL; DELETE FROM case_stage; DELETE FROM case_event; DELETE FROM case_risk;
      UPDATE monitoring_case SET previous_case_id = NULL; DELETE FROM monitoring_case;`);

    const r = await ledger.run('import.run', { kind: 'monitoring', file: book });
    expect(r).toMatchObject({ read: roster, inserted: roster, rejected: 0 });
    const after = await ledger.run('stats.month', { month: '2026-10' });
    expect(after.monitoring.current).toBe(before.monitoring.current);
    expect(after.monitoring.byCategory).toEqual(before.monitoring.byCategory);
    const [c, c2] = (await ledger.run('case.list', { limit: 2, filter: { status: '监测中' } })).rows as [
      CaseRowT,
      CaseRowT,
    ];
    const detail = await ledger.run('case.get', { id: c.id });
    expect(detail.stages.map((s) => s.stage)).toEqual(['county', 'enter']);
    expect(detail.nextStages.map((s) => s.code)).toEqual(['e_verify']);
    expect(await ledger.run('import.run', { kind: 'monitoring', file: book })).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: roster,
      rejected: 0,
    });

    // A row whose status disagrees with the ledger, and a household with an open case under another date.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('监测户');
    ws.addRow(['户编号', '监测对象类别', '致贫/返贫风险', '识别监测时间', '风险是否已消除', '风险消除时间']);
    ws.addRow([c.hhNo, c.category, c.riskTypes.join('、'), c.identifiedOn, '是', '2026-09-30']);
    ws.addRow([c2.hhNo, c2.category, '因病', '2025-01-01', '否', null]);
    // 缺技术 is a 建档立卡-era cause with no certain risk counterpart (因灾 would be taken as 因自然灾害).
    ws.addRow(['NOPE', '边缘易致贫户', '缺技术', '2025-01-01', '否', null]);
    const file = path.join(dir, 'monitoring-bad.xlsx');
    await wb.xlsx.writeFile(file);
    const bad = await ledger.run('import.run', { kind: 'monitoring', file });
    expect(bad).toMatchObject({ read: 3, inserted: 0, rejected: 3 });
    expect(bad.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('与导入文件不一致'),
      expect.stringContaining('已有未结束的监测记录'),
      '户编号「NOPE」不在本台账中，请先导入该户及家庭成员',
      '“缺技术”不是可选的风险类型',
    ]);
    await ledger.close();
  });
});

describe('column mapping adjusted by the user', () => {
  it('shows the detected mapping, takes a column the synonyms missed, and ignores one the user leaves out', async () => {
    const ledger = await township();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('成员');
    ws.addRow(['行政村', '户编号', '姓名', '身份证号', '与户主关系', '手机', '劳动能力']);
    ws.addRow(['青山村', 'M-1', '周一', makeId('1980-03-03', '男', 60), '户主', '13911112222', '很强']);
    const file = path.join(dir, 'mapping.xlsx');
    await wb.xlsx.writeFile(file);

    const first = await ledger.run('import.preview', { kind: 'households', file });
    // An optional value outside the catalog drops that value, not the person: the row is taken with a warning.
    expect(first).toMatchObject({ inserted: 1, rejected: 0, errors: [] });
    expect(first.warnings).toEqual([
      expect.objectContaining({
        row: 2,
        column: '劳动能力',
        value: '很强',
        message: expect.stringContaining('不是可选值'),
      }),
    ]);
    const byField = Object.fromEntries(first.mapping!.map((m) => [m.field, m.column]));
    expect(byField).toMatchObject({
      village: 0,
      hhNo: 1,
      name: 2,
      idNumber: 3,
      relation: 4,
      phone: null,
      labourCapacity: 6,
    });
    expect(first.columns).toEqual(['行政村', '户编号', '姓名', '身份证号', '与户主关系', '手机', '劳动能力']);

    const mapping = { phone: 5, labourCapacity: -1 };
    expect(await ledger.run('import.preview', { kind: 'households', file, mapping })).toMatchObject({
      inserted: 1,
      rejected: 0,
    });
    await ledger.run('import.run', { kind: 'households', file, mapping });
    expect((await ledger.run('person.list', { quick: '周一' })).rows[0]).toMatchObject({
      phone: '13911112222',
      labourCapacity: null,
    });
    await ledger.close();
  });

  it('lets the user map a layout nobody taught it: the columns are offered even when no header is recognised', async () => {
    const ledger = await township();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(['某县人员名单']);
    ws.addRow(['单位', '户号码', '成员', '公民号', '关系']);
    ws.addRow(['青山村', 'U-1', '赵一', makeId('1970-01-01', '男', 70), '户主']);
    ws.addRow(['青山村', 'U-1', '钱二', makeId('1972-02-02', '女', 71), '配偶']);
    const file = path.join(dir, 'unknown-layout.xlsx');
    await wb.xlsx.writeFile(file);

    const first = await ledger.run('import.preview', { kind: 'households', file });
    expect(first.errors[0]!.message).toContain('找不到表头');
    expect(first.columns).toEqual(['单位', '户号码', '成员', '公民号', '关系']);
    const mapping = { village: 0, hhNo: 1, name: 2, idNumber: 3, relation: 4 };
    const preview = await ledger.run('import.preview', { kind: 'households', file, mapping });
    expect(preview).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    expect(personCount(ledger)).toBe(0);
    const done = await ledger.run('import.run', { kind: 'households', file, mapping });
    expect(done).toMatchObject({ read: 2, inserted: 2, rejected: 0 });
    expect(personCount(ledger)).toBe(2);
    await ledger.close();
  });
});
