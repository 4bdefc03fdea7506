/**
 * Domain records as the core stores and returns them (camelCase; the database uses snake_case).
 * Dates are 'YYYY-MM-DD', months 'YYYY-MM', money integer fen, flags 0/1 (SQLite has no boolean).
 */

export type Flag = 0 | 1;
/** A flag the data may not state: null is "not known" (a file without the column), never "no". */
export type KnownFlag = Flag | null;

export interface Audited {
  createdAt: string;
  updatedAt: string;
}

export interface Village extends Audited {
  id: number;
  /** 12-digit 行政区划代码; null for a village created from a file that named it only. */
  code: string | null;
  name: string;
  sortOrder: number;
}

export interface VillageGroup {
  id: number;
  villageId: number;
  name: string;
}

export interface Household extends Audited {
  id: number;
  hhNo: string | null;
  villageId: number;
  groupId: number | null;
  address: string | null;
  phone: string | null;
  hhType: string;
  exitedPoverty: Flag;
  exitYear: number | null;
  dibao: KnownFlag;
  tekun: KnownFlag;
  doudi: KnownFlag;
  militaryFamily: KnownFlag;
  establishedOn: string | null;
  closedOn: string | null;
  note: string | null;
}

export interface Person extends Audited {
  id: number;
  householdId: number;
  idNumber: string;
  name: string;
  relation: string;
  gender: '男' | '女';
  birthDate: string;
  ethnicity: string | null;
  politics: string | null;
  education: string | null;
  schoolStatus: string | null;
  health: string | null;
  disabilityCategory: string | null;
  disabilityGrade: string | null;
  /** 残疾人证号 (20 or 22 characters: the ID number followed by category and grade digits). */
  disabilityCert: string | null;
  labourCapacity: string | null;
  workMonths: number | null;
  workPlace: string | null;
  medResident: KnownFlag;
  medEmployee: KnownFlag;
  seriousIllnessIns: KnownFlag;
  pensionResident: KnownFlag;
  pensionEmployee: KnownFlag;
  /** 是否接受医疗救助 */
  medicalAid: KnownFlag;
  dibao: KnownFlag;
  dibaoScope: '农村' | '城市' | null;
  tekun: KnownFlag;
  tekunScope: '农村' | '城市' | null;
  /** 公益性岗位(月数) as the national file states it. */
  postMonths: number | null;
  phone: string | null;
  joinedOn: string | null;
  leftOn: string | null;
  leftReason: string | null;
}

export interface PersonEvent {
  id: number;
  personId: number;
  kind: string;
  effectiveDate: string;
  note: string | null;
  createdAt: string;
}

export type CaseStatus = '识别中' | '已否决' | '监测中' | '消除中' | '已消除';

export interface MonitoringCase extends Audited {
  id: number;
  householdId: number;
  category: string;
  channel: string;
  channelDetail: string | null;
  clueDate: string;
  status: CaseStatus;
  /** Last recorded stage code (see shared/workflow.ts). */
  stage: string;
  /** Elimination round: 0 while identifying, 1.. for each elimination attempt. */
  round: number;
  identifiedOn: string | null;
  eliminatedOn: string | null;
  eliminationMethod: string | null;
  rejectedOn: string | null;
  rejectReason: string | null;
  previousCaseId: number | null;
  note: string | null;
}

export interface CaseRisk {
  caseId: number;
  seq: number;
  riskType: string;
  detail: string | null;
}

export interface CaseStage {
  id: number;
  caseId: number;
  round: number;
  stage: string;
  doneOn: string;
  endOn: string | null;
  actor: string | null;
  note: string | null;
  createdAt: string;
}

/** Status-affecting events, the source of every as-of figure. */
export interface CaseEvent {
  id: number;
  caseId: number;
  kind: 'identified' | 'eliminated' | 'rolled_back' | 'rejected';
  effectiveDate: string;
  note: string | null;
}

export interface IncomeSnapshot extends Audited {
  id: number;
  householdId: number;
  caseId: number | null;
  kind: string;
  asOf: string;
  members: number;
  /** Components are null when the source did not state them (a national file may carry only some). */
  wageFen: number | null;
  businessFen: number | null;
  propertyFen: number | null;
  transferFen: number | null;
  businessCostFen: number | null;
  claimsFen: number | null;
  compliantOopFen: number | null;
  /** 人均纯收入 as a national file states it. */
  reportedPerCapitaFen: number | null;
}

