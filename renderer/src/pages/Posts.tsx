/** 公益岗位: posts, holders (hiring with eligibility feedback, exits), and the monthly attendance sheet. */
import type { ColDef } from 'ag-grid-community';
import { useEffect, useMemo, useState, type Dispatch, type SetStateAction } from 'react';
import type { AttendanceRow, AttendanceSheet, Eligibility, PlacementRow, PostRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { monthOf, todayIso, isValidMonth } from '../../../shared/dates.ts';
import { fenToYuanText, proRataSubsidyFen } from '../../../shared/money.ts';
import { maskIdNumber } from '../../../shared/idnumber.ts';
import { call, useQuery } from '../api.ts';
import { CheckList, FormDialog, useDialog, type Draft, type FormOf } from '../components/Form.tsx';
import { Sheet } from '../components/Sheet.tsx';
import { SearchBox, Tabs, useVillages, villageOptions } from '../components/ui.tsx';
import { column } from '../grid.ts';
import { go, type Route } from '../route.ts';

type HireForm = FormOf<'placement.hire'>;

export function PostsPage({ route }: { route: Route }) {
  const tab = route.params.get('tab') ?? 'posts';
  return (
    <div className="page">
      <header className="page-head">
        <h1>公益岗位</h1>
        <Tabs
          tabs={[
            { key: 'posts', label: '岗位' },
            { key: 'holders', label: '在岗人员' },
            { key: 'attendance', label: '出勤与补贴' },
          ]}
          active={tab}
          onChange={(t) => go('posts', { tab: t })}
        />
      </header>
      {tab === 'posts' && <PostsTab />}
      {tab === 'holders' && <HoldersTab focusId={Number(route.params.get('id')) || null} />}
      {tab === 'attendance' && <AttendanceTab month={route.params.get('month') ?? monthOf(todayIso())} />}
    </div>
  );
}

function PostsTab() {
  const { data, reload } = useQuery('post.list', { limit: 5000 });
  const villages = useVillages();
  const [quick, setQuick] = useState('');
  const { dialog, open, close } = useDialog();
  const columns = useMemo<ColDef<PostRow>[]>(
    () => [
      column('name', '岗位名称', { editable: true, width: 150 }),
      column('category', '岗位类别', { kind: 'select', options: C.POST_CATEGORIES, editable: true, width: 110 }),
      column('department', '主管部门', { kind: 'select', options: C.POST_DEPARTMENTS, editable: true, width: 110 }),
      column('villageName', '所在村', { width: 100 }),
      column('workForm', '工作形式', { kind: 'select', options: C.WORK_FORMS, editable: true, width: 100 }),
      column('monthlySubsidyFen', '月补贴标准（元）', { kind: 'money', editable: true, width: 140 }),
      column('requiredDays', '规定出勤天数', { kind: 'number', editable: true, width: 120 }),
      column('quota', '岗位数', { kind: 'number', editable: true, width: 80 }),
      column('holders', '在岗人数', { kind: 'number', width: 90 }),
      column('duties', '岗位职责', { editable: true, flex: 1, minWidth: 160 }),
    ],
    [],
  );
  const create = () =>
    open(
      <FormDialog<FormOf<'post.create'>>
        title="新增公益岗位"
        fields={[
          { key: 'name', label: '岗位名称', required: true },
          { key: 'category', label: '岗位类别', kind: 'select', options: C.POST_CATEGORIES, required: true },
          { key: 'department', label: '主管部门', kind: 'select', options: C.POST_DEPARTMENTS, required: true },
          { key: 'villageId', label: '所在村', kind: 'select', options: villageOptions(villages) },
          { key: 'employer', label: '用工单位' },
          { key: 'workForm', label: '工作形式', kind: 'select', options: C.WORK_FORMS, required: true },
          { key: 'fundingSource', label: '资金来源', kind: 'select', options: C.POST_FUNDING_SOURCES },
          { key: 'monthlySubsidyFen', label: '月补贴标准（元）', kind: 'money', required: true },
          { key: 'requiredDays', label: '规定出勤天数', kind: 'number' },
          { key: 'quota', label: '岗位数', kind: 'number' },
          { key: 'establishedOn', label: '设岗日期', kind: 'date' },
          { key: 'duties', label: '岗位职责', kind: 'textarea' },
        ]}
        initial={{
          category: '普通岗位',
          department: '农业农村部门',
          workForm: '非全日制',
          quota: 1,
          establishedOn: todayIso(),
        }}
        onSubmit={(input) => call('post.create', input)}
        onClose={(saved) => {
          close();
          if (saved) void reload();
        }}
      />,
    );
  return (
    <>
      <div className="toolbar">
        <SearchBox value={quick} onChange={setQuick} placeholder="查找岗位" />
        <span className="spacer" />
        <button type="button" className="primary" onClick={create}>
          新增岗位
        </button>
      </div>
      <Sheet<PostRow>
        testId="posts-grid"
        layoutKey="posts"
        columns={columns}
        rows={data?.rows ?? null}
        quickFilter={quick}
        height="calc(100vh - 170px)"
        onSave={async (row, field) => {
          await call('post.update', {
            id: row.id,
            [field]: (row as unknown as Record<string, unknown>)[field],
          });
        }}
      />
      {dialog}
    </>
  );
}

function HoldersTab({ focusId }: { focusId: number | null }) {
  const [activeOnly, setActiveOnly] = useState(true);
  const { data, reload } = useQuery('placement.list', {
    limit: 5000,
    filter: activeOnly ? { activeOn: todayIso() } : {},
  });
  const postsQuery = useQuery('post.list', { limit: 5000 });
  const posts = postsQuery.data?.rows ?? [];
  const [quick, setQuick] = useState('');
  const [selected, setSelected] = useState<PlacementRow | null>(null);
  const { dialog, open, close } = useDialog();
  const rows = data?.rows ?? null;
  useEffect(() => {
    if (focusId && rows) setSelected(rows.find((r) => r.id === focusId) ?? null);
  }, [focusId, rows]);

  const columns = useMemo(placementColumns, []);
  const done = (saved: boolean) => {
    close();
    if (saved) {
      void reload();
      void postsQuery.reload();
    }
  };
  return (
    <>
      <div className="toolbar">
        <label className="filter">
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} />
          仅显示今日在岗
        </label>
        <SearchBox value={quick} onChange={setQuick} placeholder="查找姓名、岗位" />
        <span className="spacer" />
        <button
          type="button"
          disabled={!selected || !!selected.exitOn}
          onClick={() => selected && open(<ExitDialog placement={selected} onClose={done} />)}
        >
          退岗
        </button>
        <button type="button" className="primary" onClick={() => open(<HireDialog posts={posts} onClose={done} />)}>
          聘用上岗
        </button>
      </div>
      <Sheet<PlacementRow>
        testId="placements-grid"
        layoutKey="placements"
        columns={columns}
        rows={rows}
        quickFilter={quick}
        height="calc(100vh - 170px)"
        onSelect={setSelected}
      />
      {dialog}
    </>
  );
}

