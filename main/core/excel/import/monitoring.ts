/**
 * Import of monitored households (the T2 / national household layout): one row per household with category,
 * risks, identification date and, when eliminated, the elimination method and date. An imported case enters the
 * workflow as already identified (录入建档 done) or eliminated (系统标注 done): its timeline records the county
 * approval and elimination on the dates given, marked as imported, and the status events give the month figures.
 * Upsert by household and identification date: the same file again changes nothing.
 */
import { OPEN_CASE_STATUSES } from '../../../../shared/workflow.ts';
import type { Connection } from '../../db/query.ts';
import { CaseWrites } from '../../domain/cases.ts';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { MEASURE_CATEGORIES, type MeasureCategory } from '../../../../shared/catalogs.ts';
import { CaseAdvance, CaseCreate, MeasureInput } from '../../../../shared/schemas.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, parseDate, parseYesNo } from './parse.ts';
import { yuanToFen } from '../../../../shared/money.ts';
import { nationalLabel } from '../../../../shared/legacy-labels.ts';
import { RISK_TYPES } from '../../../../shared/catalogs.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, householdLocator, noHeader, type DataRow } from './rows.ts';
import { takingAll, type ChangeSink } from './changes.ts';

const measureField = (category: MeasureCategory) => `measure:${category}`;
/** National headers of the measure columns where they differ from the category (公益性岗位帮扶, 教育帮扶). */
const MEASURE_HEADERS: Partial<Record<MeasureCategory, string[]>> = {
  公益岗位帮扶: ['公益岗位帮扶', '公益性岗位帮扶'],
  其他教育帮扶: ['其他教育帮扶', '教育帮扶'],
};

/** Income columns: `at:` is stated at identification, `after:` in the 风险消除后 block (dated at elimination). */
const INCOME_PARTS = {
  wageFen: ['工资性收入'],
  businessFen: ['生产经营性收入'],
  propertyFen: ['财产性收入'],
  transferFen: ['转移性收入'],
  businessCostFen: ['生产经营性支出'],
  claimsFen: ['理赔收入'],
  compliantOopFen: ['合规自付支出'],
  reportedPerCapitaFen: ['人均纯收入(元)', '人均纯收入', '家庭人均纯收入'],
} as const;
type IncomePart = keyof typeof INCOME_PARTS;
const INCOME_SYNONYMS: Synonyms = Object.fromEntries(
  Object.entries(INCOME_PARTS).flatMap(([part, names]: [string, readonly string[]]): [string, string[]][] => [
    [`at:${part}`, [...names]],
    [`after:${part}`, names.flatMap((n) => [`风险消除后${n.replace(/^家庭/, '')}`, `风险消除后${n}`])],
  ]),
);

export const MONITORING_SYNONYMS: Synonyms = {
  hhNo: ['户编号', '户号'],
  headId: ['户主证件号码', '户主身份证号', '户主身份证号码'],
  // Person-level national exports (one row per member): the 户主 row's own ID locates the household.
  idNumber: ['证件号码', '身份证号', '身份证号码'],
  relation: ['与户主关系', '与户主的关系'],
  headName: ['户主姓名', '户主'],
  category: ['监测对象类别', '易返贫致贫户(监测对象)类型', '监测对象类型', '监测类别', '检测对象类别'],
  channel: ['发现渠道', '识别渠道'],
  risks: ['致贫/返贫风险', '致贫/返贫风险(1–5)', '致贫返贫风险', '风险类型', '主要风险类型'],
  risk1: ['致贫/返贫风险1', '风险类型1', '致贫原因1'],
  risk2: ['致贫/返贫风险2', '风险类型2'],
  risk3: ['致贫/返贫风险3', '风险类型3'],
  risk4: ['致贫/返贫风险4', '风险类型4'],
  risk5: ['致贫/返贫风险5', '风险类型5'],
  identifiedOn: ['识别监测时间', '风险识别时间', '识别时间', '纳入监测时间'],
  eliminated: ['风险是否已消除', '风险是否消除'],
  method: ['风险消除方式'],
  eliminatedOn: ['风险消除时间', '消除监测时间', '消除时间'],
  // Income at identification, and the 风险消除后 block (national-layouts.md §2 "Income"), in 元.
  ...INCOME_SYNONYMS,
  // 帮扶措施 columns of the national export: each holds the measure's items, comma-separated (§2 "Measures").
  ...Object.fromEntries(MEASURE_CATEGORIES.map((c) => [measureField(c), MEASURE_HEADERS[c] ?? [c]])),
};
const NOTE = '由导入建立（识别环节记录见原系统）';

