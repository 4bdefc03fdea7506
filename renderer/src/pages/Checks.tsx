/** 数据校验: run every rule for a month, findings grouped by rule and village, each linking to its record. */
import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import type { Finding, RulesResult } from '../../../shared/api.ts';
import { isValidMonth, monthOf, todayIso } from '../../../shared/dates.ts';
import { call } from '../api.ts';
import { FormDialog, useDialog, type FormOf } from '../components/Form.tsx';
import { Sheet } from '../components/Sheet.tsx';
import { FilterSelect, Panel } from '../components/ui.tsx';
import { column } from '../grid.ts';
import { href, type Route } from '../route.ts';

export function findingLink(f: Finding): string {
  switch (f.entity) {
    case '监测对象':
      return href('cases', { id: f.id });
    case '公益岗位聘用':
      return href('posts', { tab: 'holders', id: f.id });
    case '考勤':
      return href('posts', { tab: 'attendance', month: f.month ?? '' });
    case '安置点':
      return href('relocation', { site: f.id });
    default:
      return href('households', { id: f.householdId ?? f.id });
  }
}

function OpenLink(p: ICellRendererParams<Finding>) {
  return p.data ? <a href={findingLink(p.data)}>打开</a> : null;
}

export function ChecksPage({ route }: { route: Route }) {
  const { month, setMonth, result, busy, error, run } = useRulesRun(route.params.get('month') ?? monthOf(todayIso()));
  const [note, setNote] = useState<string | null>(null);
  const { dialog, open, close } = useDialog();

  return (
    <div className="page">
      <header className="page-head">
        <h1>数据校验</h1>
        <span className="muted">上报前检查数据，错误会导致县级退回，提示请核实</span>
      </header>
      <ChecksToolbar
        month={month}
        onMonth={setMonth}
        result={result}
        busy={busy}
        onRun={() => void run()}
        onConfirm={(r) => open(<AcknowledgeDialog month={month} result={r} onDone={setNote} onClose={close} />)}
      />
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      {note ? (
        <div className="progress" role="status">
          {note}
        </div>
      ) : null}
      {busy ? (
        <div className="progress" role="status">
          正在运行全部校验规则…
        </div>
      ) : null}
      {result ? (
        <CheckResults result={result} />
      ) : (
        <p className="muted hint">选择月份后点“开始校验”。乡镇规模约需 1 秒。</p>
      )}
      {dialog}
    </div>
  );
}

