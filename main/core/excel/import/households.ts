/**
 * Import of households with their members from the national person-level layout (one row per person, grouped
 * by 户编号; the T1 roster this app exports has the same columns). Upsert by 户编号 and ID number: importing
 * the same file again changes nothing. Every input row is either taken or listed with sheet, row, column,
 * value and reason.
 */
import { HouseholdInput, PersonInput } from '../../../../shared/schemas.ts';
import type { Connection } from '../../db/query.ts';
import { Register, type NewHousehold, type NewPerson, type PersonChanges } from '../../domain/register.ts';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import {
  ID_PROBLEM_TEXT,
  idNumberInfo,
  idNumberProblem,
  normalizeIdNumber,
  splitDisabilityCertificate,
} from '../../../../shared/idnumber.ts';
import { RELATION_GENDER } from '../../../../shared/catalogs.ts';
import { findHeader, type HeaderMatch, type Synonyms } from './header.ts';
import { clean, idText, parseInt0, parseYesNo } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader, type DataRow } from './rows.ts';

export const HOUSEHOLD_SYNONYMS: Synonyms = {
  village: ['行政村', '所在行政村', '村', '行政村名称'],
  hhNo: ['户编号', '户号', '家庭户编号'],
  name: ['姓名', '成员姓名'],
  idNumber: ['证件号码', '身份证号', '身份证号码', '公民身份号码', '身份证件号码'],
  relation: ['与户主关系', '与户主的关系'],
  gender: ['性别'],
  ethnicity: ['民族'],
  education: ['文化程度', '学历'],
  schoolStatus: ['在校生状况', '在校生情况', '在校情况'],
  health: ['健康状况'],
  labourCapacity: ['劳动技能', '劳动能力'],
  disabilityCategory: ['残疾类别'],
  disabilityGrade: ['残疾等级'],
  workMonths: ['务工时间(月)', '务工时间', '务工月数', '务工时长(月)'],
  seriousIllnessIns: ['是否参加大病保险', '大病保险'],
  medResident: ['是否参加城乡居民基本医疗保险', '城乡居民基本医疗保险', '居民医保'],
  medEmployee: ['是否参加城镇职工基本医疗保险', '职工基本医疗保险', '职工医保'],
  hhType: ['户类型'],
  hhPhone: ['户联系电话', '联系电话'],
  phone: ['人联系电话', '成员联系电话', '本人联系电话'],
};
const REQUIRED = ['idNumber', 'name'] as const;

/** What a row says about a person beyond name, ID and relation; a flag column absent from the file stays undefined. */
type PersonFields = { [K in (typeof PERSON_FIELDS)[number]]?: NewPerson[K] | null };
interface PersonRec {
  row: number;
  idNumber: string;
  name: string;
  relation: NewPerson['relation'];
  gender: '男' | '女';
  birthDate: string;
  fields: PersonFields;
}
interface HouseholdRec {
  key: string;
  hhNo: string | null;
  villageId: number;
  hhType: NewHousehold['hhType'] | null;
  phone: string | null;
  persons: PersonRec[];
}

const PERSON_FIELDS = [
  'ethnicity',
  'education',
  'schoolStatus',
  'health',
  'labourCapacity',
  'disabilityCategory',
  'disabilityGrade',
  'workMonths',
  'seriousIllnessIns',
  'medResident',
  'medEmployee',
  'phone',
] as const;
const COLUMN_OF: Record<(typeof PERSON_FIELDS)[number], string> = {
  ethnicity: 'ethnicity',
  education: 'education',
  schoolStatus: 'school_status',
  health: 'health',
  labourCapacity: 'labour_capacity',
  disabilityCategory: 'disability_category',
  disabilityGrade: 'disability_grade',
  workMonths: 'work_months',
  seriousIllnessIns: 'serious_illness_ins',
  medResident: 'med_resident',
  medEmployee: 'med_employee',
  phone: 'phone',
};
const P = PersonInput.shape;
const H = HouseholdInput.shape;

