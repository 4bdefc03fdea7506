/** 监测对象: cases with filters; the detail view with the stage timeline and every workflow action. */
import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { CaseDetail, CaseRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { todayIso } from '../../../shared/dates.ts';
import { CaseList } from '../../../shared/schemas.ts';
import { CASE_STATUSES, stageLabel, nextStage } from '../../../shared/workflow.ts';
import { call, useQuery } from '../api.ts';
import { CheckList, FormDialog, useDialog, type Field, type FormOf } from '../components/Form.tsx';
import { Sheet, type FetchArgs } from '../components/Sheet.tsx';
import { allowedSort, FilterSelect, Info, Panel, SearchBox, useVillages, villageOptions } from '../components/ui.tsx';
import { caseCreateFields, withRisks, type CaseForm } from '../forms.ts';
import { column } from '../grid.ts';
import { go, href, type Route } from '../route.ts';
import { Records } from './CaseRecords.tsx';

const CASE_SORT = CaseList.shape.sort.unwrap().element.shape.field.options;

type ReasonForm = FormOf<'case.reject' | 'case.rollback', 'caseId'>;
type AdvanceForm = FormOf<'case.advance', 'caseId'>;
type Opener = (node: ReactNode) => void;

export function CasesPage({ route }: { route: Route }) {
  const villages = useVillages();
  const [village, setVillage] = useState(route.params.get('village') ?? '');
  const [category, setCategory] = useState('');
  const [status, setStatus] = useState('');
  const [risk, setRisk] = useState('');
  const [quick, setQuick] = useState('');
  const [version, setVersion] = useState(0);
  const selected = Number(route.params.get('id')) || null;

  const columns = useMemo<ColDef<CaseRow>[]>(
    () => [
      column('villageName', '行政村', { width: 100 }),
      column('headName', '户主', { width: 90 }),
      column('hhNo', '户编号', { width: 150, sortable: false }),
      column('members', '人口', { kind: 'number', width: 70, sortable: false }),
      column('category', '监测类别', { width: 130 }),
      column('status', '状态', { width: 90 }),
      column('stage', '当前环节', {
        width: 120,
        sortable: false,
        valueFormatter: (p) => stageLabel(String(p.value ?? '')),
      }),
      column('riskTypes', '风险类型', {
        flex: 1,
        minWidth: 160,
        sortable: false,
        valueFormatter: (p) => (Array.isArray(p.value) ? p.value.join('、') : ''),
      }),
      column('clueDate', '线索日期', { width: 110 }),
      column('identifiedOn', '识别日期', { width: 110 }),
      column('eliminatedOn', '消除日期', { width: 110 }),
    ],
    [],
  );
  const fetchPage = useCallback(
    ({ offset, limit, sort }: FetchArgs) =>
      call('case.list', {
        offset,
        limit,
        quick: quick || undefined,
        sort: allowedSort(sort, CASE_SORT),
        filter: {
          villageId: village ? Number(village) : undefined,
          category: category || undefined,
          status: status || undefined,
          riskType: risk || undefined,
        },
      }),
    [quick, village, category, status, risk],
  );

  return (
    <div className="page">
      <header className="page-head">
        <h1>监测对象</h1>
        <span className="muted">新的监测线索从“农户与人口”中的农户登记</span>
      </header>
      <div className="toolbar">
        <FilterSelect label="行政村" value={village} options={villageOptions(villages)} onChange={setVillage} />
        <FilterSelect label="类别" value={category} options={C.MONITORING_CATEGORIES} onChange={setCategory} />
        <FilterSelect label="状态" value={status} options={CASE_STATUSES} onChange={setStatus} />
        <FilterSelect label="风险类型" value={risk} options={C.RISK_TYPES} onChange={setRisk} />
        <SearchBox value={quick} onChange={setQuick} placeholder="查找户主、户编号" />
      </div>
      <Sheet<CaseRow>
        testId="cases-grid"
        layoutKey="cases"
        columns={columns}
        fetchPage={fetchPage}
        fetchKey={`${quick}|${village}|${category}|${status}|${risk}|${version}`}
        height={selected ? 260 : 'calc(100vh - 170px)'}
        onSelect={(r) => r && go('cases', { id: r.id })}
      />
      {selected ? <CaseView key={selected} id={selected} onChanged={() => setVersion((v) => v + 1)} /> : null}
    </div>
  );
}

function CaseView({ id, onChanged }: { id: number; onChanged: () => void }) {
  const { data, error, reload } = useQuery('case.get', { id });
  const { data: helpers, reload: reloadHelpers } = useQuery('helper.list', {});
  const { dialog, open, close } = useDialog();
  if (error)
    return (
      <div className="form-error" role="alert">
        {error}
      </div>
    );
  if (!data) return <div className="loading">正在读取…</div>;
  const c = data.case;
  const done = (saved: boolean) => {
    close();
    if (saved) {
      void reload();
      onChanged();
    }
  };

  return (
    <Panel
      label="监测对象详情"
      title={`${c.villageName} · ${c.headName ?? ''}户 · ${c.category}`}
      actions={<CaseActions detail={data} open={open} done={done} />}
    >
      <CaseInfo detail={data} />
      <div className="two-col">
        <div>
          <h3>办理流程</h3>
          <Timeline detail={data} />
          {data.elimination ? <EliminationConditions conditions={data.elimination} /> : null}
        </div>
        <div>
          <Records
            detail={data}
            helpers={helpers ?? []}
            open={open}
            done={(s) => {
              done(s);
              void reloadHelpers();
            }}
          />
        </div>
      </div>
      {dialog}
    </Panel>
  );
}

/** The workflow buttons the case allows now (advance, reject, roll back, re-flag) and the link to its household. */
function CaseActions({ detail, open, done }: { detail: CaseDetail; open: Opener; done: (saved: boolean) => void }) {
  const c = detail.case;
  const today = todayIso();
  const reasonDialog = (title: string, op: 'case.reject' | 'case.rollback') =>
    open(
      <FormDialog<ReasonForm>
        title={title}
        fields={[
          { key: 'date', label: '日期', kind: 'date', required: true },
          { key: 'reason', label: '原因', kind: 'textarea', required: true },
          { key: 'actor', label: '经办人' },
        ]}
        initial={{ date: today }}
        onSubmit={(input) => call(op, { ...input, caseId: c.id })}
        onClose={done}
      />,
    );

  const reflag = () =>
    open(
      <FormDialog<CaseForm>
        title="风险再标注（重新识别）"
        fields={caseCreateFields}
        initial={{ category: c.category, clueDate: today }}
        onSubmit={async (input) => {
          const n = await call('case.reflag', { ...withRisks(input), previousCaseId: c.id });
          go('cases', { id: n.id });
        }}
        onClose={done}
      />,
    );

  return (
    <>
      {detail.nextStages.length > 0 && (
        <button
          type="button"
          className="primary"
          onClick={() => open(<AdvanceDialog detail={detail} onClose={done} />)}
        >
          办理：{detail.nextStages.map((s) => s.label).join(' / ')}
        </button>
      )}
      {detail.canReject && (
        <button type="button" className="danger" onClick={() => reasonDialog('否决（不纳入监测）', 'case.reject')}>
          否决
        </button>
      )}
      {detail.canRollback && (
        <button type="button" className="danger" onClick={() => reasonDialog('风险消除回退', 'case.rollback')}>
          回退
        </button>
      )}
      {detail.canReflag && (
        <button type="button" onClick={reflag}>
          风险再标注
        </button>
      )}
      <a href={href('households', { id: c.householdId })}>查看农户</a>
    </>
  );
}

function CaseInfo({ detail }: { detail: CaseDetail }) {
  const c = detail.case;
  const deadline = detail.identificationDeadline;
  const overdue = deadline !== null && c.status === '识别中' && deadline < todayIso();
  return (
    <Info
      items={[
        [
          '状态',
          <strong key="s" data-testid="case-status">
            {c.status}
          </strong>,
        ],
        ['当前环节', stageLabel(c.stage)],
        ['发现渠道', c.channel],
        ['线索日期', c.clueDate],
        [
          '识别时限',
          deadline ? (
            <span key="d" className={overdue ? 'fail' : ''}>
              {deadline}
              {overdue ? '（已超期）' : ''}
            </span>
          ) : null,
        ],
        ['识别日期', c.identifiedOn],
        ['消除日期', c.eliminatedOn],
        ['消除方式', c.eliminationMethod],
        ['风险类型', detail.risks.map((r) => r.riskType + (r.detail ? `（${r.detail}）` : '')).join('、')],
        ['否决原因', c.rejectReason],
      ]}
    />
  );
}

function EliminationConditions({ conditions }: { conditions: NonNullable<CaseDetail['elimination']> }) {
  return (
    <>
      <h3>风险消除条件</h3>
      <CheckList checks={conditions} label="风险消除条件" />
    </>
  );
}

function Timeline({ detail }: { detail: CaseDetail }) {
  const stages = [...detail.stages].sort((a, b) => a.round - b.round || a.id - b.id);
  const next = detail.nextStages[0];
  return (
    <ol className="timeline" aria-label="办理流程">
      {stages.map((s) => (
        <li key={s.id}>
          <span className="when">{stageLabel(s.stage)}</span>
          {s.doneOn}
          {s.endOn ? ` 至 ${s.endOn}` : ''}
          {s.actor ? ` · ${s.actor}` : ''}
          {s.note ? <div className="muted">{s.note}</div> : null}
        </li>
      ))}
      {next ? (
        <li className="pending">
          <span className="when">{next.label}</span>
          <span className="muted">待办理</span>
        </li>
      ) : null}
    </ol>
  );
}

function AdvanceDialog({ detail, onClose }: { detail: CaseDetail; onClose: (saved: boolean) => void }) {
  const options = detail.nextStages;
  const [stage, setStage] = useState(options[0]?.code ?? '');
  const def = options.find((o) => o.code === stage);
  const fields: Field<AdvanceForm>[] = [
    {
      key: 'stage',
      label: '办理环节',
      kind: 'select',
      options: options.map((o) => ({ value: o.code, label: o.label })),
      required: true,
    },
    { key: 'doneOn', label: def?.period ? '公示开始日期' : '办理日期', kind: 'date', required: true },
    { key: 'endOn', label: '公示结束日期', kind: 'date', required: true, hidden: !def?.period },
    {
      key: 'actor',
      label: stage === 'e_verify' ? '核实人员（多人用“、”分隔）' : '经办人',
      required: stage === 'e_verify',
    },
    {
      key: 'method',
      label: '消除方式',
      kind: 'select',
      options: C.ELIMINATION_METHODS,
      hidden: stage !== 'e_verify',
      required: stage === 'e_verify',
    },
    { key: 'note', label: '说明', kind: 'textarea' },
    {
      key: 'acknowledgeWarnings',
      label: '已知悉提示事项，仍继续办理',
      kind: 'check',
      hidden: !stage.startsWith('e_verify'),
    },
  ];
  return (
    <FormDialog<AdvanceForm>
      title={`办理：${def?.label ?? ''}`}
      fields={fields}
      initial={{ stage, doneOn: todayIso() }}
      onChange={(v) => setStage(typeof v.stage === 'string' ? v.stage : '')}
      onSubmit={(input) => call('case.advance', { ...input, caseId: detail.case.id })}
      onClose={onClose}
    >
      {nextStage(stage) ? <p className="muted">下一环节：{nextStage(stage)!.label}</p> : null}
    </FormDialog>
  );
}
