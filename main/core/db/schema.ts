/** Kysely's view of the database: the shared domain records with generated keys. */
import type { Generated } from 'kysely';
import type { Role } from '../../../shared/accounts.ts';
import type * as T from '../../../shared/types.ts';

type Table<R extends { id: number }> = Omit<R, 'id'> & { id: Generated<number> };

export interface SettingTable {
  key: string;
  value: string;
}

export interface ParameterTable {
  key: string;
  value: string;
}

export interface AccountTable {
  id: Generated<number>;
  user: string;
  role: Role;
  /** base64 of the scrypt output; salt base64; cost parameters N, r, p as used for this hash. */
  passwordHash: string;
  passwordSalt: string;
  scryptN: number;
  scryptR: number;
  scryptP: number;
  failedAttempts: Generated<number>;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  passwordChangedAt: string;
  disabledAt: string | null;
  createdAt: Generated<string>;
  updatedAt: Generated<string>;
}

export interface Database {
  account: AccountTable;
  setting: SettingTable;
  parameter: ParameterTable;
  incomeThreshold: T.IncomeThreshold;
  village: Table<T.Village>;
  villageGroup: Table<T.VillageGroup>;
  household: Table<T.Household>;
  person: Table<T.Person>;
  personEvent: Table<T.PersonEvent>;
  monitoringCase: Table<T.MonitoringCase>;
  caseRisk: T.CaseRisk;
  caseStage: Table<T.CaseStage>;
  caseEvent: Table<T.CaseEvent>;
  incomeSnapshot: Table<T.IncomeSnapshot>;
  measure: Table<T.Measure>;
  helper: Table<T.Helper>;
  householdHelper: Table<T.HouseholdHelper>;
  visit: Table<T.Visit>;
  post: Table<T.Post>;
  placement: Table<T.Placement>;
  attendance: Table<T.Attendance>;
  payrollMonth: T.PayrollMonth;
  relocationSite: Table<T.RelocationSite>;
  relocatedHousehold: Table<T.RelocatedHousehold>;
  employment: Table<T.Employment>;
  workPlan: Table<T.WorkPlan>;
  importMapping: T.ImportMapping;
  auditLog: Table<T.AuditEntry>;
  reportArchive: Table<T.ReportArchive>;
}
