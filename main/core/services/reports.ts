/**
 * 报表: write the monthly submission or a public notice for a month, archive it with its SHA-256 and figures,
 * and refuse a submission with 错误 findings unless a reason is given (recorded in the audit log).
 */
import path from 'node:path';
import type { ExportResult } from '../../../shared/api.ts';
import { audit, nowIso, type Ctx } from '../context.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError } from '../errors.ts';
import { stageFile, targetPath } from '../files.ts';
import { MonthlyData } from '../excel/monthly-data.ts';
import { monthlySheets } from '../excel/monthly.ts';
import { noticeSheet, type NoticeKind } from '../excel/notices.ts';
import { writeReport, type SheetDef } from '../excel/report.ts';
import type { Row } from '../excel/monthly-data.ts';
import { checkRules, recordSubmission } from './rules.ts';
import { readParameters, readSettings } from './settings.ts';

const KIND_NAMES: Record<string, string> = {
  monthly: '月报',
  identification: '识别公示',
  elimination: '风险消除公示',
  subsidy: '补贴发放公示',
};

/** A report's name in the 报表 folder beside the database, where it goes unless a file was picked. */
const defaultReportName = (kind: string, month: string) => `${month} ${KIND_NAMES[kind] ?? kind}.xlsx`;

/**
 * Writes the workbook to a temporary file, archives it (name, SHA-256, figures) and audits the export; the file
 * takes its name only once that has committed (files.ts), so a killed export leaves no unrecorded report.
 */
async function writeAndArchive(
  ctx: Ctx,
  kind: string,
  month: string,
  requested: string | null | undefined,
  sheets: SheetDef<Row>[],
): Promise<ExportResult> {
  const target = targetPath(ctx, requested, defaultReportName(kind, month));
  if (!target.toLowerCase().endsWith('.xlsx')) throw new LedgerError('validation', '「文件」应为 .xlsx 文件', 'file');
  let summaries: Awaited<ReturnType<typeof writeReport>> = [];
  const { sha256 } = await stageFile(ctx, target, 'file', async (tmp) => {
    summaries = await writeReport(tmp, sheets, { creator: '乡镇振兴台账' });
  });
  const figures = Object.fromEntries(summaries.map((s) => [s.name, { rows: s.rows, sums: s.sums }]));
  const archived = await ctx.db
    .insertInto('reportArchive')
    .values({
      period: month,
      kind,
      createdAt: nowIso(),
      fileName: path.basename(target),
      sha256,
      figures: JSON.stringify(figures),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit(ctx, {
    action: '导出',
    entity: '报表',
    entityId: archived.id,
    summary: `${month} ${KIND_NAMES[kind] ?? kind}：${path.basename(target)}（SHA-256 ${sha256.slice(0, 12)}…）`,
  });
  return {
    file: target,
    sha256,
    archiveId: archived.id,
    sheets: summaries.map((s) => ({ name: s.name, rows: s.rows, sums: s.sums })),
  };
}

export async function exportMonthly(
  ctx: Ctx,
  input: { month: string; file?: string | null; reason?: string | null },
): Promise<ExportResult> {
  const check = await checkRules(ctx, input.month);
  if (check.errors > 0 && !input.reason) {
    throw new LedgerError(
      'workflow',
      `数据校验有 ${check.errors} 条错误，请先更正；如需继续上报，请填写原因`,
      'reason',
      { errors: check.errors, warnings: check.warnings },
    );
  }
  if (check.errors > 0) {
    await recordSubmission(ctx, input.month, check, input.reason!, '月报');
  }
  const data = new MonthlyData(ctx, input.month, await readParameters(ctx.db));
  const sheets = monthlySheets(data, await readSettings(ctx.db));
  return writeAndArchive(ctx, 'monthly', input.month, input.file, sheets);
}

export async function exportNotice(
  ctx: Ctx,
  input: { kind: NoticeKind; month: string; file?: string | null },
): Promise<ExportResult> {
  const data = new MonthlyData(ctx, input.month, await readParameters(ctx.db));
  const sheet = noticeSheet(data, input.kind, await readSettings(ctx.db), ctx.today());
  return writeAndArchive(ctx, input.kind, input.month, input.file, [sheet]);
}

export const reportHandlers: Pick<Handlers, 'report.exportMonthly' | 'report.exportNotice' | 'report.archive'> = {
  'report.exportMonthly': (ctx, input) => exportMonthly(ctx, input),
  'report.exportNotice': (ctx, input) => exportNotice(ctx, input),
  'report.archive': async (ctx, input) =>
    ctx.db
      .selectFrom('reportArchive')
      .selectAll()
      .$if(!!input.month, (q) => q.where('period', '=', input.month!))
      .orderBy('id', 'desc')
      .limit(200)
      .execute(),
};
