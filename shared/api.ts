/**
 * The one contract between the UI and the core (architecture.md "One contract"). Every operation has a
 * name, a zod input schema and a result type. The core's dispatcher validates input against these schemas;
 * the Electron preload and the browser-mode HTTP transport both implement `LedgerApi`.
 */
import type { z } from 'zod';
import * as A from './accounts.ts';
import type { Role } from './accounts.ts';
import type { CallResult } from './errors.ts';
import type { Parameters, Settings } from './parameters.ts';
import type * as B from './backups.ts';
import { BackupCopyFolder, BackupRef } from './backups.ts';
import * as S from './schemas.ts';
import type * as T from './types.ts';

export interface Page<R> {
  rows: R[];
  total: number;
}

export interface HouseholdRow extends T.Household {
  villageName: string;
  groupName: string | null;
  headName: string | null;
  headIdNumber: string | null;
  members: number;
  monitoringCategory: string | null;
  caseStatus: string | null;
}

export interface PersonRow extends T.Person {
  villageId: number;
  villageName: string;
  hhNo: string | null;
  age: number;
}

export interface IncomeRow extends T.IncomeSnapshot {
  /** null when a component is unknown */
  netFen: number | null;
  /** null when neither the components nor a reported figure are known */
  perCapitaFen: number | null;
}

export interface CaseRow extends T.MonitoringCase {
  villageId: number;
  villageName: string;
  hhNo: string | null;
  headName: string | null;
  members: number;
  riskTypes: string[];
}

export interface Condition {
  code: string;
  label: string;
  ok: boolean;
  /** A failed blocking condition stops the action; a failed non-blocking one needs acknowledgement. */
  blocking: boolean;
  detail: string;
}

export interface StageOption {
  code: string;
  label: string;
  period: boolean;
}

export interface HelperLink extends T.HouseholdHelper {
  helperName: string;
  unit: string | null;
  phone: string | null;
}

export interface CaseDetail {
  case: CaseRow;
  risks: T.CaseRisk[];
  stages: T.CaseStage[];
  events: T.CaseEvent[];
  incomes: IncomeRow[];
  measures: T.Measure[];
  visits: T.Visit[];
  helpers: HelperLink[];
  /** Stages that may be recorded next. */
  nextStages: StageOption[];
  canReject: boolean;
  canRollback: boolean;
  canReflag: boolean;
  /** Identification deadline (clue date + limit) while identifying. */
  identificationDeadline: string | null;
  elimination: Condition[] | null;
}

export interface HouseholdDetail {
  household: HouseholdRow;
  members: PersonRow[];
  personEvents: T.PersonEvent[];
  cases: CaseRow[];
  incomes: IncomeRow[];
  measures: T.Measure[];
  visits: T.Visit[];
  helpers: HelperLink[];
  relocation: (T.RelocatedHousehold & { siteName: string }) | null;
}

export interface PostRow extends T.Post {
  villageName: string | null;
  holders: number;
}

export interface PlacementRow extends Omit<T.Placement, 'bankAccount'> {
  /** Masked: full account numbers only go into the internal payroll workbook. */
  bankAccountMasked: string | null;
  personName: string;
  idNumber: string;
  gender: string;
  birthDate: string;
  householdId: number;
  postName: string;
  department: string;
  monthlySubsidyFen: number;
  villageName: string;
}

export interface Eligibility {
  ok: boolean;
  age: number;
  problems: Condition[];
}

export interface AttendanceRow {
  placementId: number;
  attendanceId: number | null;
  personName: string;
  idNumber: string;
  postName: string;
  department: string;
  agreementStart: string;
  agreementEnd: string;
  month: string;
  requiredDays: number;
  days: number;
  monthlySubsidyFen: number;
  subsidyFen: number;
  deductionFen: number;
  deductionReason: string | null;
  payFen: number;
}

export interface AttendanceSheet {
  month: string;
  generated: boolean;
  locked: boolean;
  lockedAt: string | null;
  rows: AttendanceRow[];
  totals: { persons: number; subsidyFen: number; deductionFen: number; payFen: number };
}

