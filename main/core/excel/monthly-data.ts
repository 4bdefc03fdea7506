/**
 * The rows behind the monthly submission, as of the month's last day, from effective dates only (the same
 * definitions as `stats.month` in services/figures.ts), read with better-sqlite3 iterators so that county-scale
 * sheets stream without being held in memory.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { LABOUR_FORCE_CAPACITIES } from '../../../shared/catalogs.ts';
import { monthEnd, monthStart } from '../../../shared/dates.ts';
import type { Parameters } from '../../../shared/parameters.ts';

export type Row = Record<string, string | number | null>;

const personAt = (p: string) =>
  `(${p}.birth_date <= @end AND (${p}.joined_on IS NULL OR ${p}.joined_on <= @end) AND (${p}.left_on IS NULL OR ${p}.left_on > @end))`;
const householdAt = (h: string) =>
  `((${h}.established_on IS NULL OR ${h}.established_on <= @end) AND (${h}.closed_on IS NULL OR ${h}.closed_on > @end))`;
const evt = (kind: string, from = "'0000'", to = '@end') =>
  `(SELECT max(e.effective_date) FROM case_event e WHERE e.case_id = c.id AND e.kind = '${kind}' AND e.effective_date BETWEEN ${from} AND ${to})`;

/** Each household's latest case that was identified by the month's end, with its status then. */
const ROSTER_CTE = `
WITH ev AS (
  SELECT c.id, c.household_id, c.category, c.elimination_method AS method,
    (SELECT e.kind FROM case_event e WHERE e.case_id = c.id AND e.effective_date <= @end ORDER BY e.effective_date DESC, e.id DESC LIMIT 1) AS k,
    (SELECT min(e.effective_date) FROM case_event e WHERE e.case_id = c.id AND e.kind = 'identified' AND e.effective_date <= @end) AS identified,
    ${evt('eliminated')} AS eliminated,
    ${evt('identified', '@start')} IS NOT NULL AS newIn,
    ${evt('eliminated', '@start')} IS NOT NULL AS elimIn,
    ${evt('rolled_back', '@start')} IS NOT NULL AS backIn
  FROM monitoring_case c
),
roster AS (
  SELECT * FROM ev WHERE k IN ('identified', 'rolled_back', 'eliminated')
    AND id = (SELECT max(e2.id) FROM ev e2 WHERE e2.household_id = ev.household_id AND e2.k IN ('identified', 'rolled_back', 'eliminated'))
)`;

export class MonthlyData {
  readonly raw: BetterSqlite3.Database;
  readonly month: string;
  readonly params: Parameters;
  readonly args: { start: string; end: string; month: string };

  constructor(raw: BetterSqlite3.Database, month: string, params: Parameters) {
    this.raw = raw;
    this.month = month;
    this.params = params;
    this.args = { start: monthStart(month), end: monthEnd(month), month };
  }

  private iterate(sqlText: string, extra: Record<string, unknown> = {}): Iterable<Row> {
    const stmt = this.raw.prepare(sqlText);
    const names = new Set([...sqlText.matchAll(/@(\w+)/g)].map((m) => m[1]!));
    const all = { ...this.args, ...extra } as Record<string, unknown>;
    const bound = Object.fromEntries(Object.entries(all).filter(([k]) => names.has(k)));
    return { [Symbol.iterator]: () => stmt.iterate(bound) as Iterator<Row> };
  }

  /** T3: per household existing at the month's end, its village, persons then and its roster case if any. */
  households(): Iterable<Row> {
    return this.iterate(`${ROSTER_CTE}
      SELECT h.id, v.id AS villageId, v.name AS village, v.sort_order AS villageOrder, v.code AS villageCode, h.hh_type AS hhType, h.doudi,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personAt('p')}) AS persons,
        r.category, r.k, r.newIn, r.elimIn, r.backIn
      FROM household h JOIN village v ON v.id = h.village_id LEFT JOIN roster r ON r.household_id = h.id
      WHERE ${householdAt('h')} ORDER BY v.sort_order, v.code, h.id`);
  }

