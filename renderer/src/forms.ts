/** Field lists for the dialogs; labels match the national forms. */
import * as C from '../../shared/catalogs.ts';
import { CASE_STATUSES } from '../../shared/workflow.ts';
import type { Field, FormOf } from './fields.ts';

type Opt = { value: number; label: string };

export type HouseholdForm = FormOf<'household.create'>;
export type PersonForm = FormOf<'person.create', 'householdId'>;
export type StatusChangeForm = FormOf<'person.changeStatus', 'personId'>;
/** A new case (or a re-flag): risk types are picked as a multi-select and sent as the contract's risk list. */
export type CaseForm = Omit<FormOf<'case.create', 'householdId'>, 'risks'> & { riskTypes: C.RiskType[] };

export const householdFields = (villages: Opt[]): Field<HouseholdForm>[] => [
  { key: 'villageId', label: '行政村', kind: 'select', options: villages, required: true },
  { key: 'hhNo', label: '户编号' },
  { key: 'hhType', label: '户类型', kind: 'select', options: C.HOUSEHOLD_TYPES, required: true },
  { key: 'phone', label: '联系电话' },
  { key: 'address', label: '家庭住址', wide: true },
  { key: 'exitedPoverty', label: '已脱贫', kind: 'check' },
  { key: 'exitYear', label: '脱贫年度', kind: 'number' },
  { key: 'dibao', label: '低保户', kind: 'known' },
  { key: 'tekun', label: '特困供养户', kind: 'known' },
  { key: 'doudi', label: '兜底保障户', kind: 'known' },
  { key: 'militaryFamily', label: '军烈属', kind: 'known' },
  { key: 'establishedOn', label: '立户日期', kind: 'date' },
  { key: 'note', label: '备注', kind: 'textarea' },
];

export const personFields: Field<PersonForm>[] = [
  { key: 'idNumber', label: '身份证号', required: true },
  { key: 'name', label: '姓名', required: true },
  { key: 'relation', label: '与户主关系', kind: 'select', options: C.RELATIONS, required: true },
  { key: 'ethnicity', label: '民族', kind: 'select', options: C.ETHNICITIES },
  { key: 'politics', label: '政治面貌', kind: 'select', options: C.POLITICAL_STATUSES },
  { key: 'education', label: '文化程度', kind: 'select', options: C.EDUCATION_LEVELS },
  { key: 'schoolStatus', label: '在校生状况', kind: 'select', options: C.SCHOOL_STATUSES },
  { key: 'health', label: '健康状况', kind: 'select', options: C.HEALTH_STATUSES },
  { key: 'disabilityCategory', label: '残疾类别', kind: 'select', options: C.DISABILITY_CATEGORIES },
  { key: 'disabilityGrade', label: '残疾等级', kind: 'select', options: C.DISABILITY_GRADES },
  { key: 'labourCapacity', label: '劳动技能', kind: 'select', options: C.LABOUR_CAPACITIES },
  { key: 'workMonths', label: '务工时间（月）', kind: 'number' },
  { key: 'workPlace', label: '务工地点' },
  { key: 'phone', label: '联系电话' },
  { key: 'medResident', label: '城乡居民基本医疗保险', kind: 'known' },
  { key: 'medEmployee', label: '职工基本医疗保险', kind: 'known' },
  { key: 'seriousIllnessIns', label: '大病保险', kind: 'known' },
  { key: 'pensionResident', label: '城乡居民基本养老保险', kind: 'known' },
  { key: 'pensionEmployee', label: '职工基本养老保险', kind: 'known' },
  { key: 'dibao', label: '享受低保', kind: 'known' },
  { key: 'dibaoScope', label: '低保类型', kind: 'select', options: C.RELIEF_SCOPES },
  { key: 'tekun', label: '特困供养', kind: 'known' },
  { key: 'tekunScope', label: '特困供养类型', kind: 'select', options: C.RELIEF_SCOPES },
  { key: 'medicalAid', label: '接受医疗救助', kind: 'known' },
  { key: 'disabilityCert', label: '残疾人证号' },
  { key: 'postMonths', label: '公益性岗位（月数）', kind: 'number' },
];

export const personCreateFields: Field<PersonForm>[] = [
  ...personFields,
  { key: 'joinKind', label: '增加方式', kind: 'select', options: C.PERSON_JOIN_KINDS },
  { key: 'joinedOn', label: '加入日期', kind: 'date' },
];

export const statusChangeFields: Field<StatusChangeForm>[] = [
  { key: 'kind', label: '变动类型', kind: 'select', options: C.PERSON_LEAVE_KINDS, required: true },
  { key: 'effectiveDate', label: '变动日期', kind: 'date', required: true },
  { key: 'note', label: '说明', kind: 'textarea' },
];

export const caseCreateFields: Field<CaseForm>[] = [
  { key: 'category', label: '监测对象类别', kind: 'select', options: C.MONITORING_CATEGORIES, required: true },
  { key: 'channel', label: '发现渠道', kind: 'select', options: C.DISCOVERY_CHANNELS, required: true },
  { key: 'channelDetail', label: '渠道说明' },
  { key: 'clueDate', label: '线索登记日期', kind: 'date', required: true },
  { key: 'riskTypes', label: '致贫（返贫）风险（最多5项）', kind: 'multi', options: C.RISK_TYPES, required: true },
  { key: 'actor', label: '登记人' },
  { key: 'note', label: '备注', kind: 'textarea' },
];

/** The multi-select of risk types becomes the contract's risk list. */
export function withRisks({ riskTypes, ...rest }: CaseForm): FormOf<'case.create', 'householdId'> {
  return { ...rest, risks: riskTypes.map((riskType) => ({ riskType })) };
}

export const CASE_STATUS_OPTIONS = CASE_STATUSES;
