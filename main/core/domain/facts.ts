/**
 * The vocabulary of facts: every "is this record current / open / active / labour on that date" condition the
 * core asks, written once as Kysely SQL fragments. Figures, the monthly report data, rules, lists and the
 * dashboard compose them; nothing else spells these conditions out.
 *
 * Two families:
 * - **as of a date** (`…At`, `…InMonth`): from effective dates only (architecture.md "Every state change carries
 *   its effective date"), so a past month gives the same answer whatever is recorded later;
 * - **as it stands** (`…Now`): the register today (a person who has not left, an open case), for checks and lists.
 *
 * Each takes the table alias it applies to and bound values (dates, months, ages): never text from users.
 */
import { sql, type RawBuilder } from 'kysely';
import { LABOUR_FORCE_CAPACITIES } from '../../../shared/catalogs.ts';
import { monthEnd, monthStart } from '../../../shared/dates.ts';
import { OPEN_CASE_STATUSES } from '../../../shared/workflow.ts';

/** A SQL condition or expression. */
export type Fact = RawBuilder<unknown>;

/** `alias.column` as an identifier reference (aliases and columns come from code, never from input). */
const col = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

// ── persons and households ──────────────────────────────────────────────────────────────────────────────

/** A person belongs to their household on date d (born, joined and not yet left). */
export const personCurrentAt = (p: string, d: string): Fact =>
  sql`(${col(p, 'birth_date')} <= ${d} AND (${col(p, 'joined_on')} IS NULL OR ${col(p, 'joined_on')} <= ${d})
    AND (${col(p, 'left_on')} IS NULL OR ${col(p, 'left_on')} > ${d}))`;

/** A household exists on date d (established by then, not closed). */
export const householdExistsAt = (h: string, d: string): Fact =>
  sql`((${col(h, 'established_on')} IS NULL OR ${col(h, 'established_on')} <= ${d}) AND (${col(h, 'closed_on')} IS NULL OR ${col(h, 'closed_on')} > ${d}))`;

/** A person in the register as it stands (has not left). */
export const personInRegisterNow = (p: string): Fact => sql`${col(p, 'left_on')} IS NULL`;

/** A household in the register as it stands (not closed). */
export const householdOpenNow = (h: string): Fact => sql`${col(h, 'closed_on')} IS NULL`;

/** A column of the head (户主) of household `h` in the register now (null when the household has none). */
export const headNow = (h: string, column: 'name' | 'id_number' = 'name'): RawBuilder<string | null> =>
  sql<
    string | null
  >`(SELECT ${col('hd', column)} FROM person hd WHERE hd.household_id = ${col(h, 'id')} AND hd.relation = '户主' AND hd.left_on IS NULL LIMIT 1)`;

/** The number of members of household `h` in the register now. */
export const membersNow = (h: string): RawBuilder<number> =>
  sql<number>`(SELECT count(*) FROM person m WHERE m.household_id = ${col(h, 'id')} AND m.left_on IS NULL)`;

// ── age ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The latest birth date of someone who is at least `years` old on d (same month-day, string comparison),
 * the SQL counterpart of `ageOn` in shared/dates.ts: `birth <= bornBy(d, n)` ⟺ `ageOn(birth, d) >= n`.
 */
export function bornBy(d: string, years: number): string {
  return `${String(Number(d.slice(0, 4)) - years).padStart(4, '0')}${d.slice(4)}`;
}

/** Age in whole years on d (a date, or a date column such as the hiring date), as a number. */
export const ageAt = (birth: Fact, d: Fact | string): Fact =>
  sql`((CAST(strftime('%Y', ${d}) AS INTEGER) - CAST(strftime('%Y', ${birth}) AS INTEGER)) - (strftime('%m-%d', ${d}) < strftime('%m-%d', ${birth})))`;

/** Age on d between min and max inclusive, on the birth-date column of alias p (uses the column's index). */
export const agedBetweenAt = (p: string, d: string, min: number, max: number): Fact =>
  sql`(${col(p, 'birth_date')} <= ${bornBy(d, min)} AND ${col(p, 'birth_date')} > ${bornBy(d, max + 1)})`;

/** Labour force on d: working age, with labour capacity, not in school (domain.md §2.9). */
export const labourAt = (p: string, d: string, ageMin: number, ageMax: number): Fact =>
  sql`(${agedBetweenAt(p, d, ageMin, ageMax)} AND ${col(p, 'labour_capacity')} IN (${sql.join(LABOUR_FORCE_CAPACITIES)})
    AND ${col(p, 'school_status')} IS NULL)`;

// ── monitoring cases ────────────────────────────────────────────────────────────────────────────────────