export function importMonitoring(
  conn: Connection,
  table: Table,
  today: string,
  now: string,
  overrides: Record<string, number> = {},
  options: { sink?: ChangeSink } = {},
): ImportResult {
  const header = findHeader(table.rows, MONITORING_SYNONYMS, ['category', 'identifiedOn'], overrides);
  if (!header) return noHeader(table, '「监测对象类别」和「识别监测时间」');
  const lookups = caseLookups(conn);
  const writes = new CaseWrites(conn, now);
  const seen = new Map<number, number>();
  const layout: Layout = {
    riskField: header.columns.risks !== undefined ? 'risks' : 'risk1',
    eliminatedColumn: header.columns.eliminated !== undefined,
    personLevel: header.columns.relation !== undefined,
  };
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 };
  for (const row of dataRows(table, header, warnings)) {
    counts.read += 1;
    if (layout.personLevel && !describesCase(row)) {
      counts.skipped += 1;
      continue;
    }
    const rec = readCaseRow(row, lookups, seen, today, layout);
    if (rec) seen.set(rec.householdId, row.row);
    const outcome = rec && writeCase(writes, lookups, rec, row, options.sink ?? takingAll());
    if (!outcome) {
      errors.push(...row.errors);
      counts.rejected += 1;
      continue;
    }
    counts[outcome] += 1;
  }
  return { ...counts, errors: byRow(errors), warnings };
}

type Lookups = ReturnType<typeof caseLookups>;
/** Where the file puts risks (one column or several) and whether it has a 是否消除 column. */
interface Layout {
  riskField: string;
  eliminatedColumn: boolean;
  /** One row per person (national 监测对象信息): the household's data repeats on each member's row. */
  personLevel: boolean;
}

/**
 * In a person-level file only the 户主 row of a monitored household describes its case: member rows repeat it,
 * and rows with a blank 监测对象类别 are plain households (national-layouts.md "Person-level files").
 */
function describesCase(row: DataRow): boolean {
  return clean(row.get('relation')) === '户主' && clean(row.get('category')) !== '';
}
type Existing = { id: number; status: string; category: string; eliminated_on: string | null };

function caseLookups(conn: Connection) {
  const { raw } = conn;
  const sameCase = raw.prepare('SELECT * FROM monitoring_case WHERE household_id = ? AND identified_on = ?');
  const openCase = raw.prepare(
    `SELECT id, identified_on AS identifiedOn FROM monitoring_case WHERE household_id = ? AND status IN (${OPEN_CASE_STATUSES.map(() => '?').join(', ')})`,
  );
  const risksOf = raw.prepare('SELECT risk_type AS r FROM case_risk WHERE case_id = ? ORDER BY seq');
  const measure = raw.prepare('SELECT 1 FROM measure WHERE household_id = ? AND category = ? AND item = ?');
  const measureOfCategory = raw.prepare('SELECT 1 FROM measure WHERE household_id = ? AND category = ?');
  const head = raw.prepare(
    "SELECT name FROM person WHERE household_id = ? AND relation = '户主' AND left_on IS NULL ORDER BY id LIMIT 1",
  );
  const income = raw.prepare('SELECT 1 FROM income_snapshot WHERE household_id = ? AND kind = ? AND as_of = ?');
  const members = raw.prepare(
    `SELECT count(*) AS n FROM person WHERE household_id = @household AND birth_date <= @on AND (left_on IS NULL OR left_on > @on)`,
  );
  return {
    household: householdLocator(raw, { currentHeadOnly: false, hint: '请先导入该户及家庭成员' }),
    sameCase: (householdId: number, identifiedOn: string) =>
      sameCase.get(householdId, identifiedOn) as Existing | undefined,
    openCase: (householdId: number) =>
      openCase.get(householdId, ...OPEN_CASE_STATUSES) as { id: number; identifiedOn: string | null } | undefined,
    hasMeasure: (householdId: number, category: string, item: string | null) =>
      (item === null ? measureOfCategory.get(householdId, category) : measure.get(householdId, category, item)) !==
      undefined,
    risksOf: (caseId: number) => (risksOf.all(caseId) as { r: string }[]).map((x) => x.r),
    headName: (householdId: number) => (head.get(householdId) as { name: string } | undefined)?.name,
    hasIncome: (householdId: number, kind: string, asOf: string) => income.get(householdId, kind, asOf) !== undefined,
    /** Members on the date (at least 1: the snapshot divides by it). */
    members: (householdId: number, on: string) =>
      Math.max(1, (members.get({ household: householdId, on }) as { n: number }).n),
  };
}

