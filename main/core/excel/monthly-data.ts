/**
 * The rows behind the monthly submission and the public notices, as of the month's last day, from effective
 * dates only: the facts of domain/facts.ts, the same ones `stats.month` uses. Read through db/query.ts, with
 * cursors for sheets that are too large to hold at county scale.
 */
import { sql, type RawBuilder } from 'kysely';
import { monthEnd, monthStart } from '../../../shared/dates.ts';
import type { Parameters } from '../../../shared/parameters.ts';
import { rows, stream, type Connection } from '../db/query.ts';
import {
  caseEventDate,
  caseEventKindAt,
  householdExistsAt,
  labourAt,
  movedInBy,
  perCapitaNetFen,
  personCurrentAt,
  placementInMonth,
  ROSTER_EVENT_KINDS,
  siteBuiltBy,
  spellInMonth,
  workMonitoredAt,
} from '../domain/facts.ts';

export type Row = Record<string, string | number | null>;

/** Each household's latest case that was identified by the month's end, with its status then. */
function rosterCte(start: string, end: string): RawBuilder<unknown> {
  const kinds = sql.join(ROSTER_EVENT_KINDS);
  return sql`
WITH ev AS (
  SELECT c.id, c.household_id, c.category, c.elimination_method AS method,
    ${caseEventKindAt('c', end)} AS k,
    (SELECT min(e.effective_date) FROM case_event e WHERE e.case_id = c.id AND e.kind = 'identified' AND e.effective_date <= ${end}) AS identified,
    ${caseEventDate('c', 'eliminated', '0000', end)} AS eliminated,
    ${caseEventDate('c', 'identified', start, end)} IS NOT NULL AS newIn,
    ${caseEventDate('c', 'eliminated', start, end)} IS NOT NULL AS elimIn,
    ${caseEventDate('c', 'rolled_back', start, end)} IS NOT NULL AS backIn
  FROM monitoring_case c
),
roster AS (
  SELECT * FROM ev WHERE k IN (${kinds})
    AND id = (SELECT max(e2.id) FROM ev e2 WHERE e2.household_id = ev.household_id AND e2.k IN (${kinds}))
)`;
}

/** The latest income snapshot of household h by d: per-capita net income and compliant out-of-pocket costs. */
const latestSnapshot = (what: RawBuilder<unknown>, d: string) =>
  sql`(SELECT ${what} FROM income_snapshot s WHERE s.household_id = h.id AND s.as_of <= ${d} ORDER BY s.as_of DESC, s.id DESC LIMIT 1)`;
const PER_CAPITA = perCapitaNetFen('s');
/** The id of person p's latest employment record covering the month (the month's job, when there are two). */
const latestSpell = (p: string, month: string) =>
  sql`(SELECT x.id FROM employment x WHERE x.person_id = ${sql.ref(`${p}.id`)} AND ${spellInMonth('x', month)} ORDER BY x.start_month DESC, x.id DESC LIMIT 1)`;
const RISKS = sql`(SELECT group_concat(risk_type, '、') FROM (SELECT risk_type FROM case_risk WHERE case_id = r.id ORDER BY seq))`;

export class MonthlyData {
  readonly month: string;
  readonly params: Parameters;
  private readonly conn: Connection;
  private readonly start: string;
  private readonly end: string;

  constructor(conn: Connection, month: string, params: Parameters) {
    this.conn = conn;
    this.month = month;
    this.params = params;
    this.start = monthStart(month);
    this.end = monthEnd(month);
  }

  private stream(query: RawBuilder<Row>): Iterable<Row> {
    return stream(this.conn, query);
  }

  /** T3: per household existing at the month's end, its village, persons then and its roster case if any. */
  households(): Iterable<Row> {
    const { start, end } = this;
    return this.stream(sql`${rosterCte(start, end)}
      SELECT h.id, v.id AS villageId, v.name AS village, v.sort_order AS villageOrder, v.code AS villageCode, h.hh_type AS hhType, h.doudi,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personCurrentAt('p', end)}) AS persons,
        r.category, r.k, r.newIn, r.elimIn, r.backIn
      FROM household h JOIN village v ON v.id = h.village_id LEFT JOIN roster r ON r.household_id = h.id
      WHERE ${householdExistsAt('h', end)} ORDER BY v.sort_order, v.code, h.id`);
  }

  villages(): Row[] {
    return rows(this.conn, sql<Row>`SELECT id, name, code FROM village ORDER BY sort_order, code`);
  }

