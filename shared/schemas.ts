/**
 * zod input schemas for every operation of the contract (shared/api.ts). The same schemas validate the UI's
 * forms, the HTTP/IPC boundary and imports. Messages are Chinese; the dispatcher prefixes the field's label.
 */
import { z } from 'zod';
import * as C from './catalogs.ts';
import { isValidIsoDate, isValidMonth, todayIso } from './dates.ts';
import { ID_PROBLEM_TEXT, idNumberProblem, normalizeIdNumber, splitDisabilityCertificate } from './idnumber.ts';
import type { Flag, KnownFlag } from './types.ts';
import { ALL_STAGES } from './workflow.ts';

// Every message zod produces itself (types, ranges, formats) comes out in Simplified Chinese.
z.config(z.locales.zhCN());

// ---- building blocks ----------------------------------------------------------------------------------

export const isoDate = z.string().trim().refine(isValidIsoDate, { error: '日期应为有效日期，格式 YYYY-MM-DD' });
export const isoMonth = z.string().trim().refine(isValidMonth, { error: '月份格式应为 YYYY-MM' });
export const id = z.number().int().positive();
export const fen = z.number().int({ error: '金额应以分为单位的整数' });
export const flag = z.union([z.boolean(), z.literal(0), z.literal(1)]).transform((v): Flag => (v ? 1 : 0));
/** A yes/no the record may not state: null is "not known" and stays distinct from "no". */
export const knownFlag = z
  .union([z.boolean(), z.literal(0), z.literal(1), z.null()])
  .transform((v): KnownFlag => (v === null ? null : v ? 1 : 0));

/**
 * Characters nobody means to store in a ledger's text: control characters other than tab and line breaks (NUL,
 * BEL, ESC, DEL, the C1 range), zero-width and other invisible format characters (U+200B–U+200D, U+2060–U+2064,
 * U+FEFF, the soft hyphen, U+180E, U+FFF9–U+FFFB) and direction controls (U+200E/U+200F, U+202A–U+202E,
 * U+2066–U+2069, U+061C: a name with U+202E shows written backwards), and the line and paragraph separators
 * U+2028/U+2029 (which break JavaScript and JSON readers; they become ordinary line breaks). Every text schema
 * removes them before its length check, so forms and the API clean silently what imports clean with a warning.
 */
export const HIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- the control characters are what this matches
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/;
const ALL_HIDDEN = new RegExp(HIDDEN_CHARACTERS.source, 'g');

/** `text` without the characters of HIDDEN_CHARACTERS (the same string when it has none). */
export function withoutHiddenCharacters(text: string): string {
  if (!HIDDEN_CHARACTERS.test(text)) return text;
  return text.replace(/[\u2028\u2029]/g, '\n').replace(ALL_HIDDEN, '');
}

/** Optional text: hidden characters removed, trimmed, at most `max` characters; blank becomes null (cleared). */
export function text(max = 200) {
  return z
    .string()
    .overwrite(withoutHiddenCharacters)
    .trim()
    .max(max, { error: `不能超过${max}个字` })
    .nullish()
    .transform((v) => (v === undefined ? undefined : v === null || v === '' ? null : v));
}
/** Required text: hidden characters removed, trimmed, not empty, at most `max` characters. */
export const requiredText = (max = 100) =>
  z
    .string()
    .overwrite(withoutHiddenCharacters)
    .trim()
    .min(1, { error: '不能为空' })
    .max(max, { error: `不能超过${max}个字` });

/**
 * A value from a catalog. The message quotes the value and lists the choices (the first 12 of a long list), or
 * names what the choices are when `what` is given (“因灾”不是可选的风险类型).
 */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what?: string) {
  const choices = `${values.slice(0, 12).join('、')}${values.length > 12 ? `等${values.length}项` : ''}`;
  return z.enum(values, {
    error: (iss) => {
      const given = typeof iss.input === 'string' || typeof iss.input === 'number' ? iss.input : '';
      if (given === '') return '不能为空';
      return what ? `“${given}”不是可选的${what}` : `“${given}”不是可选值（可选：${choices}）`;
    },
  });
}

