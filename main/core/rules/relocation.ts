/** Relocation rules (易地搬迁): zero-employment households with labour, site counts against linked households. */
import { sql } from 'kysely';
import { employedInMonth, householdOpenNow, labourAt, movedInBy, personInRegisterNow } from '../domain/facts.ts';
import { sqlRule, type Rule, type RuleContext } from './engine.ts';

const labour = (ctx: RuleContext) =>
  sql`${personInRegisterNow('p')} AND ${labourAt('p', ctx.asOf, ctx.params.labourAgeMin, ctx.params.labourAgeMax)}`;
/** Households linked to site s, moved in by the date checked and still in the register. */
const linkedHouseholds = (
  ctx: RuleContext,
) => sql`FROM relocated_household rh JOIN household h ON h.id = rh.household_id
  WHERE rh.site_id = s.id AND ${movedInBy('rh', ctx.asOf)} AND ${householdOpenNow('h')}`;
const linked = (ctx: RuleContext) => sql`(SELECT count(*) ${linkedHouseholds(ctx)})`;
const persons = (ctx: RuleContext) =>
  sql`(SELECT count(*) FROM relocated_household rh JOIN household h ON h.id = rh.household_id JOIN person p ON p.household_id = h.id
    WHERE rh.site_id = s.id AND ${movedInBy('rh', ctx.asOf)} AND ${householdOpenNow('h')} AND ${personInRegisterNow('p')})`;

export const relocationRules: Rule[] = [
  sqlRule({
    code: 'BQ01',
    severity: '提示',
    entity: '搬迁户',
    title: '有劳动力但无人就业的搬迁户',
    field: 'employment',
    query: (ctx) => sql`SELECT rh.id, h.id AS hh, v.id AS vid, v.name AS vname, s.name AS site,
        coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '户' || h.id) AS head,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${labour(ctx)}) AS labour
      FROM relocated_household rh JOIN relocation_site s ON s.id = rh.site_id JOIN household h ON h.id = rh.household_id JOIN village v ON v.id = h.village_id
      WHERE ${movedInBy('rh', ctx.asOf)} AND ${householdOpenNow('h')}
        AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND ${labour(ctx)})
        AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND ${labour(ctx)} AND ${employedInMonth('p', ctx.month)})`,
    message: (r, ctx) =>
      `${r.vname} ${r.head}户（${r.site}）：有劳动力${r.labour}人，${ctx.month} 无人就业（零就业户）`,
  }),
  sqlRule({
    code: 'BQ02',
    severity: '错误',
    entity: '安置点',
    title: '安置点上报户数与搬迁户不一致',
    field: 'reportedHouseholds',
    query: (
      ctx,
    ) => sql`SELECT s.id, NULL AS hh, v.id AS vid, v.name AS vname, s.name, s.reported_households AS reported, ${linked(ctx)} AS linked
      FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id WHERE s.reported_households IS NOT NULL AND s.reported_households <> ${linked(ctx)}`,
    message: (r) => `安置点「${r.name}」：「上报户数」${r.reported}户，已关联搬迁户${r.linked}户`,
  }),
  sqlRule({
    code: 'BQ03',
    severity: '错误',
    entity: '安置点',
    title: '安置点上报人数与搬迁人口不一致',
    field: 'reportedPersons',
    query: (
      ctx,
    ) => sql`SELECT s.id, NULL AS hh, v.id AS vid, v.name AS vname, s.name, s.reported_persons AS reported, ${persons(ctx)} AS linked
      FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id WHERE s.reported_persons IS NOT NULL AND s.reported_persons <> ${persons(ctx)}`,
    message: (r) => `安置点「${r.name}」：「上报人数」${r.reported}人，已关联搬迁户在册人口${r.linked}人`,
  }),
];
