/**
 * Import of the national 务工月监测 exports (national-layouts.md §3, columns from `Gzuwkj/fuping` rules 5_1x_*),
 * told apart by their headers, never by column positions (a customised export holds only the columns picked):
 * - （务工月监测）已外出务工信息, one row per spell of work → an employment record of the person, upserted by person
 *   and 开始时间, so the same file again changes nothing; rows with 是否已务工 = 否 describe no work and are skipped;
 * - 计划外出务工信息, one row per person → the person's work plan (是否计划务工, 就业服务需求) for the file's month.
 * A row names its person by 证件号码 (a 残疾人证 number names the person inside it); persons come from the person
 * list, imported first. Both go through the employment writes that `employment.add` / `update` use.
 */
import type { z } from 'zod';
import type { Connection } from '../../db/query.ts';
import {
  EmploymentWrites,
  type EmploymentChanges,
  type NewEmployment,
  type WorkPlanChanges,
} from '../../domain/employment.ts';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { EMPLOYMENT_CHANNELS } from '../../../../shared/catalogs.ts';
import { yuanToFen } from '../../../../shared/money.ts';
import { EmploymentInput, WorkPlanInput } from '../../../../shared/schemas.ts';
import type { Employment, KnownFlag, WorkPlan } from '../../../../shared/types.ts';
import { findHeader, type HeaderMatch, type Synonyms } from './header.ts';
import { clean, idText, parseDate, parseYesNo, personIdOf } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader, type DataRow } from './rows.ts';
import { noteWithChannel, readChannel, type Channel } from './work-channel.ts';

// Both layouts in one table: 证件号码 is what they share; 开始时间 or 是否计划务工 / 就业服务需求 tells them apart.
export const WORK_SYNONYMS: Synonyms = {
  idNumber: ['证件号码', '身份证号码', '身份证号'],
  hhNo: ['户编号', '户号'],
  worked: ['是否已务工', '是否务工', '是否外出务工'],
  startMonth: ['开始时间', '务工开始时间', '开始年月', '务工起始年月'],
  endMonth: ['结束时间', '务工结束时间', '结束年月', '务工终止年月'],
  place: ['务工所在县', '务工所在地', '务工地点'],
  channel: ['就业渠道', '就业方式'],
  // domain.md §2.4: some exports carry a second channel column for relocated people; read when 就业渠道 is blank.
  relocationChannel: ['就业渠道(易地搬迁后扶使用)'],
  industry: ['所属行业', '行业'],
  employer: ['务工企业名称', '务工单位名称', '务工单位'],
  income: ['务工月收入', '务工月收入(元)', '月收入', '月收入(元)'],
  pointToPoint: ['是否点对点输送', '点对点输送'],
  transport: ['年度交通费补助', '年度交通费补助(元)', '交通费补助'],
  planned: ['是否计划务工', '是否计划外出务工'],
  serviceNeed: ['就业服务需求'],
  month: ['监测月份', '统计月份', '数据月份', '月份'],
};

const NEEDS = '「证件号码」和「开始时间」（已外出务工信息）或「是否计划务工」（计划外出务工信息）';

type Layout = 'out' | 'plan';
type Outcome = 'inserted' | 'updated' | 'unchanged' | 'rejected' | 'skipped';

function layoutOf(header: HeaderMatch): Layout | null {
  const has = (f: string) => header.columns[f] !== undefined;
  if (has('startMonth')) return 'out';
  if (has('planned') || has('serviceNeed')) return 'plan';
  return null;
}

/**
 * `today` gives the month of a plan file: 计划外出务工信息 carries no month of its own, and the national system
 * exports it for the current month, so a plan is taken for the month it is imported in — unless the file has a
 * month column (监测月份…), which then says it row by row.
 */