function placementColumns(): ColDef<PlacementRow>[] {
  return [
    column('personName', '姓名', { width: 90, pinned: 'left' }),
    column('idNumber', '身份证号', { width: 180, valueFormatter: (p) => maskIdNumber(String(p.value ?? '')) }),
    column('gender', '性别', { width: 60 }),
    column('villageName', '村', { width: 90 }),
    column('postName', '岗位', { width: 140 }),
    column('personCategory', '人员类别', { width: 130 }),
    column('hiredOn', '上岗日期', { width: 110 }),
    column('agreementStart', '协议起', { width: 110 }),
    column('agreementEnd', '协议止', { width: 110 }),
    column('monthlySubsidyFen', '月补贴（元）', { kind: 'money', width: 110 }),
    column('bankAccountMasked', '银行卡号', { width: 130 }),
    column('exitOn', '退岗日期', { width: 110 }),
    column('exitReason', '退岗原因', { width: 140 }),
  ];
}

function ExitDialog({ placement, onClose }: { placement: PlacementRow; onClose: (saved: boolean) => void }) {
  return (
    <FormDialog<FormOf<'placement.exit', 'placementId'>>
      title={`办理退岗：${placement.personName}（${placement.postName}）`}
      fields={[
        { key: 'exitOn', label: '退岗日期', kind: 'date', required: true },
        { key: 'exitReason', label: '退岗原因', kind: 'select', options: C.EXIT_REASONS, required: true },
      ]}
      initial={{ exitOn: todayIso() }}
      onSubmit={(input) => call('placement.exit', { ...input, placementId: placement.id })}
      onClose={onClose}
    />
  );
}

