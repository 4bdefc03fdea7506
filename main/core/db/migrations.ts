/**
 * Ordered, statically imported migrations (architecture.md "Data conventions"). The schema version is
 * SQLite's `user_version`: migration N brings the file to version N. Each runs in its own transaction
 * together with the version bump, so a failed migration leaves the file as it was.
 * Migrations are frozen in time: they never import app code.
 */
import { sql, type RawBuilder } from 'kysely';

/** What a migration runs its SQL on: a transaction of any schema version (not the current schema's types). */
type Executor = Parameters<RawBuilder<unknown>['execute']>[0];

export interface Migration {
  version: number;
  name: string;
  /**
   * The migration copies tables into new definitions (SQLite's way to change a column's constraints): it runs with
   * foreign keys off, as SQLite prescribes, and is refused unless every reference still holds before commit.
   */
  rebuildsTables?: boolean;
  up(trx: Executor): Promise<void>;
}

async function runStatements(trx: Executor, statements: string): Promise<void> {
  for (const stmt of statements
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    await sql.raw(stmt).execute(trx);
  }
}

const AUDIT = `created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const flag = (name: string) => `${name} INTEGER NOT NULL DEFAULT 0 CHECK (${name} IN (0,1))`;
const date = (name: string, notNull = false) =>
  `${name} TEXT ${notNull ? 'NOT NULL ' : ''}CHECK (${name} IS NULL OR ${name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')`;
const month = (name: string, notNull = false) =>
  `${name} TEXT ${notNull ? 'NOT NULL ' : ''}CHECK (${name} IS NULL OR ${name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]')`;

const v1Township = `
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE parameter (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE income_threshold (
  year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  source TEXT
);
CREATE TABLE village (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE CHECK (length(code) = 12 AND code GLOB '[0-9]*' AND code NOT GLOB '*[^0-9]*'),
  name TEXT NOT NULL UNIQUE,
  sort_order INTEGER NOT NULL DEFAULT 0,
  ${AUDIT}
);
CREATE TABLE village_group (
  id INTEGER PRIMARY KEY,
  village_id INTEGER NOT NULL REFERENCES village(id),
  name TEXT NOT NULL,
  UNIQUE (village_id, name)
);
CREATE TABLE household (
  id INTEGER PRIMARY KEY,
  hh_no TEXT UNIQUE,
  village_id INTEGER NOT NULL REFERENCES village(id),
  group_id INTEGER REFERENCES village_group(id),
  address TEXT,
  phone TEXT,
  hh_type TEXT NOT NULL,
  ${flag('exited_poverty')},
  exit_year INTEGER,
  ${flag('dibao')},
  ${flag('tekun')},
  ${flag('doudi')},
  ${flag('military_family')},
  ${date('established_on')},
  ${date('closed_on')},
  note TEXT,
  ${AUDIT}
);
CREATE INDEX household_village ON household(village_id);
CREATE TABLE person (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  id_number TEXT NOT NULL UNIQUE CHECK (length(id_number) = 18),
  name TEXT NOT NULL,
  relation TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('男','女')),
  ${date('birth_date', true)},
  ethnicity TEXT,
  politics TEXT,
  education TEXT,
  school_status TEXT,
  health TEXT,
  disability_category TEXT,
  disability_grade TEXT,
  labour_capacity TEXT,
  work_months INTEGER CHECK (work_months IS NULL OR work_months BETWEEN 0 AND 12),
  work_place TEXT,
  ${flag('med_resident')},
  ${flag('med_employee')},
  ${flag('serious_illness_ins')},
  ${flag('pension_resident')},
  ${flag('pension_employee')},
  ${flag('dibao')},
  ${flag('tekun')},
  phone TEXT,
  ${date('joined_on')},
  ${date('left_on')},
  left_reason TEXT,
  ${AUDIT}
);
CREATE INDEX person_household ON person(household_id);
CREATE TABLE person_event (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id),
  kind TEXT NOT NULL,
  ${date('effective_date', true)},
  note TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX person_event_person ON person_event(person_id);
`;

const v1Monitoring = `
CREATE TABLE monitoring_case (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  category TEXT NOT NULL,
  channel TEXT NOT NULL,
  channel_detail TEXT,
  ${date('clue_date', true)},
  status TEXT NOT NULL CHECK (status IN ('识别中','已否决','监测中','消除中','已消除')),
  stage TEXT NOT NULL,
  round INTEGER NOT NULL DEFAULT 0,
  ${date('identified_on')},
  ${date('eliminated_on')},
  elimination_method TEXT,
  ${date('rejected_on')},
  reject_reason TEXT,
  previous_case_id INTEGER REFERENCES monitoring_case(id),
  note TEXT,
  ${AUDIT}
);
CREATE INDEX monitoring_case_household ON monitoring_case(household_id);
-- One open case per household: a new case only once the previous one is rejected or eliminated.
CREATE UNIQUE INDEX monitoring_case_one_open ON monitoring_case(household_id) WHERE status IN ('识别中','监测中','消除中');
CREATE TABLE case_risk (
  case_id INTEGER NOT NULL REFERENCES monitoring_case(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq BETWEEN 1 AND 5),
  risk_type TEXT NOT NULL,
  detail TEXT,
  PRIMARY KEY (case_id, seq),
  UNIQUE (case_id, risk_type)
);
CREATE TABLE case_stage (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES monitoring_case(id),
  round INTEGER NOT NULL,
  stage TEXT NOT NULL,
  ${date('done_on', true)},
  ${date('end_on')},
  actor TEXT,
  note TEXT,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
);
CREATE INDEX case_stage_case ON case_stage(case_id, round);
CREATE TABLE case_event (
  id INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL REFERENCES monitoring_case(id),
  kind TEXT NOT NULL CHECK (kind IN ('identified','eliminated','rolled_back','rejected')),
  ${date('effective_date', true)},
  note TEXT
);
CREATE INDEX case_event_case ON case_event(case_id, effective_date);
CREATE TABLE income_snapshot (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  case_id INTEGER REFERENCES monitoring_case(id),
  kind TEXT NOT NULL,
  ${date('as_of', true)},
  members INTEGER NOT NULL CHECK (members > 0),
  wage_fen INTEGER NOT NULL DEFAULT 0,
  business_fen INTEGER NOT NULL DEFAULT 0,
  property_fen INTEGER NOT NULL DEFAULT 0,
  transfer_fen INTEGER NOT NULL DEFAULT 0,
  business_cost_fen INTEGER NOT NULL DEFAULT 0,
  claims_fen INTEGER NOT NULL DEFAULT 0,
  compliant_oop_fen INTEGER NOT NULL DEFAULT 0,
  ${AUDIT}
);
CREATE INDEX income_snapshot_household ON income_snapshot(household_id, as_of);
CREATE TABLE measure (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  case_id INTEGER REFERENCES monitoring_case(id),
  category TEXT NOT NULL,
  item TEXT,
  ${date('start_date', true)},
  ${date('end_date')},
  amount_fen INTEGER,
  department TEXT,
  funding_source TEXT,
  ${flag('implemented')},
  note TEXT,
  ${AUDIT},
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX measure_household ON measure(household_id);
CREATE TABLE helper (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  gender TEXT,
  politics TEXT,
  unit TEXT,
  phone TEXT,
  ${AUDIT}
);
CREATE TABLE household_helper (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  helper_id INTEGER NOT NULL REFERENCES helper(id),
  ${date('start_date', true)},
  ${date('end_date')},
  CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX household_helper_household ON household_helper(household_id);
CREATE TABLE visit (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  helper_id INTEGER REFERENCES helper(id),
  ${date('visited_on', true)},
  method TEXT NOT NULL,
  findings TEXT,
  ${flag('new_risk')},
  follow_up TEXT,
  ${AUDIT}
);
CREATE INDEX visit_household ON visit(household_id, visited_on);
`;

const v1Posts = `
CREATE TABLE post (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  department TEXT NOT NULL,
  employer TEXT,
  village_id INTEGER REFERENCES village(id),
  work_form TEXT NOT NULL,
  funding_source TEXT,
  monthly_subsidy_fen INTEGER NOT NULL CHECK (monthly_subsidy_fen >= 0),
  required_days INTEGER NOT NULL DEFAULT 30 CHECK (required_days BETWEEN 1 AND 31),
  quota INTEGER NOT NULL DEFAULT 1 CHECK (quota >= 1),
  duties TEXT,
  ${date('established_on')},
  ${date('abolished_on')},
  ${AUDIT}
);
CREATE TABLE placement (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES post(id),
  person_id INTEGER NOT NULL REFERENCES person(id),
  person_category TEXT,
  agreement_type TEXT NOT NULL,
  ${date('agreement_start', true)},
  ${date('agreement_end', true)},
  ${date('hired_on', true)},
  ${date('exit_on')},
  exit_reason TEXT,
  bank_name TEXT,
  bank_account TEXT,
  insurance_policy TEXT,
  ${date('notice_on')},
  ${AUDIT},
  CHECK (agreement_end >= agreement_start),
  CHECK (exit_on IS NULL OR exit_on >= hired_on),
  CHECK ((exit_on IS NULL) = (exit_reason IS NULL))
);
CREATE INDEX placement_post ON placement(post_id);
CREATE INDEX placement_person ON placement(person_id);
-- 一人一岗: at most one open placement per person (domain.md §2.8).
CREATE UNIQUE INDEX placement_one_open ON placement(person_id) WHERE exit_on IS NULL;
CREATE TABLE attendance (
  id INTEGER PRIMARY KEY,
  placement_id INTEGER NOT NULL REFERENCES placement(id),
  ${month('month', true)},
  required_days INTEGER NOT NULL CHECK (required_days BETWEEN 1 AND 31),
  days INTEGER NOT NULL CHECK (days BETWEEN 0 AND 31),
  monthly_subsidy_fen INTEGER NOT NULL,
  subsidy_fen INTEGER NOT NULL,
  deduction_fen INTEGER NOT NULL DEFAULT 0 CHECK (deduction_fen >= 0),
  deduction_reason TEXT,
  note TEXT,
  ${AUDIT},
  UNIQUE (placement_id, month)
);
CREATE INDEX attendance_month ON attendance(month);
CREATE TABLE payroll_month (
  ${month('month', true)} PRIMARY KEY,
  generated_at TEXT,
  locked_at TEXT,
  locked_by TEXT
);
`;

const v1Relocation = `
CREATE TABLE relocation_site (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  code TEXT,
  village_id INTEGER REFERENCES village(id),
  location TEXT,
  method TEXT NOT NULL,
  subtype TEXT,
  batch_year INTEGER,
  ${date('built_on')},
  reported_households INTEGER,
  reported_persons INTEGER,
  facilities TEXT NOT NULL DEFAULT '[]',
  workshops INTEGER NOT NULL DEFAULT 0,
  industry_projects INTEGER NOT NULL DEFAULT 0,
  ${flag('party_org')},
  ${flag('resident_committee')},
  work_team TEXT,
  note TEXT,
  ${AUDIT}
);
CREATE TABLE relocated_household (
  id INTEGER PRIMARY KEY,
  site_id INTEGER NOT NULL REFERENCES relocation_site(id),
  household_id INTEGER NOT NULL UNIQUE REFERENCES household(id),
  relocation_type TEXT NOT NULL,
  relocation_year INTEGER,
  ${date('moved_in_on', true)},
  origin_address TEXT,
  house_area_m2 REAL CHECK (house_area_m2 IS NULL OR house_area_m2 > 0),
  housing_subsidy_fen INTEGER,
  self_raised_fen INTEGER,
  ${flag('property_certificate')},
  ${flag('old_house_reclaimed')},
  ${date('reclaimed_on')},
  ${AUDIT}
);
CREATE INDEX relocated_household_site ON relocated_household(site_id);
CREATE TABLE employment (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id),
  channel TEXT NOT NULL,
  place TEXT,
  employer TEXT,
  job TEXT,
  ${month('start_month', true)},
  ${month('end_month')},
  monthly_income_fen INTEGER,
  note TEXT,
  ${AUDIT},
  CHECK (end_month IS NULL OR end_month >= start_month)
);
CREATE INDEX employment_person ON employment(person_id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  entity_id INTEGER,
  summary TEXT NOT NULL,
  before TEXT,
  after TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE TABLE report_archive (
  id INTEGER PRIMARY KEY,
  period TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at TEXT NOT NULL,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
  figures TEXT
);
`;

/** A flag the data may not state: NULL is "not known", never "no". */
const known = (name: string) => `${name} INTEGER CHECK (${name} IS NULL OR ${name} IN (0,1))`;

/**
 * v2: what a file does not say stays unknown (national exports carry only some columns), villages may exist
 * before their codes are known, and the national files' remaining fields get a place: 低保 / 特困 scope,
 * 残疾人证 numbers, 公益性岗位(月数), 医疗救助, income as reported, 务工 spells of any person and work plans, saved
 * column mappings. SQLite cannot relax a column constraint, so the affected tables are rebuilt (foreign keys
 * off for the copy, checked before commit: see `rebuildsTables`).
 */
const v2Unknown = `
CREATE TABLE village_v2 (
  id INTEGER PRIMARY KEY,
  code TEXT UNIQUE CHECK (code IS NULL OR (length(code) = 12 AND code NOT GLOB '*[^0-9]*')),
  name TEXT NOT NULL UNIQUE,
  sort_order INTEGER NOT NULL DEFAULT 0,
  ${AUDIT}
);
INSERT INTO village_v2 SELECT id, code, name, sort_order, created_at, updated_at FROM village;
DROP TABLE village;
ALTER TABLE village_v2 RENAME TO village;
CREATE TABLE household_v2 (
  id INTEGER PRIMARY KEY,
  hh_no TEXT UNIQUE,
  village_id INTEGER NOT NULL REFERENCES village(id),
  group_id INTEGER REFERENCES village_group(id),
  address TEXT,
  phone TEXT,
  hh_type TEXT NOT NULL,
  ${flag('exited_poverty')},
  exit_year INTEGER,
  ${known('dibao')},
  ${known('tekun')},
  ${known('doudi')},
  ${known('military_family')},
  ${date('established_on')},
  ${date('closed_on')},
  note TEXT,
  ${AUDIT}
);
INSERT INTO household_v2 SELECT id, hh_no, village_id, group_id, address, phone, hh_type, exited_poverty, exit_year,
  dibao, tekun, doudi, military_family, established_on, closed_on, note, created_at, updated_at FROM household;
DROP TABLE household;
ALTER TABLE household_v2 RENAME TO household;
CREATE INDEX household_village ON household(village_id);
CREATE TABLE person_v2 (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  id_number TEXT NOT NULL UNIQUE CHECK (length(id_number) = 18),
  name TEXT NOT NULL,
  relation TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('男','女')),
  ${date('birth_date', true)},
  ethnicity TEXT,
  politics TEXT,
  education TEXT,
  school_status TEXT,
  health TEXT,
  disability_category TEXT,
  disability_grade TEXT,
  disability_cert TEXT CHECK (disability_cert IS NULL OR length(disability_cert) IN (20, 22)),
  labour_capacity TEXT,
  work_months INTEGER CHECK (work_months IS NULL OR work_months BETWEEN 0 AND 12),
  work_place TEXT,
  ${known('med_resident')},
  ${known('med_employee')},
  ${known('serious_illness_ins')},
  ${known('pension_resident')},
  ${known('pension_employee')},
  ${known('medical_aid')},
  ${known('dibao')},
  dibao_scope TEXT CHECK (dibao_scope IS NULL OR dibao_scope IN ('农村','城市')),
  ${known('tekun')},
  tekun_scope TEXT CHECK (tekun_scope IS NULL OR tekun_scope IN ('农村','城市')),
  post_months INTEGER CHECK (post_months IS NULL OR post_months BETWEEN 0 AND 12),
  phone TEXT,
  ${date('joined_on')},
  ${date('left_on')},
  left_reason TEXT,
  ${AUDIT}
);
INSERT INTO person_v2 (id, household_id, id_number, name, relation, gender, birth_date, ethnicity, politics, education,
  school_status, health, disability_category, disability_grade, labour_capacity, work_months, work_place,
  med_resident, med_employee, serious_illness_ins, pension_resident, pension_employee, dibao, tekun, phone,
  joined_on, left_on, left_reason, created_at, updated_at)
SELECT id, household_id, id_number, name, relation, gender, birth_date, ethnicity, politics, education,
  school_status, health, disability_category, disability_grade, labour_capacity, work_months, work_place,
  med_resident, med_employee, serious_illness_ins, pension_resident, pension_employee, dibao, tekun, phone,
  joined_on, left_on, left_reason, created_at, updated_at FROM person;
DROP TABLE person;
ALTER TABLE person_v2 RENAME TO person;
CREATE INDEX person_household ON person(household_id);
CREATE TABLE income_snapshot_v2 (
  id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES household(id),
  case_id INTEGER REFERENCES monitoring_case(id),
  kind TEXT NOT NULL,
  ${date('as_of', true)},
  members INTEGER NOT NULL CHECK (members > 0),
  wage_fen INTEGER,
  business_fen INTEGER,
  property_fen INTEGER,
  transfer_fen INTEGER,
  business_cost_fen INTEGER,
  claims_fen INTEGER,
  compliant_oop_fen INTEGER,
  -- 人均纯收入 as the national file states it (its components may be absent from the file)
  reported_per_capita_fen INTEGER,
  ${AUDIT}
);
INSERT INTO income_snapshot_v2 (id, household_id, case_id, kind, as_of, members, wage_fen, business_fen, property_fen,
  transfer_fen, business_cost_fen, claims_fen, compliant_oop_fen, created_at, updated_at)
SELECT id, household_id, case_id, kind, as_of, members, wage_fen, business_fen, property_fen, transfer_fen,
  business_cost_fen, claims_fen, compliant_oop_fen, created_at, updated_at FROM income_snapshot;
DROP TABLE income_snapshot;
ALTER TABLE income_snapshot_v2 RENAME TO income_snapshot;
CREATE INDEX income_snapshot_household ON income_snapshot(household_id, as_of);
CREATE TABLE employment_v2 (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id),
  channel TEXT,
  place TEXT,
  employer TEXT,
  job TEXT,
  industry TEXT,
  ${month('start_month', true)},
  ${month('end_month')},
  monthly_income_fen INTEGER,
  ${known('point_to_point')},
  transport_subsidy_fen INTEGER,
  note TEXT,
  ${AUDIT},
  CHECK (end_month IS NULL OR end_month >= start_month)
);
INSERT INTO employment_v2 (id, person_id, channel, place, employer, job, start_month, end_month, monthly_income_fen,
  note, created_at, updated_at)
SELECT id, person_id, channel, place, employer, job, start_month, end_month, monthly_income_fen, note, created_at,
  updated_at FROM employment;
DROP TABLE employment;
ALTER TABLE employment_v2 RENAME TO employment;
CREATE INDEX employment_person ON employment(person_id);
CREATE TABLE work_plan (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES person(id),
  ${month('month', true)},
  ${known('planned')},
  service_need TEXT,
  ${AUDIT},
  UNIQUE (person_id, month)
);
CREATE TABLE import_mapping (
  layout TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  header_row INTEGER NOT NULL CHECK (header_row >= 0),
  columns TEXT NOT NULL,
  ${AUDIT}
);
`;

/**
 * Accounts (issue 11): sign-in name, role, the scrypt hash of the password with its salt and cost parameters
 * (stored per account so the cost can rise later without breaking old hashes), failed attempts and lockout.
 * The database key of encryption at rest (item 2) is wrapped per account outside this table: the table lives in
 * the encrypted file, which the wrapped key must open first.
 */
const v3Accounts = `
CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(user) BETWEEN 1 AND 32),
  role TEXT NOT NULL CHECK (role IN ('管理员', '经办人', '查看')),
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  scrypt_n INTEGER NOT NULL CHECK (scrypt_n >= 1024),
  scrypt_r INTEGER NOT NULL CHECK (scrypt_r >= 1),
  scrypt_p INTEGER NOT NULL CHECK (scrypt_p >= 1),
  failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until TEXT,
  last_login_at TEXT,
  password_changed_at TEXT NOT NULL,
  disabled_at TEXT,
  ${AUDIT}
);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'township_schema',
    async up(trx) {
      await runStatements(trx, v1Township + v1Monitoring + v1Posts + v1Relocation);
    },
  },
  {
    version: 2,
    name: 'unknown_stays_unknown',
    rebuildsTables: true,
    async up(trx) {
      await runStatements(trx, v2Unknown);
    },
  },
  {
    version: 3,
    name: 'accounts',
    async up(trx) {
      await runStatements(trx, v3Accounts);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