  /** T2: one row per household on the roster. */
  rosterHouseholds(): Iterable<Row> {
    const { start, end } = this;
    return this.stream(sql`${rosterCte(start, end)}
      SELECT h.id, v.name AS village, h.hh_no AS hhNo, h.hh_type AS hhType, h.phone, h.note,
        hd.name AS headName, hd.id_number AS headId,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personCurrentAt('p', end)}) AS persons,
        r.id AS caseId, r.category, r.k, r.identified, r.eliminated, r.method,
        ${RISKS} AS risks,
        ${latestSnapshot(PER_CAPITA, end)} AS perCapita,
        ${latestSnapshot(sql`s.compliant_oop_fen`, end)} AS oop,
        (SELECT group_concat(DISTINCT m.category) FROM measure m WHERE m.household_id = h.id AND m.start_date <= ${end}) AS measures,
        (SELECT hp.name FROM household_helper l JOIN helper hp ON hp.id = l.helper_id WHERE l.household_id = h.id AND l.start_date <= ${end} AND (l.end_date IS NULL OR l.end_date >= ${end}) ORDER BY l.start_date DESC LIMIT 1) AS helper
      FROM roster r JOIN household h ON h.id = r.household_id JOIN village v ON v.id = h.village_id
      LEFT JOIN person hd ON hd.household_id = h.id AND hd.relation = '户主' AND ${personCurrentAt('hd', end)}
      WHERE ${householdExistsAt('h', end)}
      ORDER BY v.sort_order, v.code, h.hh_no, h.id`);
  }

  /** T1: the persons of roster households as of the month's end, the head first. */
  rosterPersons(): Iterable<Row> {
    const { start, end } = this;
    return this.stream(sql`${rosterCte(start, end)}
      SELECT p.id, v.name AS village, g.name AS groupName, h.id AS householdId, h.hh_no AS hhNo, p.name, p.id_number AS idNumber, p.relation, p.ethnicity, p.education,
        p.school_status AS school, p.health, p.labour_capacity AS labour, p.work_months AS workMonths, p.serious_illness_ins AS seriousIns, p.phone, h.phone AS hhPhone, h.hh_type AS hhType,
        (SELECT count(*) FROM person x WHERE x.household_id = h.id AND ${personCurrentAt('x', end)}) AS persons,
        ${RISKS} AS risks,
        ${latestSnapshot(PER_CAPITA, end)} AS perCapita,
        r.category, r.k, r.identified, r.eliminated, p.joined_on AS joinedOn
      FROM roster r JOIN household h ON h.id = r.household_id JOIN village v ON v.id = h.village_id LEFT JOIN village_group g ON g.id = h.group_id
      JOIN person p ON p.household_id = h.id AND ${personCurrentAt('p', end)}
      WHERE ${householdExistsAt('h', end)}
      ORDER BY v.sort_order, v.code, h.hh_no, h.id, p.relation <> '户主', p.birth_date`);
  }

  /** T5: holders during the month (hired by its end, not exited before it, agreement overlapping). */
  placements(): Iterable<Row> {
    return this.stream(sql`
      SELECT pl.id, v.name AS village, pe.name, pe.gender, pe.id_number AS idNumber, pe.birth_date AS birth, pe.labour_capacity AS labour, pe.phone,
        pl.person_category AS personCategory, po.name AS post, po.category AS postCategory, po.department, po.employer, po.work_form AS workForm,
        pl.hired_on AS hired, pl.agreement_start AS agreementStart, pl.agreement_end AS agreementEnd, po.monthly_subsidy_fen AS monthlyFen,
        pl.bank_name AS bankName, pl.bank_account AS bankAccount
      FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id
      WHERE ${placementInMonth('pl', this.month)}
      ORDER BY v.sort_order, v.code, po.name, pe.name`);
  }

  /** T6/T7/T8: the month's attendance rows of holders during the month. */
  attendance(department?: string): Iterable<Row> {
    return this.stream(sql`
      SELECT a.id, v.name AS village, pe.name, pe.id_number AS idNumber, po.name AS post, po.department, a.required_days AS required, a.days,
        a.monthly_subsidy_fen AS monthlyFen, a.subsidy_fen AS subsidyFen, a.deduction_fen AS deductionFen, a.subsidy_fen - a.deduction_fen AS payFen,
        a.deduction_reason AS deductionReason, pl.agreement_start AS agreementStart, pl.agreement_end AS agreementEnd, pl.bank_name AS bankName, pl.bank_account AS bankAccount
      FROM attendance a JOIN placement pl ON pl.id = a.placement_id JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
        JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id
      WHERE a.month = ${this.month} AND ${placementInMonth('pl', this.month)}
        ${department ? sql`AND po.department = ${department}` : sql``}
      ORDER BY v.sort_order, v.code, po.name, pe.name`);
  }

  /** T9/T10: sites built by the month's end. */
  sites(): Row[] {
    return rows(
      this.conn,
      sql<Row>`SELECT s.*, v.name AS village FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id
        WHERE ${siteBuiltBy('s', this.end)} ORDER BY s.id`,
    );
  }