export function importWork(
  conn: Connection,
  table: Table,
  today: string,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, WORK_SYNONYMS, ['idNumber'], overrides);
  const layout = header ? layoutOf(header) : null;
  if (!header || !layout) return noHeader(table, NEEDS);
  const lookups = workLookups(conn);
  const writes = new EmploymentWrites(conn, now);
  const planMonth = today.slice(0, 7);
  const seen = new Map<string, number>();
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0 };
  for (const row of dataRows(table, header, warnings)) {
    counts.read += 1;
    const outcome =
      layout === 'out' ? importSpell(row, lookups, writes, seen) : importPlan(row, lookups, writes, seen, planMonth);
    if (outcome === 'rejected') errors.push(...row.errors);
    counts[outcome] += 1;
  }
  return { ...counts, errors: byRow(errors), warnings };
}

type StoredSpell = Pick<
  Employment,
  | 'id'
  | 'channel'
  | 'place'
  | 'employer'
  | 'industry'
  | 'endMonth'
  | 'monthlyIncomeFen'
  | 'pointToPoint'
  | 'transportSubsidyFen'
  | 'note'
>;
type StoredPlan = Pick<WorkPlan, 'id' | 'planned' | 'serviceNeed'>;
type Lookups = ReturnType<typeof workLookups>;

function workLookups(conn: Connection) {
  const { raw } = conn;
  const person = raw.prepare(
    'SELECT p.id, h.hh_no AS hhNo FROM person p JOIN household h ON h.id = p.household_id WHERE p.id_number = ?',
  );
  // A person may hold two records with one start month (entered twice by hand): the import updates the first.
  const spell = raw.prepare(`SELECT id, channel, place, employer, industry, end_month AS endMonth,
      monthly_income_fen AS monthlyIncomeFen, point_to_point AS pointToPoint,
      transport_subsidy_fen AS transportSubsidyFen, note
    FROM employment WHERE person_id = ? AND start_month = ? ORDER BY id LIMIT 1`);
  const plan = raw.prepare(
    'SELECT id, planned, service_need AS serviceNeed FROM work_plan WHERE person_id = ? AND month = ?',
  );
  return {
    person: (idNumber: string) => person.get(idNumber) as { id: number; hhNo: string | null } | undefined,
    spell: (personId: number, startMonth: string) => spell.get(personId, startMonth) as StoredSpell | undefined,
    plan: (personId: number, month: string) => plan.get(personId, month) as StoredPlan | undefined,
  };
}

// ── cells ───────────────────────────────────────────────────────────────────────────────────────────────

/** The row's person by 证件号码, or null with the reason recorded on the row. */
function readPerson(row: DataRow, lookups: Lookups): { id: number } | null {
  let idNumber: string;
  try {
    idNumber = personIdOf(idText(row.get('idNumber'), row.numeric('idNumber')));
  } catch (e) {
    row.err('idNumber', (e as Error).message);
    return null;
  }
  if (!idNumber) {
    row.err('idNumber', '证件号码不能为空');
    return null;
  }
  const person = lookups.person(idNumber);
  if (!person) {
    row.err('idNumber', '该证件号码不在本台账中，请先导入人员名单（导入内容选“农户与家庭成员”）');
    return null;
  }
  const hhNo = clean(row.get('hhNo'));
  if (hhNo && person.hhNo && hhNo !== person.hhNo)
    row.warn('hhNo', `户编号与台账不一致（台账中该人员属户编号 ${person.hhNo}），已按证件号码导入`);
  return person;
}

/** 2024年03月, 202403, 2024-03, or a date in the month: the month; null when blank; undefined when refused. */
function readMonth(row: DataRow, field: string, schema: z.ZodType): string | null | undefined {
  let date: string | null;
  try {
    date = parseDate(row.get(field));
  } catch {
    row.err(field, `「${clean(row.get(field))}」不是有效的年月（可用 2024年03月、202403、2024-03）`);
    return undefined;
  }
  if (date === null) return null;
  const month = row.value(field, schema, date.slice(0, 7));
  return typeof month === 'string' ? month : undefined;
}

