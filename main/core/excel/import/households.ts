/**
 * Import of households with their members from the national person-level layout (one row per person, grouped
 * by 户编号; the T1 roster this app exports has the same columns). Upsert by 户编号 and ID number: importing
 * the same file again changes nothing. Every input row is either taken or listed with sheet, row, column,
 * value and reason.
 */
import { HouseholdInput, isPhoneNumber, PersonInput } from '../../../../shared/schemas.ts';
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
import { idText, parseInt0, parseRelief, parseYesNo } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader, type DataRow } from './rows.ts';
import { unknownVillage, villageNames, type VillageNames } from './village-names.ts';
import { following, takingAll, type ChangeSink } from './changes.ts';
import { FIELD_LABELS } from '../../../../shared/labels.ts';

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
  workPlace: ['务工所在地', '务工地点'],
  politics: ['政治面貌'],
  seriousIllnessIns: ['是否参加大病保险', '大病保险', '参加大病医疗'],
  medResident: [
    '是否参加城乡居民基本医疗保险',
    '是否参加新型农村合作医疗(城乡居民基本医疗保险)',
    '城乡居民基本医疗保险',
    '居民医保',
  ],
  medEmployee: ['是否参加城镇职工基本医疗保险', '职工基本医疗保险', '职工医保'],
  pensionResident: ['是否参加城乡居民基本养老保险', '城乡居民基本养老保险'],
  pensionEmployee: ['是否参加城镇职工基本养老保险', '职工基本养老保险'],
  medicalAid: ['是否接受医疗救助'],
  dibao: ['享受低保政策情况', '是否享受低保', '低保'],
  tekun: ['享受特困供养政策情况', '是否特困供养人员', '特困供养'],
  postMonths: ['公益性岗位(月数)'],
  hhType: ['户类型', '脱贫属性'],
  doudi: ['整户无劳动能力兜底保障户'],
  hhPhone: ['户联系电话', '联系电话'],
  phone: ['人联系电话', '成员联系电话', '家庭成员联系电话', '本人联系电话'],
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
  /** 整户无劳动能力兜底保障户; undefined when the file has no such column. */
  doudi: 0 | 1 | null | undefined;
  persons: PersonRec[];
}

/** Catalog fields a row may carry; a value outside the catalog drops that value (with a warning), not the row. */
const LABEL_FIELDS = [
  'ethnicity',
  'politics',
  'education',
  'schoolStatus',
  'health',
  'labourCapacity',
  'disabilityCategory',
  'disabilityGrade',
] as const;
const FLAG_FIELDS = [
  'seriousIllnessIns',
  'medResident',
  'medEmployee',
  'pensionResident',
  'pensionEmployee',
  'medicalAid',
] as const;
const PERSON_FIELDS = [
  ...LABEL_FIELDS,
  ...FLAG_FIELDS,
  'workMonths',
  'workPlace',
  'postMonths',
  'dibao',
  'dibaoScope',
  'tekun',
  'tekunScope',
  'disabilityCert',
  'phone',
] as const;
/** The stored column of each field (rows are read raw, in snake_case). */
const COLUMN_OF = Object.fromEntries(
  PERSON_FIELDS.map((f) => [f, f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]),
) as Record<(typeof PERSON_FIELDS)[number], string>;
const P = PersonInput.shape;
const H = HouseholdInput.shape;

export function importHouseholds(
  conn: Connection,
  table: Table,
  today: string,
  now: string,
  overrides: Record<string, number> = {},
  options: { createVillages?: boolean; sink?: ChangeSink } = {},
): ImportResult {
  const header = findHeader(table.rows, HOUSEHOLD_SYNONYMS, REQUIRED, overrides);
  if (!header) return noHeader(table, '「姓名」和「证件号码/身份证号」');
  const warnings: ImportError[] = [];
  const villages = villageNames(conn, { create: !!options.createVillages, now });
  const read = readHouseholds(table, header, today, warnings, villages);
  const written = writeHouseholds(conn, read.households, today, now, options.sink ?? takingAll());
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
    warnings,
    villagesCreated: villages.created,
  };
}

interface RowContext {
  today: string;
  villages: VillageNames;
  seenIds: Map<string, number>;
  /** Whether the file has the column (a flag column absent from the file leaves the stored value alone). */
  has: (field: string) => boolean;
}