export const idNumber = z
  .string()
  .transform((v) => normalizeIdNumber(withoutHiddenCharacters(v)))
  .superRefine((v, ctx) => {
    const problem = idNumberProblem(v, todayIso());
    if (problem) ctx.addIssue({ code: 'custom', message: ID_PROBLEM_TEXT[problem] });
  });

/** Mobile (domain.md §5.5) or a landline with area code, digits only. */
export const isPhoneNumber = (v: string): boolean => /^(1[3-9]\d{9}|0\d{9,11})$/.test(v);

export const phone = z
  .string()
  .trim()
  .transform((v) => withoutHiddenCharacters(v).replace(/[\s-]/g, ''))
  .refine((v) => v === '' || isPhoneNumber(v), {
    error: '电话号码格式不正确（手机号为1开头的11位数字，座机需带区号）',
  })
  .nullish()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

export const optionalDate = isoDate.nullish();
export const optionalMonth = isoMonth.nullish();

/** Paging, sorting and quick search shared by every list operation. */
export function listInput<F extends z.ZodRawShape, S extends readonly [string, ...string[]]>(filter: F, sortFields: S) {
  return z.object({
    filter: z
      .object(filter)
      .partial()
      .prefault({} as never),
    quick: z.string().trim().max(50).optional(),
    sort: z
      .array(z.object({ field: z.enum(sortFields), dir: z.enum(['asc', 'desc']).default('asc') }))
      .max(3)
      .default([]),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(5000).default(100),
  });
}

const byId = z.object({ id });
/** Operations without arguments take an empty object. */
export const Empty = z.object({}).strict();

/**
 * An update (patch) schema from a create shape: every field optional and *without its default*, so that a
 * field left out stays as stored (zod applies `.default()` even inside `.partial()`).
 */
type Undefaulted<T> = T extends z.ZodDefault<infer I> ? I : T;
export function patchOf<S extends z.ZodRawShape>(shape: S) {
  const out: Record<string, z.ZodType> = {};
  for (const [k, v] of Object.entries(shape))
    out[k] = (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : (v as z.ZodType)).optional();
  return z.object(out) as unknown as z.ZodObject<{ [K in keyof S]: z.ZodOptional<Undefaulted<S[K]>> }>;
}

// ---- settings and parameters --------------------------------------------------------------------------

export { SettingsSchema, ParametersSchema } from './parameters.ts';
export const ThresholdInput = z.object({
  year: z.number().int().min(2000).max(2100),
  amountFen: fen.positive({ error: '监测收入标准必须大于0' }),
  source: text(200),
});

// ---- villages and households --------------------------------------------------------------------------

export const VillageInput = z.object({
  /** Optional: a village first named by an imported file gets its code later. */
  code: z
    .string()
    .trim()
    .regex(/^\d{12}$/, { error: '村代码应为12位数字（统计用区划代码）' })
    .nullish(),
  name: requiredText(40),
  sortOrder: z.number().int().default(0),
});
export const VillageUpdate = patchOf(VillageInput.shape).extend({ id });
export const GroupInput = z.object({ villageId: id, name: requiredText(40) });

const householdFields = {
  hhNo: text(40),
  villageId: id,
  groupId: id.nullish(),
  address: text(200),
  phone,
  hhType: oneOf(C.HOUSEHOLD_TYPES).default('一般农户'),
  exitedPoverty: flag.default(0),
  exitYear: z.number().int().min(2013).max(2100).nullish(),
  dibao: knownFlag.default(null),
  tekun: knownFlag.default(null),
  doudi: knownFlag.default(null),
  militaryFamily: knownFlag.default(null),
  establishedOn: optionalDate,
  note: text(500),
};
export const HouseholdInput = z.object(householdFields);
export const HouseholdUpdate = patchOf({ ...householdFields, closedOn: optionalDate }).extend({ id });
export const HouseholdList = listInput(
  {
    villageId: id,
    groupId: id,
    hhType: z.string(),
    monitoringCategory: z.string(),
    exitedPoverty: flag,
    includeClosed: z.boolean(),
  },
  ['id', 'hhNo', 'villageName', 'headName', 'members', 'hhType', 'updatedAt'] as const,
);

