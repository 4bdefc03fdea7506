/**
 * 数据校验: the rule engine. A rule has a code, a severity (错误 blocks a submission, 提示 warns), the entity it
 * concerns, and a check that returns violations; the message names the record and the field. Thresholds and
 * limits come from the township's parameters, never constants. Person and household attributes are checked
 * as they stand; monthly items (attendance, employment) for the chosen month; dates against its last day.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Finding, RulesResult, Severity } from '../../../shared/api.ts';
import { monthEnd, monthOf } from '../../../shared/dates.ts';
import type { Parameters } from '../../../shared/parameters.ts';
import { rows, type Connection } from '../db/query.ts';
import { householdOpenNow, personInRegisterNow } from '../domain/facts.ts';

export type { Finding, Severity };

export interface RuleContext {
  conn: Connection;
  params: Parameters;
  month: string;
  /** The month's last day, or today when that is earlier (a month in progress). */
  asOf: string;
  /** The yearly monitoring threshold in fen (latest year ≤ the given one). */
  thresholdFen(year: number): number | null;
}

/** One violation as a check reports it; the engine adds the rule's code, title, severity and entity. */
export type Hit = Omit<Finding, 'rule' | 'title' | 'severity' | 'entity'>;

export interface Rule {
  code: string;
  severity: Severity;
  entity: Finding['entity'];
  title: string;
  check(ctx: RuleContext): Hit[];
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type Row = Record<string, string | number | null> & {
  id: number;
  hh: number | null;
  vid: number | null;
  vname: string | null;
};

/**
 * Most rules are one query: it selects id, hh (household), vid, vname and what the message needs. The query
 * is a Kysely `sql` fragment built from the facts (domain/facts.ts); dates and parameters are bound values.
 */
export function sqlRule(
  def: Omit<Rule, 'check'> & {
    query: (ctx: RuleContext) => RawBuilder<Row>;
    message: (row: Row, ctx: RuleContext) => string;
    field?: string;
    /** Extra filtering in code, for what SQL cannot say (checksums, phone formats…). */
    keep?: (row: Row, ctx: RuleContext) => boolean;
  },
): Rule {
  return defineRule({
    code: def.code,
    severity: def.severity,
    entity: def.entity,
    title: def.title,
    check(ctx) {
      return rows(ctx.conn, def.query(ctx))
        .filter((r) => (def.keep ? def.keep(r, ctx) : true))
        .map((r) => ({
          id: r.id,
          householdId: r.hh ?? null,
          villageId: r.vid ?? null,
          villageName: r.vname ?? null,
          message: def.message(r, ctx),
          field: def.field,
          month: typeof r.month === 'string' ? r.month : undefined,
        }));
    },
  });
}

/** Persons in the register now, with their household and village; `joins` go before the WHERE. */
export const PERSONS = (joins: RawBuilder<unknown> = sql``) =>
  sql`FROM person p JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id ${joins}
  WHERE ${personInRegisterNow('p')} AND ${householdOpenNow('h')}`;
export const PERSON_COLS = sql`p.id, p.household_id AS hh, v.id AS vid, v.name AS vname, p.name`;

export const HOUSEHOLDS = (joins: RawBuilder<unknown> = sql``) =>
  sql`FROM household h JOIN village v ON v.id = h.village_id ${joins} WHERE ${householdOpenNow('h')}`;
export const HOUSEHOLD_COLS = sql`h.id, h.id AS hh, v.id AS vid, v.name AS vname,
  coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' AND left_on IS NULL LIMIT 1), '（无户主）户编号' || coalesce(h.hh_no, h.id)) AS head`;

export const CASES = (joins: RawBuilder<unknown> = sql``) =>
  sql`FROM monitoring_case c JOIN household h ON h.id = c.household_id JOIN village v ON v.id = h.village_id ${joins} WHERE 1 = 1`;
export const CASE_COLS = sql`c.id, h.id AS hh, v.id AS vid, v.name AS vname,
  coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '户' || h.id) AS head`;

export function contextFor(
  conn: Connection,
  params: Parameters,
  month: string,
  today: string,
  thresholds: { year: number; amountFen: number }[],
): RuleContext {
  const end = monthEnd(month);
  const sorted = [...thresholds].sort((a, b) => a.year - b.year);
  return {
    conn,
    params,
    month,
    asOf: monthOf(today) === month && today < end ? today : end,
    thresholdFen(year) {
      let found: number | null = null;
      for (const t of sorted) if (t.year <= year) found = t.amountFen;
      return found;
    },
  };
}

export function runRules(rules: readonly Rule[], ctx: RuleContext): RulesResult {
  const findings: Finding[] = [];
  const timings: Record<string, number> = {};
  for (const rule of rules) {
    const t0 = performance.now();
    for (const hit of rule.check(ctx)) {
      findings.push({ rule: rule.code, title: rule.title, severity: rule.severity, entity: rule.entity, ...hit });
    }
    timings[rule.code] = Math.round(performance.now() - t0);
  }
  const errors = findings.filter((f) => f.severity === '错误').length;
  return { month: ctx.month, asOf: ctx.asOf, errors, warnings: findings.length - errors, findings, timings };
}
