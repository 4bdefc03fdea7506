/**
 * Monitoring cases and their workflow (domain.md §3.1, §3.3, §3.4): the clue, identification and elimination
 * stages in their order, rejection, rollback and re-flag, and the preconditions of elimination. Everything that
 * changes a case's status or stage is here, so the rules of the workflow can be read in one file; the records
 * kept while a household is monitored (income snapshots, measures, helpers, visits) are in case-records.ts.
 */
import { sql, type Kysely } from 'kysely';
import type { CaseDetail, CaseRow, Condition, OpParsed, StageOption } from '../../../shared/api.ts';
import { NO_LABOUR_CAPACITIES } from '../../../shared/catalogs.ts';
import { addDays, monthsBetween } from '../../../shared/dates.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import type { Parameters } from '../../../shared/parameters.ts';
import type { MonitoringCase } from '../../../shared/types.ts';
import {
  ELIMINATION_STAGES,
  IDENTIFICATION_STAGES,
  nextStage,
  OPEN_CASE_STATUSES,
  splitPeople,
  stageDef,
  stageLabel,
} from '../../../shared/workflow.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { helperLinks } from './case-records.ts';
import { CaseWrites } from '../domain/cases.ts';
import { householdOrThrow, incomeRow } from './households.ts';
import { page, quickMatch } from './list.ts';
import { readParameters, thresholdFor } from './settings.ts';

function caseQuery(db: Kysely<Database>) {
  return db
    .selectFrom('monitoringCase as c')
    .innerJoin('household as h', 'h.id', 'c.householdId')
    .innerJoin('village as v', 'v.id', 'h.villageId')
    .selectAll('c')
    .select([
      'v.id as villageId',
      'v.name as villageName',
      'h.hhNo as hhNo',
      sql<
        string | null
      >`(SELECT p.name FROM person p WHERE p.household_id = h.id AND p.relation = '户主' AND p.left_on IS NULL LIMIT 1)`.as(
        'headName',
      ),
      sql<number>`(SELECT count(*) FROM person p WHERE p.household_id = h.id AND p.left_on IS NULL)`.as('members'),
      sql<
        string | null
      >`(SELECT group_concat(r.risk_type, '、' ORDER BY r.seq) FROM case_risk r WHERE r.case_id = c.id)`.as('riskList'),
    ]);
}

function toCaseRow<T extends { riskList: string | null }>(r: T): Omit<T, 'riskList'> & { riskTypes: string[] } {
  const { riskList, ...rest } = r;
  return { ...rest, riskTypes: riskList ? riskList.split('、') : [] };
}

export async function caseRows(
  db: Kysely<Database>,
  where: (q: ReturnType<typeof caseQuery>) => ReturnType<typeof caseQuery>,
): Promise<CaseRow[]> {
  const rows = await where(caseQuery(db)).orderBy('c.id').execute();
  return rows.map(toCaseRow);
}

async function caseOrThrow(db: Kysely<Database>, id: number, field = 'caseId'): Promise<MonitoringCase> {
  const c = await db.selectFrom('monitoringCase').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw notFound('监测对象记录', id, field);
  return c;
}

/** The latest date recorded on a case: a new stage may not be dated before it. */
async function lastStageDate(db: Kysely<Database>, caseId: number): Promise<string> {
  const row = await db
    .selectFrom('caseStage')
    .select(sql<string>`max(coalesce(end_on, done_on))`.as('d'))
    .where('caseId', '=', caseId)
    .executeTakeFirst();
  return row?.d ?? '0000-00-00';
}

function canStartElimination(c: MonitoringCase): boolean {
  return c.status === '监测中' && !(c.round === 0 && c.stage !== 'enter');
}

function nextStages(c: MonitoringCase): StageOption[] {
  const opt = (code: string): StageOption => {
    const d = stageDef(code)!;
    return { code: d.code, label: d.label, period: !!d.period };
  };
  if (c.status === '已否决') return [];
  if (canStartElimination(c)) return [opt('e_verify')];
  const next = nextStage(c.stage);
  return next ? [opt(next.code)] : [];
}

