/** Every handler of the contract, in one map the dispatcher checks for completeness at compile time. */
import type { Handlers } from '../dispatcher.ts';
import { page } from './list.ts';
import { householdHandlers } from './households.ts';
import { monitoringHandlers } from './monitoring.ts';
import { postHandlers } from './posts.ts';
import { relocationHandlers } from './relocation.ts';
import { settingsHandlers } from './settings.ts';
import { monthStats, villageStats } from './figures.ts';

export const handlers: Handlers = {
  ...settingsHandlers,
  ...householdHandlers,
  ...monitoringHandlers,
  ...postHandlers,
  ...relocationHandlers,
  'stats.month': (ctx, { month }) => monthStats(ctx.db, month),
  'stats.byVillage': (ctx, { month }) => villageStats(ctx.db, month),
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
