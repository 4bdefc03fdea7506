/** Household rules (农户): head and spouse, members, phone, poverty-exit flags, 脱贫户 below the threshold. */
import { fenToYuanText } from '../../../shared/money.ts';
import { isPhoneNumber } from '../../../shared/schemas.ts';
import { sql } from 'kysely';
import { caseOpenNow, perCapitaNetFen, personInRegisterNow } from '../domain/facts.ts';
import { HOUSEHOLD_COLS, HOUSEHOLDS, sqlRule, type Rule } from './engine.ts';

const current = sql`FROM person m WHERE m.household_id = h.id AND ${personInRegisterNow('m')}`;

export const householdRules: Rule[] = [
  sqlRule({
    code: 'NH01',
    severity: '错误',
    entity: '农户',
    title: '户内没有户主',
    field: 'relation',
    query: () =>
      sql`SELECT ${HOUSEHOLD_COLS} ${HOUSEHOLDS()} AND EXISTS (SELECT 1 ${current}) AND NOT EXISTS (SELECT 1 ${current} AND m.relation = '户主')`,
    message: (r) => `${r.vname} ${r.head}户：在册成员中没有「户主」`,
  }),
  sqlRule({
    code: 'NH02',
    severity: '错误',
    entity: '农户',
    title: '户主不止一人',
    field: 'relation',
    query: () =>
      sql`SELECT ${HOUSEHOLD_COLS}, (SELECT count(*) ${current} AND m.relation = '户主') AS n ${HOUSEHOLDS()} AND (SELECT count(*) ${current} AND m.relation = '户主') > 1`,
    message: (r) => `${r.vname} ${r.head}户：有${r.n}名成员登记为「户主」，每户只能有一名`,
  }),
  sqlRule({
    code: 'NH03',
    severity: '错误',
    entity: '农户',
    title: '户主与配偶性别相同',
    field: 'gender',
    query: () =>
      sql`SELECT ${HOUSEHOLD_COLS}, s.name AS spouse ${HOUSEHOLDS(
        sql`JOIN person hd ON hd.household_id = h.id AND hd.relation = '户主' AND ${personInRegisterNow('hd')}
      JOIN person s ON s.household_id = h.id AND s.relation = '配偶' AND ${personInRegisterNow('s')}`,
      )} AND hd.gender = s.gender`,
    message: (r) => `${r.vname} ${r.head}户：户主与配偶（${r.spouse}）性别相同`,
  }),
  sqlRule({
    code: 'NH04',
    severity: '错误',
    entity: '农户',
    title: '配偶不止一人',
    field: 'relation',
    query: () =>
      sql`SELECT ${HOUSEHOLD_COLS}, (SELECT count(*) ${current} AND m.relation = '配偶') AS n ${HOUSEHOLDS()} AND (SELECT count(*) ${current} AND m.relation = '配偶') > 1`,
    message: (r) => `${r.vname} ${r.head}户：有${r.n}名成员登记为「配偶」`,
  }),
  sqlRule({
    code: 'NH05',
    severity: '提示',
    entity: '农户',
    title: '没有在册家庭成员',
    field: 'members',
    query: () => sql`SELECT ${HOUSEHOLD_COLS}, h.hh_no AS hhNo ${HOUSEHOLDS()} AND NOT EXISTS (SELECT 1 ${current})`,
    message: (r) => `${r.vname} 户编号 ${r.hhNo ?? r.id}：没有在册家庭成员（应补录成员或注销该户）`,
  }),
  sqlRule({
    code: 'NH06',
    severity: '错误',
    entity: '农户',
    title: '户联系电话格式不正确',
    field: 'phone',
    query: () => sql`SELECT ${HOUSEHOLD_COLS}, h.phone ${HOUSEHOLDS()} AND h.phone IS NOT NULL AND h.phone <> ''`,
    keep: (r) => !isPhoneNumber(String(r.phone)),
    message: (r) => `${r.vname} ${r.head}户：「联系电话」${r.phone} 格式不正确`,
  }),
  sqlRule({
    code: 'NH07',
    severity: '错误',
    entity: '农户',
    title: '户类型与脱贫标识不一致',
    field: 'hhType',
    query:
      () => sql`SELECT ${HOUSEHOLD_COLS}, h.hh_type AS type, h.exited_poverty AS exited, h.exit_year AS year ${HOUSEHOLDS()}
      AND ((h.hh_type IN ('脱贫户', '脱贫不享受政策户') AND h.exited_poverty = 0)
        OR (h.hh_type = '一般农户' AND h.exited_poverty = 1))`,
    message: (r) =>
      r.type === '一般农户'
        ? `${r.vname} ${r.head}户：「户类型」为一般农户，却标为已脱贫`
        : `${r.vname} ${r.head}户：「户类型」为${r.type}，但未标为已脱贫`,
  }),
  sqlRule({
    code: 'NH08',
    severity: '错误',
    entity: '农户',
    title: '脱贫户收入低于监测标准且未纳入监测',
    field: 'income',
    query: (ctx) => sql`SELECT ${HOUSEHOLD_COLS}, s.as_of AS asOfDate,
        ${perCapitaNetFen('s')} AS perCapita
      ${HOUSEHOLDS(sql`JOIN income_snapshot s ON s.id = (SELECT id FROM income_snapshot WHERE household_id = h.id AND as_of <= ${ctx.asOf} ORDER BY as_of DESC, id DESC LIMIT 1)`)}
      AND h.hh_type IN ('脱贫户', '脱贫不享受政策户')
      AND NOT EXISTS (SELECT 1 FROM monitoring_case c WHERE c.household_id = h.id AND ${caseOpenNow('c')})`,
    keep: (r, ctx) => {
      const t = ctx.thresholdFen(Number(String(r.asOfDate).slice(0, 4)));
      return t !== null && Number(r.perCapita) < t;
    },
    message: (r, ctx) =>
      `${r.vname} ${r.head}户：${String(r.asOfDate).slice(0, 4)}年人均纯收入 ${fenToYuanText(Math.round(Number(r.perCapita)))} 元，低于监测标准 ${fenToYuanText(ctx.thresholdFen(Number(String(r.asOfDate).slice(0, 4))) ?? 0)} 元，但未纳入监测`,
  }),
];
