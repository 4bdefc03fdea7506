/** 数据校验 operations: list the rules, run them for a month, and record a reason to go on despite 错误 findings. */
import type { RulesResult } from '../../../shared/api.ts';
import { monthOf } from '../../../shared/dates.ts';
import { audit, type Ctx } from '../context.ts';
import type { Handlers } from '../dispatcher.ts';
import { contextFor, runRules } from '../rules/engine.ts';
import { RULES } from '../rules/index.ts';
import { LedgerError } from '../errors.ts';
import { readParameters } from './settings.ts';

export async function checkRules(ctx: Ctx, month: string | undefined, only?: readonly string[]): Promise<RulesResult> {
  const unknown = (only ?? []).filter((code) => !RULES.some((r) => r.code === code));
  if (unknown.length) throw new LedgerError('validation', `没有这些校验规则：${unknown.join('、')}`, 'rules');
  const params = await readParameters(ctx.db);
  const thresholds = await ctx.db.selectFrom('incomeThreshold').select(['year', 'amountFen']).execute();
  const today = ctx.today();
  const context = contextFor(ctx, params, month ?? monthOf(today), today, thresholds);
  return runRules(only?.length ? RULES.filter((r) => only.includes(r.code)) : RULES, context);
}

/** The audit entry for going on with a submission: the counts and the reason given. */
export async function recordSubmission(
  ctx: Ctx,
  month: string,
  result: Pick<RulesResult, 'errors' | 'warnings'>,
  reason: string,
  purpose?: string | null,
): Promise<void> {
  await audit(ctx, {
    action: result.errors > 0 ? '带错误继续上报' : '校验通过上报',
    entity: '数据校验',
    entityId: null,
    summary: `${month}${purpose ? ` ${purpose}` : ''}：错误 ${result.errors} 条、提示 ${result.warnings} 条；说明：${reason}`,
    after: { month, errors: result.errors, warnings: result.warnings, reason },
  });
}

export const ruleHandlers: Pick<Handlers, 'rules.list' | 'rules.run' | 'rules.acknowledge'> = {
  'rules.list': async () => RULES.map(({ code, title, severity, entity }) => ({ code, title, severity, entity })),
  'rules.run': (ctx, input) => checkRules(ctx, input.month, input.rules),
  async 'rules.acknowledge'(ctx, input) {
    const result = await checkRules(ctx, input.month);
    await recordSubmission(ctx, input.month, result, input.reason, input.purpose);
    return { errors: result.errors, warnings: result.warnings };
  },
};