interface CaseRow {
  householdId: number;
  category: string;
  channel: string;
  risks: string[];
  identifiedOn: string;
  eliminated: boolean;
  eliminatedOn: string | null;
  method: string | null;
  /** The measures the row lists: category and its items as written. */
  measures: { category: MeasureCategory; item: string | null }[];
  /** Income stated at identification and after elimination (null: the row states none). */
  incomeAt: Partial<Record<IncomePart, number>> | null;
  incomeAfter: Partial<Record<IncomePart, number>> | null;
  before: Existing | undefined;
}

/** One row: the case it describes (and the one already in the ledger, if any), or null when it has errors. */
function readCaseRow(
  row: DataRow,
  lookups: Lookups,
  seen: Map<number, number>,
  today: string,
  layout: Layout,
): CaseRow | null {
  const { get, err } = row;
  const date = (f: string) => {
    try {
      const d = parseDate(get(f));
      if (d && d > today) err(f, `日期 ${d} 晚于今天`);
      return d;
    } catch (e) {
      err(f, (e as Error).message);
      return null;
    }
  };
  const hasError = (f: string) => row.errors.some((e) => e.column === row.label(f));
  const { householdId, key } = lookups.household(row);
  if (clean(get('category')) === '') err('category', '监测对象类别不能为空');
  const category = row.value('category', CaseCreate.shape.category) ?? '';
  const channel = row.value('channel', CaseCreate.shape.channel) ?? '基层干部排查';
  const risks = readRisks(row, layout.riskField);
  const identifiedOn = date('identifiedOn');
  if (!identifiedOn && !hasError('identifiedOn')) err('identifiedOn', '识别监测时间不能为空');
  let eliminated = false;
  try {
    eliminated = layout.eliminatedColumn ? parseYesNo(get('eliminated')) === 1 : clean(get('eliminatedOn')) !== '';
  } catch (e) {
    err('eliminated', (e as Error).message);
  }
  const eliminatedOn = eliminated ? date('eliminatedOn') : null;
  const method = eliminated ? (row.value('method', CaseAdvance.shape.method) ?? '帮扶消除') : null;
  if (eliminated && !eliminatedOn && !hasError('eliminatedOn')) err('eliminatedOn', '风险已消除时须填写消除时间');
  if (identifiedOn && eliminatedOn && eliminatedOn <= identifiedOn)
    err('eliminatedOn', '风险消除时间应晚于识别监测时间');
  const incomeAt = readIncome(row, 'at');
  const incomeAfter = readIncome(row, 'after');
  if (householdId !== undefined && seen.has(householdId)) err(key, `与第 ${seen.get(householdId)} 行是同一户`);
  const before = householdId !== undefined && identifiedOn ? lookups.sameCase(householdId, identifiedOn) : undefined;
  if (householdId !== undefined && !before && !row.errors.length) {
    const open = lookups.openCase(householdId);
    if (open) err(key, `该户已有未结束的监测记录（识别于 ${open.identifiedOn ?? '识别中'}），请在“监测对象”中处理`);
  }
  // Each item is checked as the form checks it (a refused one refuses the row).
  const measures = MEASURE_CATEGORIES.flatMap((category) => {
    const text = clean(get(measureField(category)));
    if (!text || /^(无|否|\/)$/.test(text)) return [];
    // A mark (T2's ✓) says the household has such a measure without naming its items.
    return [
      {
        category,
        item: /^(✓|√|是|有)$/.test(text) ? null : row.value(measureField(category), MeasureInput.shape.item),
      },
    ];
  });
  if (row.errors.length) return null;
  return {
    householdId: householdId!,
    category,
    channel,
    risks,
    identifiedOn: identifiedOn!,
    eliminated,
    eliminatedOn,
    method,
    measures,
    incomeAt,
    incomeAfter,
    before,
  };
}