  /** T10 detail: persons of relocated households moved in by the month's end, labour flag and the month's job. */
  relocatedPersons(): Iterable<Row> {
    const { end, month } = this;
    const { labourAgeMin, labourAgeMax } = this.params;
    return this.stream(sql`
      SELECT p.id, s.id AS siteId, s.name AS site, rh.household_id AS householdId, rh.relocation_type AS relocationType, p.name, p.id_number AS idNumber, p.gender, p.birth_date AS birth,
        p.labour_capacity AS labour, p.phone, hd.name AS headName,
        ${labourAt('p', end, labourAgeMin, labourAgeMax)} AS isLabour,
        em.channel, em.place, em.employer, em.start_month AS startMonth, em.monthly_income_fen AS incomeFen
      FROM relocated_household rh JOIN relocation_site s ON s.id = rh.site_id JOIN household h ON h.id = rh.household_id
        JOIN person p ON p.household_id = h.id AND ${personCurrentAt('p', end)}
        LEFT JOIN person hd ON hd.household_id = h.id AND hd.relation = '户主' AND ${personCurrentAt('hd', end)}
        LEFT JOIN employment em ON em.id = ${latestSpell('p', month)}
      WHERE ${movedInBy('rh', end)} AND ${householdExistsAt('h', end)}
      ORDER BY s.id, rh.household_id, p.relation <> '户主', p.birth_date`);
  }

  /**
   * T11: persons of households within 务工监测 (脱贫户 and monitored households) at the month's end, each with the
   * labour flag, the month's job (latest record covering the month) and the month's work plan.
   */
  workPersons(): Iterable<Row> {
    const { end, month } = this;
    const { labourAgeMin, labourAgeMax } = this.params;
    return this.stream(sql`
      SELECT p.id, v.id AS villageId, h.id AS householdId,
        ${labourAt('p', end, labourAgeMin, labourAgeMax)} AS isLabour,
        em.id AS spellId, em.channel, em.place, em.point_to_point AS pointToPoint,
        wp.planned, wp.service_need AS serviceNeed
      FROM household h JOIN village v ON v.id = h.village_id
        JOIN person p ON p.household_id = h.id AND ${personCurrentAt('p', end)}
        LEFT JOIN employment em ON em.id = ${latestSpell('p', month)}
        LEFT JOIN work_plan wp ON wp.person_id = p.id AND wp.month = ${month}
      WHERE ${householdExistsAt('h', end)} AND ${workMonitoredAt('h', end)}
      ORDER BY v.sort_order, v.code, h.id`);
  }

  /** T11 detail: every employment record covering the month of the persons T11 counts. */
  workSpells(): Iterable<Row> {
    const { end, month } = this;
    const { labourAgeMin, labourAgeMax } = this.params;
    return this.stream(sql`
      SELECT em.id, p.id AS personId, v.name AS village, h.hh_no AS hhNo, p.name, p.id_number AS idNumber,
        ${labourAt('p', end, labourAgeMin, labourAgeMax)} AS isLabour,
        em.start_month AS startMonth, em.end_month AS endMonth, em.place, em.channel, em.industry, em.employer,
        em.monthly_income_fen AS incomeFen, em.point_to_point AS pointToPoint
      FROM employment em JOIN person p ON p.id = em.person_id JOIN household h ON h.id = p.household_id
        JOIN village v ON v.id = h.village_id
      WHERE ${spellInMonth('em', month)} AND ${personCurrentAt('p', end)} AND ${householdExistsAt('h', end)}
        AND ${workMonitoredAt('h', end)}
      ORDER BY v.sort_order, v.code, h.hh_no, h.id, p.relation <> '户主', p.birth_date, p.id, em.start_month, em.id`);
  }

  /** 公示: cases whose identification or elimination notice began in the month, with the household then. */
  notices(stage: 'notice' | 'e_notice'): Row[] {
    return rows(
      this.conn,
      sql<Row>`
      SELECT c.id, g.name AS groupName, v.name AS village,
        coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '') AS headName,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND p.birth_date <= s.done_on AND (p.left_on IS NULL OR p.left_on > s.done_on)) AS persons,
        c.category, c.elimination_method AS method,
        (SELECT group_concat(risk_type, '、') FROM (SELECT risk_type FROM case_risk WHERE case_id = c.id ORDER BY seq)) AS risks,
        s.done_on AS startOn, s.end_on AS endOn
      FROM case_stage s JOIN monitoring_case c ON c.id = s.case_id JOIN household h ON h.id = c.household_id
        JOIN village v ON v.id = h.village_id LEFT JOIN village_group g ON g.id = h.group_id
      WHERE s.stage = ${stage} AND s.done_on BETWEEN ${this.start} AND ${this.end}
      ORDER BY v.sort_order, v.code, s.done_on, c.id`,
    );
  }
}