const personFields = {
  householdId: id,
  idNumber,
  name: requiredText(30),
  relation: oneOf(C.RELATIONS),
  gender: oneOf(['男', '女'] as const).optional(),
  ethnicity: oneOf(C.ETHNICITIES).nullish(),
  politics: oneOf(C.POLITICAL_STATUSES).nullish(),
  education: oneOf(C.EDUCATION_LEVELS).nullish(),
  schoolStatus: oneOf(C.SCHOOL_STATUSES).nullish(),
  health: oneOf(C.HEALTH_STATUSES).nullish(),
  disabilityCategory: oneOf(C.DISABILITY_CATEGORIES).nullish(),
  disabilityGrade: oneOf(C.DISABILITY_GRADES).nullish(),
  labourCapacity: oneOf(C.LABOUR_CAPACITIES).nullish(),
  workMonths: z
    .number()
    .int()
    .min(0, { error: '务工时间应在0–12个月之间' })
    .max(12, { error: '务工时间应在0–12个月之间' })
    .nullish(),
  workPlace: text(100),
  medResident: knownFlag.default(null),
  medEmployee: knownFlag.default(null),
  seriousIllnessIns: knownFlag.default(null),
  pensionResident: knownFlag.default(null),
  pensionEmployee: knownFlag.default(null),
  medicalAid: knownFlag.default(null),
  dibao: knownFlag.default(null),
  dibaoScope: oneOf(C.RELIEF_SCOPES).nullish(),
  tekun: knownFlag.default(null),
  tekunScope: oneOf(C.RELIEF_SCOPES).nullish(),
  disabilityCert: z
    .string()
    .trim()
    .transform((v) => v.toUpperCase())
    .refine((v) => splitDisabilityCertificate(v) !== null, {
      error: '残疾人证号应为身份证号后加残疾类别和等级两位数字（换证时另加如B1的标记）',
    })
    .nullish(),
  postMonths: z
    .number()
    .int()
    .min(0, { error: '公益性岗位月数应在0–12之间' })
    .max(12, { error: '公益性岗位月数应在0–12之间' })
    .nullish(),
  phone,
};
export const PersonInput = z.object({
  ...personFields,
  joinedOn: optionalDate,
  joinKind: oneOf(C.PERSON_JOIN_KINDS).optional(),
});
export const PersonUpdate = patchOf(personFields).omit({ householdId: true }).extend({ id });
export const PersonStatusChange = z.object({
  personId: id,
  kind: oneOf(C.PERSON_LEAVE_KINDS),
  effectiveDate: isoDate,
  note: text(200),
});
export const PersonList = listInput(
  {
    villageId: id,
    householdId: id,
    gender: z.string(),
    labourCapacity: z.string(),
    health: z.string(),
    includeLeft: z.boolean(),
  },
  ['id', 'name', 'idNumber', 'birthDate', 'villageName', 'hhNo', 'relation', 'updatedAt'] as const,
);

// ---- monitoring ---------------------------------------------------------------------------------------

const RiskItem = z.object({ riskType: oneOf(C.RISK_TYPES, '风险类型'), detail: text(200) });
const risks = z
  .array(RiskItem)
  .min(1, { error: '至少选择一个风险类型' })
  .max(C.MAX_RISKS_PER_CASE, { error: `风险类型最多${C.MAX_RISKS_PER_CASE}个` })
  .refine((r) => new Set(r.map((x) => x.riskType)).size === r.length, { error: '风险类型不能重复' });

