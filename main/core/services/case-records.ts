/**
 * What is recorded about a household while it is monitored (domain.md §2.6, §2.7): income snapshots, measures,
 * helpers (帮扶责任人) and their pairings, visits. These are plain records, kept apart from the case workflow in
 * monitoring.ts because none of them moves a case: a record may name the case it was made for, but any open or
 * closed case of the same household will do, and the workflow only reads them (elimination conditions, case
 * detail).
 */
import { type Kysely } from 'kysely';
import type { HelperLink } from '../../../shared/api.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError, notFound } from '../errors.ts';
import { CaseWrites } from '../domain/cases.ts';
import { householdOrThrow, incomeRow, stripUndefined } from './households.ts';

/** A household's helper pairings, oldest first: the household detail and the case detail both show them. */
export async function helperLinks(db: Kysely<Database>, householdId: number): Promise<HelperLink[]> {
  return db
    .selectFrom('householdHelper as hh')
    .innerJoin('helper as x', 'x.id', 'hh.helperId')
    .selectAll('hh')
    .select(['x.name as helperName', 'x.unit as unit', 'x.phone as phone'])
    .where('hh.householdId', '=', householdId)
    .orderBy('hh.startDate')
    .execute();
}

export const caseRecordHandlers: Pick<
  Handlers,
  'income.add' | 'measure.add' | 'measure.update' | 'helper.list' | 'helper.create' | 'helper.assign' | 'visit.add'
> = {
  async 'income.add'(ctx, input) {
    await householdOrThrow(ctx.db, input.householdId);
    if (input.caseId) await caseBelongs(ctx, input.caseId, input.householdId);
    const id = new CaseWrites(ctx, nowIso()).addIncome(input);
    const row = await ctx.db.selectFrom('incomeSnapshot').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '收入采集',
      entityId: row.id,
      summary: `收入采集（${row.kind}，${row.asOf}）`,
      after: row,
    });
    return incomeRow(row);
  },

  async 'measure.add'(ctx, input) {
    await householdOrThrow(ctx.db, input.householdId);
    if (input.caseId) await caseBelongs(ctx, input.caseId, input.householdId);
    checkPeriod(input.startDate, input.endDate);
    const now = nowIso();
    const id = new CaseWrites(ctx, now).addMeasure(input);
    const row = await ctx.db.selectFrom('measure').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '帮扶措施',
      entityId: row.id,
      summary: `新增帮扶措施：${row.category}${row.item ? `（${row.item}）` : ''}`,
      after: row,
    });
    return row;
  },

  async 'measure.update'(ctx, { id, ...patch }) {
    const before = await ctx.db.selectFrom('measure').selectAll().where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound('帮扶措施', id);
    if (patch.caseId) await caseBelongs(ctx, patch.caseId, before.householdId);
    checkPeriod(patch.startDate ?? before.startDate, patch.endDate === undefined ? before.endDate : patch.endDate);
    const row = await ctx.db
      .updateTable('measure')
      .set({ ...stripUndefined(patch), updatedAt: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '修改',
      entity: '帮扶措施',
      entityId: id,
      summary: `修改帮扶措施：${row.category}`,
      before,
      after: row,
    });
    return row;
  },

  'helper.list': (ctx) => ctx.db.selectFrom('helper').selectAll().orderBy('name').execute(),

  async 'helper.create'(ctx, input) {
    const now = nowIso();
    const row = await ctx.db
      .insertInto('helper')
      .values({
        name: input.name,
        gender: input.gender ?? null,
        politics: input.politics ?? null,
        unit: input.unit ?? null,
        phone: input.phone ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '帮扶责任人',
      entityId: row.id,
      summary: `新增帮扶责任人：${row.name}`,
      after: row,
    });
    return row;
  },

  async 'helper.assign'(ctx, input) {
    await householdOrThrow(ctx.db, input.householdId);
    const helper = await ctx.db.selectFrom('helper').selectAll().where('id', '=', input.helperId).executeTakeFirst();
    if (!helper) throw notFound('帮扶责任人', input.helperId, 'helperId');
    checkPeriod(input.startDate, input.endDate);
    const overlapping = await ctx.db
      .selectFrom('householdHelper')
      .select('id')
      .where('householdId', '=', input.householdId)
      .where('helperId', '=', input.helperId)
      .where((eb) => eb.or([eb('endDate', 'is', null), eb('endDate', '>=', input.startDate)]))
      .where('startDate', '<=', input.endDate ?? '9999-12-31')
      .executeTakeFirst();
    if (overlapping) throw new LedgerError('conflict', `${helper.name}在该时段已是此户的帮扶责任人`, 'helperId');
    const row = await ctx.db
      .insertInto('householdHelper')
      .values({
        householdId: input.householdId,
        helperId: input.helperId,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '结对帮扶',
      entity: '户',
      entityId: input.householdId,
      summary: `帮扶责任人：${helper.name}（${input.startDate}起）`,
      after: row,
    });
    return row;
  },

  async 'visit.add'(ctx, input) {
    await householdOrThrow(ctx.db, input.householdId);
    if (input.helperId) {
      const helper = await ctx.db.selectFrom('helper').select('id').where('id', '=', input.helperId).executeTakeFirst();
      if (!helper) throw notFound('帮扶责任人', input.helperId, 'helperId');
    }
    if (input.visitedOn > ctx.today()) throw new LedgerError('validation', '「走访日期」不能晚于今天', 'visitedOn');
    const now = nowIso();
    const row = await ctx.db
      .insertInto('visit')
      .values({
        householdId: input.householdId,
        helperId: input.helperId ?? null,
        visitedOn: input.visitedOn,
        method: input.method,
        findings: input.findings ?? null,
        newRisk: input.newRisk,
        followUp: input.followUp ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(ctx, {
      action: '新增',
      entity: '走访记录',
      entityId: row.id,
      summary: `走访（${row.method}，${row.visitedOn}）`,
      after: row,
    });
    return row;
  },
};

/** A record made for a case must be made for the case's household. */
async function caseBelongs(ctx: Ctx, caseId: number, householdId: number) {
  const c = await ctx.db.selectFrom('monitoringCase').select('householdId').where('id', '=', caseId).executeTakeFirst();
  if (!c) throw notFound('监测对象记录', caseId, 'caseId');
  if (c.householdId !== householdId) throw new LedgerError('validation', '监测记录不属于该户', 'caseId');
}

function checkPeriod(start: string, end: string | null | undefined) {
  if (end && end < start) throw new LedgerError('validation', '「结束日期」不能早于开始日期', 'endDate');
}