export interface SiteRow extends Omit<T.RelocationSite, 'facilities'> {
  facilities: string[];
  villageName: string | null;
  households: number;
  persons: number;
  labour: number;
  employed: number;
  /** employed ÷ labour, 0–1; null without labour. */
  employmentRate: number | null;
  zeroEmploymentHouseholds: number;
  sizeClass: '小型' | '大型';
}

export interface RelocatedRow extends T.RelocatedHousehold {
  siteName: string;
  hhNo: string | null;
  headName: string | null;
  members: number;
  labour: number;
  employed: number;
}

export interface EmploymentRow extends T.Employment {
  personName: string;
  householdId: number;
  siteName: string | null;
}

/** Figures for a month, as of its last day (the `stats` CLI prints exactly this). */
export interface MonthStats {
  villages: number;
  households: number;
  persons: number;
  monitoring: {
    asOf: string;
    current: number;
    byCategory: Record<'脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户', number>;
    identifiedInMonth: number;
    eliminatedInMonth: number;
  };
  posts: { posts: number; holdersInMonth: number; subsidyFenInMonth: number };
  relocation: { sites: number; households: number; labour: number; employed: number };
}

export interface VillageStats {
  villageId: number;
  villageName: string;
  current: number;
  byCategory: Record<string, number>;
}

export interface TodoItem {
  kind: 'overdue' | 'notice' | 'visit' | 'agreement' | 'age' | 'payroll';
  /** The record to open: a case, a placement, or a payroll month (`ref`). */
  entity: 'case' | 'placement' | 'payroll';
  id: number | null;
  ref?: string;
  due: string | null;
  title: string;
  detail: string;
}

export interface Dashboard {
  month: string;
  stats: MonthStats;
  previous: MonthStats;
  byVillage: VillageStats[];
  trend: { month: string; current: number; identified: number; eliminated: number }[];
  todo: TodoItem[];
  /** The backups: a reminder when no copy outside the PC is younger than 30 days (main/core/backups.ts). */
  backup: Pick<B.BackupStatus, 'remind' | 'lastCopyAt' | 'copyFolder'> & { lastBackupAt: string | null };
}

export type Severity = '错误' | '提示';

/** One data-quality finding (数据校验): which rule, how serious, which record, and what is wrong where. */
export interface Finding {
  rule: string;
  title: string;
  severity: Severity;
  entity: '人员' | '农户' | '监测对象' | '公益岗位聘用' | '考勤' | '安置点' | '搬迁户';
  id: number;
  householdId: number | null;
  villageId: number | null;
  villageName: string | null;
  message: string;
  field?: string;
  month?: string;
}

export interface RulesResult {
  month: string;
  asOf: string;
  errors: number;
  warnings: number;
  findings: Finding[];
  /** Milliseconds per rule. */
  timings: Record<string, number>;
}

export interface RuleInfo {
  code: string;
  title: string;
  severity: Severity;
  entity: Finding['entity'];
}

export interface ExportResult {
  file: string;
  sha256: string;
  archiveId: number;
  sheets: { name: string; rows: number; sums: Record<string, number> }[];
}

export interface ImportError {
  sheet: string;
  /** 1-based row number as Excel shows it. */
  row: number;
  column: string;
  value: string;
  message: string;
}

export type ImportKind = (typeof S.IMPORT_KINDS)[number];

/** One difference between a national file and the ledger (国家系统比对). */
export interface ReconcileDifference {
  /** Stable for the same file and ledger: the choice names it. */
  id: string;
  entity: '农户' | '人员' | '监测对象';
  /** The household it belongs to, for grouping. */
  group: string;
  /** The record as shown: a masked ID number for persons, 户编号 otherwise. */
  record: string;
  field: string;
  label: string;
  /** '只在国家系统' (the file has it, the ledger not), '只在台账' (the ledger has it, the file not), or '不一致'. */
  kind: '只在国家系统' | '只在台账' | '不一致';
  ledger: string;
  national: string;
  /** False when it cannot be taken here: the note says where it is done instead. */
  applicable: boolean;
  note?: string;
}