  villages(): Row[] {
    return this.raw.prepare('SELECT id, name, code FROM village ORDER BY sort_order, code').all() as Row[];
  }

  /** T2: one row per household on the roster. */
  rosterHouseholds(): Iterable<Row> {
    return this.iterate(`${ROSTER_CTE}
      SELECT h.id, v.name AS village, h.hh_no AS hhNo, h.hh_type AS hhType, h.phone, h.note,
        hd.name AS headName, hd.id_number AS headId,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${personAt('p')}) AS persons,
        r.id AS caseId, r.category, r.k, r.identified, r.eliminated, r.method,
        (SELECT group_concat(risk_type, '、') FROM (SELECT risk_type FROM case_risk WHERE case_id = r.id ORDER BY seq)) AS risks,
        (SELECT (s.wage_fen + s.business_fen + s.property_fen + s.transfer_fen - s.business_cost_fen) * 1.0 / s.members FROM income_snapshot s
          WHERE s.household_id = h.id AND s.as_of <= @end ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS perCapita,
        (SELECT s.compliant_oop_fen FROM income_snapshot s WHERE s.household_id = h.id AND s.as_of <= @end ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS oop,
        (SELECT group_concat(DISTINCT m.category) FROM measure m WHERE m.household_id = h.id AND m.start_date <= @end) AS measures,
        (SELECT hp.name FROM household_helper l JOIN helper hp ON hp.id = l.helper_id WHERE l.household_id = h.id AND l.start_date <= @end AND (l.end_date IS NULL OR l.end_date >= @end) ORDER BY l.start_date DESC LIMIT 1) AS helper
      FROM roster r JOIN household h ON h.id = r.household_id JOIN village v ON v.id = h.village_id
      LEFT JOIN person hd ON hd.household_id = h.id AND hd.relation = '户主' AND ${personAt('hd')}
      WHERE ${householdAt('h')}
      ORDER BY v.sort_order, v.code, h.hh_no, h.id`);
  }

  /** T1: the persons of roster households as of the month's end, the head first. */
  rosterPersons(): Iterable<Row> {
    return this.iterate(`${ROSTER_CTE}
      SELECT p.id, v.name AS village, g.name AS groupName, h.id AS householdId, h.hh_no AS hhNo, p.name, p.id_number AS idNumber, p.relation, p.ethnicity, p.education,
        p.school_status AS school, p.health, p.labour_capacity AS labour, p.work_months AS workMonths, p.serious_illness_ins AS seriousIns, p.phone, h.phone AS hhPhone, h.hh_type AS hhType,
        (SELECT count(*) FROM person x WHERE x.household_id = h.id AND ${personAt('x')}) AS persons,
        (SELECT group_concat(risk_type, '、') FROM (SELECT risk_type FROM case_risk WHERE case_id = r.id ORDER BY seq)) AS risks,
        (SELECT (s.wage_fen + s.business_fen + s.property_fen + s.transfer_fen - s.business_cost_fen) * 1.0 / s.members FROM income_snapshot s
          WHERE s.household_id = h.id AND s.as_of <= @end ORDER BY s.as_of DESC, s.id DESC LIMIT 1) AS perCapita,
        r.category, r.k, r.identified, r.eliminated, p.joined_on AS joinedOn
      FROM roster r JOIN household h ON h.id = r.household_id JOIN village v ON v.id = h.village_id LEFT JOIN village_group g ON g.id = h.group_id
      JOIN person p ON p.household_id = h.id AND ${personAt('p')}
      WHERE ${householdAt('h')}
      ORDER BY v.sort_order, v.code, h.hh_no, h.id, p.relation <> '户主', p.birth_date`);
  }

