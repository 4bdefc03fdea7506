/**
 * 国家系统比对 on the import page: the differences between a national file and the ledger, grouped by household,
 * each with a choice (采用国家系统 / 保留台账) typed or picked like any cell; whole households or the whole list
 * can be set at once. Nothing changes until 按选择更新台账; every difference taken is an audited write.
 */
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import type { OpInput, ReconcileDifference, ReconcileResult } from '../../../shared/api.ts';
import { call } from '../api.ts';
import { Sheet } from '../components/Sheet.tsx';
import { Panel, Progress } from '../components/ui.tsx';
import { column } from '../grid.ts';

const TAKE = '采用国家系统';
const KEEP = '保留台账';
type Choice = typeof TAKE | typeof KEEP | '—';
type Row = ReconcileDifference & { choice: Choice };

/** The file and the column choices of the import page. */
export type ReconcileSource = Omit<OpInput<'import.compare'>, 'kind'>;

export function ReconcilePanel({ kind, source }: { kind: 'households' | 'monitoring'; source: ReconcileSource }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const [selected, setSelected] = useState<Row | null>(null);

  const run = async <T,>(message: string, work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(message);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError((e as Error).message);
      return undefined;
    } finally {
      setBusy(null);
    }
  };
  const load = (r: ReconcileResult) => setRows(r.differences.map((d) => ({ ...d, choice: d.applicable ? KEEP : '—' })));
  const compare = () =>
    run('正在与台账比对…', async () => {
      setDone(null);
      load(await call('import.compare', { kind, ...source }));
    });
  const choose = (pick: (r: Row) => boolean, choice: Choice) =>
    setRows((rs) => rs && rs.map((r) => (r.applicable && pick(r) ? { ...r, choice } : r)));
  const taken = rows?.filter((r) => r.choice === TAKE) ?? [];
  const apply = () =>
    run('正在按选择更新台账…', async () => {
      const r = await call('import.reconcile', { kind, ...source, take: taken.map((t) => t.id) });
      setDone(`已采用国家系统的值 ${r.taken ?? 0} 项，其余保留台账原值；每项更改都已记入操作日志。`);
      load(await call('import.compare', { kind, ...source }));
    });
  const exportList = () =>
    run('正在导出比对清单…', async () => {
      const r = await call('import.compare', { kind, ...source, exportList: true });
      setExported(r.file ?? null);
    });

  const columns = useMemo<ColDef<Row>[]>(
    () => [
      column('group', '户', { width: 250 }),
      column('entity', '对象', { width: 90 }),
      column('record', '记录', { width: 170 }),
      column('label', '项目', { width: 120 }),
      column('kind', '差异', { width: 110 }),
      column('ledger', '台账', { width: 180, tooltipField: 'ledger' }),
      column('national', '国家系统', { width: 180, tooltipField: 'national' }),
      {
        ...column('choice', '处理', { kind: 'select', options: [TAKE, KEEP], width: 130 }),
        editable: (p) => !!p.data?.applicable,
      },
      column('note', '说明', { flex: 1, minWidth: 200, tooltipField: 'note' }),
    ],
    [],
  );

  return (
    <Panel title="国家系统比对（与台账逐项核对）" label="国家系统比对">
      {!rows ? (
        <p>
          <button type="button" disabled={!!busy} onClick={() => void compare()}>
            与台账比对
          </button>
          <span className="muted">
            {' '}
            列出文件与台账不一致之处，逐项选择采用国家系统的值或保留台账；确认前不改动台账。
          </span>
        </p>
      ) : (
        <>
          <p className="totals" data-testid="reconcile-counts">
            <span>不一致 {rows.length} 处</span>
            <span>只在国家系统 {rows.filter((r) => r.kind === '只在国家系统').length}</span>
            <span>只在台账 {rows.filter((r) => r.kind === '只在台账').length}</span>
            <span>已选采用 {taken.length}</span>
          </p>
          <p className="actions">
            <button type="button" disabled={!!busy} onClick={() => choose(() => true, TAKE)}>
              全部采用国家系统
            </button>
            <button type="button" disabled={!!busy} onClick={() => choose(() => true, KEEP)}>
              全部保留台账
            </button>
            <button
              type="button"
              disabled={!!busy || !selected}
              onClick={() => selected && choose((r) => r.group === selected.group, TAKE)}
            >
              本户全部采用
            </button>
            <button type="button" disabled={!!busy} onClick={() => void exportList()}>
              导出比对清单
            </button>
            <button type="button" className="primary" disabled={!!busy || !taken.length} onClick={() => void apply()}>
              按选择更新台账（{taken.length} 项）
            </button>
          </p>
          <Sheet
            testId="reconcile-differences"
            layoutKey="reconcile-differences"
            columns={columns}
            rows={rows}
            rowId={(r) => r.id}
            onSelect={setSelected}
            onSave={(row, field) => {
              if (field === 'choice') setRows((rs) => rs && rs.map((r) => (r.id === row.id ? row : r)));
              return Promise.resolve(row);
            }}
            height={360}
          />
        </>
      )}
      <Progress busy={busy} error={error} />
      {done ? <p role="status">{done}</p> : null}
      {exported ? <p>比对清单已保存：{exported}</p> : null}
    </Panel>
  );
}