export interface ReconcileResult {
  kind: ImportKind;
  differences: ReconcileDifference[];
  /** Rows of the file that cannot be compared (errors), as an import would list them. */
  errors: ImportError[];
  /** Set after taking: how many differences were taken (each an audited write). */
  taken?: number;
  /** Where the comparison workbook was written, when asked for. */
  file?: string;
}

export interface DetectedLayout {
  sheet: string;
  /** The layout's Chinese name, e.g. 全国系统（自定义）监测对象信息（每人一行）. */
  name: string;
  /** The import kinds the file feeds, in the order they must run. */
  kinds: ImportKind[];
}

export interface ImportResult {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows that describe nothing to import, not errors (member rows and unmonitored rows of a person-level file). */
  skipped?: number;
  errors: ImportError[];
  /**
   * Rows taken with a change the user should check: an old label mapped to the national one, an optional value
   * that could not be read and was left out. Same shape as errors.
   */
  warnings: ImportError[];
  /** Villages the import created from names in the file (asked for with `createVillages`; codes to fill in). */
  villagesCreated?: string[];
  /** The column mapping saved for this layout was applied (no mapping was given). */
  savedMapping?: boolean;
  /** Where the error workbook was written, when asked for and there were errors. */
  errorsFile?: string | null;
  /** The sheet read, its header texts, and which column each field was taken from (null = not imported). */
  sheet?: string;
  /** The header row read (0-based), null when none was found. */
  headerRow?: number | null;
  columns?: string[];
  mapping?: { field: string; label: string; column: number | null; required: boolean }[];
}

interface OpDef<I extends z.ZodType, R> {
  input: I;
  write: boolean;
  /** Writes inside a transaction that is always rolled back (a dry run): takes the write lock, leaves no trace. */
  dryRun?: boolean;
  /**
   * Runs outside the dispatcher's transaction and writes its own audit entry (a restore: SQLite's backup into the
   * live file takes the write lock itself).
   */
  ownTransaction?: boolean;
  /**
   * The least role that may call it (dispatcher.ts refuses the others with `forbidden`): reads 查看, writes and
   * dry runs 经办人, unless declared otherwise here.
   */
  role: Role;
  /** Callable without a signed-in account: signing in itself and the first account of a new ledger. */
  open?: boolean;
  /** Phantom: carries the result type only. */
  result?: R;
}

const read =
  <R>(role: Role = '查看') =>
  <I extends z.ZodType>(input: I): OpDef<I, R> => ({ input, write: false, role });
const write =
  <R>(role: Role = '经办人') =>
  <I extends z.ZodType>(input: I): OpDef<I, R> => ({ input, write: true, role });
const dryRun =
  <R>(role: Role = '经办人') =>
  <I extends z.ZodType>(input: I): OpDef<I, R> => ({ input, write: false, dryRun: true, role });
/** A write only a 管理员 may make: settings, parameters, accounts, unlocking, restoring. */
const admin =
  <R>() =>
  <I extends z.ZodType>(input: I): OpDef<I, R> => ({ input, write: true, role: '管理员' });
/** Signing in and the first account: no session needed (writes record the attempt in the audit log). */
const open =
  <R>(write: boolean) =>
  <I extends z.ZodType>(input: I): OpDef<I, R> => ({ input, write, role: '查看', open: true });