function HireDialog({ posts, onClose }: { posts: PostRow[]; onClose: (saved: boolean) => void }) {
  const [check, setCheck] = useState<Eligibility | null>(null);
  const today = todayIso();
  const year = today.slice(0, 4);
  const onChange = async (v: Draft<HireForm>) => {
    if (!v.postId || !v.personId || typeof v.hiredOn !== 'string' || !v.hiredOn) return setCheck(null);
    try {
      setCheck(
        await call('placement.eligibility', {
          postId: Number(v.postId),
          personId: Number(v.personId),
          hiredOn: v.hiredOn,
        }),
      );
    } catch {
      setCheck(null);
    }
  };
  return (
    <FormDialog<HireForm>
      title="聘用上岗"
      fields={[
        {
          key: 'postId',
          label: '岗位',
          kind: 'select',
          options: posts
            .filter((p) => !p.abolishedOn)
            .map((p) => ({
              value: p.id,
              label: `${p.name}（${p.villageName ?? '乡镇'}，在岗 ${p.holders}/${p.quota}）`,
            })),
          required: true,
        },
        { key: 'personId', label: '人员', kind: 'person', required: true },
        { key: 'personCategory', label: '人员类别', kind: 'select', options: C.POST_PERSON_CATEGORIES },
        { key: 'agreementType', label: '协议类型', kind: 'select', options: C.AGREEMENT_TYPES },
        { key: 'hiredOn', label: '上岗日期', kind: 'date', required: true },
        { key: 'agreementStart', label: '协议开始', kind: 'date', required: true },
        { key: 'agreementEnd', label: '协议结束', kind: 'date', required: true },
        { key: 'noticeOn', label: '公示日期', kind: 'date' },
        { key: 'bankName', label: '开户银行' },
        { key: 'bankAccount', label: '银行卡号' },
        { key: 'acknowledgeWarnings', label: '已知悉提示事项，仍继续聘用', kind: 'check' },
      ]}
      initial={{ hiredOn: today, agreementStart: today, agreementEnd: `${year}-12-31`, agreementType: '劳务协议' }}
      onChange={(v) => void onChange(v)}
      onSubmit={(input) => call('placement.hire', input)}
      onClose={onClose}
    >
      {check ? (
        <div className={check.ok ? 'progress' : 'form-error'} role="status" aria-label="聘用条件">
          {check.ok ? `符合聘用条件（${check.age}岁）` : `${check.age}岁：`}
          <CheckList checks={check.problems} label="聘用条件明细" />
        </div>
      ) : null}
    </FormDialog>
  );
}

function AttendanceTab({ month }: { month: string }) {
  const { data, error, reload, rows, setRows, totals, busy, message, run } = useAttendance(month);
  const locked = !!data?.locked;
  const { dialog, open, close } = useDialog();
  const unlock = () =>
    open(
      <FormDialog<FormOf<'payroll.unlock', 'month'>>
        title={`解锁 ${month} 的考勤补贴`}
        fields={[{ key: 'reason', label: '解锁原因（记入操作日志）', kind: 'textarea', required: true }]}
        submitText="解锁"
        onSubmit={(input) => call('payroll.unlock', { ...input, month })}
        onClose={(saved) => {
          close();
          if (saved) void reload();
        }}
      />,
    );
  return (
    <>
      <AttendanceToolbar
        month={month}
        sheet={data}
        busy={busy}
        onRun={(label, op) => void run(label, op)}
        onUnlock={unlock}
      />
      {dialog}
      {error || message ? (
        <div className="form-error" role="alert">
          {error ?? message}
        </div>
      ) : null}
      {busy ? (
        <div className="progress" role="status">
          {busy}
        </div>
      ) : null}
      <AttendanceGrid month={month} rows={rows} setRows={setRows} totals={totals} locked={locked} />
    </>
  );
}

type AttendanceTotals = { persons: number; subsidyFen: number; deductionFen: number; payFen: number };
type PayrollOp = 'payroll.generate' | 'payroll.lock';

/**
 * The month's attendance sheet: the rows as edited here (a copy of what the core sent), their totals, and the
 * payroll steps (generate, lock) that reload it.
 */
