/**
 * Monitoring rules (监测对象): risk types against members and measures (domain.md §2.5), elimination
 * preconditions and timing (§3.3), identification time limit, stage order and notice length (§3.1, §5.2),
 * income sanity (§2.2), household type against category.
 */
import { fenToYuanText } from '../../../shared/money.ts';
import { ELIMINATION_STAGES, IDENTIFICATION_STAGES, splitPeople, stageLabel } from '../../../shared/workflow.ts';
import { sql, type RawBuilder } from 'kysely';
import { caseOpenNow, perCapitaNetFen, personInRegisterNow } from '../domain/facts.ts';
import { CASE_COLS, CASES, sqlRule, type Rule, type RuleContext } from './engine.ts';

const identified = (ctx: RuleContext) =>
  sql`c.identified_on IS NOT NULL AND c.identified_on <= ${ctx.asOf} AND c.status IN ('监测中', '消除中', '已消除')`;
const hasRisk = (risk: string) =>
  sql`EXISTS (SELECT 1 FROM case_risk r WHERE r.case_id = c.id AND r.risk_type = ${risk})`;
const hasMember = (cond: RawBuilder<unknown>) =>
  sql`EXISTS (SELECT 1 FROM person m WHERE m.household_id = h.id AND ${personInRegisterNow('m')} AND (${cond}))`;
// A measure counts from when it is recorded, even if it starts later (a planned measure answers the risk).
const hasMeasure = (cats: readonly string[]) =>
  sql`EXISTS (SELECT 1 FROM measure ms WHERE ms.household_id = h.id AND ms.category IN (${sql.join(cats)}))`;
const who = (r: Record<string, string | number | null>) => `${r.vname} ${r.head}户`;
/** A stage's position in the workflow, for comparing consecutive stages. */
const stageOrder = (stage: RawBuilder<unknown>) =>
  sql`(CASE ${stage} ${sql.join(
    [...IDENTIFICATION_STAGES, ...ELIMINATION_STAGES].map((st, i) => sql`WHEN ${st.code} THEN ${i}`),
    sql` `,
  )} END)`;

/** 风险 ⇒ matching measure (§2.5 table [C1]). */
function riskNeedsMeasure(code: string, risk: string, measures: readonly string[]): Rule {
  return sqlRule({
    code,
    severity: '错误',
    entity: '监测对象',
    title: `${risk}缺少${measures.join('或')}措施`,
    field: 'measures',
    query: (ctx) =>
      sql`SELECT ${CASE_COLS} ${CASES()} AND ${identified(ctx)} AND ${hasRisk(risk)} AND NOT ${hasMeasure(measures)}`,
    message: (r) => `${who(r)}：风险类型含「${risk}」，但没有${measures.join('、')}类帮扶措施`,
  });
}

function riskNeedsMember(
  code: string,
  risk: string,
  cond: RawBuilder<unknown>,
  what: string,
  severity: '错误' | '提示',
): Rule {
  return sqlRule({
    code,
    severity,
    entity: '监测对象',
    title: `${risk}但${what}`,
    field: 'risks',
    query: () =>
      sql`SELECT ${CASE_COLS} ${CASES()} AND ${caseOpenNow('c')} AND ${hasRisk(risk)} AND NOT ${hasMember(cond)}`,
    message: (r) => `${who(r)}：风险类型含「${risk}」，但${what}`,
  });
}

