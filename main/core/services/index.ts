/** Every handler of the contract, in one map the dispatcher checks for completeness at compile time. */
import type { Handlers, Preparers } from '../dispatcher.ts';
import { page } from './list.ts';
import { householdHandlers } from './households.ts';
import { monitoringHandlers } from './monitoring.ts';
import { caseRecordHandlers } from './case-records.ts';
import { postHandlers } from './posts.ts';
import { attendanceHandlers } from './attendance.ts';
import { payrollHandlers } from './payroll.ts';
import { relocationHandlers } from './relocation.ts';
import { settingsHandlers } from './settings.ts';
import { monthStats, villageStats } from './figures.ts';
import { dashboard } from './dashboard.ts';
import { ruleHandlers } from './rules.ts';
import { reportHandlers } from './reports.ts';
import { importHandlers, preloadImport } from './imports.ts';
import { reconcileHandlers } from './reconcile.ts';
import { backupBefore, backupHandlers } from './backups.ts';
import { accountHandlers } from './accounts.ts';
import { audit } from '../context.ts';
import { generateDemo } from '../demo/generate.ts';
import { LedgerError } from '../errors.ts';

/**
 * Work done before an operation's transaction begins (dispatcher.ts), outside the write lock: imports read their
 * file first; imports, reconciles and payroll unlocks then back the database up (backups.ts: at county scale the
 * copy and its integrity check take seconds, which other programs' writes need not wait for).
 */
export const preparers: Preparers = {
  async 'import.run'(ctx, input) {
    preloadImport(ctx, input);
    await backupBefore(ctx, 'import');
  },
  'import.preview': preloadImport,
  'import.compare': preloadImport,
  async 'import.reconcile'(ctx, input) {
    preloadImport(ctx, input);
    await backupBefore(ctx, 'reconcile');
  },
  async 'payroll.unlock'(ctx, { month }) {
    // Only a month that is locked: a refused unlock takes no backup.
    const locked = ctx.raw.prepare('SELECT locked_at FROM payroll_month WHERE month = ?').get(month) as
      { locked_at: string | null } | undefined;
    if (locked?.locked_at) await backupBefore(ctx, 'unlock');
  },
};

export const handlers: Handlers = {
  ...settingsHandlers,
  ...householdHandlers,
  ...monitoringHandlers,
  ...caseRecordHandlers,
  ...postHandlers,
  ...attendanceHandlers,
  ...payrollHandlers,
  ...relocationHandlers,
  'stats.month': (ctx, { month }) => monthStats(ctx.db, month),
  'stats.byVillage': (ctx, { month }) => villageStats(ctx.db, month),
  ...ruleHandlers,
  ...reportHandlers,
  ...importHandlers,
  ...reconcileHandlers,
  ...backupHandlers,
  ...accountHandlers,
  'dashboard.get': (ctx, { month }) => dashboard(ctx, month),
  async 'setup.loadDemo'(ctx) {
    const used = ctx.raw
      .prepare('SELECT (SELECT count(*) FROM village) + (SELECT count(*) FROM household) AS n')
      .get() as { n: number };
    if (used.n > 0) throw new LedgerError('conflict', '数据库中已有村或农户，示范数据只能载入空数据库');
    ctx.raw.prepare('DELETE FROM setting').run();
    const summary = generateDemo(ctx, 'township', 1);
    await audit(ctx, {
      action: '载入',
      entity: '示范数据',
      entityId: null,
      summary: `载入示范乡镇：${summary.households}户 ${summary.persons}人`,
    });
    return { households: summary.households, persons: summary.persons };
  },
  async 'audit.list'(ctx, input) {
    const f = input.filter;
    let q = ctx.db.selectFrom('auditLog').selectAll();
    if (f.entity) q = q.where('entity', '=', f.entity);
    if (f.entityId) q = q.where('entityId', '=', f.entityId);
    if (f.action) q = q.where('action', '=', f.action);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.to) q = q.where('at', '<', `${f.to}T99`);
    if (input.quick) q = q.where((eb) => eb(eb.fn('instr', ['summary', eb.val(input.quick!)]), '>', 0));
    const sort = input.sort.length ? input.sort : [{ field: 'id' as const, dir: 'desc' as const }];
    return page(q, { ...input, sort }, { id: 'id', at: 'at' }, 'id DESC');
  },
};