function useAttendance(month: string) {
  const { data, error, reload } = useQuery('attendance.sheet', { month });
  const [rows, setRows] = useState<AttendanceRow[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setRows(data ? data.rows.map((r) => ({ ...r })) : null), [data]);

  const totals = useMemo((): AttendanceTotals => {
    const list = rows ?? [];
    return {
      persons: list.length,
      subsidyFen: list.reduce((s, r) => s + r.subsidyFen, 0),
      deductionFen: list.reduce((s, r) => s + r.deductionFen, 0),
      payFen: list.reduce((s, r) => s + r.payFen, 0),
    };
  }, [rows]);

  const run = async (label: string, op: PayrollOp) => {
    setBusy(label);
    setMessage(null);
    try {
      await call(op, { month });
      await reload();
    } catch (e) {
      setMessage((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return { data, error, reload, rows, setRows, totals, busy, message, run };
}

/** Month choice, the sheet's state (not generated, generated, locked) and the payroll buttons it allows. */
function AttendanceToolbar({
  month,
  sheet: data,
  busy,
  onRun,
  onUnlock,
}: {
  month: string;
  sheet: AttendanceSheet | null;
  busy: string | null;
  onRun: (label: string, op: PayrollOp) => void;
  onUnlock: () => void;
}) {
  const [typed, setTyped] = useState(month);
  const locked = !!data?.locked;
  return (
    <div className="toolbar">
      <label className="filter">
        月份
        <input
          aria-label="月份"
          value={typed}
          size={8}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) =>
            e.key === 'Enter' && isValidMonth(typed) && go('posts', { tab: 'attendance', month: typed })
          }
        />
        <button
          type="button"
          disabled={!isValidMonth(typed)}
          onClick={() => go('posts', { tab: 'attendance', month: typed })}
        >
          查看
        </button>
      </label>
      {data ? (
        <span className={locked ? 'locked' : 'muted'}>
          {locked
            ? `已锁定（${data.lockedAt?.slice(0, 10)}）`
            : data.generated
              ? '已生成，未锁定'
              : '本月考勤表尚未生成'}
        </span>
      ) : null}
      <span className="spacer" />
      {data && !locked ? (
        <button type="button" disabled={!!busy} onClick={() => onRun('正在生成…', 'payroll.generate')}>
          {data.generated ? '按在岗人员更新考勤表' : '生成本月考勤表'}
        </button>
      ) : null}
      {data && data.generated && !locked ? (
        <button
          type="button"
          className="primary"
          disabled={!!busy}
          onClick={() =>
            window.confirm(`锁定 ${month} 后不能再修改出勤和补贴，确定锁定吗？`) && onRun('正在锁定…', 'payroll.lock')
          }
        >
          锁定本月
        </button>
      ) : null}
      {locked ? (
        <button type="button" disabled={!!busy} onClick={onUnlock}>
          解锁本月…
        </button>
      ) : null}
    </div>
  );
}

/** The attendance grid: days and deductions editable until the month is locked, a pinned total row, totals below. */
function AttendanceGrid({
  month,
  rows,
  setRows,
  totals,
  locked,
}: {
  month: string;
  rows: AttendanceRow[] | null;
  setRows: Dispatch<SetStateAction<AttendanceRow[] | null>>;
  totals: AttendanceTotals;
  locked: boolean;
}) {
  const columns = useMemo(() => attendanceColumns(locked), [locked]);
  return (
    <Sheet<AttendanceRow>
      testId="attendance-grid"
      layoutKey="attendance"
      columns={columns}
      rows={rows}
      rowId={(r) => String(r.placementId)}
      height="calc(100vh - 230px)"
      pinnedBottom={
        rows
          ? [
              {
                personName: '合计',
                ...totals,
                days: rows.reduce((s, r) => s + r.days, 0),
              } as unknown as AttendanceRow,
            ]
          : undefined
      }
      onSave={async (row, field) => {
        // The subsidy is shown at once (same formula as the core), then confirmed by the stored row.
        if (field === 'days')
          row.subsidyFen = proRataSubsidyFen(
            row.monthlySubsidyFen,
            row.requiredDays,
            Math.max(0, Number(row.days) || 0),
          );
        const stored = await call('attendance.set', {
          placementId: row.placementId,
          month,
          days: Number(row.days),
          deductionFen: row.deductionFen,
          deductionReason: row.deductionReason,
        });
        setRows((list) => list?.map((r) => (r.placementId === stored.placementId ? stored : r)) ?? null);
        return stored;
      }}
      footer={
        <span className="totals" data-testid="attendance-totals">
          <span>人数 {totals.persons}</span>
          <span>应发 {fenToYuanText(totals.subsidyFen)} 元</span>
          <span>扣减 {fenToYuanText(totals.deductionFen)} 元</span>
          <span>实发 {fenToYuanText(totals.payFen)} 元</span>
        </span>
      }
    />
  );
}

function attendanceColumns(locked: boolean): ColDef<AttendanceRow>[] {
  return [
    column('personName', '姓名', { width: 90, pinned: 'left' }),
    column('idNumber', '身份证号', { width: 180, valueFormatter: (p) => maskIdNumber(String(p.value ?? '')) }),
    column('postName', '岗位', { width: 140 }),
    column('department', '主管部门', { width: 110 }),
    column('requiredDays', '规定出勤天数', { kind: 'number', width: 120 }),
    column('days', '实际出勤天数', { kind: 'number', width: 120, editable: (p) => !locked && !p.node.rowPinned }),
    column('monthlySubsidyFen', '月补贴标准（元）', { kind: 'money', width: 140 }),
    column('subsidyFen', '应发补贴（元）', { kind: 'money', width: 130 }),
    column('deductionFen', '扣减（元）', {
      kind: 'money',
      width: 100,
      editable: (p) => !locked && !p.node.rowPinned,
    }),
    column('deductionReason', '扣减原因', { width: 140, editable: (p) => !locked && !p.node.rowPinned }),
    column('payFen', '实发补贴（元）', { kind: 'money', width: 130 }),
  ];
}