export function importHouseholds(
  conn: Connection,
  table: Table,
  today: string,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, HOUSEHOLD_SYNONYMS, REQUIRED, overrides);
  if (!header) return noHeader(table, '「姓名」和「证件号码/身份证号」');
  const read = readHouseholds(conn, table, header, today);
  const written = writeHouseholds(conn, read.households, today, now);
  const label = (f: string) => (header.columns[f] !== undefined ? (header.labels[header.columns[f]] ?? f) : f);
  const moved: ImportError[] = written.moved.map(({ person, hhNo }) => ({
    sheet: table.sheet,
    row: person.row,
    column: label('idNumber'),
    value: person.idNumber,
    message: `该身份证号已登记在其他户（户编号 ${hhNo}），导入不会移动人员`,
  }));
  return {
    read: read.rows,
    inserted: written.inserted,
    updated: written.updated,
    unchanged: written.unchanged,
    rejected: read.rejected + moved.length,
    errors: byRow([...read.errors, ...moved]),
  };
}

interface RowContext {
  today: string;
  villages: Map<string, number>;
  onlyVillage: number | null;
  seenIds: Map<string, number>;
  /** Whether the file has the column (a flag column absent from the file leaves the stored value alone). */
  has: (field: string) => boolean;
}

/** Reads and checks every row, grouping the persons into households (by 户编号, else under the last 户主). */
function readHouseholds(conn: Connection, table: Table, header: HeaderMatch, today: string) {
  const villages = new Map(
    (conn.raw.prepare('SELECT id, name FROM village').all() as { id: number; name: string }[]).map((v) => [
      v.name,
      v.id,
    ]),
  );
  const context: RowContext = {
    today,
    villages,
    onlyVillage: villages.size === 1 ? [...villages.values()][0]! : null,
    seenIds: new Map(),
    has: (f) => header.columns[f] !== undefined,
  };
  const households = new Map<string, HouseholdRec>();
  const errors: ImportError[] = [];
  let rows = 0;
  let rejected = 0;
  let lastHeadKey: string | null = null;
  for (const row of dataRows(table, header)) {
    rows += 1;
    const person = readPerson(row, context);
    if (!person) {
      errors.push(...row.errors);
      rejected += 1;
      continue;
    }
    const { rec, hhNo, villageId, hhType, hhPhone } = person;
    if (!hhNo && rec.relation === '户主') lastHeadKey = `row:${rec.row}`;
    const key = hhNo ?? lastHeadKey ?? `row:${rec.row}`;
    const h = households.get(key) ?? { key, hhNo, villageId, hhType, phone: hhPhone, persons: [] };
    h.hhType ??= hhType;
    h.phone ??= hhPhone;
    h.persons.push(rec);
    households.set(key, h);
  }
  return { households: [...households.values()], errors, rows, rejected };
}

