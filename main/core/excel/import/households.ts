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
import { ID_PROBLEM_TEXT, idNumberInfo, idNumberProblem, normalizeIdNumber } from '../../../../shared/idnumber.ts';
import { RELATION_GENDER } from '../../../../shared/catalogs.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, idText, parseInt0, parseYesNo } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader } from './rows.ts';

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
  const { raw } = conn;
  const errors: ImportError[] = [];
  const header = findHeader(table.rows, HOUSEHOLD_SYNONYMS, REQUIRED, overrides);
  if (!header) return noHeader(table, '「姓名」和「证件号码/身份证号」');
  const villages = new Map(
    (raw.prepare('SELECT id, name FROM village').all() as { id: number; name: string }[]).map((v) => [v.name, v.id]),
  );
  const onlyVillage = villages.size === 1 ? [...villages.values()][0]! : null;
  const col = header.columns;
  const label = (f: string) => (col[f] !== undefined ? (header.labels[col[f]] ?? f) : f);
  const households = new Map<string, HouseholdRec>();
  const seenIds = new Map<string, number>();
  let read = 0;
  let rejected = 0;
  let lastHeadKey: string | null = null;

  for (const row of dataRows(table, header)) {
    read += 1;
    const { get, err, row: rowNo, errors: rowErrors } = row;

    let idNumber = '';
    try {
      idNumber = normalizeIdNumber(idText(get('idNumber'), row.numeric('idNumber')));
      const problem = idNumberProblem(idNumber, today);
      if (problem) err('idNumber', `身份证号${ID_PROBLEM_TEXT[problem]}`);
    } catch (e) {
      err('idNumber', (e as Error).message);
    }
    const name = clean(get('name'));
    if (!name) err('name', '姓名不能为空');
    else row.value('name', P.name);
    if (clean(get('relation')) === '') err('relation', `${label('relation')}不能为空`);
    const relation = row.value('relation', P.relation);
    const fields: PersonFields = {
      ethnicity: row.value('ethnicity', P.ethnicity),
      education: row.value('education', P.education),
      schoolStatus: row.value('schoolStatus', P.schoolStatus),
      health: row.value('health', P.health),
      labourCapacity: row.value('labourCapacity', P.labourCapacity),
    };
    try {
      const m = parseInt0(get('workMonths'));
      fields.workMonths = m === null ? null : row.value('workMonths', P.workMonths, m);
    } catch (e) {
      err('workMonths', (e as Error).message);
    }
    for (const f of ['seriousIllnessIns', 'medResident', 'medEmployee'] as const) {
      if (col[f] === undefined) continue;
      try {
        fields[f] = parseYesNo(get(f));
      } catch (e) {
        err(f, (e as Error).message);
      }
    }
    fields.phone = row.value('phone', P.phone);
    const hhPhone = row.value('hhPhone', H.phone);
    const hhType = row.value('hhType', H.hhType);
    const villageName = clean(get('village'));
    const villageId = villageName ? (villages.get(villageName) ?? null) : onlyVillage;
    if (villageName && villageId === null)
      err('village', `行政村「${villageName}」不在本乡镇的村名单中，请先在“设置”中添加`);
    if (!villageName && villageId === null) err('village', '未填行政村（本乡镇有多个村时必填）');

    let gender: '男' | '女' = '男';
    let birthDate = '';
    if (!rowErrors.some((e) => e.column === label('idNumber'))) {
      const info = idNumberInfo(idNumber);
      gender = info.gender;
      birthDate = info.birthDate;
      const given = clean(get('gender'));
      if (given && given !== gender) err('gender', `性别与身份证号不符：身份证号显示为${gender}性`);
      const implied = relation && RELATION_GENDER[relation as keyof typeof RELATION_GENDER];
      if (implied && implied !== gender) err('relation', `与户主关系“${relation}”与性别（${gender}）不符`);
      const dup = seenIds.get(idNumber);
      if (dup !== undefined) err('idNumber', `与第 ${dup} 行的身份证号重复`);
    }
    if (rowErrors.length) {
      errors.push(...rowErrors);
      rejected += 1;
      continue;
    }
    seenIds.set(idNumber, rowNo);
    const hhNo = clean(get('hhNo')) || null;
    if (!hhNo && relation === '户主') lastHeadKey = `row:${rowNo}`;
    const key = hhNo ?? lastHeadKey ?? `row:${rowNo}`;
    const h = households.get(key) ?? { key, hhNo, villageId: villageId!, hhType, phone: hhPhone, persons: [] };
    h.hhType ??= hhType;
    h.phone ??= hhPhone;
    h.persons.push({ row: rowNo, idNumber, name, relation: relation!, gender, birthDate, fields });
    households.set(key, h);
  }

  // Writes (the caller runs this inside one transaction): the same register writes as the household forms.
  const register = new Register(conn, now);
  const findHh = raw.prepare(
    'SELECT id, village_id AS villageId, hh_type AS hhType, phone FROM household WHERE hh_no = ?',
  );
  // Two simple lookups: the joined form measured ten times slower per call on 100,000 rows.
  const personById = raw.prepare('SELECT * FROM person WHERE id_number = ?');
  const hhNoOf = raw.prepare('SELECT hh_no AS hhNo FROM household WHERE id = ?');
  const findPerson = {
    get(idNumber: string) {
      const p = personById.get(idNumber) as
        (Record<string, unknown> & { id: number; household_id: number }) | undefined;
      return p ? { ...p, hhNo: (hhNoOf.get(p.household_id) as { hhNo: string | null }).hhNo } : undefined;
    },
  };
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;

  for (const h of households.values()) {
    // Persons already registered in another household cannot be moved by an import.
    const existing = h.persons.map(
      (p) =>
        findPerson.get(p.idNumber) as
          (Record<string, unknown> & { id: number; household_id: number; hhNo: string | null }) | undefined,
    );
    let householdId: number | null = null;
    let householdChanged = false;
    const found = h.hhNo
      ? (findHh.get(h.hhNo) as { id: number; villageId: number; hhType: string; phone: string | null } | undefined)
      : undefined;
    const viaPerson = existing.find((e) => e)?.household_id ?? null;
    if (found) {
      householdId = found.id;
      const next = { villageId: h.villageId, hhType: h.hhType ?? found.hhType, phone: h.phone ?? found.phone };
      if (next.villageId !== found.villageId || next.hhType !== found.hhType || next.phone !== found.phone) {
        register.updateHousehold(found.id, next);
        householdChanged = true;
      }
    } else if (!h.hhNo && viaPerson !== null) {
      householdId = viaPerson;
    }
    h.persons.forEach((p, i) => {
      const e = existing[i];
      if (e && householdId !== null && e.household_id !== householdId) {
        errors.push({
          sheet: table.sheet,
          row: p.row,
          column: label('idNumber'),
          value: p.idNumber,
          message: `该身份证号已登记在其他户（户编号 ${e.hhNo ?? e.household_id}），导入不会移动人员`,
        });
        rejected += 1;
        p.row = -1;
      }
    });
    const persons = h.persons.filter((p) => p.row !== -1);
    if (persons.length === 0) continue;
    if (householdId === null) {
      const hhType = h.hhType ?? '一般农户';
      householdId = register.addHousehold(
        {
          hhNo: h.hhNo,
          villageId: h.villageId,
          phone: h.phone,
          hhType,
          exitedPoverty: hhType !== '一般农户' ? 1 : 0,
          dibao: 0,
          tekun: 0,
          doudi: 0,
          militaryFamily: 0,
        },
        today,
      );
      householdChanged = true;
    }
    persons.forEach((p) => {
      const e = existing[h.persons.indexOf(p)];
      if (!e) {
        register.addPerson({
          householdId: householdId,
          idNumber: p.idNumber,
          name: p.name,
          relation: p.relation,
          gender: p.gender,
          ethnicity: p.fields.ethnicity,
          education: p.fields.education,
          schoolStatus: p.fields.schoolStatus,
          health: p.fields.health,
          labourCapacity: p.fields.labourCapacity,
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
        inserted += 1;
        return;
      }
      const changes: PersonChanges = {};
      if (e.name !== p.name) changes.name = p.name;
      if (e.relation !== p.relation) changes.relation = p.relation;
      for (const f of PERSON_FIELDS) {
        const v = p.fields[f];
        if (v === undefined || v === null) continue;
        if (e[COLUMN_OF[f]] !== v) Object.assign(changes, { [f]: v });
      }
      if (Object.keys(changes).length) {
        register.updatePerson(e.id, changes);
        updated += 1;
      } else if (householdChanged) updated += 1;
      else unchanged += 1;
    });
  }
  return { read, inserted, updated, unchanged, rejected, errors: byRow(errors) };
}