/** Reads and checks every row, grouping the persons into households (by 户编号, else under the last 户主). */
function readHouseholds(
  table: Table,
  header: HeaderMatch,
  today: string,
  warnings: ImportError[],
  villages: VillageNames,
) {
  const context: RowContext = {
    today,
    villages,
    seenIds: new Map(),
    has: (f) => header.columns[f] !== undefined,
  };
  const households = new Map<string, HouseholdRec>();
  const errors: ImportError[] = [];
  let rows = 0;
  let rejected = 0;
  let lastHeadKey: string | null = null;
  // A household's rows usually follow one another: the previous row's household is taken without a lookup.
  let last: HouseholdRec | undefined;
  for (const row of dataRows(table, header, warnings)) {
    rows += 1;
    const person = readPerson(row, context);
    if (!person) {
      errors.push(...row.errors);
      rejected += 1;
      continue;
    }
    const { rec, hhNo, villageId, hhType, hhPhone, doudi } = person;
    if (!hhNo && rec.relation === '户主') lastHeadKey = `row:${rec.row}`;
    const key = hhNo ?? lastHeadKey ?? `row:${rec.row}`;
    let h = last?.key === key ? last : households.get(key);
    if (!h) households.set(key, (h = { key, hhNo, villageId, hhType, phone: hhPhone, doudi, persons: [] }));
    last = h;
    h.hhType ??= hhType;
    h.phone ??= hhPhone;
    h.doudi ??= doudi;
    h.persons.push(rec);
  }
  return { households: [...households.values()], errors, rows, rejected };
}

/** One row: the person and what it says about the household, or null when the row has errors (recorded on it). */
function readPerson(row: DataRow, c: RowContext) {
  const { get, err } = row;
  let idNumber = '';
  let certificate: ReturnType<typeof splitDisabilityCertificate> = null;
  let cert: string | null = null;
  try {
    idNumber = normalizeIdNumber(idText(get('idNumber'), row.numeric('idNumber')));
    // A 残疾人证 number: the person is identified by the ID inside it; its digits state category and grade.
    certificate = splitDisabilityCertificate(idNumber);
    if (certificate) {
      cert = idNumber;
      idNumber = certificate.idNumber;
    }
    const problem = idNumberProblem(idNumber, c.today);
    if (problem) err('idNumber', `身份证号${ID_PROBLEM_TEXT[problem]}`);
  } catch (e) {
    err('idNumber', (e as Error).message);
  }
  const name = row.text('name');
  if (!name) err('name', '姓名不能为空');
  else if (plainText(row, 'name', isPlainName) === undefined) row.value('name', P.name);
  if (row.text('relation') === '') err('relation', `${row.label('relation')}不能为空`);
  const relation = row.value('relation', P.relation);
  const fields = readPersonFields(row, c);
  if (certificate) {
    fields.disabilityCategory ??= certificate.category;
    fields.disabilityGrade ??= certificate.grade;
    fields.disabilityCert = cert;
  }
  const hhPhone = plainText(row, 'hhPhone', isPhoneNumber) ?? row.value('hhPhone', H.phone);
  const hhType = row.value('hhType', H.hhType);
  let doudi: 0 | 1 | null | undefined;
  if (c.has('doudi'))
    try {
      doudi = row.text('doudi') === '' ? null : parseYesNo(get('doudi'));
    } catch (e) {
      row.err('doudi', (e as Error).message);
    }
  const villageName = row.text('village');
  const villageId = villageName ? c.villages.resolve(villageName) : c.villages.only;
  if (villageName && villageId === null) err('village', unknownVillage(villageName));
  if (!villageName && villageId === null) err('village', '未填行政村（本乡镇有多个村时必填）');

  let gender: '男' | '女' = '男';
  let birthDate = '';
  if (!hasError(row, 'idNumber')) {
    const info = idNumberInfo(idNumber);
    gender = info.gender;
    birthDate = info.birthDate;
    const given = row.text('gender');
    if (given && given !== gender) err('gender', `性别与身份证号不符：身份证号显示为${gender}性`);
    const implied = relation && RELATION_GENDER[relation as keyof typeof RELATION_GENDER];
    if (implied && implied !== gender) err('relation', `与户主关系“${relation}”与性别（${gender}）不符`);
    const dup = c.seenIds.get(idNumber);
    if (dup !== undefined) err('idNumber', `与第 ${dup} 行的身份证号重复`);
  }
  const hhNo = row.value('hhNo', H.hhNo);
  if (row.errors.length) return null;
  c.seenIds.set(idNumber, row.row);
  const rec: PersonRec = { row: row.row, idNumber, name, relation: relation!, gender, birthDate, fields };
  return { rec, hhNo, villageId: villageId!, hhType, hhPhone, doudi };
}

/**
 * The field's text when it is a text cell that its schema would take unchanged (`plain` says which cleaned texts
 * are), else undefined and the caller asks the schema (and gets its messages). Names and phones differ on every
 * row: zod's few microseconds per value came to a tenth of the row checks. tests/excel/import-plain.test.ts
 * holds the schemas to this.
 */
