/**
 * Monthly attendance of public-welfare post holders and the subsidy it earns. The attendance sheet is the one
 * view of a month that attendance entry, payroll and the month lock all work from, so it lives here with the
 * lock check every attendance write must pass; payroll.ts generates and locks months over it.
 */
import { sql, type Kysely } from 'kysely';
import type { AttendanceRow, AttendanceSheet } from '../../../shared/api.ts';
import { monthDays, monthOf } from '../../../shared/dates.ts';
import { proRataSubsidyFen } from '../../../shared/money.ts';
import type { Attendance } from '../../../shared/types.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Database } from '../db/schema.ts';
import type { Handlers } from '../dispatcher.ts';
import { placementInMonth } from '../domain/facts.ts';
import { LedgerError } from '../errors.ts';
import { placementOrThrow, postOrThrow } from './posts.ts';

export async function monthLocked(db: Kysely<Database>, month: string) {
  return db.selectFrom('payrollMonth').selectAll().where('month', '=', month).executeTakeFirst();
}

export async function attendanceSheet(
  db: Kysely<Database>,
  month: string,
  department?: string,
): Promise<AttendanceSheet> {
  let q = db
    .selectFrom('placement as pl')
    .innerJoin('person as p', 'p.id', 'pl.personId')
    .innerJoin('post as po', 'po.id', 'pl.postId')
    .leftJoin('attendance as a', (j) => j.onRef('a.placementId', '=', 'pl.id').on('a.month', '=', month))
    .select([
      'pl.id as placementId',
      'a.id as attendanceId',
      'p.name as personName',
      'p.idNumber as idNumber',
      'po.name as postName',
      'po.department as department',
      'pl.agreementStart as agreementStart',
      'pl.agreementEnd as agreementEnd',
      sql<number>`coalesce(a.required_days, po.required_days)`.as('requiredDays'),
      sql<number>`coalesce(a.days, po.required_days)`.as('days'),
      sql<number>`coalesce(a.monthly_subsidy_fen, po.monthly_subsidy_fen)`.as('monthlySubsidyFen'),
      'a.subsidyFen as storedSubsidy',
      sql<number>`coalesce(a.deduction_fen, 0)`.as('deductionFen'),
      'a.deductionReason as deductionReason',
    ])
    .where(sql<boolean>`${placementInMonth('pl', month)}`)
    .orderBy('po.department')
    .orderBy('po.name')
    .orderBy('pl.id');
  if (department) q = q.where('po.department', '=', department);
  const rows = await q.execute();
  const status = await monthLocked(db, month);
  const out: AttendanceRow[] = rows.map(({ storedSubsidy, ...r }) => {
    const subsidyFen = storedSubsidy ?? proRataSubsidyFen(r.monthlySubsidyFen, r.requiredDays, r.days);
    return { ...r, month, subsidyFen, payFen: subsidyFen - r.deductionFen };
  });
  return {
    month,
    generated: !!status?.generatedAt,
    locked: !!status?.lockedAt,
    lockedAt: status?.lockedAt ?? null,
    rows: out,
    totals: {
      persons: out.length,
      subsidyFen: out.reduce((a, r) => a + r.subsidyFen, 0),
      deductionFen: out.reduce((a, r) => a + r.deductionFen, 0),
      payFen: out.reduce((a, r) => a + r.payFen, 0),
    },
  };
}

export async function refuseLocked(db: Kysely<Database>, month: string) {
  const s = await monthLocked(db, month);
  if (s?.lockedAt)
    throw new LedgerError('locked', `${month}月的考勤和补贴已于${s.lockedAt.slice(0, 10)}锁定，不能修改`, 'month');
}

export function refuseFuture(ctx: Ctx, month: string) {
  if (month > monthOf(ctx.today())) throw new LedgerError('validation', '「月份」不能是未来月份', 'month');
}

export const attendanceHandlers: Pick<Handlers, 'attendance.sheet' | 'attendance.set'> = {
  'attendance.sheet': (ctx, input) => attendanceSheet(ctx.db, input.month, input.department),

  async 'attendance.set'(ctx, input) {
    await refuseLocked(ctx.db, input.month);
    refuseFuture(ctx, input.month);
    const placement = await placementOrThrow(ctx.db, input.placementId);
    const inMonth = await ctx.db
      .selectFrom('placement as pl')
      .select('pl.id')
      .where('pl.id', '=', placement.id)
      .where(sql<boolean>`${placementInMonth('pl', input.month)}`)
      .executeTakeFirst();
    if (!inMonth)
      throw new LedgerError('validation', `该人员${input.month}月不在岗或不在协议期内，不能登记考勤`, 'month');
    const maxDays = monthDays(input.month);
    if (input.days > maxDays)
      throw new LedgerError('validation', `「出勤天数」不能超过${input.month}月的天数（${maxDays}天）`, 'days');
    const post = await postOrThrow(ctx.db, placement.postId);
    const existing = await ctx.db
      .selectFrom('attendance')
      .selectAll()
      .where('placementId', '=', placement.id)
      .where('month', '=', input.month)
      .executeTakeFirst();
    const requiredDays = existing?.requiredDays ?? post.requiredDays;
    const monthlySubsidyFen = existing?.monthlySubsidyFen ?? post.monthlySubsidyFen;
    const subsidyFen = proRataSubsidyFen(monthlySubsidyFen, requiredDays, input.days);
    if (input.deductionFen > subsidyFen)
      throw new LedgerError('validation', '「扣发金额」不能超过补贴金额', 'deductionFen');
    if (input.deductionFen > 0 && !input.deductionReason)
      throw new LedgerError('validation', '「扣发原因」有扣发金额时必须填写扣发原因', 'deductionReason');
    const values = {
      days: input.days,
      subsidyFen,
      deductionFen: input.deductionFen,
      deductionReason: input.deductionReason ?? null,
      note: input.note ?? null,
      updatedAt: nowIso(),
    };
    let row: Attendance;
    if (existing) {
      row = await ctx.db
        .updateTable('attendance')
        .set(values)
        .where('id', '=', existing.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    } else {
      row = await ctx.db
        .insertInto('attendance')
        .values({
          ...values,
          placementId: placement.id,
          month: input.month,
          requiredDays,
          monthlySubsidyFen,
          createdAt: values.updatedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await audit(ctx, {
      action: existing ? '修改' : '新增',
      entity: '考勤',
      entityId: row.id,
      summary: `${input.month}月出勤${input.days}天`,
      before: existing ?? null,
      after: row,
    });
    const sheet = await attendanceSheet(ctx.db, input.month);
    return sheet.rows.find((r) => r.placementId === placement.id)!;
  },
};