export const CaseCreate = z.object({
  householdId: id,
  category: oneOf(C.MONITORING_CATEGORIES),
  channel: oneOf(C.DISCOVERY_CHANNELS),
  channelDetail: text(100),
  clueDate: isoDate,
  risks,
  actor: text(50),
  note: text(500),
});
export const CaseReflag = CaseCreate.omit({ householdId: true }).extend({ previousCaseId: id });
export const CaseSetRisks = z.object({ caseId: id, risks });
export const CaseAdvance = z.object({
  caseId: id,
  stage: oneOf(ALL_STAGES.map((s) => s.code) as [string, ...string[]]),
  doneOn: isoDate,
  endOn: optionalDate,
  actor: text(100),
  note: text(500),
  method: oneOf(C.ELIMINATION_METHODS).optional(),
  acknowledgeWarnings: z.boolean().default(false),
});
export const CaseReject = z.object({ caseId: id, date: isoDate, reason: requiredText(500), actor: text(50) });
export const CaseRollback = z.object({ caseId: id, date: isoDate, reason: requiredText(500), actor: text(50) });
export const CaseList = listInput(
  {
    villageId: id,
    householdId: id,
    category: z.string(),
    status: z.string(),
    riskType: z.string(),
  },
  ['id', 'clueDate', 'identifiedOn', 'eliminatedOn', 'villageName', 'headName', 'category', 'status'] as const,
);

export const IncomeInput = z.object({
  householdId: id,
  caseId: id.nullish(),
  kind: oneOf(C.INCOME_SNAPSHOT_KINDS),
  asOf: isoDate,
  members: z.number().int().min(1, { error: '家庭人口数至少为1' }),
  wageFen: fen.min(0).default(0),
  businessFen: fen.default(0),
  propertyFen: fen.min(0).default(0),
  transferFen: fen.min(0).default(0),
  businessCostFen: fen.min(0).default(0),
  claimsFen: fen.min(0).default(0),
  compliantOopFen: fen.min(0).default(0),
  /** 人均纯收入 as a national file states it. */
  reportedPerCapitaFen: fen.nullish(),
});

const measureFields = {
  householdId: id,
  caseId: id.nullish(),
  category: oneOf(C.MEASURE_CATEGORIES),
  item: text(100),
  startDate: isoDate,
  endDate: optionalDate,
  amountFen: fen.min(0).nullish(),
  department: text(50),
  fundingSource: text(50),
  implemented: flag.default(1),
  note: text(500),
};
export const MeasureInput = z.object(measureFields);
export const MeasureUpdate = patchOf(measureFields).omit({ householdId: true }).extend({ id });

export const HelperInput = z.object({
  name: requiredText(30),
  gender: oneOf(['男', '女'] as const).nullish(),
  politics: oneOf(C.POLITICAL_STATUSES).nullish(),
  unit: text(100),
  phone,
});
export const HelperAssign = z.object({ householdId: id, helperId: id, startDate: isoDate, endDate: optionalDate });
export const VisitInput = z.object({
  householdId: id,
  helperId: id.nullish(),
  visitedOn: isoDate,
  method: oneOf(C.VISIT_METHODS),
  findings: text(1000),
  newRisk: flag.default(0),
  followUp: text(500),
});

// ---- posts ---------------------------------------------------------------------------------------------

const postFields = {
  name: requiredText(50),
  category: oneOf(C.POST_CATEGORIES),
  department: oneOf(C.POST_DEPARTMENTS),
  employer: text(100),
  villageId: id.nullish(),
  workForm: oneOf(C.WORK_FORMS),
  fundingSource: oneOf(C.POST_FUNDING_SOURCES).nullish(),
  monthlySubsidyFen: fen.min(0, { error: '月补贴标准不能为负数' }),
  requiredDays: z.number().int().min(1).max(31).optional(),
  quota: z.number().int().min(1).default(1),
  duties: text(500),
  establishedOn: optionalDate,
};
export const PostInput = z.object(postFields);
export const PostUpdate = patchOf({ ...postFields, abolishedOn: optionalDate }).extend({ id });
export const PostList = listInput(
  { villageId: id, department: z.string(), category: z.string(), includeAbolished: z.boolean() },
  ['id', 'name', 'department', 'villageName', 'monthlySubsidyFen', 'holders'] as const,
);