function plainText(row: DataRow, field: string, plain: (text: string) => boolean): string | undefined {
  if (typeof row.get(field) !== 'string') return undefined;
  const text = row.text(field);
  return plain(text) ? text : undefined;
}

/** A cleaned (so trimmed) name within the name schema's length: the schema returns it as it is. */
const isPlainName = (text: string) => text.length >= (P.name.minLength ?? 0) && text.length <= (P.name.maxLength ?? 0);

/** Whether the row has an error in the field's column so far. */
function hasError(row: DataRow, field: string): boolean {
  if (row.errors.length === 0) return false;
  const column = row.label(field);
  return row.errors.some((e) => e.column === column);
}

const OPTIONAL = { optional: true } as const;
const LABEL_SCHEMAS = LABEL_FIELDS.map((f) => [f, P[f]] as const);
const MONTH_FIELDS = ['workMonths', 'postMonths'] as const;
const RELIEF_FIELDS = [
  ['dibao', 'dibaoScope'],
  ['tekun', 'tekunScope'],
] as const;

/**
 * A person's fields with every key present from the start (undefined: the row says nothing), so that 100,000
 * records share one object shape and are copied into the insert quickly. Undefined and absent mean the same to
 * the writes.
 */
function noFields(): PersonFields {
  const every: { [K in keyof Required<PersonFields>]: undefined } = {
    ethnicity: undefined,
    politics: undefined,
    education: undefined,
    schoolStatus: undefined,
    health: undefined,
    labourCapacity: undefined,
    disabilityCategory: undefined,
    disabilityGrade: undefined,
    seriousIllnessIns: undefined,
    medResident: undefined,
    medEmployee: undefined,
    pensionResident: undefined,
    pensionEmployee: undefined,
    medicalAid: undefined,
    workMonths: undefined,
    workPlace: undefined,
    postMonths: undefined,
    dibao: undefined,
    dibaoScope: undefined,
    tekun: undefined,
    tekunScope: undefined,
    disabilityCert: undefined,
    phone: undefined,
  };
  return every;
}