/** Preconditions of risk elimination (domain.md §3.3) evaluated on a date. */
export async function eliminationConditions(ctx: Ctx, c: MonitoringCase, onDate: string): Promise<Condition[]> {
  const params = await readParameters(ctx.db);
  return [
    await measureCondition(ctx, c, onDate),
    await incomeCondition(ctx, c, onDate),
    monthsCondition(c, onDate, params),
    await labourCondition(ctx, c),
  ];
}

async function measureCondition(ctx: Ctx, c: MonitoringCase, onDate: string): Promise<Condition> {
  const measures = await ctx.db
    .selectFrom('measure')
    .select(sql<number>`count(*)`.as('n'))
    .where('householdId', '=', c.householdId)
    .where('startDate', '<=', onDate)
    .executeTakeFirstOrThrow();
  return {
    code: 'measure',
    label: '至少落实一项帮扶措施',
    ok: measures.n > 0,
    blocking: true,
    detail: measures.n > 0 ? `已有${measures.n}项帮扶措施` : '尚无帮扶措施',
  };
}

/** The latest income snapshot on the date against the threshold of the date's year. */
async function incomeCondition(ctx: Ctx, c: MonitoringCase, onDate: string): Promise<Condition> {
  const snapshot = await ctx.db
    .selectFrom('incomeSnapshot')
    .selectAll()
    .where('householdId', '=', c.householdId)
    .where('asOf', '<=', onDate)
    .orderBy('asOf', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const year = Number(onDate.slice(0, 4));
  const threshold = await thresholdFor(ctx.db, year);
  let incomeOk = false;
  let incomeDetail: string;
  if (!threshold) incomeDetail = `未设置${year}年监测收入标准`;
  else if (!snapshot) incomeDetail = '尚无收入采集记录';
  else if (incomeRow(snapshot).perCapitaFen === null)
    incomeDetail = `${snapshot.asOf}的收入记录不完整，无法算出人均纯收入`;
  else {
    const perCapita = incomeRow(snapshot).perCapitaFen!;
    incomeOk = perCapita > threshold.amountFen;
    incomeDetail = `人均纯收入${fenToYuanText(perCapita)}元（${snapshot.asOf}采集），${threshold.year}年标准${fenToYuanText(threshold.amountFen)}元`;
  }
  return {
    code: 'income',
    label: '人均纯收入稳定高于监测收入标准',
    ok: incomeOk,
    blocking: true,
    detail: incomeDetail,
  };
}

/** Months since identification; whether too few blocks elimination or only warns is a parameter. */
function monthsCondition(c: MonitoringCase, onDate: string, params: Parameters): Condition {
  const months = c.identifiedOn ? monthsBetween(c.identifiedOn, onDate) : 0;
  return {
    code: 'months',
    label: `识别纳入满${params.minMonthsBeforeElimination}个月`,
    ok: months >= params.minMonthsBeforeElimination,
    blocking: params.minMonthsBlocksElimination,
    detail: c.identifiedOn ? `${c.identifiedOn}识别，至今${months}个月` : '尚未完成识别',
  };
}

async function labourCondition(ctx: Ctx, c: MonitoringCase): Promise<Condition> {
  const members = await ctx.db
    .selectFrom('person')
    .select(['labourCapacity'])
    .where('householdId', '=', c.householdId)
    .where('leftOn', 'is', null)
    .execute();
  const noLabour =
    members.length > 0 &&
    members.every((m) => m.labourCapacity !== null && NO_LABOUR_CAPACITIES.includes(m.labourCapacity));
  return {
    code: 'labour',
    label: '不是整户无劳动能力家庭',
    ok: !noLabour,
    blocking: true,
    detail: noLabour ? '整户无劳动能力，暂不标注风险消除，继续监测帮扶' : `${members.length}名成员中有劳动能力人员`,
  };
}

async function createCase(
  ctx: Ctx,
  input: {
    householdId: number;
    category: string;
    channel: string;
    channelDetail?: string | null | undefined;
    clueDate: string;
    risks: { riskType: string; detail?: string | null | undefined }[];
    actor?: string | null | undefined;
    note?: string | null | undefined;
  },
  previousCaseId: number | null,
) {
  const household = await householdOrThrow(ctx.db, input.householdId);
  if (household.closedOn) throw new LedgerError('validation', '该户已销户，不能纳入监测', 'householdId');
  if (input.clueDate > ctx.today()) throw new LedgerError('validation', '「线索登记日期」不能晚于今天', 'clueDate');
  const open = await ctx.db
    .selectFrom('monitoringCase')
    .select(['id', 'status'])
    .where('householdId', '=', input.householdId)
    .where('status', 'in', OPEN_CASE_STATUSES)
    .executeTakeFirst();
  if (open)
    throw new LedgerError('conflict', `该户已有未结束的监测记录（编号 ${open.id}，${open.status}）`, 'householdId');
  const writes = new CaseWrites(ctx, nowIso());
  const id = writes.addCase({
    householdId: input.householdId,
    category: input.category,
    channel: input.channel,
    channelDetail: input.channelDetail ?? null,
    clueDate: input.clueDate,
    status: '识别中',
    stage: 'clue',
    round: 0,
    identifiedOn: null,
    eliminatedOn: null,
    eliminationMethod: null,
    rejectedOn: null,
    rejectReason: null,
    previousCaseId,
    note: input.note ?? null,
  });
  writes.setRisks(id, input.risks);
  writes.addStage(id, { round: 0, stage: 'clue', doneOn: input.clueDate, actor: input.actor, note: input.note });
  return caseOrThrow(ctx.db, id);
}

async function updateCase(ctx: Ctx, id: number, patch: Partial<MonitoringCase>): Promise<MonitoringCase> {
  new CaseWrites(ctx, nowIso()).updateCase(id, patch);
  return caseOrThrow(ctx.db, id);
}

async function recordStage(
  ctx: Ctx,
  c: MonitoringCase,
  round: number,
  stage: string,
  doneOn: string,
  endOn: string | null,
  actor: string | null | undefined,
  note: string | null | undefined,
) {
  new CaseWrites(ctx, nowIso()).addStage(c.id, { round, stage, doneOn, endOn, actor, note });
}

/** A 公示 shorter than the parameter (村级公示 / 消除公示 days, both ends counted) is refused when entered. */
async function checkNoticeLength(ctx: Ctx, def: { code: string; label: string }, start: string, end: string) {
  const params = await readParameters(ctx.db);
  const required =
    def.code === 'notice'
      ? params.identificationNoticeDays
      : def.code === 'e_notice'
        ? params.eliminationNoticeDays
        : 0;
  const days = Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
  if (days < required)
    throw new LedgerError(
      'workflow',
      `「${def.label}」${start} 至 ${end} 共${days}天，不足规定的${required}天（设置中的公示天数）`,
      'endOn',
    );
}

async function checkDate(ctx: Ctx, c: MonitoringCase, date: string, field: string) {
  if (date > ctx.today())
    throw new LedgerError('validation', `「${field === 'date' ? '日期' : '办理日期'}」不能晚于今天`, field);
  const last = await lastStageDate(ctx.db, c.id);
  if (date < last) throw new LedgerError('workflow', `日期不能早于上一环节的日期（${last}）`, field);
}

/**
 * What starting an elimination (its 入户核实 stage) requires beyond the stage order: a method, enough verifiers,
 * the blocking conditions met and the others acknowledged. Returns the method.
 */
async function checkEliminationStart(
  ctx: Ctx,
  c: MonitoringCase,
  input: OpParsed<'case.advance'>,
): Promise<NonNullable<MonitoringCase['eliminationMethod']>> {
  const params = await readParameters(ctx.db);
  if (!input.method) throw new LedgerError('validation', '「风险消除方式」必须选择（帮扶消除或自然消除）', 'method');
  const verifiers = splitPeople(input.actor);
  if (verifiers.length < params.eliminationVerifiers) {
    throw new LedgerError(
      'validation',
      `「经办人」风险消除入户核实至少需要${params.eliminationVerifiers}人，请填写全部核实人员姓名（用顿号分隔）`,
      'actor',
    );
  }
  const conditions = await eliminationConditions(ctx, c, input.doneOn);
  const blocking = conditions.filter((x) => !x.ok && x.blocking);
  if (blocking.length) {
    throw new LedgerError(
      'workflow',
      `不符合风险消除条件：${blocking.map((x) => `${x.label}（${x.detail}）`).join('；')}`,
      'stage',
      conditions,
    );
  }
  const warnings = conditions.filter((x) => !x.ok && !x.blocking);
  if (warnings.length && !input.acknowledgeWarnings) {
    throw new LedgerError(
      'workflow',
      `请确认：${warnings.map((x) => `${x.label}（${x.detail}）`).join('；')}`,
      'acknowledgeWarnings',
      conditions,
    );
  }
  return input.method;
}

export const monitoringHandlers: Pick<
  Handlers,
  | 'case.list'
  | 'case.get'
  | 'case.create'
  | 'case.setRisks'
  | 'case.advance'
  | 'case.reject'
  | 'case.rollback'
  | 'case.reflag'
  | 'case.eliminationCheck'
> = {
  async 'case.list'(ctx, input) {
    const f = input.filter;
    let q = caseQuery(ctx.db);
    if (f.villageId) q = q.where('h.villageId', '=', f.villageId);
    if (f.householdId) q = q.where('c.householdId', '=', f.householdId);
    if (f.category) q = q.where('c.category', '=', f.category);
    if (f.status) q = q.where('c.status', '=', f.status as MonitoringCase['status']);
    if (f.riskType)
      q = q.where(
        sql<boolean>`EXISTS (SELECT 1 FROM case_risk r WHERE r.case_id = c.id AND r.risk_type = ${f.riskType})`,
      );
    if (input.quick) {
      const term = input.quick;
      q = q.where((eb) =>
        eb.or([
          quickMatch(term, ['h.hh_no', 'v.name']),
          sql<boolean>`EXISTS (SELECT 1 FROM person p WHERE p.household_id = h.id AND (instr(p.name, ${term}) > 0 OR instr(p.id_number, ${term}) > 0))`,
        ]),
      );
    }
    const result = await page(
      q,
      input,
      {
        id: 'c.id',
        clueDate: 'c.clue_date',
        identifiedOn: 'c.identified_on',
        eliminatedOn: 'c.eliminated_on',
        villageName: 'v.name',
        headName: '"headName"',
        category: 'c.category',
        status: 'c.status',
      },
      'c.id',
    );
    return { total: result.total, rows: result.rows.map(toCaseRow) };
  },

  async 'case.get'(ctx, { id }): Promise<CaseDetail> {
    const [row] = await caseRows(ctx.db, (q) => q.where('c.id', '=', id));
    if (!row) throw notFound('监测对象记录', id);
    const params = await readParameters(ctx.db);
    return {
      case: row,
      risks: await ctx.db.selectFrom('caseRisk').selectAll().where('caseId', '=', id).orderBy('seq').execute(),
      stages: await ctx.db.selectFrom('caseStage').selectAll().where('caseId', '=', id).orderBy('id').execute(),
      events: await ctx.db
        .selectFrom('caseEvent')
        .selectAll()
        .where('caseId', '=', id)
        .orderBy('effectiveDate')
        .orderBy('id')
        .execute(),
      incomes: (
        await ctx.db
          .selectFrom('incomeSnapshot')
          .selectAll()
          .where('householdId', '=', row.householdId)
          .orderBy('asOf')
          .execute()
      ).map(incomeRow),
      measures: await ctx.db
        .selectFrom('measure')
        .selectAll()
        .where('householdId', '=', row.householdId)
        .orderBy('startDate')
        .execute(),
      visits: await ctx.db
        .selectFrom('visit')
        .selectAll()
        .where('householdId', '=', row.householdId)
        .orderBy('visitedOn', 'desc')
        .execute(),
      helpers: await helperLinks(ctx.db, row.householdId),
      nextStages: nextStages(row),
      canReject: row.status === '识别中' || row.status === '消除中',
      canRollback: row.status === '已消除',
      canReflag: row.status === '已消除',
      identificationDeadline: row.status === '识别中' ? addDays(row.clueDate, params.identificationDays) : null,
      elimination:
        row.status === '监测中' || row.status === '消除中' ? await eliminationConditions(ctx, row, ctx.today()) : null,
    };
  },

  async 'case.create'(ctx, input) {
    const row = await createCase(ctx, input, null);
    await audit(ctx, {
      action: '新增',
      entity: '监测对象',
      entityId: row.id,
      summary: `登记监测线索：${row.category}（${row.clueDate}）`,
      after: { ...row, risks: input.risks },
    });
    return row;
  },

  async 'case.reflag'(ctx, input) {
    const previous = await caseOrThrow(ctx.db, input.previousCaseId, 'previousCaseId');
    if (previous.status !== '已消除')
      throw new LedgerError('workflow', '只有已消除风险的监测对象才能再标注', 'previousCaseId');
    if (input.clueDate < previous.eliminatedOn!)
      throw new LedgerError('workflow', `「线索登记日期」不能早于风险消除日期（${previous.eliminatedOn}）`, 'clueDate');
    const row = await createCase(ctx, { ...input, householdId: previous.householdId }, previous.id);
    await audit(ctx, {
      action: '风险再标注',
      entity: '监测对象',
      entityId: row.id,
      summary: `原监测记录 ${previous.id} 出现新风险，重新识别`,
      after: row,
    });
    return row;
  },

  async 'case.setRisks'(ctx, { caseId, risks }) {
    const c = await caseOrThrow(ctx.db, caseId);
    const before = await ctx.db
      .selectFrom('caseRisk')
      .selectAll()
      .where('caseId', '=', caseId)
      .orderBy('seq')
      .execute();
    new CaseWrites(ctx, nowIso()).setRisks(caseId, risks);
    const after = await ctx.db.selectFrom('caseRisk').selectAll().where('caseId', '=', caseId).orderBy('seq').execute();
    await updateCase(ctx, c.id, {});
    await audit(ctx, {
      action: '修改',
      entity: '监测对象',
      entityId: caseId,
      summary: `修改风险类型：${risks.map((r) => r.riskType).join('、')}`,
      before,
      after,
    });
    return after;
  },

  async 'case.advance'(ctx, input) {
    const c = await caseOrThrow(ctx.db, input.caseId);
    const def = stageDef(input.stage)!;
    const isIdentification = IDENTIFICATION_STAGES.some((s) => s.code === def.code);
    const isElimination = ELIMINATION_STAGES.some((s) => s.code === def.code);
    if (!isIdentification && !isElimination) {
      throw new LedgerError('workflow', `「${def.label}」不能直接办理，请使用对应的操作`, 'stage');
    }
    const allowed = nextStages(c);
    if (!allowed.some((s) => s.code === def.code)) {
      const expected = allowed.length
        ? `下一环节应为「${allowed.map((s) => s.label).join('、')}」`
        : `当前状态为「${c.status}」，没有可办理的环节`;
      throw new LedgerError('workflow', `不能办理「${def.label}」：${expected}`, 'stage');
    }
    await checkDate(ctx, c, input.doneOn, 'doneOn');
    let endOn: string | null = null;
    if (def.period) {
      if (!input.endOn) throw new LedgerError('validation', `「${def.label}」需要填写结束日期`, 'endOn');
      if (input.endOn < input.doneOn) throw new LedgerError('validation', '「结束日期」不能早于开始日期', 'endOn');
      endOn = input.endOn;
      await checkNoticeLength(ctx, def, input.doneOn, endOn);
    }
    const patch: Partial<MonitoringCase> = { stage: def.code };
    let round = c.round;

    if (def.code === 'e_verify') {
      const method = await checkEliminationStart(ctx, c, input);
      round = c.round + 1;
      Object.assign(patch, { status: '消除中', round, eliminationMethod: method });
    }
    if (def.effect === 'identified') {
      Object.assign(patch, { status: '监测中', identifiedOn: input.doneOn });
      new CaseWrites(ctx, nowIso()).addEvent(c.id, 'identified', input.doneOn, null);
    }
    if (def.effect === 'eliminated') {
      Object.assign(patch, { status: '已消除', eliminatedOn: input.doneOn });
      new CaseWrites(ctx, nowIso()).addEvent(c.id, 'eliminated', input.doneOn, c.eliminationMethod);
    }
    await recordStage(ctx, c, round, def.code, input.doneOn, endOn, input.actor, input.note);
    const row = await updateCase(ctx, c.id, patch);
    await audit(ctx, {
      action: def.label,
      entity: '监测对象',
      entityId: c.id,
      summary: `${def.label}（${input.doneOn}${endOn ? ` 至 ${endOn}` : ''}）`,
      before: c,
      after: row,
    });
    return row;
  },

  async 'case.reject'(ctx, input) {
    const c = await caseOrThrow(ctx.db, input.caseId);
    if (c.status !== '识别中' && c.status !== '消除中') {
      throw new LedgerError('workflow', `当前状态为「${c.status}」，不能否决`, 'caseId');
    }
    await checkDate(ctx, c, input.date, 'date');
    await recordStage(ctx, c, c.round, 'rejected', input.date, null, input.actor, input.reason);
    let patch: Partial<MonitoringCase>;
    if (c.status === '识别中') {
      patch = { status: '已否决', stage: 'rejected', rejectedOn: input.date, rejectReason: input.reason };
      new CaseWrites(ctx, nowIso()).addEvent(c.id, 'rejected', input.date, input.reason);
    } else {
      // An elimination that fails review leaves the household monitored (§3.3).
      patch = { status: '监测中', stage: 'rejected', eliminationMethod: null };
    }
    const row = await updateCase(ctx, c.id, patch);
    await audit(ctx, {
      action: c.status === '识别中' ? '识别否决' : '风险消除未通过',
      entity: '监测对象',
      entityId: c.id,
      summary: `${stageLabel('rejected')}：${input.reason}`,
      before: c,
      after: row,
    });
    return row;
  },

  async 'case.rollback'(ctx, input) {
    const c = await caseOrThrow(ctx.db, input.caseId);
    if (c.status !== '已消除')
      throw new LedgerError('workflow', `当前状态为「${c.status}」，只有已消除风险的户才能回退`, 'caseId');
    await checkDate(ctx, c, input.date, 'date');
    await recordStage(ctx, c, c.round, 'rollback', input.date, null, input.actor, input.reason);
    new CaseWrites(ctx, nowIso()).addEvent(c.id, 'rolled_back', input.date, input.reason);
    const row = await updateCase(ctx, c.id, {
      status: '监测中',
      stage: 'rollback',
      eliminatedOn: null,
      eliminationMethod: null,
    });
    await audit(ctx, {
      action: '风险消除回退',
      entity: '监测对象',
      entityId: c.id,
      summary: `风险消除回退（${input.date}）：${input.reason}`,
      before: c,
      after: row,
    });
    return row;
  },

  async 'case.eliminationCheck'(ctx, { id }) {
    const c = await caseOrThrow(ctx.db, id, 'id');
    return eliminationConditions(ctx, c, ctx.today());
  },
};