/** The row's income columns of one block in fen; null when the block states nothing. */
function readIncome(row: DataRow, block: 'at' | 'after'): Partial<Record<IncomePart, number>> | null {
  const out: Partial<Record<IncomePart, number>> = {};
  for (const part of Object.keys(INCOME_PARTS) as IncomePart[]) {
    const field = `${block}:${part}`;
    const text = clean(row.get(field)).replace(/[,，元\s]/g, '');
    if (text === '') continue;
    const yuan = Number(text);
    if (!Number.isFinite(yuan)) row.err(field, `「${text}」不是金额`);
    else out[part] = yuanToFen(yuan);
  }
  return Object.keys(out).length ? out : null;
}

/** The snapshots the row states that the household does not have yet (same kind and date). */
function addIncomes(writes: CaseWrites, lookups: Lookups, c: CaseRow, caseId: number): number {
  let added = 0;
  const blocks = [
    { kind: '识别时', asOf: c.identifiedOn, parts: c.incomeAt },
    { kind: '消除时', asOf: c.eliminatedOn, parts: c.eliminated ? c.incomeAfter : null },
  ] as const;
  for (const b of blocks) {
    if (!b.parts || !b.asOf || lookups.hasIncome(c.householdId, b.kind, b.asOf)) continue;
    writes.addIncome({
      householdId: c.householdId,
      caseId,
      kind: b.kind,
      asOf: b.asOf,
      members: lookups.members(c.householdId, b.asOf),
      ...b.parts,
    });
    added += 1;
  }
  return added;
}

/** The row's measures the household does not have yet, dated at identification; returns how many were added. */
function addMeasures(writes: CaseWrites, lookups: Lookups, c: CaseRow, caseId: number): number {
  let added = 0;
  for (const m of c.measures) {
    if (lookups.hasMeasure(c.householdId, m.category, m.item)) continue;
    writes.addMeasure({
      householdId: c.householdId,
      caseId,
      category: m.category,
      item: m.item,
      startDate: c.identifiedOn,
      implemented: 1,
      note: NOTE,
    });
    added += 1;
  }
  return added;
}

/** Risk types from one 致贫风险 column or several, checked by the case schema. */
function readRisks(row: DataRow, riskField: string): string[] {
  const get = (f: string) => clean(row.get(f));
  const riskText = [get('risks'), get('risk1'), get('risk2'), get('risk3'), get('risk4'), get('risk5')]
    .filter(Boolean)
    .join('、');
  const known: readonly string[] = RISK_TYPES;
  const risks: string[] = [];
  const unmapped: string[] = [];
  for (const given of new Set(riskText.split(/[、,，;；\s]+/).filter(Boolean))) {
    const national = known.includes(given) ? given : nationalLabel('risk', given);
    if (national === undefined) unmapped.push(given);
    else {
      if (national !== given) row.warn(riskField, `「${given}」不是国家系统口径，已按「${national}」导入`, given);
      if (!risks.includes(national)) risks.push(national);
    }
  }
  // 缺技术 / 缺资金 (建档立卡-era causes) have no certain counterpart: dropped with a warning while another risk remains.
  if (risks.length && unmapped.length)
    row.warn(riskField, `「${unmapped.join('、')}」不是可选的风险类型，未导入`, unmapped.join('、'));
  else risks.push(...unmapped);
  if (risks.length === 0) row.err(riskField, '至少需要一个致贫/返贫风险');
  else {
    const checked = CaseCreate.shape.risks.safeParse(risks.map((riskType) => ({ riskType })));
    if (!checked.success) row.err(riskField, checked.error.issues[0]!.message, riskText);
  }
  return risks;
}

/**
 * A new case enters as identified (or eliminated) on the dates given, its timeline marked as imported; an existing
 * one may have its category and risks corrected, while status changes go through the workflow screens (null, with
 * the reason on the row).
 */