export interface Measure extends Audited {
  id: number;
  householdId: number;
  caseId: number | null;
  category: string;
  item: string | null;
  startDate: string;
  endDate: string | null;
  amountFen: number | null;
  department: string | null;
  fundingSource: string | null;
  implemented: Flag;
  note: string | null;
}

export interface Helper extends Audited {
  id: number;
  name: string;
  gender: string | null;
  politics: string | null;
  unit: string | null;
  phone: string | null;
}

export interface HouseholdHelper {
  id: number;
  householdId: number;
  helperId: number;
  startDate: string;
  endDate: string | null;
}

export interface Visit extends Audited {
  id: number;
  householdId: number;
  helperId: number | null;
  visitedOn: string;
  method: string;
  findings: string | null;
  newRisk: Flag;
  followUp: string | null;
}

export interface Post extends Audited {
  id: number;
  name: string;
  category: string;
  department: string;
  employer: string | null;
  villageId: number | null;
  workForm: string;
  fundingSource: string | null;
  monthlySubsidyFen: number;
  requiredDays: number;
  quota: number;
  duties: string | null;
  establishedOn: string | null;
  abolishedOn: string | null;
}

export interface Placement extends Audited {
  id: number;
  postId: number;
  personId: number;
  personCategory: string | null;
  agreementType: string;
  agreementStart: string;
  agreementEnd: string;
  hiredOn: string;
  exitOn: string | null;
  exitReason: string | null;
  bankName: string | null;
  bankAccount: string | null;
  insurancePolicy: string | null;
  noticeOn: string | null;
}

export interface Attendance extends Audited {
  id: number;
  placementId: number;
  month: string;
  requiredDays: number;
  days: number;
  monthlySubsidyFen: number;
  subsidyFen: number;
  deductionFen: number;
  deductionReason: string | null;
  note: string | null;
}

export interface PayrollMonth {
  month: string;
  generatedAt: string | null;
  lockedAt: string | null;
  lockedBy: string | null;
}

export interface RelocationSite extends Audited {
  id: number;
  name: string;
  code: string | null;
  villageId: number | null;
  location: string | null;
  method: string;
  subtype: string | null;
  batchYear: number | null;
  builtOn: string | null;
  reportedHouseholds: number | null;
  reportedPersons: number | null;
  facilities: string;
  workshops: number;
  industryProjects: number;
  partyOrg: Flag;
  residentCommittee: Flag;
  workTeam: string | null;
  note: string | null;
}

export interface RelocatedHousehold extends Audited {
  id: number;
  siteId: number;
  householdId: number;
  relocationType: string;
  relocationYear: number | null;
  movedInOn: string;
  originAddress: string | null;
  houseAreaM2: number | null;
  housingSubsidyFen: number | null;
  selfRaisedFen: number | null;
  propertyCertificate: Flag;
  oldHouseReclaimed: Flag;
  reclaimedOn: string | null;
}

export interface Employment extends Audited {
  id: number;
  personId: number;
  /** 就业方式; null when a 务工 file did not state it. */
  channel: string | null;
  place: string | null;
  employer: string | null;
  job: string | null;
  /** 所属行业 */
  industry: string | null;
  startMonth: string;
  endMonth: string | null;
  monthlyIncomeFen: number | null;
  /** 是否点对点输送 */
  pointToPoint: KnownFlag;
  /** 年度交通费补助 */
  transportSubsidyFen: number | null;
  note: string | null;
}

/** 计划外出务工: what a person intends for a month (务工月监测). */
export interface WorkPlan extends Audited {
  id: number;
  personId: number;
  month: string;
  planned: KnownFlag;
  serviceNeed: string | null;
}

/** A column mapping the user saved for a file layout (keyed by the layout's header labels). */
export interface ImportMapping extends Audited {
  layout: string;
  kind: string;
  headerRow: number;
  /** JSON: field → 0-based column index. */
  columns: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: number | null;
  summary: string;
  before: string | null;
  after: string | null;
}

export interface ReportArchive {
  id: number;
  period: string;
  kind: string;
  createdAt: string;
  fileName: string;
  sha256: string;
  figures: string | null;
}

export interface IncomeThreshold {
  year: number;
  amountFen: number;
  source: string | null;
}
