/**
 * 国家系统比对: a ledger with local edits against a national export that differs in known ways. The difference
 * list is exactly those; taking half of them changes exactly those records, each with its audit entry.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { maskIdNumber } from '../../shared/idnumber.ts';
import { makeId, newLedger, tempDir } from '../helpers.ts';

let dir: string;
beforeAll(() => {
  dir = tempDir();
});

const HEADER = [
  '行政村', '户编号', '户类型', '户联系电话', '监测对象类别', '证件号码', '姓名', '与户主关系', '健康状况', '家庭成员联系电话',
  '识别监测时间', '致贫/返贫风险1', '致贫/返贫风险2', '风险是否已消除',
]; // prettier-ignore

type Row = Record<string, string | number>;
async function exportFile(name: string, rows: Row[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['（自定义）监测对象信息']);
  ws.addRow(['导出时间：2026-11-01']);
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(HEADER.map((h) => r[h] ?? null));
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

const A = { 行政村: '青山村', 户编号: '529901101001000501', 户类型: '一般农户', 户联系电话: '13800000501' };
const B = { 行政村: '青山村', 户编号: '529901101001000502', 户类型: '脱贫户', 户联系电话: '13800000502' };
const C = { 行政村: '青山村', 户编号: '529901101001000503', 户类型: '脱贫户', 户联系电话: '13800000503' };
const monitored = {
  监测对象类别: '边缘易致贫户',
  识别监测时间: '202403',
  '致贫/返贫风险1': '因病',
  风险是否已消除: '否',
};
const a1 = { ...A, ...monitored, 证件号码: makeId('1970-01-01', '男', 81), 姓名: '岑一', 与户主关系: '户主', 家庭成员联系电话: '13900000081' }; // prettier-ignore
const a2 = { ...A, ...monitored, 证件号码: makeId('1972-01-01', '女', 82), 姓名: '岑二', 与户主关系: '配偶', 健康状况: '健康' }; // prettier-ignore
const b1 = { ...B, 证件号码: makeId('1960-01-01', '男', 83), 姓名: '甘一', 与户主关系: '户主' };
const c1 = { ...C, 证件号码: makeId('1965-01-01', '男', 84), 姓名: '覃一', 与户主关系: '户主' };
const c2 = { ...C, 证件号码: makeId('1990-01-01', '女', 85), 姓名: '覃二', 与户主关系: '之女' };

describe('国家系统比对', () => {
  it('lists exactly the differences, takes only the chosen ones, each audited', async () => {
    const { ledger } = await newLedger();
    const first = await exportFile('national-oct.xlsx', [a1, a2, b1]);
    await ledger.run('import.run', { kind: 'households', file: first });
    await ledger.run('import.run', { kind: 'monitoring', file: first });
    // Local edits in the ledger: 岑一's phone, a member of 甘一户 the national system does not have.
    const personId = (name: string) =>
      (ledger.store.raw.prepare('SELECT id FROM person WHERE name = ?').get(name) as { id: number }).id;
    await ledger.run('person.update', { id: personId('岑一'), phone: '13700000000' });
    const bHousehold = (
      ledger.store.raw.prepare('SELECT household_id AS id FROM person WHERE name = ?').get('甘一') as {
        id: number;
      }
    ).id;
    await ledger.run('person.create', {
      householdId: bHousehold,
      idNumber: makeId('1962-01-01', '女', 86),
      name: '甘二',
      relation: '配偶',
    });

    // November's export: 岑家 has a new phone, 岑二 is now chronically ill and a second risk; 覃家 is new.
    const nov = await exportFile('national-nov.xlsx', [
      { ...a1, 户联系电话: '13800009999', '致贫/返贫风险2': '因学' },
      { ...a2, 户联系电话: '13800009999', 健康状况: '长期慢性病', '致贫/返贫风险2': '因学' },
      b1,
      c1,
      c2,
    ]);
    const auditBefore = ledger.store.raw.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
    const persons = await ledger.run('import.compare', { kind: 'households', file: nov });
    const list = (ds: typeof persons.differences) =>
      ds.map((d) => [d.kind, d.entity, d.group, d.record, d.label, d.ledger, d.national, d.applicable]);
    expect(list(persons.differences).sort()).toEqual(
      [
        ['不一致', '农户', `岑一户（${A.户编号}）`, A.户编号, '户联系电话', '13800000501', '13800009999', true],
        [
          '不一致',
          '人员',
          `岑一户（${A.户编号}）`,
          maskIdNumber(a1.证件号码),
          '联系电话',
          '13700000000',
          '13900000081',
          true,
        ],
        ['不一致', '人员', `岑一户（${A.户编号}）`, maskIdNumber(a2.证件号码), '健康状况', '健康', '长期慢性病', true],
        ['只在国家系统', '农户', `覃一户（${C.户编号}）`, C.户编号, '整户', '（无）', '2人：覃一、覃二', true],
        [
          '只在台账',
          '人员',
          `甘一户（${B.户编号}）`,
          maskIdNumber(makeId('1962-01-01', '女', 86)),
          '成员',
          '甘二（配偶）',
          '（无）',
          false,
        ],
      ].sort(),
    );
    const cases = await ledger.run('import.compare', { kind: 'monitoring', file: nov });
    expect(list(cases.differences)).toEqual([
      ['不一致', '监测对象', `岑一户（${A.户编号}）`, A.户编号, '致贫/返贫风险', '因病', '因病、因学', true],
    ]);
    // Comparing wrote nothing.
    expect(ledger.store.raw.prepare('SELECT count(*) AS n FROM audit_log').get()).toEqual(auditBefore);
    expect(ledger.store.raw.prepare("SELECT count(*) AS n FROM person WHERE name LIKE '覃%'").get()).toEqual({ n: 0 });

    // Take the household phone and the new household; keep the ledger's phone of 岑一 and 岑二's health.
    const id = (label: string, entity = '农户') =>
      persons.differences.find((d) => d.label === label && d.entity === entity)!.id;
    const took = await ledger.run('import.reconcile', {
      kind: 'households',
      file: nov,
      take: [id('户联系电话'), id('整户')],
    });
    expect(took.taken).toBe(2);
    const stored = ledger.store.raw
      .prepare(
        `SELECT p.name, p.phone, p.health, h.phone AS hhPhone FROM person p JOIN household h ON h.id = p.household_id ORDER BY p.id`,
      )
      .all();
    expect(stored).toEqual([
      { name: '岑一', phone: '13700000000', health: null, hhPhone: '13800009999' },
      { name: '岑二', phone: null, health: '健康', hhPhone: '13800009999' },
      { name: '甘一', phone: null, health: null, hhPhone: '13800000502' },
      { name: '甘二', phone: null, health: null, hhPhone: '13800000502' },
      { name: '覃一', phone: null, health: null, hhPhone: '13800000503' },
      { name: '覃二', phone: null, health: null, hhPhone: '13800000503' },
    ]);
    // One audit entry per record written: the household's phone, the new household and each of its members.
    const audited = ledger.store.raw
      .prepare("SELECT entity, summary, before, after FROM audit_log WHERE action = '国家系统比对' ORDER BY id")
      .all() as { entity: string; summary: string; before: string | null; after: string | null }[];
    expect(audited.map((a) => [a.entity, a.summary])).toEqual([
      ['农户', `岑一户（${A.户编号}）：户联系电话变更`],
      ['农户', `覃一户（${C.户编号}）：新增整户`],
      ['人员', `覃一户（${C.户编号}）：新增成员`],
      ['人员', `覃一户（${C.户编号}）：新增成员`],
    ]);
    expect(JSON.parse(audited[0]!.before!)).toEqual({ phone: '13800000501' });
    expect(audited[2]!.after).toContain(maskIdNumber(c1.证件号码));
    expect(audited.map((a) => a.after).join('')).not.toContain(c1.证件号码);

    // What was kept differs still; what was taken does not.
    const again = await ledger.run('import.compare', {
      kind: 'households',
      file: nov,
      out: path.join(dir, '比对.xlsx'),
    });
    expect(again.differences.map((d) => d.label).sort()).toEqual(['健康状况', '成员', '联系电话']);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(again.file!);
    const sheet = book.getWorksheet('国家系统比对')!;
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '户',
      '对象',
      '记录',
      '项目',
      '差异',
      '台账',
      '国家系统',
      '说明',
    ]);
    expect(sheet.rowCount).toBe(4);
    await ledger.close();
  });
});
