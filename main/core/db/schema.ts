/** Kysely's view of the database: the shared domain records with generated keys. */
import type { Generated } from 'kysely';
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

export interface Database {
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