export const HireInput = z.object({
  postId: id,
  personId: id,
  personCategory: oneOf(C.POST_PERSON_CATEGORIES).nullish(),
  agreementType: oneOf(C.AGREEMENT_TYPES).default('劳务协议'),
  agreementStart: isoDate,
  agreementEnd: isoDate,
  hiredOn: isoDate,
  bankName: text(50),
  bankAccount: z
    .string()
    .trim()
    .transform((v) => v.replace(/\s/g, ''))
    .refine((v) => v === '' || /^\d{12,19}$/.test(v), { error: '银行卡号应为12–19位数字' })
    .nullish()
    .transform((v) => (v ? v : null)),
  insurancePolicy: text(50),
  noticeOn: optionalDate,
  acknowledgeWarnings: z.boolean().default(false),
});
export const EligibilityInput = z.object({ postId: id, personId: id, hiredOn: isoDate });
export const ExitInput = z.object({ placementId: id, exitOn: isoDate, exitReason: oneOf(C.EXIT_REASONS) });
export const PlacementList = listInput(
  { postId: id, personId: id, activeOn: isoDate, activeInMonth: isoMonth, villageId: id },
  ['id', 'hiredOn', 'agreementEnd', 'personName', 'postName'] as const,
);
export const AttendanceMonth = z.object({ month: isoMonth, department: z.string().optional() });
export const AttendanceSet = z.object({
  placementId: id,
  month: isoMonth,
  days: z.number().int().min(0, { error: '出勤天数不能为负数' }),
  deductionFen: fen.min(0).default(0),
  deductionReason: text(200),
  note: text(200),
});
export const MonthInput = z.object({ month: isoMonth });
/** Unlocking a locked payroll month: the reason is recorded in the audit log. */
export const UnlockInput = z.object({ month: isoMonth, reason: requiredText(200) });

// ---- relocation ----------------------------------------------------------------------------------------

const siteFields = {
  name: requiredText(60),
  code: text(30),
  villageId: id.nullish(),
  location: text(200),
  method: oneOf(C.RELOCATION_METHODS),
  subtype: oneOf(C.RELOCATION_SUBTYPES).nullish(),
  batchYear: z.number().int().min(2000).max(2100).nullish(),
  builtOn: optionalDate,
  reportedHouseholds: z.number().int().min(0).nullish(),
  reportedPersons: z.number().int().min(0).nullish(),
  facilities: z.array(oneOf(C.SITE_FACILITIES)).default([]),
  workshops: z.number().int().min(0).default(0),
  industryProjects: z.number().int().min(0).default(0),
  partyOrg: flag.default(0),
  residentCommittee: flag.default(0),
  workTeam: text(100),
  note: text(500),
};
export const SiteInput = z.object(siteFields);
export const SiteUpdate = patchOf(siteFields).extend({ id });

const relocatedFields = {
  siteId: id,
  householdId: id,
  relocationType: oneOf(C.RELOCATION_TYPES),
  relocationYear: z.number().int().min(2000).max(2100).nullish(),
  movedInOn: isoDate,
  originAddress: text(200),
  houseAreaM2: z.number().positive({ error: '安置房面积必须大于0' }).max(1000).nullish(),
  housingSubsidyFen: fen.min(0).nullish(),
  selfRaisedFen: fen.min(0).nullish(),
  propertyCertificate: flag.default(0),
  oldHouseReclaimed: flag.default(0),
  reclaimedOn: optionalDate,
};
export const RelocatedLink = z.object(relocatedFields);
export const RelocatedUpdate = patchOf(relocatedFields).omit({ householdId: true }).extend({ id });
export const RelocatedList = listInput({ siteId: id }, ['id', 'headName', 'movedInOn', 'siteName'] as const);