  /** T5: holders during the month (hired by its end, not exited before it, agreement overlapping). */
  placements(): Iterable<Row> {
    return this.iterate(`
      SELECT pl.id, v.name AS village, pe.name, pe.gender, pe.id_number AS idNumber, pe.birth_date AS birth, pe.labour_capacity AS labour, pe.phone,
        pl.person_category AS personCategory, po.name AS post, po.category AS postCategory, po.department, po.employer, po.work_form AS workForm,
        pl.hired_on AS hired, pl.agreement_start AS agreementStart, pl.agreement_end AS agreementEnd, po.monthly_subsidy_fen AS monthlyFen,
        pl.bank_name AS bankName, pl.bank_account AS bankAccount
      FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id
      WHERE pl.hired_on <= @end AND (pl.exit_on IS NULL OR pl.exit_on > @start) AND pl.agreement_start <= @end AND pl.agreement_end >= @start
      ORDER BY v.sort_order, v.code, po.name, pe.name`);
  }

  /** T6/T7/T8: the month's attendance rows of holders during the month. */
  attendance(department?: string): Iterable<Row> {
    return this.iterate(
      `
      SELECT a.id, v.name AS village, pe.name, pe.id_number AS idNumber, po.name AS post, po.department, a.required_days AS required, a.days,
        a.monthly_subsidy_fen AS monthlyFen, a.subsidy_fen AS subsidyFen, a.deduction_fen AS deductionFen, a.subsidy_fen - a.deduction_fen AS payFen,
        a.deduction_reason AS deductionReason, pl.agreement_start AS agreementStart, pl.agreement_end AS agreementEnd, pl.bank_name AS bankName, pl.bank_account AS bankAccount
      FROM attendance a JOIN placement pl ON pl.id = a.placement_id JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
        JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id
      WHERE a.month = @month AND pl.hired_on <= @end AND (pl.exit_on IS NULL OR pl.exit_on > @start) AND pl.agreement_start <= @end AND pl.agreement_end >= @start
        ${department ? 'AND po.department = @department' : ''}
      ORDER BY v.sort_order, v.code, po.name, pe.name`,
      department ? { department } : {},
    );
  }

  /** T9/T10: sites built by the month's end. */
  sites(): Row[] {
    return this.raw
      .prepare(
        `SELECT s.*, v.name AS village FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id
      WHERE s.built_on IS NULL OR s.built_on <= @end ORDER BY s.id`,
      )
      .all({ end: this.args.end }) as Row[];
  }

  /** T10 detail: persons of relocated households moved in by the month's end, labour flag and the month's job. */
  relocatedPersons(): Iterable<Row> {
    const { labourAgeMin: amin, labourAgeMax: amax } = this.params;
    const born = (years: number) =>
      `${String(Number(this.args.end.slice(0, 4)) - years).padStart(4, '0')}${this.args.end.slice(4)}`;
    return this.iterate(
      `
      SELECT p.id, s.id AS siteId, s.name AS site, rh.household_id AS householdId, rh.relocation_type AS relocationType, p.name, p.id_number AS idNumber, p.gender, p.birth_date AS birth,
        p.labour_capacity AS labour, p.phone, hd.name AS headName,
        (p.birth_date <= @bornMin AND p.birth_date > @bornMax AND p.labour_capacity IN (${LABOUR_FORCE_CAPACITIES.map((c) => `'${c}'`).join(', ')}) AND p.school_status IS NULL) AS isLabour,
        em.channel, em.place, em.employer, em.start_month AS startMonth, em.monthly_income_fen AS incomeFen
      FROM relocated_household rh JOIN relocation_site s ON s.id = rh.site_id JOIN household h ON h.id = rh.household_id
        JOIN person p ON p.household_id = h.id AND ${personAt('p')}
        LEFT JOIN person hd ON hd.household_id = h.id AND hd.relation = '户主' AND ${personAt('hd')}
        LEFT JOIN employment em ON em.id = (SELECT x.id FROM employment x WHERE x.person_id = p.id AND x.start_month <= @month AND (x.end_month IS NULL OR x.end_month >= @month) ORDER BY x.start_month DESC, x.id DESC LIMIT 1)
      WHERE rh.moved_in_on <= @end AND ${householdAt('h')}
      ORDER BY s.id, rh.household_id, p.relation <> '户主', p.birth_date`,
      { bornMin: born(amin), bornMax: born(amax + 1) },
    );
  }
}