/** One row: the person and what it says about the household, or null when the row has errors (recorded on it). */
function readPerson(row: DataRow, c: RowContext) {
  const { get, err } = row;
  let idNumber = '';
  let certificate: ReturnType<typeof splitDisabilityCertificate> = null;
  try {
    idNumber = normalizeIdNumber(idText(get('idNumber'), row.numeric('idNumber')));
    // A 残疾人证 number: the person is identified by the ID inside it; its digits state category and grade.
    certificate = splitDisabilityCertificate(idNumber);
    if (certificate) idNumber = certificate.idNumber;
    const problem = idNumberProblem(idNumber, c.today);
    if (problem) err('idNumber', `身份证号${ID_PROBLEM_TEXT[problem]}`);
  } catch (e) {
    err('idNumber', (e as Error).message);
  }
  const name = clean(get('name'));
  if (!name) err('name', '姓名不能为空');
  else row.value('name', P.name);
  if (clean(get('relation')) === '') err('relation', `${row.label('relation')}不能为空`);
  const relation = row.value('relation', P.relation);
  const fields = readPersonFields(row, c);
  if (certificate) {
    fields.disabilityCategory ??= certificate.category;
    fields.disabilityGrade ??= certificate.grade;
  }
  const hhPhone = row.value('hhPhone', H.phone);
  const hhType = row.value('hhType', H.hhType);
  const villageName = clean(get('village'));
  const villageId = villageName ? (c.villages.get(villageName) ?? null) : c.onlyVillage;
  if (villageName && villageId === null)
    err('village', `行政村「${villageName}」不在本乡镇的村名单中，请先在“设置”中添加`);
  if (!villageName && villageId === null) err('village', '未填行政村（本乡镇有多个村时必填）');

  let gender: '男' | '女' = '男';
  let birthDate = '';
  if (!row.errors.some((e) => e.column === row.label('idNumber'))) {
    const info = idNumberInfo(idNumber);
    gender = info.gender;
    birthDate = info.birthDate;
    const given = clean(get('gender'));
    if (given && given !== gender) err('gender', `性别与身份证号不符：身份证号显示为${gender}性`);
    const implied = relation && RELATION_GENDER[relation as keyof typeof RELATION_GENDER];
    if (implied && implied !== gender) err('relation', `与户主关系“${relation}”与性别（${gender}）不符`);
    const dup = c.seenIds.get(idNumber);
    if (dup !== undefined) err('idNumber', `与第 ${dup} 行的身份证号重复`);
  }
  if (row.errors.length) return null;
  c.seenIds.set(idNumber, row.row);
  const rec: PersonRec = { row: row.row, idNumber, name, relation: relation!, gender, birthDate, fields };
  return { rec, hhNo: clean(get('hhNo')) || null, villageId: villageId!, hhType, hhPhone };
}

function readPersonFields(row: DataRow, c: RowContext): PersonFields {
  const fields: PersonFields = {
    ethnicity: row.value('ethnicity', P.ethnicity),
    education: row.value('education', P.education),
    schoolStatus: row.value('schoolStatus', P.schoolStatus),
    health: row.value('health', P.health),
    labourCapacity: row.value('labourCapacity', P.labourCapacity),
    disabilityCategory: row.value('disabilityCategory', P.disabilityCategory),
    disabilityGrade: row.value('disabilityGrade', P.disabilityGrade),
    phone: row.value('phone', P.phone),
  };
  try {
    const m = parseInt0(row.get('workMonths'));
    fields.workMonths = m === null ? null : row.value('workMonths', P.workMonths, m);
  } catch (e) {
    row.err('workMonths', (e as Error).message);
  }
  for (const f of ['seriousIllnessIns', 'medResident', 'medEmployee'] as const) {
    if (!c.has(f)) continue;
    try {
      fields[f] = parseYesNo(row.get(f));
    } catch (e) {
      row.err(f, (e as Error).message);
    }
  }
  return fields;
}

type StoredRow = Record<string, unknown> & { id: number; household_id: number };
type Stored = StoredRow & { hhNo: string | null };

/**
 * Writes the households (the caller runs this inside one transaction) through the same register writes as the
 * household forms. Persons already registered in another household are not moved: they come back in `moved`.
 */