function readPersonFields(row: DataRow, c: RowContext): PersonFields {
  const fields = noFields();
  fields.phone = plainText(row, 'phone', isPhoneNumber) ?? row.value('phone', P.phone);
  fields.workPlace = row.value('workPlace', P.workPlace);
  // Each field's value comes from its own schema (TypeScript cannot correlate the key across the loop).
  const loose = fields as Record<string, unknown>;
  // Indexed rather than destructured: destructuring a pair per field and row showed in the profile.
  for (const pair of LABEL_SCHEMAS) loose[pair[0]] = row.value(pair[0], pair[1], undefined, OPTIONAL);
  for (const f of MONTH_FIELDS)
    try {
      const m = parseInt0(row.get(f));
      fields[f] = m === null ? null : row.value(f, P[f], m);
    } catch (e) {
      row.err(f, (e as Error).message);
    }
  // A blank cell in a flag column says nothing either: only 是/否 are taken.
  for (const f of FLAG_FIELDS) {
    if (!c.has(f) || row.text(f) === '') continue;
    try {
      fields[f] = parseYesNo(row.get(f));
    } catch (e) {
      row.err(f, (e as Error).message);
    }
  }
  for (const pair of RELIEF_FIELDS) {
    const f = pair[0];
    const scope = pair[1];
    try {
      const relief = c.has(f) ? parseRelief(row.get(f)) : null;
      if (relief) {
        fields[f] = relief.on;
        if (relief.scope) fields[scope] = relief.scope;
      }
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
function writeHouseholds(conn: Connection, households: HouseholdRec[], today: string, now: string, sink: ChangeSink) {
  const register = new Register(conn, now);
  const findHh = conn.raw.prepare(
    'SELECT id, village_id AS villageId, hh_type AS hhType, phone, doudi FROM household WHERE hh_no = ?',
  );
  // Two simple lookups: the joined form measured ten times slower per call on 100,000 rows.
  const personById = conn.raw.prepare('SELECT * FROM person WHERE id_number = ?');
  const hhNoOf = conn.raw.prepare('SELECT hh_no AS hhNo FROM household WHERE id = ?');
  // A register empty before the import holds nobody from the file (its ID numbers and 户编号 are unique within
  // it): a first import into a new ledger skips 100,000 lookups that cannot find anything.
  const anyPerson = !!conn.raw.prepare('SELECT 1 FROM person LIMIT 1').get();
  const anyHhNo = !!conn.raw.prepare('SELECT 1 FROM household WHERE hh_no IS NOT NULL LIMIT 1').get();
  const findPerson = (idNumber: string): Stored | undefined => {
    const p = anyPerson ? (personById.get(idNumber) as StoredRow | undefined) : undefined;
    return p ? { ...p, hhNo: (hhNoOf.get(p.household_id) as { hhNo: string | null }).hhNo } : undefined;
  };
  const follow = following(sink);
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  const moved: { person: PersonRec; hhNo: string | number }[] = [];

  for (const h of households) {
    const existing = h.persons.map((p) => findPerson(p.idNumber));
    let householdChanged = false;
    const head = h.persons.find((p) => p.relation === '户主') ?? h.persons[0]!;
    const group = `${head.name}户${h.hhNo ? `（${h.hhNo}）` : ''}`;
    const hhKey = h.hhNo ?? head.idNumber;
    sink.seen?.('农户', hhKey);
    for (const p of h.persons) sink.seen?.('人员', p.idNumber);
    const found =
      h.hhNo && anyHhNo
        ? (findHh.get(h.hhNo) as
            { id: number; villageId: number; hhType: string; phone: string | null; doudi: 0 | 1 | null } | undefined)
        : undefined;
    let householdId: number | null = found?.id ?? null;
    if (found) {
      const proposed = {
        villageId: h.villageId,
        hhType: h.hhType ?? found.hhType,
        phone: h.phone ?? found.phone,
        doudi: h.doudi ?? found.doudi,
      };
      const next: Partial<typeof proposed> = {};
      for (const f of Object.keys(proposed) as (keyof typeof proposed)[]) {
        if (proposed[f] === found[f]) continue;
        const change = {
          entity: '农户',
          key: hhKey,
          keyIsIdNumber: !h.hhNo,
          recordId: found.id,
          group,
          field: f,
        } as const;
        if (sink.take({ ...change, label: HOUSEHOLD_LABELS[f], ledger: found[f], national: proposed[f] }))
          Object.assign(next, { [f]: proposed[f] });
      }
      if (Object.keys(next).length) {
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
      const members = taken.map((p) => p.name).join('、');
      const change = {
        entity: '农户',
        key: hhKey,
        keyIsIdNumber: !h.hhNo,
        recordId: null,
        group,
        field: '*',
        label: '整户',
      } as const;
      if (!sink.take({ ...change, ledger: null, national: `${taken.length}人：${members}` })) continue;
      householdId = register.addHousehold(newHousehold(h), today);
      householdChanged = true;
    }
    const isNew = householdChanged && !found && existing.every((e) => !e);
    for (const p of taken) {
      const stored = existing[h.persons.indexOf(p)];
      const outcome = writePerson(register, householdId, p, stored, today, isNew ? follow : sink, group);
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
    doudi: h.doudi ?? null,
  };
}

const HOUSEHOLD_LABELS = { villageId: '行政村', hhType: '户类型', phone: '户联系电话', doudi: '兜底保障户' } as const;

/**
 * Adds the person, or updates what the row changes (a blank cell never clears a stored value); each change is
 * proposed to the sink first (a member of a household new to the ledger comes with the household).
 */
function writePerson(
  register: Register,
  householdId: number,
  p: PersonRec,
  stored: Stored | undefined,
  today: string,
  sink: ChangeSink,
  group: string,
): 'inserted' | 'updated' | 'unchanged' {
  const change = { entity: '人员', key: p.idNumber, keyIsIdNumber: true, recordId: stored?.id ?? null, group } as const;
  if (!stored) {
    if (!sink.take({ ...change, field: '*', label: '成员', ledger: null, national: `${p.name}（${p.relation}）` }))
      return 'unchanged';
    register.addPerson({
      // What the file does not carry is stored as not known. (The spread comes first: V8 then copies the
      // record's shape at once; its keys are none of the others.)
      ...p.fields,
      householdId,
      idNumber: p.idNumber,
      name: p.name,
      relation: p.relation,
      gender: p.gender,
      joinedOn: today,
    });
    return 'inserted';
  }
  const proposed: PersonChanges = {};
  if (stored.name !== p.name) proposed.name = p.name;
  if (stored.relation !== p.relation) proposed.relation = p.relation;
  for (const f of PERSON_FIELDS) {
    const v = p.fields[f];
    if (v === undefined || v === null) continue;
    if (stored[COLUMN_OF[f]] !== v) Object.assign(proposed, { [f]: v });
  }
  const changes: PersonChanges = {};
  for (const [f, v] of Object.entries(proposed)) {
    const ledger =
      f === 'name' || f === 'relation' ? stored[f] : stored[COLUMN_OF[f as (typeof PERSON_FIELDS)[number]]];
    if (sink.take({ ...change, field: f, label: FIELD_LABELS[f] ?? f, ledger, national: v }))
      Object.assign(changes, { [f]: v });
  }
  if (Object.keys(changes).length === 0) return 'unchanged';
  register.updatePerson(stored.id, changes);
  return 'updated';
}
