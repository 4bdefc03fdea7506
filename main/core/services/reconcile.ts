/**
 * 国家系统比对: a national export against the ledger, every month. The import itself finds the differences: run
 * inside a savepoint with a recording sink, it proposes each change it would make (only in the file, or a field
 * that differs) and names every record the file holds, so what the ledger has and the file lacks is known too.
 * Nothing is written until the user chooses; then the same import runs taking only the chosen differences, each
 * an audited write. The list can be written as a workbook for the village to check.
 */
import ExcelJS from 'exceljs';
import type { ReconcileDifference, ReconcileResult } from '../../../shared/api.ts';
import { maskIdNumber } from '../../../shared/idnumber.ts';
import { nowIso, type Ctx } from '../context.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError } from '../errors.ts';
import { stageFile, targetPath } from '../files.ts';
import { changeId, choosingSink, recordingSink, type Change } from '../excel/import/changes.ts';
import { recordAudit, runImport } from './imports.ts';

type CompareInput = Parameters<Handlers['import.compare']>[1];

const FLAGS = new Set([
  'medResident',
  'medEmployee',
  'seriousIllnessIns',
  'pensionResident',
  'pensionEmployee',
  'medicalAid',
  'dibao',
  'tekun',
  'doudi',
  'militaryFamily',
]);