function writeHouseholds(conn: Connection, households: HouseholdRec[], today: string, now: string) {
  const register = new Register(conn, now);
  const findHh = conn.raw.prepare(
    'SELECT id, village_id AS villageId, hh_type AS hhType, phone FROM household WHERE hh_no = ?',
  );
  // Two simple lookups: the joined form measured ten times slower per call on 100,000 rows.
  const personById = conn.raw.prepare('SELECT * FROM person WHERE id_number = ?');
  const hhNoOf = conn.raw.prepare('SELECT hh_no AS hhNo FROM household WHERE id = ?');
  const findPerson = (idNumber: string): Stored | undefined => {
    const p = personById.get(idNumber) as StoredRow | undefined;
    return p ? { ...p, hhNo: (hhNoOf.get(p.household_id) as { hhNo: string | null }).hhNo } : undefined;
  };
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const moved: { person: PersonRec; hhNo: string | number }[] = [];

  for (const h of households) {
    const existing = h.persons.map((p) => findPerson(p.idNumber));
    let householdChanged = false;
    const found = h.hhNo
      ? (findHh.get(h.hhNo) as { id: number; villageId: number; hhType: string; phone: string | null } | undefined)
      : undefined;
    let householdId: number | null = found?.id ?? null;
    if (found) {
      const next = { villageId: h.villageId, hhType: h.hhType ?? found.hhType, phone: h.phone ?? found.phone };
      if (next.villageId !== found.villageId || next.hhType !== found.hhType || next.phone !== found.phone) {
        register.updateHousehold(found.id, next);
        householdChanged = true;
      }
    } else if (!h.hhNo) {
      householdId = existing.find((e) => e)?.household_id ?? null;
    }
    const taken = h.persons.filter((p, i) => {
      const e = existing[i];
      if (e && householdId !== null && e.household_id !== householdId) {
        moved.push({ person: p, hhNo: e.hhNo ?? e.household_id });
        return false;
      }
      return true;
    });
    if (taken.length === 0) continue;
    if (householdId === null) {
      householdId = register.addHousehold(newHousehold(h), today);
      householdChanged = true;
    }
    for (const p of taken) {
      const outcome = writePerson(register, householdId, p, existing[h.persons.indexOf(p)], today);
      counts[outcome === 'unchanged' && householdChanged ? 'updated' : outcome] += 1;
    }
  }
  return { ...counts, moved };
}

function newHousehold(h: HouseholdRec): NewHousehold {
  const hhType = h.hhType ?? '一般农户';
  return {
    hhNo: h.hhNo,
    villageId: h.villageId,
    phone: h.phone,
    hhType,
    exitedPoverty: hhType !== '一般农户' ? 1 : 0,
    dibao: 0,
    tekun: 0,
    doudi: 0,
    militaryFamily: 0,
  };
}

/** Adds the person, or updates what the row changes (a blank cell never clears a stored value). */
function writePerson(
  register: Register,
  householdId: number,
  p: PersonRec,
  stored: Stored | undefined,
  today: string,
): 'inserted' | 'updated' | 'unchanged' {
  if (!stored) {
    register.addPerson({
      householdId,
      idNumber: p.idNumber,
      name: p.name,
      relation: p.relation,
      gender: p.gender,
      ethnicity: p.fields.ethnicity,
      education: p.fields.education,
      schoolStatus: p.fields.schoolStatus,
      health: p.fields.health,
      labourCapacity: p.fields.labourCapacity,
      disabilityCategory: p.fields.disabilityCategory,
      disabilityGrade: p.fields.disabilityGrade,
      workMonths: p.fields.workMonths,
      seriousIllnessIns: p.fields.seriousIllnessIns ?? 0,
      medResident: p.fields.medResident ?? 0,
      medEmployee: p.fields.medEmployee ?? 0,
      pensionResident: 0,
      pensionEmployee: 0,
      dibao: 0,
      tekun: 0,
      phone: p.fields.phone,
      joinedOn: today,
    });
    return 'inserted';
  }
  const changes: PersonChanges = {};
  if (stored.name !== p.name) changes.name = p.name;
  if (stored.relation !== p.relation) changes.relation = p.relation;
  for (const f of PERSON_FIELDS) {
    const v = p.fields[f];
    if (v === undefined || v === null) continue;
    if (stored[COLUMN_OF[f]] !== v) Object.assign(changes, { [f]: v });
  }
  if (Object.keys(changes).length === 0) return 'unchanged';
  register.updatePerson(stored.id, changes);
  return 'updated';
}