/** An amount in 元 (3500, 3,500.50, 3500元) as fen; null when blank; undefined when refused. */
function readMoney(row: DataRow, field: string, schema: z.ZodType): number | null | undefined {
  const text = clean(row.get(field)).replace(/[,，元¥￥\s]/g, '');
  if (text === '') return null;
  const yuan = Number(text);
  if (!Number.isFinite(yuan)) {
    row.err(field, `「${text}」不是金额（以元为单位，如 3500 或 3500.50）`);
    return undefined;
  }
  if (yuan < 0) {
    row.err(field, '金额不能为负数');
    return undefined;
  }
  const fen = row.value(field, schema, yuanToFen(yuan));
  return typeof fen === 'number' ? fen : undefined;
}

/** 是 / 否 that the row may leave unknown: null when blank, or when unreadable (with a warning; the row is kept). */
function optionalYesNo(row: DataRow, field: string): KnownFlag {
  if (clean(row.get(field)) === '') return null;
  try {
    return parseYesNo(row.get(field));
  } catch (e) {
    row.warn(field, `${(e as Error).message}；该项未导入，其余内容已导入`);
    return null;
  }
}

/**
 * 就业渠道: a ledger channel as is; a certain equivalent, with a warning; other words keep the channel unknown and go
 * to the note, with a warning. Never lost, never guessed.
 */
function readChannelCell(row: DataRow): { channel: Channel | null; kept: string | null } {
  const field = clean(row.get('channel')) ? 'channel' : 'relocationChannel';
  const text = clean(row.get(field));
  if (!text) return { channel: null, kept: null };
  if (text.length > 50) {
    row.err(field, '不能超过50个字');
    return { channel: null, kept: null };
  }
  const reading = readChannel(text);
  switch (reading.kind) {
    case 'same':
      return { channel: reading.channel, kept: null };
    case 'mapped':
      row.warn(field, `「${text}」已按台账就业方式「${reading.channel}」导入`);
      return { channel: reading.channel, kept: null };
    case 'kept':
      row.warn(field, `「${text}」不是台账的就业方式（${EMPLOYMENT_CHANNELS.join('、')}），就业方式留空，原文记入备注`);
      return { channel: null, kept: reading.text };
  }
}

// ── 已外出务工信息 ──────────────────────────────────────────────────────────────────────────────────────────

interface Spell {
  employment: NewEmployment;
  /** The file's 就业渠道 words when the ledger has no channel for them (kept in the note). */
  keptChannel: string | null;
}

function importSpell(row: DataRow, lookups: Lookups, writes: EmploymentWrites, seen: Map<string, number>): Outcome {
  const worked = clean(row.get('worked'));
  if (worked) {
    try {
      if (parseYesNo(worked) === 0) return 'skipped';
    } catch (e) {
      row.err('worked', (e as Error).message);
    }
  }
  const spell = readSpell(row, lookups, seen);
  if (!spell) return 'rejected';
  return writeSpell(writes, lookups, spell);
}

/** One 已外出 row: the spell of work, or null when the row has errors (recorded on it). */
function readSpell(row: DataRow, lookups: Lookups, seen: Map<string, number>): Spell | null {
  const person = readPerson(row, lookups);
  const startMonth = readMonth(row, 'startMonth', EmploymentInput.shape.startMonth);
  if (startMonth === null) row.err('startMonth', '开始时间不能为空');
  const endMonth = readMonth(row, 'endMonth', EmploymentInput.shape.endMonth);
  if (startMonth && endMonth && endMonth < startMonth) row.err('endMonth', '结束时间早于开始时间');
  const monthlyIncomeFen = readMoney(row, 'income', EmploymentInput.shape.monthlyIncomeFen);
  const transportSubsidyFen = readMoney(row, 'transport', EmploymentInput.shape.transportSubsidyFen);
  const { channel, kept } = readChannelCell(row);
  const place = row.value('place', EmploymentInput.shape.place);
  const employer = row.value('employer', EmploymentInput.shape.employer);
  const industry = row.value('industry', EmploymentInput.shape.industry);
  const pointToPoint = optionalYesNo(row, 'pointToPoint');
  if (person && startMonth) {
    const key = `${person.id}|${startMonth}`;
    const first = seen.get(key);
    if (first !== undefined) row.err('startMonth', `与第 ${first} 行是同一人、同一开始时间的务工记录`);
    else seen.set(key, row.row);
  }
  if (row.errors.length || !person || !startMonth) return null;
  return {
    employment: {
      personId: person.id,
      channel,
      place,
      employer,
      industry,
      startMonth,
      endMonth: endMonth ?? null,
      monthlyIncomeFen: monthlyIncomeFen ?? null,
      pointToPoint,
      transportSubsidyFen: transportSubsidyFen ?? null,
    },
    keptChannel: kept,
  };
}