/** The month typed in the toolbar and the last run of every rule for it. */
function useRulesRun(initialMonth: string) {
  const [month, setMonth] = useState(initialMonth);
  const [result, setResult] = useState<RulesResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (!isValidMonth(month)) return setError('月份格式应为 YYYY-MM');
    setBusy(true);
    setError(null);
    try {
      setResult(await call('rules.run', { month }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { month, setMonth, result, busy, error, run };
}

function ChecksToolbar({
  month,
  onMonth,
  result,
  busy,
  onRun,
  onConfirm,
}: {
  month: string;
  onMonth: (month: string) => void;
  result: RulesResult | null;
  busy: boolean;
  onRun: () => void;
  onConfirm: (result: RulesResult) => void;
}) {
  return (
    <div className="toolbar">
      <label className="filter">
        月份
        <input aria-label="校验月份" size={8} value={month} onChange={(e) => onMonth(e.target.value)} />
      </label>
      <button type="button" className="primary" disabled={busy} onClick={onRun}>
        {busy ? '正在校验…' : result ? '重新校验' : '开始校验'}
      </button>
      {result ? (
        <span className="totals" data-testid="check-totals">
          <span className="fail">错误 {result.errors} 条</span>
          <span className="warn">提示 {result.warnings} 条</span>
          <span className="muted">截至 {result.asOf}</span>
        </span>
      ) : null}
      <span className="spacer" />
      {result ? (
        <button type="button" onClick={() => onConfirm(result)}>
          确认上报…
        </button>
      ) : null}
    </div>
  );
}

/** Acknowledge the month's findings before reporting; with errors left a reason is required. */
function AcknowledgeDialog({
  month,
  result,
  onDone,
  onClose,
}: {
  month: string;
  result: RulesResult;
  onDone: (note: string) => void;
  onClose: () => void;
}) {
  return (
    <FormDialog<FormOf<'rules.acknowledge', 'month'>>
      title={`确认上报 ${month}`}
      fields={[
        {
          key: 'purpose',
          label: '上报内容',
          kind: 'select',
          options: ['月报上报', '监测对象花名册', '公益岗位补贴', '易地搬迁月报'],
          required: true,
        },
        {
          key: 'reason',
          label: result.errors > 0 ? `仍有 ${result.errors} 条错误，请说明继续上报的原因` : '说明',
          kind: 'textarea',
          required: true,
        },
      ]}
      initial={{ purpose: '月报上报', reason: result.errors === 0 ? '校验无错误' : '' }}
      submitText="确认并记录"
      onSubmit={async (input) => {
        const r = await call('rules.acknowledge', { ...input, month });
        onDone(`已记录：${month} 错误 ${r.errors} 条、提示 ${r.warnings} 条，说明已写入操作日志`);
      }}
      onClose={onClose}
    />
  );
}

type RuleGroup = { title: string; severity: string; total: number; villages: Map<string, number> };

/** Findings counted by rule and, within each rule, by village; errors first, then by rule code. */
function groupFindings(findings: readonly Finding[]): [string, RuleGroup][] {
  const byRule = new Map<string, RuleGroup>();
  for (const f of findings) {
    const g = byRule.get(f.rule) ?? {
      title: f.title,
      severity: f.severity,
      total: 0,
      villages: new Map<string, number>(),
    };
    g.total += 1;
    const v = f.villageName ?? '（乡镇）';
    g.villages.set(v, (g.villages.get(v) ?? 0) + 1);
    byRule.set(f.rule, g);
  }
  return [...byRule.entries()].sort((a, b) =>
    a[1].severity === b[1].severity ? a[0].localeCompare(b[0]) : a[1].severity === '错误' ? -1 : 1,
  );
}

/** The summary by rule and village beside the findings grid; picking a rule or village filters the grid. */
function CheckResults({ result }: { result: RulesResult }) {
  const [rule, setRule] = useState('');
  const [village, setVillage] = useState('');
  const [severity, setSeverity] = useState('');
  const groups = useMemo(() => groupFindings(result.findings), [result]);
  const shown = useMemo(
    () =>
      result.findings.filter(
        (f) =>
          (!rule || f.rule === rule) &&
          (!village || (f.villageName ?? '（乡镇）') === village) &&
          (!severity || f.severity === severity),
      ),
    [result, rule, village, severity],
  );
  const villages = useMemo(
    () => [...new Set(result.findings.map((f) => f.villageName ?? '（乡镇）'))].sort(),
    [result],
  );

  return (
    <div className="checks">
      <RuleGroups groups={groups} rule={rule} village={village} onRule={setRule} onVillage={setVillage} />
      <div>
        <div className="toolbar">
          <FilterSelect label="级别" value={severity} options={['错误', '提示']} onChange={setSeverity} />
          <FilterSelect
            label="规则"
            value={rule}
            options={groups.map(([code, g]) => ({ value: code, label: `${code} ${g.title}` }))}
            onChange={setRule}
          />
          <FilterSelect label="行政村" value={village} options={villages} onChange={setVillage} />
        </div>
        <FindingsSheet findings={shown} />
      </div>
    </div>
  );
}

function RuleGroups({
  groups,
  rule,
  village,
  onRule,
  onVillage,
}: {
  groups: [string, RuleGroup][];
  rule: string;
  village: string;
  onRule: (rule: string) => void;
  onVillage: (village: string) => void;
}) {
  return (
    <Panel title="按规则和村汇总" label="按规则汇总">
      {groups.length === 0 ? <p className="ok">没有发现问题。</p> : null}
      <ul className="rule-groups">
        {groups.map(([code, g]) => (
          <li key={code} className={rule === code ? 'active' : ''}>
            <button
              type="button"
              className="link"
              onClick={() => {
                onRule(rule === code ? '' : code);
                onVillage('');
              }}
            >
              <span className={g.severity === '错误' ? 'fail' : 'warn'}>{g.severity}</span> {code} {g.title}{' '}
              <strong>{g.total}</strong>
            </button>
            {rule === code ? (
              <ul>
                {[...g.villages.entries()]
                  .sort((a, b) => b[1] - a[1])
                  .map(([v, n]) => (
                    <li key={v}>
                      <button type="button" className="link" onClick={() => onVillage(village === v ? '' : v)}>
                        {v} {n}
                      </button>
                    </li>
                  ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </Panel>
  );
}

function FindingsSheet({ findings }: { findings: Finding[] }) {
  const columns = useMemo<ColDef<Finding>[]>(
    () => [
      {
        headerName: '',
        colId: 'open',
        width: 64,
        cellRenderer: OpenLink,
        sortable: false,
        filter: false,
        pinned: 'left',
      },
      column('severity', '级别', { width: 80, cellClassRules: { 'cell-error': (p) => p.value === '错误' } }),
      column('rule', '规则', { width: 80 }),
      column('title', '规则名称', { width: 220 }),
      column('villageName', '行政村', { width: 100 }),
      column('entity', '对象', { width: 110 }),
      column('message', '问题说明', { flex: 1, minWidth: 320, tooltipField: 'message' }),
    ],
    [],
  );
  return (
    <Sheet<Finding>
      testId="findings-grid"
      layoutKey="findings"
      columns={columns}
      rows={findings}
      rowId={(f) => `${f.rule}-${f.id}-${f.month ?? ''}`}
      height="calc(100vh - 240px)"
      onOpen={(f) => {
        window.location.hash = findingLink(f);
      }}
    />
  );
}