export const monitoringRules: Rule[] = [
  riskNeedsMember(
    'JC01',
    '因病',
    sql`m.health IN ('长期慢性病', '患大病')`,
    '家庭成员中无人患长期慢性病或大病',
    '错误',
  ),
  riskNeedsMember('JC02', '因残', sql`m.health = '残疾'`, '家庭成员中无残疾人', '错误'),
  riskNeedsMember('JC03', '因学', sql`m.school_status IS NOT NULL`, '家庭成员中没有在校生', '提示'),
  riskNeedsMember(
    'JC04',
    '因务工就业不稳',
    sql`m.labour_capacity IN ('普通劳动力', '技能劳动力', '弱劳动力或半劳动力')`,
    '家庭成员中没有劳动力',
    '提示',
  ),
  riskNeedsMeasure('JC05', '因病', ['健康帮扶', '社会帮扶']),
  riskNeedsMeasure('JC06', '因残', ['综合保障', '社会帮扶']),
  riskNeedsMeasure('JC07', '因学', ['义务教育保障', '其他教育帮扶', '社会帮扶']),
  riskNeedsMeasure('JC08', '因安全住房', ['住房安全保障', '搬迁']),
  riskNeedsMeasure('JC09', '因安全饮水', ['饮水安全保障']),
  sqlRule({
    code: 'JC10',
    severity: '错误',
    entity: '监测对象',
    title: '已识别30天仍无帮扶措施',
    field: 'measures',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.identified_on AS identified ${CASES()} AND c.status IN ('监测中', '消除中') AND c.identified_on <= date(${ctx.asOf}, '-30 days')
      AND NOT EXISTS (SELECT 1 FROM measure ms WHERE ms.household_id = h.id)`,
    message: (r) => `${who(r)}：${r.identified} 识别为监测对象，至今没有登记帮扶措施`,
  }),
  sqlRule({
    code: 'JC11',
    severity: '错误',
    entity: '监测对象',
    title: '风险消除但无帮扶措施',
    field: 'measures',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.eliminated_on AS eliminated ${CASES()} AND c.status = '已消除' AND c.eliminated_on <= ${ctx.asOf}
      AND c.elimination_method = '帮扶消除' AND NOT EXISTS (SELECT 1 FROM measure ms WHERE ms.household_id = h.id AND ms.start_date <= c.eliminated_on)`,
    message: (r) => `${who(r)}：${r.eliminated} 以帮扶消除方式消除风险，但消除前没有任何帮扶措施`,
  }),
  sqlRule({
    code: 'JC12',
    severity: '错误',
    entity: '监测对象',
    title: '风险消除时人均纯收入未超过监测标准',
    field: 'income',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.eliminated_on AS eliminated, ${perCapitaNetFen('s')} AS perCapita ${CASES(sql`JOIN income_snapshot s ON s.id = (
        SELECT id FROM income_snapshot WHERE household_id = c.household_id AND kind = '消除时' AND as_of <= c.eliminated_on ORDER BY as_of DESC, id DESC LIMIT 1)`)}
      AND c.status = '已消除' AND c.eliminated_on <= ${ctx.asOf}`,
    keep: (r, ctx) => {
      const t = ctx.thresholdFen(Number(String(r.eliminated).slice(0, 4)));
      return t !== null && Number(r.perCapita) <= t;
    },
    message: (r, ctx) =>
      `${who(r)}：消除时人均纯收入 ${fenToYuanText(Math.round(Number(r.perCapita)))} 元，未超过${String(r.eliminated).slice(0, 4)}年监测标准 ${fenToYuanText(ctx.thresholdFen(Number(String(r.eliminated).slice(0, 4))) ?? 0)} 元`,
  }),
  sqlRule({
    code: 'JC13',
    severity: '错误',
    entity: '监测对象',
    title: '风险消除缺少消除时收入核算',
    field: 'income',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.eliminated_on AS eliminated ${CASES()} AND c.status = '已消除' AND c.eliminated_on <= ${ctx.asOf}
      AND NOT EXISTS (SELECT 1 FROM income_snapshot s WHERE s.household_id = c.household_id AND s.kind = '消除时' AND s.as_of <= c.eliminated_on)`,
    message: (r) => `${who(r)}：${r.eliminated} 风险消除，但没有「消除时」收入核算`,
  }),
  sqlRule({
    code: 'JC14',
    severity: '提示',
    entity: '监测对象',
    title: '识别后监测时间不足即消除',
    field: 'eliminatedOn',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.identified_on AS identified, c.eliminated_on AS eliminated ${CASES()} AND c.status = '已消除' AND c.eliminated_on <= ${ctx.asOf}
      AND c.eliminated_on < date(c.identified_on, '+' || ${ctx.params.minMonthsBeforeElimination} || ' months')`,
    message: (r, ctx) =>
      `${who(r)}：${r.identified} 识别，${r.eliminated} 即消除，不足${ctx.params.minMonthsBeforeElimination}个月`,
  }),
  sqlRule({
    code: 'JC15',
    severity: '错误',
    entity: '监测对象',
    title: '整户无劳动力不应风险消除',
    field: 'eliminationMethod',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.eliminated_on AS eliminated ${CASES()} AND c.status = '已消除' AND c.eliminated_on <= ${ctx.asOf}
      AND ${hasMember(sql`1 = 1`)} AND NOT ${hasMember(sql`m.labour_capacity IN ('普通劳动力', '技能劳动力', '弱劳动力或半劳动力')`)}`,
    message: (r) => `${who(r)}：家庭成员均无劳动能力，不应标注风险消除（应纳入兜底保障持续监测）`,
  }),
  sqlRule({
    code: 'JC16',
    severity: '错误',
    entity: '监测对象',
    title: '识别超过办理时限',
    field: 'clueDate',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, c.clue_date AS clue, date(c.clue_date, '+' || ${ctx.params.identificationDays} || ' days') AS due ${CASES()}
      AND c.status = '识别中' AND date(c.clue_date, '+' || ${ctx.params.identificationDays} || ' days') < ${ctx.asOf}`,
    message: (r, ctx) =>
      `${who(r)}：${r.clue} 登记线索，应于 ${r.due} 前完成县级审批（${ctx.params.identificationDays}天），已超期`,
  }),
  sqlRule({
    code: 'JC17',
    severity: '提示',
    entity: '监测对象',
    title: '识别用时超过时限',
    field: 'identifiedOn',
    query: (ctx) => sql`SELECT ${CASE_COLS}, c.clue_date AS clue, c.identified_on AS identified ${CASES()}
      AND c.identified_on IS NOT NULL AND c.identified_on <= ${ctx.asOf} AND c.identified_on > date(c.clue_date, '+' || ${ctx.params.identificationDays} || ' days')`,
    message: (r, ctx) =>
      `${who(r)}：${r.clue} 登记线索，${r.identified} 才县级审批，超过${ctx.params.identificationDays}天`,
  }),
  sqlRule({
    code: 'JC18',
    severity: '错误',
    entity: '监测对象',
    title: '办理环节日期顺序颠倒',
    field: 'stages',
    query:
      () => sql`SELECT ${CASE_COLS}, a.stage AS first, a.done_on AS firstOn, a.end_on AS firstEnd, b.stage AS second, b.done_on AS secondOn
      ${CASES(sql`JOIN case_stage a ON a.case_id = c.id JOIN case_stage b ON b.case_id = c.id AND b.round = a.round
        AND ${stageOrder(sql.ref('b.stage'))} = ${stageOrder(sql.ref('a.stage'))} + 1`)}
      AND b.done_on < coalesce(a.end_on, a.done_on)`,
    message: (r) =>
      `${who(r)}：「${stageLabel(String(r.second))}」${r.secondOn} 早于上一环节「${stageLabel(String(r.first))}」${r.firstEnd ? `结束日 ${r.firstEnd}` : r.firstOn}`,
  }),
  sqlRule({
    code: 'JC19',
    severity: '错误',
    entity: '监测对象',
    title: '识别公示天数不足',
    field: 'endOn',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, s.done_on AS start, s.end_on AS ends ${CASES(sql`JOIN case_stage s ON s.case_id = c.id AND s.stage = 'notice'`)}
      AND s.end_on IS NOT NULL AND julianday(s.end_on) - julianday(s.done_on) + 1 < ${ctx.params.identificationNoticeDays}`,
    message: (r, ctx) => `${who(r)}：村级公示 ${r.start} 至 ${r.ends}，不足${ctx.params.identificationNoticeDays}天`,
  }),
  sqlRule({
    code: 'JC20',
    severity: '错误',
    entity: '监测对象',
    title: '风险消除公示天数不足',
    field: 'endOn',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, s.done_on AS start, s.end_on AS ends ${CASES(sql`JOIN case_stage s ON s.case_id = c.id AND s.stage = 'e_notice'`)}
      AND s.end_on IS NOT NULL AND julianday(s.end_on) - julianday(s.done_on) + 1 < ${ctx.params.eliminationNoticeDays}`,
    message: (r, ctx) => `${who(r)}：风险消除公示 ${r.start} 至 ${r.ends}，不足${ctx.params.eliminationNoticeDays}天`,
  }),
  sqlRule({
    code: 'JC21',
    severity: '错误',
    entity: '监测对象',
    title: '消除入户核实人员不足',
    field: 'actor',
    query: () =>
      sql`SELECT ${CASE_COLS}, s.actor, s.done_on AS done ${CASES(sql`JOIN case_stage s ON s.case_id = c.id AND s.stage = 'e_verify'`)}`,
    keep: (r, ctx) => splitPeople(r.actor as string | null).length < ctx.params.eliminationVerifiers,
    message: (r, ctx) =>
      `${who(r)}：${r.done} 消除入户核实人员为「${r.actor ?? ''}」，少于${ctx.params.eliminationVerifiers}人`,
  }),
  sqlRule({
    code: 'JC22',
    severity: '提示',
    entity: '监测对象',
    title: '识别时人均纯收入畸高',
    field: 'income',
    query: (
      ctx,
    ) => sql`SELECT ${CASE_COLS}, ${perCapitaNetFen('s')} AS perCapita ${CASES(sql`JOIN income_snapshot s ON s.case_id = c.id AND s.kind = '识别时'`)}
      AND c.status <> '已否决' AND ${perCapitaNetFen('s')} > ${ctx.params.incomeSanityMaxFen}`,
    message: (r, ctx) =>
      `${who(r)}：识别时人均纯收入 ${fenToYuanText(Math.round(Number(r.perCapita)))} 元，超过 ${fenToYuanText(ctx.params.incomeSanityMaxFen)} 元，请核实`,
  }),
  sqlRule({
    code: 'JC23',
    severity: '错误',
    entity: '监测对象',
    title: '脱贫不稳定户应为脱贫户',
    field: 'category',
    query: () => sql`SELECT ${CASE_COLS}, h.hh_type AS type ${CASES()} AND ${caseOpenNow('c')}
      AND c.category = '脱贫不稳定户' AND h.hh_type NOT IN ('脱贫户', '脱贫不享受政策户')`,
    message: (r) => `${who(r)}：监测类别为脱贫不稳定户，但「户类型」为${r.type}`,
  }),
  sqlRule({
    code: 'JC24',
    severity: '错误',
    entity: '监测对象',
    title: '边缘易致贫户不应为脱贫户',
    field: 'category',
    query: () => sql`SELECT ${CASE_COLS}, h.hh_type AS type ${CASES()} AND ${caseOpenNow('c')}
      AND c.category = '边缘易致贫户' AND h.hh_type IN ('脱贫户', '脱贫不享受政策户')`,
    message: (r) => `${who(r)}：监测类别为边缘易致贫户，但「户类型」为${r.type}（脱贫户应为脱贫不稳定户）`,
  }),
];