function writeCase(
  writes: CaseWrites,
  lookups: Lookups,
  c: CaseRow,
  row: DataRow,
  sink: ChangeSink,
): 'inserted' | 'updated' | 'unchanged' | null {
  const { before } = c;
  const hhNo = clean(row.get('hhNo'));
  const who = lookups.headName(c.householdId) ?? clean(row.get('headName'));
  const change = {
    entity: '监测对象',
    key: hhNo || String(c.householdId),
    recordId: before?.id ?? null,
    group: `${who}户${hhNo ? `（${hhNo}）` : ''}`,
  } as const;
  sink.seen?.('监测对象', change.key);
  if (!before) {
    const national = `${c.category}，${c.identifiedOn} 识别${c.eliminated ? `，${c.eliminatedOn ?? ''} 消除` : ''}，风险：${c.risks.join('、')}`;
    if (!sink.take({ ...change, field: '*', label: '监测记录', ledger: null, national })) return 'unchanged';
    const caseId = writes.addCase({
      householdId: c.householdId,
      category: c.category,
      channel: c.channel,
      channelDetail: null,
      clueDate: c.identifiedOn,
      status: c.eliminated ? '已消除' : '监测中',
      stage: c.eliminated ? 'e_mark' : 'enter',
      round: c.eliminated ? 1 : 0,
      identifiedOn: c.identifiedOn,
      eliminatedOn: c.eliminatedOn,
      eliminationMethod: c.method,
      rejectedOn: null,
      rejectReason: null,
      previousCaseId: null,
      note: NOTE,
    });
    writes.setRisks(
      caseId,
      c.risks.map((riskType) => ({ riskType })),
    );
    const imported = { actor: '导入', note: NOTE };
    writes.addStage(caseId, { round: 0, stage: 'county', doneOn: c.identifiedOn, ...imported });
    writes.addStage(caseId, { round: 0, stage: 'enter', doneOn: c.identifiedOn, ...imported });
    writes.addEvent(caseId, 'identified', c.identifiedOn, NOTE);
    if (c.eliminated && c.eliminatedOn) {
      writes.addStage(caseId, { round: 1, stage: 'e_county', doneOn: c.eliminatedOn, ...imported });
      writes.addStage(caseId, { round: 1, stage: 'e_mark', doneOn: c.eliminatedOn, ...imported });
      writes.addEvent(caseId, 'eliminated', c.eliminatedOn, NOTE);
    }
    addMeasures(writes, lookups, c, caseId);
    addIncomes(writes, lookups, c, caseId);
    return 'inserted';
  }
  const sameStatus =
    (before.status === '已消除') === c.eliminated && (!c.eliminated || before.eliminated_on === c.eliminatedOn);
  if (!sameStatus) {
    sink.take({
      ...change,
      field: 'status',
      label: '风险是否消除',
      ledger: `${before.status}${before.eliminated_on ? `（${before.eliminated_on}）` : ''}`,
      national: c.eliminated ? `已消除（${c.eliminatedOn ?? ''}）` : '未消除',
      applicable: false,
      note: '风险消除和回退请在“监测对象”中办理',
    });
    row.err('eliminated', `台账中该户状态为「${before.status}」，与导入文件不一致；风险消除和回退请在“监测对象”中办理`);
    return null;
  }
  const missing = c.measures.filter((m) => !lookups.hasMeasure(c.householdId, m.category, m.item));
  const measuresTaken =
    missing.length > 0 &&
    sink.take({
      ...change,
      field: 'measures',
      label: '帮扶措施',
      ledger: '（无此项）',
      national: missing.map((m) => `${m.category}${m.item ? `：${m.item}` : ''}`).join('；'),
    });
  const incomesMissing = [
    c.incomeAt && !lookups.hasIncome(c.householdId, '识别时', c.identifiedOn) ? '识别时' : null,
    c.eliminated && c.incomeAfter && c.eliminatedOn && !lookups.hasIncome(c.householdId, '消除时', c.eliminatedOn)
      ? '消除时'
      : null,
  ].filter((k) => k !== null);
  const incomesTaken =
    incomesMissing.length > 0 &&
    sink.take({
      ...change,
      field: 'incomes',
      label: '收入采集',
      ledger: '（无）',
      national: incomesMissing.join('、'),
    });
  const added =
    (measuresTaken ? addMeasures(writes, lookups, c, before.id) : 0) +
    (incomesTaken ? addIncomes(writes, lookups, c, before.id) : 0);
  let updated = added > 0;
  if (
    before.category !== c.category &&
    sink.take({ ...change, field: 'category', label: '监测对象类别', ledger: before.category, national: c.category })
  ) {
    writes.updateCase(before.id, { category: c.category });
    updated = true;
  }
  const storedRisks = lookups.risksOf(before.id).join('、');
  if (
    storedRisks !== c.risks.join('、') &&
    sink.take({ ...change, field: 'risks', label: '致贫/返贫风险', ledger: storedRisks, national: c.risks.join('、') })
  ) {
    writes.setRisks(
      before.id,
      c.risks.map((riskType) => ({ riskType })),
    );
    updated = true;
  }
  return updated ? 'updated' : 'unchanged';
}
