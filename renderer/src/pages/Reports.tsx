/** 报表: preview a month's figures, export the monthly submission (warning on 错误 findings) and the notices. */
import { useState } from 'react';
import type { ExportResult, OpResult } from '../../../shared/api.ts';
import { addMonths, isValidMonth, monthOf, todayIso } from '../../../shared/dates.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import { call, useQuery } from '../api.ts';
import { FormDialog, useDialog, type FormOf } from '../components/Form.tsx';
import { Info, Panel, Progress } from '../components/ui.tsx';
import { href, type Route } from '../route.ts';

const KIND_LABELS: Record<string, string> = {
  monthly: '月报',
  identification: '识别公示',
  elimination: '风险消除公示',
  subsidy: '补贴发放公示',
};

const NOTICES = [
  { kind: 'identification', label: '识别公示名单' },
  { kind: 'elimination', label: '风险消除公示名单' },
  { kind: 'subsidy', label: '补贴发放公示表' },
] as const;

async function chooseFile(defaultName: string): Promise<string | null | undefined> {
  // Electron: a save dialog, whose token names the file to the core; browser mode: the 报表 folder beside the database.
  if (!window.ledgerNative) return undefined;
  const picked = await window.ledgerNative.saveFile({
    title: '保存报表',
    defaultName,
    filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
  });
  return picked ? picked.token : null;
}

export function ReportsPage({ route }: { route: Route }) {
  const [month, setMonth] = useState(route.params.get('month') ?? addMonths(monthOf(todayIso()), -1));
  const valid = isValidMonth(month);
  const stats = useQuery('stats.month', { month: valid ? month : monthOf(todayIso()) });
  const checks = useQuery('rules.run', { month: valid ? month : monthOf(todayIso()) });
  const archive = useQuery('report.archive', {});
  const { busy, done, error, run } = useExport(() => void archive.reload());
  const { dialog, open, close } = useDialog();

  const exportMonthly = () => {
    const go = (reason?: string) =>
      run('月报', (file) => call('report.exportMonthly', { month, file, reason }), `${month} 月报.xlsx`);
    if (!checks.data || checks.data.errors === 0) return void go();
    open(
      <ErrorsReasonDialog
        month={month}
        errors={checks.data.errors}
        onReason={async (reason) => {
          close();
          await go(reason);
        }}
        onClose={close}
      />,
    );
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>报表</h1>
        <span className="muted">按月末数据生成，导出的每份报表都存档并记录文件指纹</span>
      </header>
      <div className="toolbar">
        <label className="filter">
          月份
          <input aria-label="报表月份" size={8} value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        {!valid ? <span className="fail">月份格式应为 YYYY-MM</span> : null}
      </div>
      <div className="two-col">
        <MonthlyPreview
          month={month}
          disabled={!valid || !!busy}
          stats={stats.data}
          checks={checks.data}
          onExport={exportMonthly}
        />
        <NoticesPanel
          disabled={!valid || !!busy}
          onExport={(n) =>
            void run(
              n.label,
              (file) => call('report.exportNotice', { kind: n.kind, month, file }),
              `${month} ${n.label}.xlsx`,
            )
          }
        />
      </div>
      <Progress busy={busy} error={error} />
      {done ? <ExportDone done={done} /> : null}
      <ArchivePanel archive={archive.data ?? []} />
      {dialog}
    </div>
  );
}

