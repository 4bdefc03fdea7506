/** Public-welfare post rules (公益岗位): ages, one post per person / household, quota, attendance and subsidy, agreement periods. */
import { daysInMonth } from '../../../shared/dates.ts';
import { fenToYuanText, proRataSubsidyFen } from '../../../shared/money.ts';
import { sql, type RawBuilder } from 'kysely';
import { ageAt, placementHeldAt } from '../domain/facts.ts';
import { sqlRule, type Rule, type RuleContext } from './engine.ts';

const PLACEMENTS = (
  joins: RawBuilder<unknown> = sql``,
) => sql`FROM placement pl JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
  JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id ${joins} WHERE 1 = 1`;
const COLS = sql`pl.id, pe.household_id AS hh, v.id AS vid, v.name AS vname, pe.name, po.name AS post`;
const who = (r: Record<string, string | number | null>) => `${r.vname} ${r.name}（${r.post}）`;
const ATTENDANCE = (
  ctx: RuleContext,
) => sql`FROM attendance a JOIN placement pl ON pl.id = a.placement_id JOIN person pe ON pe.id = pl.person_id JOIN post po ON po.id = pl.post_id
  JOIN household h ON h.id = pe.household_id JOIN village v ON v.id = h.village_id WHERE a.month = ${ctx.month}`;
const ATT_COLS = sql`a.id, pe.household_id AS hh, v.id AS vid, v.name AS vname, pe.name, po.name AS post, a.month`;

