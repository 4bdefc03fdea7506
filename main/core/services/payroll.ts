/**
 * Payroll months: generating a month's subsidy table fills in the attendance nobody entered (the post's
 * required days), and locking it freezes the month's attendance and subsidies (unlocking, for a correction, needs a reason). Kept apart from
 * attendance.ts because these are month-wide acts with their own audit trail, not edits of one holder's month.
 */
import { monthDays } from '../../../shared/dates.ts';
import { audit, nowIso } from '../context.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError } from '../errors.ts';
import { attendanceSheet, monthLocked, refuseFuture, refuseLocked } from './attendance.ts';

export const payrollHandlers: Pick<Handlers, 'payroll.generate' | 'payroll.lock' | 'payroll.unlock'> = {
  async 'payroll.generate'(ctx, { month }) {
    await refuseLocked(ctx.db, month);
    refuseFuture(ctx, month);
    const sheet = await attendanceSheet(ctx.db, month);
    const missing = sheet.rows.filter((r) => r.attendanceId === null);
    const now = nowIso();
    if (missing.length) {
      await ctx.db
        .insertInto('attendance')
        .values(
          missing.map((r) => ({
            placementId: r.placementId,
            month,
            requiredDays: r.requiredDays,
            days: Math.min(r.days, monthDays(month)),
            monthlySubsidyFen: r.monthlySubsidyFen,
            subsidyFen: r.subsidyFen,
            deductionFen: 0,
            deductionReason: null,
            note: null,
            createdAt: now,
            updatedAt: now,
          })),
        )
        .execute();
    }
    await ctx.db
      .insertInto('payrollMonth')
      .values({ month, generatedAt: now, lockedAt: null, lockedBy: null })
      .onConflict((oc) => oc.column('month').doUpdateSet({ generatedAt: now }))
      .execute();
    await audit(ctx, {
      action: '生成补贴表',
      entity: '补贴月',
      entityId: null,
      summary: `${month}月生成考勤补贴（新增${missing.length}人，共${sheet.rows.length}人）`,
    });
    return attendanceSheet(ctx.db, month);
  },

  async 'payroll.lock'(ctx, { month }) {
    await refuseLocked(ctx.db, month);
    const sheet = await attendanceSheet(ctx.db, month);
    if (!sheet.generated || sheet.rows.some((r) => r.attendanceId === null)) {
      throw new LedgerError('workflow', `${month}月还有人员未登记考勤，请先生成补贴表`, 'month');
    }
    const now = nowIso();
    await ctx.db
      .updateTable('payrollMonth')
      .set({ lockedAt: now, lockedBy: ctx.actor })
      .where('month', '=', month)
      .execute();
    await audit(ctx, {
      action: '锁定',
      entity: '补贴月',
      entityId: null,
      summary: `${month}月考勤补贴锁定：${sheet.totals.persons}人，补贴${sheet.totals.subsidyFen}分`,
    });
    return attendanceSheet(ctx.db, month);
  },

  async 'payroll.unlock'(ctx, { month, reason }) {
    const status = await monthLocked(ctx.db, month);
    if (!status?.lockedAt) throw new LedgerError('workflow', `${month}月的考勤补贴没有锁定`, 'month');
    await ctx.db
      .updateTable('payrollMonth')
      .set({ lockedAt: null, lockedBy: null })
      .where('month', '=', month)
      .execute();
    await audit(ctx, {
      action: '解锁',
      entity: '补贴月',
      entityId: null,
      summary: `${month}月考勤补贴解锁（${status.lockedAt.slice(0, 10)}锁定）：${reason}`,
    });
    return attendanceSheet(ctx.db, month);
  },
};