/** One export at a time: ask where to save (desktop), run it, keep its result or message; `onExported` after. */
function useExport(onExported: () => void) {
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (
    label: string,
    work: (file: string | null | undefined) => Promise<ExportResult>,
    defaultName: string,
  ) => {
    setError(null);
    setDone(null);
    const file = await chooseFile(defaultName);
    if (file === null) return;
    setBusy(`正在导出${label}，请稍候…`);
    try {
      setDone(await work(file));
      onExported();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return { busy, done, error, run };
}

/** Exporting the monthly submission despite 错误 findings takes a reason (kept in the audit log). */
function ErrorsReasonDialog({
  month,
  errors,
  onReason,
  onClose,
}: {
  month: string;
  errors: number;
  onReason: (reason: string | undefined) => Promise<void>;
  onClose: () => void;
}) {
  return (
    <FormDialog<Pick<FormOf<'report.exportMonthly'>, 'reason'>>
      title="数据校验有错误"
      fields={[
        {
          key: 'reason',
          label: `${month} 有 ${errors} 条错误。继续上报请说明原因（记入操作日志）`,
          kind: 'textarea',
          required: true,
        },
      ]}
      submitText="仍然导出"
      onSubmit={(input) => onReason(input.reason ?? undefined)}
      onClose={onClose}
    >
      <p>
        <a href={href('checks', { month })}>先去数据校验页更正</a>
      </p>
    </FormDialog>
  );
}

function MonthlyPreview({
  month,
  disabled,
  stats: s,
  checks,
  onExport,
}: {
  month: string;
  disabled: boolean;
  stats: OpResult<'stats.month'> | null;
  checks: OpResult<'rules.run'> | null;
  onExport: () => void;
}) {
  return (
    <Panel
      title={`${month} 月报预览`}
      label="月报预览"
      actions={
        <button type="button" className="primary" disabled={disabled} onClick={onExport}>
          导出月报
        </button>
      }
    >
      {s ? (
        <Info
          items={[
            ['统计截至', s.monitoring.asOf],
            ['总户数 / 人数', `${s.households} / ${s.persons}`],
            ['监测户（未消除）', s.monitoring.current],
            ['本月新识别 / 消除', `${s.monitoring.identifiedInMonth} / ${s.monitoring.eliminatedInMonth}`],
            ['公益岗位在岗', s.posts.holdersInMonth],
            ['本月补贴（元）', fenToYuanText(s.posts.subsidyFenInMonth)],
            ['搬迁劳动力 / 已就业', `${s.relocation.labour} / ${s.relocation.employed}`],
            [
              '数据校验',
              checks ? (
                <a key="c" href={href('checks', { month })} className={checks.errors ? 'fail' : 'ok'}>
                  错误 {checks.errors}，提示 {checks.warnings}
                </a>
              ) : (
                '…'
              ),
            ],
          ]}
        />
      ) : null}
      <p className="muted">
        含：T1 监测对象花名册、T2 户花名册、T3 统计月报、T5 岗位人员花名册、T6 出勤和补贴汇总、T8 补贴发放表、T9
        安置点基本情况、T10 搬迁劳动力就业月报及明细、T11 务工监测月报及明细。
      </p>
    </Panel>
  );
}

function NoticesPanel({ disabled, onExport }: { disabled: boolean; onExport: (n: (typeof NOTICES)[number]) => void }) {
  return (
    <Panel title="公示材料" label="公示材料">
      <p className="muted">公示名单不含完整身份证号和健康信息。</p>
      <div className="actions">
        {NOTICES.map((n) => (
          <button key={n.kind} type="button" disabled={disabled} onClick={() => onExport(n)}>
            导出{n.label}
          </button>
        ))}
      </div>
    </Panel>
  );
}

function ExportDone({ done }: { done: ExportResult }) {
  return (
    <div className="progress" role="status" aria-label="导出结果">
      已导出：{done.file}（{done.sheets.map((x) => `${x.name} ${x.rows}行`).join('，')}）
      {window.ledgerNative ? (
        <button type="button" onClick={() => void window.ledgerNative!.showInFolder(done.file)}>
          打开所在文件夹
        </button>
      ) : null}
    </div>
  );
}

function ArchivePanel({ archive }: { archive: OpResult<'report.archive'> }) {
  return (
    <Panel title="导出存档" label="导出存档">
      <table className="table">
        <thead>
          <tr>
            <th>月份</th>
            <th>类别</th>
            <th>文件</th>
            <th>导出时间</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {archive.map((a) => (
            <tr key={a.id}>
              <td>{a.period}</td>
              <td>{KIND_LABELS[a.kind] ?? a.kind}</td>
              <td>{a.fileName}</td>
              <td>{new Date(a.createdAt).toLocaleString('zh-CN', { hour12: false })}</td>
              <td>
                <code>{a.sha256.slice(0, 16)}…</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}
