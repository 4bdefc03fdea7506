/** Relocation rules (易地搬迁): zero-employment households with labour, site counts against linked households. */
import { LABOUR_FORCE_CAPACITIES } from '../../../shared/catalogs.ts';
import { AGE, sqlList, sqlRule, type Rule } from './engine.ts';

const LABOUR = `p.left_on IS NULL AND p.school_status IS NULL AND p.labour_capacity IN (${sqlList(LABOUR_FORCE_CAPACITIES)})
  AND ${AGE('p.birth_date')} BETWEEN @amin AND @amax`;
const EMPLOYED = `EXISTS (SELECT 1 FROM employment em WHERE em.person_id = p.id AND em.start_month <= @month AND (em.end_month IS NULL OR em.end_month >= @month))`;
const linked = `(SELECT count(*) FROM relocated_household rh JOIN household h ON h.id = rh.household_id WHERE rh.site_id = s.id AND rh.moved_in_on <= @asOf AND h.closed_on IS NULL)`;
const persons = `(SELECT count(*) FROM relocated_household rh JOIN household h ON h.id = rh.household_id JOIN person p ON p.household_id = h.id
  WHERE rh.site_id = s.id AND rh.moved_in_on <= @asOf AND h.closed_on IS NULL AND p.left_on IS NULL)`;

export const relocationRules: Rule[] = [
  sqlRule({
    code: 'BQ01',
    severity: '提示',
    entity: '搬迁户',
    title: '有劳动力但无人就业的搬迁户',
    field: 'employment',
    params: (ctx) => ({ amin: ctx.params.labourAgeMin, amax: ctx.params.labourAgeMax }),
    sql: `SELECT rh.id, h.id AS hh, v.id AS vid, v.name AS vname, s.name AS site,
        coalesce((SELECT name FROM person WHERE household_id = h.id AND relation = '户主' LIMIT 1), '户' || h.id) AS head,
        (SELECT count(*) FROM person p WHERE p.household_id = h.id AND ${LABOUR}) AS labour
      FROM relocated_household rh JOIN relocation_site s ON s.id = rh.site_id JOIN household h ON h.id = rh.household_id JOIN village v ON v.id = h.village_id
      WHERE rh.moved_in_on <= @asOf AND h.closed_on IS NULL
        AND EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND ${LABOUR})
        AND NOT EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND ${LABOUR} AND ${EMPLOYED})`,
    message: (r, ctx) =>
      `${r.vname} ${r.head}户（${r.site}）：有劳动力${r.labour}人，${ctx.month} 无人就业（零就业户）`,
  }),
  sqlRule({
    code: 'BQ02',
    severity: '错误',
    entity: '安置点',
    title: '安置点上报户数与搬迁户不一致',
    field: 'reportedHouseholds',
    sql: `SELECT s.id, NULL AS hh, v.id AS vid, v.name AS vname, s.name, s.reported_households AS reported, ${linked} AS linked
      FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id WHERE s.reported_households IS NOT NULL AND s.reported_households <> ${linked}`,
    message: (r) => `安置点「${r.name}」：「上报户数」${r.reported}户，已关联搬迁户${r.linked}户`,
  }),
  sqlRule({
    code: 'BQ03',
    severity: '错误',
    entity: '安置点',
    title: '安置点上报人数与搬迁人口不一致',
    field: 'reportedPersons',
    sql: `SELECT s.id, NULL AS hh, v.id AS vid, v.name AS vname, s.name, s.reported_persons AS reported, ${persons} AS linked
      FROM relocation_site s LEFT JOIN village v ON v.id = s.village_id WHERE s.reported_persons IS NOT NULL AND s.reported_persons <> ${persons}`,
    message: (r) => `安置点「${r.name}」：「上报人数」${r.reported}人，已关联搬迁户在册人口${r.linked}人`,
  }),
];