/**
 * Adds the spell, or updates what the row changes. A blank cell keeps what the ledger holds: a value the file does
 * not state says nothing (national-layouts.md "A column that is absent says nothing").
 */
function writeSpell(writes: EmploymentWrites, lookups: Lookups, s: Spell): 'inserted' | 'updated' | 'unchanged' {
  const e = s.employment;
  const before = lookups.spell(e.personId, e.startMonth);
  if (!before) {
    writes.addEmployment({ ...e, note: s.keptChannel ? noteWithChannel(null, s.keptChannel) : null });
    return 'inserted';
  }
  const next: Required<Omit<EmploymentChanges, 'job' | 'startMonth'>> = {
    channel: e.channel ?? before.channel,
    place: e.place ?? before.place,
    employer: e.employer ?? before.employer,
    industry: e.industry ?? before.industry,
    endMonth: e.endMonth ?? before.endMonth,
    monthlyIncomeFen: e.monthlyIncomeFen ?? before.monthlyIncomeFen,
    pointToPoint: e.pointToPoint ?? before.pointToPoint,
    transportSubsidyFen: e.transportSubsidyFen ?? before.transportSubsidyFen,
    note: s.keptChannel ? noteWithChannel(before.note, s.keptChannel) : before.note,
  };
  if ((Object.keys(next) as (keyof typeof next)[]).every((k) => next[k] === before[k])) return 'unchanged';
  writes.updateEmployment(before.id, next);
  return 'updated';
}

// ── 计划外出务工信息 ──────────────────────────────────────────────────────────────────────────────────────────

function importPlan(
  row: DataRow,
  lookups: Lookups,
  writes: EmploymentWrites,
  seen: Map<string, number>,
  defaultMonth: string,
): Outcome {
  // A row stating neither whether the person plans to work nor a need describes nothing to import.
  if (!clean(row.get('planned')) && !clean(row.get('serviceNeed'))) return 'skipped';
  const person = readPerson(row, lookups);
  const given = readMonth(row, 'month', WorkPlanInput.shape.month);
  const month = given === null ? defaultMonth : given;
  const planned = optionalYesNo(row, 'planned');
  const serviceNeed = row.value('serviceNeed', WorkPlanInput.shape.serviceNeed);
  if (person && month) {
    const key = `${person.id}|${month}`;
    const first = seen.get(key);
    if (first !== undefined) row.err('idNumber', `与第 ${first} 行是同一人同一月份的务工计划`);
    else seen.set(key, row.row);
  }
  if (row.errors.length || !person || !month) return 'rejected';
  const before = lookups.plan(person.id, month);
  if (!before) {
    writes.addWorkPlan({ personId: person.id, month, planned, serviceNeed });
    return 'inserted';
  }
  const next: Required<WorkPlanChanges> = {
    planned: planned ?? before.planned,
    serviceNeed: serviceNeed ?? before.serviceNeed,
  };
  if (next.planned === before.planned && next.serviceNeed === before.serviceNeed) return 'unchanged';
  writes.updateWorkPlan(before.id, next);
  return 'updated';
}