const employmentFields = {
  personId: id,
  channel: oneOf(C.EMPLOYMENT_CHANNELS),
  place: text(100),
  employer: text(100),
  job: text(50),
  /** 所属行业 (务工月监测) */
  industry: text(50),
  startMonth: isoMonth,
  endMonth: optionalMonth,
  monthlyIncomeFen: fen.min(0).nullish(),
  /** 是否点对点输送; null = not known. */
  pointToPoint: knownFlag.default(null),
  /** 年度交通费补助 */
  transportSubsidyFen: fen.min(0).nullish(),
  note: text(200),
};
export const EmploymentInput = z.object(employmentFields);
export const EmploymentUpdate = patchOf(employmentFields).omit({ personId: true }).extend({ id });
export const EmploymentList = listInput({ personId: id, householdId: id, siteId: id, activeInMonth: isoMonth }, [
  'id',
  'startMonth',
  'personName',
] as const);
/** 计划外出务工 of a person for a month (务工月监测); written by the 务工 import. */
export const WorkPlanInput = z.object({
  personId: id,
  month: isoMonth,
  planned: knownFlag.default(null),
  serviceNeed: text(100),
});

// ---- figures and audit ---------------------------------------------------------------------------------

export const StatsInput = z.object({ month: isoMonth });
export const AuditList = listInput(
  { entity: z.string(), entityId: id, action: z.string(), from: isoDate, to: isoDate },
  ['id', 'at'] as const,
);

export const RulesRun = z.object({
  month: isoMonth.optional(),
  rules: z.array(z.string().max(20)).max(200).optional(),
});
export const RulesAcknowledge = z.object({ month: isoMonth, reason: requiredText(500), purpose: text(100) });

const reportFile = z.string().trim().min(1).max(1000).nullish();
export const ExportMonthly = z.object({ month: isoMonth, file: reportFile, reason: text(500) });
export const ExportNotice = z.object({
  kind: oneOf(['identification', 'elimination', 'subsidy'] as const),
  month: isoMonth,
  file: reportFile,
});
export const ArchiveList = z.object({ month: isoMonth.optional() });

export const IMPORT_KINDS = ['villages', 'households', 'monitoring', 'posts', 'relocation', 'work'] as const;
export const ImportInput = z.object({
  kind: oneOf(IMPORT_KINDS),
  /** A path on this computer (Electron dialog, CLI)… */
  file: z.string().trim().min(1).max(1000).optional(),
  /** …or the file's bytes (browser mode upload), base64, with its name for the type. */
  content: z
    .string()
    .max(24 * 1024 * 1024)
    .optional(),
  fileName: z.string().trim().max(255).optional(),
  errorsFile: z.string().trim().max(1000).nullish(),
  /** The user's adjustment of the detected columns: field → column index (-1 = do not import). */
  mapping: z.record(z.string().max(40), z.number().int().min(-1).max(500)).optional(),
  /** The row the user says holds the header (0-based), when detection chose another or none. */
  headerRow: z.number().int().min(0).max(49).optional(),
  /** Village names the ledger does not know are created (codes filled in later) instead of refusing their rows. */
  createVillages: z.boolean().optional(),
});
/** 国家系统比对 of a person list or a monitoring export; `out` writes the differences as a workbook. */
export const ReconcileCompare = ImportInput.extend({
  kind: oneOf(['households', 'monitoring'] as const),
  out: z.string().trim().max(1000).optional(),
  /** Write the list beside the database (报表/国家系统比对 ….xlsx) when no `out` is given. */
  exportList: z.boolean().optional(),
});
export const ReconcileTake = ReconcileCompare.extend({
  /** Ids of the differences to take from the national file. */
  take: z.array(z.string().max(200)).max(200_000),
});
/** Which layout a file is: the file or its bytes, as for an import. */
export const ImportDetect = ImportInput.pick({ file: true, content: true, fileName: true });

export { byId };