export const postRules: Rule[] = [
  sqlRule({
    code: 'GW01',
    severity: '错误',
    entity: '公益岗位聘用',
    title: '上岗时年龄不符合规定',
    field: 'hiredOn',
    query: (
      ctx,
    ) => sql`SELECT ${COLS}, pl.hired_on AS hired, ${ageAt(sql.ref('pe.birth_date'), sql.ref('pl.hired_on'))} AS age ${PLACEMENTS()}
      AND pl.hired_on <= ${ctx.asOf} AND (${ageAt(sql.ref('pe.birth_date'), sql.ref('pl.hired_on'))} < ${ctx.params.postMinAge} OR ${ageAt(sql.ref('pe.birth_date'), sql.ref('pl.hired_on'))} > ${ctx.params.postMaxAgeHolding})`,
    message: (r, ctx) =>
      `${who(r)}：${r.hired} 上岗时${r.age}岁，不在${ctx.params.postMinAge}–${ctx.params.postMaxAgeHolding}周岁之间`,
  }),
  sqlRule({
    code: 'GW02',
    severity: '错误',
    entity: '公益岗位聘用',
    title: '在岗人员超过年龄上限',
    field: 'exitOn',
    query: (ctx) =>
      sql`SELECT ${COLS}, ${ageAt(sql.ref('pe.birth_date'), ctx.asOf)} AS age ${PLACEMENTS()} AND ${placementHeldAt('pl', ctx.asOf)} AND ${ageAt(sql.ref('pe.birth_date'), ctx.asOf)} > ${ctx.params.postMaxAgeHolding}`,
    message: (r, ctx) => `${who(r)}：已${r.age}岁，超过在岗年龄上限${ctx.params.postMaxAgeHolding}周岁，应办理退岗`,
  }),
  sqlRule({
    code: 'GW03',
    severity: '错误',
    entity: '公益岗位聘用',
    title: '一人同时在两个岗位',
    field: 'personId',
    query: (
      ctx,
    ) => sql`SELECT ${COLS}, po2.name AS other ${PLACEMENTS(sql`JOIN placement pl2 ON pl2.person_id = pl.person_id AND pl2.id <> pl.id JOIN post po2 ON po2.id = pl2.post_id`)}
      AND ${placementHeldAt('pl', ctx.asOf)} AND ${placementHeldAt('pl2', ctx.asOf)}`,
    message: (r) => `${who(r)}：同时在「${r.other}」岗位在岗（一人只能一岗）`,
  }),
  sqlRule({
    code: 'GW04',
    severity: '错误',
    entity: '公益岗位聘用',
    title: '同户多人在岗',
    field: 'personId',
    query: (ctx) =>
      sql`SELECT ${COLS}, pe2.name AS other ${PLACEMENTS(
        sql`JOIN person pe2 ON pe2.household_id = pe.household_id AND pe2.id <> pe.id
      JOIN placement pl2 ON pl2.person_id = pe2.id`,
      )} AND ${placementHeldAt('pl', ctx.asOf)} AND ${placementHeldAt('pl2', ctx.asOf)}`,
    keep: (_r, ctx) => ctx.params.postOnePerHousehold,
    message: (r) => `${who(r)}：同户的${r.other}也在公益岗位在岗（每户限一人）`,
  }),
  sqlRule({
    code: 'GW05',
    severity: '错误',
    entity: '公益岗位聘用',
    title: '岗位在岗人数超过岗位数',
    field: 'quota',
    query: (
      ctx,
    ) => sql`SELECT ${COLS}, po.quota, (SELECT count(*) FROM placement x WHERE x.post_id = po.id AND ${placementHeldAt('x', ctx.asOf)}) AS holders ${PLACEMENTS()}
      AND ${placementHeldAt('pl', ctx.asOf)} AND (SELECT count(*) FROM placement x WHERE x.post_id = po.id AND ${placementHeldAt('x', ctx.asOf)}) > po.quota
      AND pl.id = (SELECT max(x.id) FROM placement x WHERE x.post_id = po.id AND ${placementHeldAt('x', ctx.asOf)})`,
    message: (r) => `${who(r)}：岗位「${r.post}」在岗${r.holders}人，超过岗位数${r.quota}`,
  }),
  sqlRule({
    code: 'GW06',
    severity: '错误',
    entity: '考勤',
    title: '出勤天数超过当月天数',
    field: 'days',
    query: (ctx) => sql`SELECT ${ATT_COLS}, a.days ${ATTENDANCE(ctx)}`,
    keep: (r) => Number(r.days) > daysInMonth(Number(String(r.month).slice(0, 4)), Number(String(r.month).slice(5, 7))),
    message: (r) => `${who(r)}：${r.month}「实际出勤天数」${r.days}天，超过当月天数`,
  }),
  sqlRule({
    code: 'GW07',
    severity: '错误',
    entity: '考勤',
    title: '岗位补贴与计算公式不符',
    field: 'subsidyFen',
    query: (ctx) =>
      sql`SELECT ${ATT_COLS}, a.days, a.required_days AS required, a.monthly_subsidy_fen AS monthly, a.subsidy_fen AS subsidy ${ATTENDANCE(ctx)}`,
    keep: (r) => proRataSubsidyFen(Number(r.monthly), Number(r.required), Number(r.days)) !== Number(r.subsidy),
    message: (r) =>
      `${who(r)}：${r.month} 出勤${r.days}/${r.required}天，月标准${fenToYuanText(Number(r.monthly))}元，应发${fenToYuanText(proRataSubsidyFen(Number(r.monthly), Number(r.required), Number(r.days)))}元，登记为${fenToYuanText(Number(r.subsidy))}元`,
  }),
  sqlRule({
    code: 'GW08',
    severity: '错误',
    entity: '考勤',
    title: '补贴月份不在协议期内',
    field: 'month',
    query: (
      ctx,
    ) => sql`SELECT ${ATT_COLS}, pl.agreement_start AS starts, pl.agreement_end AS ends, pl.exit_on AS exited ${ATTENDANCE(ctx)}
      AND (a.days > 0 OR a.subsidy_fen > 0)
      AND (a.month < substr(pl.agreement_start, 1, 7) OR a.month > substr(pl.agreement_end, 1, 7) OR (pl.exit_on IS NOT NULL AND a.month > substr(pl.exit_on, 1, 7)))`,
    message: (r) =>
      `${who(r)}：${r.month} 有出勤或补贴，但协议期为 ${r.starts} 至 ${r.ends}${r.exited ? `，${r.exited} 已退岗` : ''}`,
  }),
];