export const API = {
  'settings.get': read<Settings | null>()(S.Empty),
  'settings.update': admin<Settings>()(S.SettingsSchema),
  'parameters.get': read<Parameters>()(S.Empty),
  'parameters.update': admin<Parameters>()(S.ParametersSchema.partial()),
  'thresholds.list': read<T.IncomeThreshold[]>()(S.Empty),
  'thresholds.set': admin<T.IncomeThreshold>()(S.ThresholdInput),

  'village.list': read<(T.Village & { groups: T.VillageGroup[]; households: number })[]>()(S.Empty),
  'village.create': write<T.Village>()(S.VillageInput),
  'village.update': write<T.Village>()(S.VillageUpdate),
  'group.create': write<T.VillageGroup>()(S.GroupInput),

  'household.list': read<Page<HouseholdRow>>()(S.HouseholdList),
  'household.get': read<HouseholdDetail>()(S.byId),
  'household.create': write<T.Household>()(S.HouseholdInput),
  'household.update': write<T.Household>()(S.HouseholdUpdate),

  'person.list': read<Page<PersonRow>>()(S.PersonList),
  'person.create': write<T.Person>()(S.PersonInput),
  'person.update': write<T.Person>()(S.PersonUpdate),
  'person.changeStatus': write<T.Person>()(S.PersonStatusChange),

  'case.list': read<Page<CaseRow>>()(S.CaseList),
  'case.get': read<CaseDetail>()(S.byId),
  'case.create': write<T.MonitoringCase>()(S.CaseCreate),
  'case.setRisks': write<T.CaseRisk[]>()(S.CaseSetRisks),
  'case.advance': write<T.MonitoringCase>()(S.CaseAdvance),
  'case.reject': write<T.MonitoringCase>()(S.CaseReject),
  'case.rollback': write<T.MonitoringCase>()(S.CaseRollback),
  'case.reflag': write<T.MonitoringCase>()(S.CaseReflag),
  'case.eliminationCheck': read<Condition[]>()(S.byId),

  'income.add': write<IncomeRow>()(S.IncomeInput),
  'measure.add': write<T.Measure>()(S.MeasureInput),
  'measure.update': write<T.Measure>()(S.MeasureUpdate),
  'helper.list': read<T.Helper[]>()(S.Empty),
  'helper.create': write<T.Helper>()(S.HelperInput),
  'helper.assign': write<T.HouseholdHelper>()(S.HelperAssign),
  'visit.add': write<T.Visit>()(S.VisitInput),

  'post.list': read<Page<PostRow>>()(S.PostList),
  'post.create': write<T.Post>()(S.PostInput),
  'post.update': write<T.Post>()(S.PostUpdate),
  'placement.list': read<Page<PlacementRow>>()(S.PlacementList),
  'placement.eligibility': read<Eligibility>()(S.EligibilityInput),
  'placement.hire': write<T.Placement>()(S.HireInput),
  'placement.exit': write<T.Placement>()(S.ExitInput),
  'attendance.sheet': read<AttendanceSheet>()(S.AttendanceMonth),
  'attendance.set': write<AttendanceRow>()(S.AttendanceSet),
  'payroll.generate': write<AttendanceSheet>()(S.MonthInput),
  'payroll.lock': write<AttendanceSheet>()(S.MonthInput),
  /** A locked month becomes editable again, with the reason audited (a correction to what was paid). */
  'payroll.unlock': admin<AttendanceSheet>()(S.UnlockInput),

  'site.list': read<SiteRow[]>()(S.MonthInput.partial()),
  'site.create': write<T.RelocationSite>()(S.SiteInput),
  'site.update': write<T.RelocationSite>()(S.SiteUpdate),
  'relocated.list': read<Page<RelocatedRow>>()(S.RelocatedList),
  'relocated.link': write<T.RelocatedHousehold>()(S.RelocatedLink),
  'relocated.update': write<T.RelocatedHousehold>()(S.RelocatedUpdate),
  'employment.list': read<Page<EmploymentRow>>()(S.EmploymentList),
  'employment.add': write<T.Employment>()(S.EmploymentInput),
  'employment.update': write<T.Employment>()(S.EmploymentUpdate),

  'stats.month': read<MonthStats>()(S.StatsInput),
  'stats.byVillage': read<VillageStats[]>()(S.StatsInput),
  'dashboard.get': read<Dashboard>()(S.MonthInput.partial()),
  /** Only into an empty ledger, by its first 管理员 on the setup screen. */
  'setup.loadDemo': admin<{ households: number; persons: number }>()(S.Empty),
  'rules.list': read<RuleInfo[]>()(S.Empty),
  'rules.run': read<RulesResult>()(S.RulesRun),
  /** Going on with a submission despite 错误 findings: the reason is recorded in the audit log. */
  'rules.acknowledge': write<{ errors: number; warnings: number }>()(S.RulesAcknowledge),
  'report.exportMonthly': write<ExportResult>()(S.ExportMonthly),
  /** Public notices (公示, IDs masked): a 查看 account may export them too. */
  'report.exportNotice': write<ExportResult>('查看')(S.ExportNotice),
  'report.archive': read<T.ReportArchive[]>()(S.ArchiveList),
  /** Dry run: what the import would do; nothing is written. */
  'import.preview': dryRun<ImportResult>()(S.ImportInput),
  'import.run': write<ImportResult>()(S.ImportInput),
  /** 国家系统比对: what the national file and the ledger disagree on; nothing is written. */
  'import.compare': dryRun<ReconcileResult>()(S.ReconcileCompare),
  /** Takes the chosen differences (the national value), each an audited write; the rest stay as in the ledger. */
  'import.reconcile': write<ReconcileResult>()(S.ReconcileTake),
  /** The layout of a file (national export, county roster…) and the import kinds it feeds, in order. */
  'import.detect': read<DetectedLayout | null>('经办人')(S.ImportDetect),
  'audit.list': read<Page<T.AuditEntry>>()(S.AuditList),

  /** 备份与恢复 (main/core/backups.ts): the backups beside the database, newest first, with their figures. */
  'backup.list': read<B.BackupList>('管理员')(S.Empty),
  'backup.create': write<B.BackupInfo>()(S.Empty),
  /** A backup checked now: its figures and last audit entry beside the current database's; refusals as errors. */
  'backup.preview': read<B.BackupPreview>('管理员')(BackupRef),
  /** Backs up the current database, then replaces it with the backup in one write transaction, then migrates. */
  'backup.restore': { ...admin<B.RestoreResult>()(BackupRef), ownTransaction: true },
  /** The second folder (a USB drive) each backup is copied into; null: none. */
  'backup.setCopyFolder': admin<B.BackupStatus>()(BackupCopyFolder),

  /** Whether the ledger has accounts, who is signed in on this session (and whether it is locked). */
  'auth.status': open<A.AuthStatus>(false)(S.Empty),
  /** The first account of a ledger without accounts: a 管理员, signed in at once. */
  'auth.setup': open<A.SessionInfo>(true)(A.FirstAccountInput),
  /** Signs this session in (or unlocks it after idling); failures are audited, 5 in a row lock for 10 minutes. */
  'auth.login': open<A.SessionInfo>(true)(A.LoginInput),
  'auth.logout': open<null>(false)(S.Empty),
  /** The signed-in account changes its own password. */
  'auth.changePassword': write<null>('查看')(A.PasswordChange),
  'account.list': read<A.AccountInfo[]>('管理员')(S.Empty),
  'account.create': admin<A.AccountInfo>()(A.AccountCreate),
  /** Role, disabling, unlocking after failed attempts, or a new password set by a 管理员. */
  'account.update': admin<A.AccountInfo>()(A.AccountUpdate),
} as const;

export type Api = typeof API;
export type OpName = keyof Api;
/** What a caller sends (before defaults and transforms). */
export type OpInput<K extends OpName> = z.input<Api[K]['input']>;
/** What a handler receives (after validation). */
export type OpParsed<K extends OpName> = z.output<Api[K]['input']>;
export type OpResult<K extends OpName> = Api[K] extends OpDef<z.ZodType, infer R> ? R : never;

/** Implemented by the preload (Electron), the HTTP transport (browser mode) and the in-process client. */
export interface LedgerApi {
  call<K extends OpName>(name: K, input: OpInput<K>): Promise<CallResult<OpResult<K>>>;
}

export const OP_NAMES = Object.keys(API) as OpName[];