/** The kind of a case's latest status event on or before d (identified, eliminated, rolled_back, rejected). */
export const caseEventKindAt = (c: string, d: string): Fact =>
  sql`(SELECT e.kind FROM case_event e WHERE e.case_id = ${col(c, 'id')} AND e.effective_date <= ${d} ORDER BY e.effective_date DESC, e.id DESC LIMIT 1)`;

/** A case is monitored on d when its latest status event by then is identification or rollback. */
export const caseMonitoredAt = (c: string, d: string): Fact =>
  sql`(${caseEventKindAt(c, d)} IN ('identified', 'rolled_back'))`;

/** Event kinds that put a case on the month's roster (monitored then, or eliminated by then). */
export const ROSTER_EVENT_KINDS = ['identified', 'rolled_back', 'eliminated'] as const;

/** The latest date on which case `c` had an event of `kind` within [from, to]. */
export const caseEventDate = (c: string, kind: string, from: string, to: string): Fact =>
  sql`(SELECT max(e.effective_date) FROM case_event e WHERE e.case_id = ${col(c, 'id')} AND e.kind = ${kind} AND e.effective_date BETWEEN ${from} AND ${to})`;

/** A case open as it stands (in identification, monitored, or in elimination). */
export const caseOpenNow = (c: string): Fact => sql`${col(c, 'status')} IN (${sql.join(OPEN_CASE_STATUSES)})`;

// ── posts ───────────────────────────────────────────────────────────────────────────────────────────────

/** A placement holds its post during the month and its agreement overlaps the month ([C5]). */
export const placementInMonth = (pl: string, month: string): Fact => {
  const start = monthStart(month);
  const end = monthEnd(month);
  return sql`(${col(pl, 'hired_on')} <= ${end} AND (${col(pl, 'exit_on')} IS NULL OR ${col(pl, 'exit_on')} > ${start})
    AND ${col(pl, 'agreement_start')} <= ${end} AND ${col(pl, 'agreement_end')} >= ${start})`;
};

/** A placement is held on d (hired by then, not exited). */
export const placementHeldAt = (pl: string, d: string): Fact =>
  sql`(${col(pl, 'hired_on')} <= ${d} AND (${col(pl, 'exit_on')} IS NULL OR ${col(pl, 'exit_on')} > ${d}))`;

/** A post exists on d (established by then, not abolished). */
export const postExistsAt = (po: string, d: string): Fact =>
  sql`((${col(po, 'established_on')} IS NULL OR ${col(po, 'established_on')} <= ${d})
    AND (${col(po, 'abolished_on')} IS NULL OR ${col(po, 'abolished_on')} > ${d}))`;

// ── employment ──────────────────────────────────────────────────────────────────────────────────────────

/** Employment record em covers the month (started by then, not ended before it). */
export const spellInMonth = (em: string, month: string): Fact =>
  sql`(${col(em, 'start_month')} <= ${month} AND (${col(em, 'end_month')} IS NULL OR ${col(em, 'end_month')} >= ${month}))`;

/** Person p has an employment record covering the month. */
export const employedInMonth = (p: string, month: string): Fact =>
  sql`EXISTS (SELECT 1 FROM employment em WHERE em.person_id = ${col(p, 'id')} AND ${spellInMonth('em', month)})`;

/**
 * Household h is within 务工监测 on d: a 脱贫户 (by its household type), or a household whose monitoring case is on
 * the roster then (identified by d, monitored or eliminated since: the 监测对象合计 of T3).
 */
export const workMonitoredAt = (h: string, d: string): Fact =>
  sql`(${col(h, 'hh_type')} IN ('脱贫户', '脱贫不享受政策户') OR EXISTS (SELECT 1 FROM monitoring_case wc
    WHERE wc.household_id = ${col(h, 'id')} AND ${caseEventKindAt('wc', d)} IN (${sql.join(ROSTER_EVENT_KINDS)})))`;

// ── relocation ──────────────────────────────────────────────────────────────────────────────────────────

/** A relocated household had moved in by d. */
export const movedInBy = (rh: string, d: string): Fact => sql`${col(rh, 'moved_in_on')} <= ${d}`;

/** A relocation site was built by d. */
export const siteBuiltBy = (s: string, d: string): Fact =>
  sql`(${col(s, 'built_on')} IS NULL OR ${col(s, 'built_on')} <= ${d})`;

// ── income ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * An income snapshot's 人均纯收入 in fen: from its components when all are known, else as the source reported it;
 * NULL when neither is known (a rule then finds nothing: unknown is not "low").
 */
export const perCapitaNetFen = (s: string): Fact =>
  sql`COALESCE((${col(s, 'wage_fen')} + ${col(s, 'business_fen')} + ${col(s, 'property_fen')} + ${col(s, 'transfer_fen')}
    - ${col(s, 'business_cost_fen')}) * 1.0 / ${col(s, 'members')}, ${col(s, 'reported_per_capita_fen')})`;