/** A value as the list shows it: 是/否/未知 for flags, village names, blank as （空）. */
function shown(field: string, v: unknown, villages: Map<number, string>): string {
  if (v === null || v === undefined || v === '') return FLAGS.has(field) ? '未知' : '（空）';
  if (field === 'villageId' && typeof v === 'number') return villages.get(v) ?? String(v);
  if (FLAGS.has(field)) return v ? '是' : '否';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

function toDifference(c: Change, villages: Map<number, string>): ReconcileDifference {
  return {
    id: changeId(c),
    entity: c.entity,
    group: c.group,
    record: c.keyIsIdNumber ? maskIdNumber(c.key) : c.key,
    field: c.field,
    label: c.label,
    kind: c.field === '*' ? '只在国家系统' : '不一致',
    ledger: c.field === '*' ? '（无）' : shown(c.field, c.ledger, villages),
    national: shown(c.field, c.national, villages),
    applicable: c.applicable !== false,
    ...(c.note ? { note: c.note } : {}),
  };
}

/**
 * What the ledger holds and the file does not, within the file's reach: persons and households of the villages the
 * file covers, open cases of the households it names (a person-level export lists every household of its area).
 */
function onlyInLedger(ctx: Ctx, kind: CompareInput['kind'], keys: ReturnType<typeof recordingSink>['keys']) {
  const out: ReconcileDifference[] = [];
  const base = { kind: '只在台账' as const, field: '*', national: '（无）', applicable: false };
  if (kind === 'households') {
    const hhNos = [...keys.农户];
    if (!hhNos.length) return out;
    const villages = ctx.raw
      .prepare(`SELECT DISTINCT village_id AS v FROM household WHERE hh_no IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(hhNos)) as { v: number }[];
    const persons = ctx.raw
      .prepare(
        `SELECT p.id_number AS idNumber, p.name, p.relation, h.hh_no AS hhNo,
          (SELECT name FROM person x WHERE x.household_id = h.id AND x.relation = '户主' AND x.left_on IS NULL) AS head
        FROM person p JOIN household h ON h.id = p.household_id
        WHERE p.left_on IS NULL AND h.closed_on IS NULL AND h.village_id IN (SELECT value FROM json_each(?))
        ORDER BY h.hh_no, p.id`,
      )
      .all(JSON.stringify(villages.map((x) => x.v))) as {
      idNumber: string;
      name: string;
      relation: string;
      hhNo: string | null;
      head: string | null;
    }[];
    for (const p of persons) {
      if (keys.人员.has(p.idNumber)) continue;
      const group = `${p.head ?? p.name}户${p.hhNo ? `（${p.hhNo}）` : ''}`;
      out.push({
        ...base,
        id: `人员|${p.idNumber}|*`,
        entity: '人员',
        group,
        record: maskIdNumber(p.idNumber),
        label: '成员',
        ledger: `${p.name}（${p.relation}）`,
        note: '国家系统中没有此人：如已迁出、死亡等，请在“农户”中办理减员',
      });
    }
  } else {
    const cases = ctx.raw
      .prepare(
        `SELECT h.hh_no AS hhNo, c.category, c.status, c.identified_on AS identified,
          (SELECT name FROM person x WHERE x.household_id = h.id AND x.relation = '户主' AND x.left_on IS NULL) AS head
        FROM monitoring_case c JOIN household h ON h.id = c.household_id
        WHERE c.status IN ('监测中', '消除中') AND h.hh_no IS NOT NULL
          AND h.village_id IN (SELECT village_id FROM household WHERE hh_no IN (SELECT value FROM json_each(?)))
        ORDER BY h.hh_no`,
      )
      .all(JSON.stringify([...keys.监测对象])) as {
      hhNo: string;
      category: string;
      status: string;
      identified: string | null;
      head: string | null;
    }[];
    for (const c of cases) {
      if (keys.监测对象.has(c.hhNo)) continue;
      out.push({
        ...base,
        id: `监测对象|${c.hhNo}|*`,
        entity: '监测对象',
        group: `${c.head ?? ''}户（${c.hhNo}）`,
        record: c.hhNo,
        label: '监测记录',
        ledger: `${c.category}，${c.status}${c.identified ? `，${c.identified} 识别` : ''}`,
        note: '国家系统中该户不是监测对象：请核实后在“监测对象”中办理',
      });
    }
  }
  return out;
}

const HEADERS: [keyof ReconcileDifference | 'take', string, number][] = [
  ['group', '户', 26],
  ['entity', '对象', 8],
  ['record', '记录', 22],
  ['label', '项目', 16],
  ['kind', '差异', 12],
  ['ledger', '台账', 28],
  ['national', '国家系统', 28],
  ['note', '说明', 40],
];

/** The differences as a workbook for the village to check (ID numbers masked). */
async function writeWorkbook(file: string, differences: ReconcileDifference[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('国家系统比对');
  ws.columns = HEADERS.map(([key, header, width]) => ({ key, header, width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const d of differences) ws.addRow({ ...d, note: d.note ?? (d.applicable ? '' : '不能在比对中采用') });
  ws.autoFilter = { from: 'A1', to: 'H1' };
  await wb.xlsx.writeFile(file);
}

function villageNames(ctx: Ctx): Map<number, string> {
  const rows = ctx.raw.prepare('SELECT id, name FROM village').all() as { id: number; name: string }[];
  return new Map(rows.map((v) => [v.id, v.name]));
}

export const reconcileHandlers: Pick<Handlers, 'import.compare' | 'import.reconcile'> = {
  async 'import.compare'(ctx, input) {
    const sink = recordingSink();
    let errors;
    // Nothing may yield to other requests between the savepoint and its rollback.
    ctx.raw.exec('SAVEPOINT import_compare');
    try {
      errors = (await runImport(ctx, input, sink)).result.errors;
    } finally {
      ctx.raw.exec('ROLLBACK TO import_compare');
      ctx.raw.exec('RELEASE import_compare');
    }
    const villages = villageNames(ctx);
    const differences = [
      ...sink.changes.map((c) => toDifference(c, villages)),
      ...onlyInLedger(ctx, input.kind, sink.keys),
    ].sort((a, b) => a.group.localeCompare(b.group, 'zh'));
    // Where the caller asked (a CLI path, a picked file) or the 报表 folder; put in place after the rollback.
    const out =
      input.out !== undefined || input.exportList
        ? targetPath(ctx, input.out, `国家系统比对 ${nowIso().slice(0, 19).replace(/[:T]/g, '-')}.xlsx`, 'out')
        : undefined;
    if (out) {
      try {
        await stageFile(ctx, out, 'out', (tmp) => writeWorkbook(tmp, differences));
      } catch (e) {
        if (e instanceof LedgerError && e.code === 'validation') throw e;
        throw new LedgerError('io', `无法写入比对清单：${out}`, 'out');
      }
    }
    return { kind: input.kind, differences, errors, ...(out ? { file: out } : {}) };
  },

  async 'import.reconcile'(ctx, input) {
    let taken = 0;
    const chosen = choosingSink(new Set(input.take), recordAudit(ctx, '国家系统比对'));
    // Counted: the differences taken (members that come with a new household are audited, not counted).
    const sink = { ...chosen, take: (c: Change) => chosen.take(c) && ++taken > 0 };
    const { result } = await runImport(ctx, input, sink);
    const done: ReconcileResult = { kind: input.kind, differences: [], errors: result.errors, taken };
    return done;
  },
};
