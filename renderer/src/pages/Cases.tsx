/** 监测对象: cases with filters; the detail view with the stage timeline and every workflow action. */
import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import type { CaseDetail, CaseRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { todayIso } from '../../../shared/dates.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import { CaseList } from '../../../shared/schemas.ts';
import { CASE_STATUSES, stageLabel, nextStage } from '../../../shared/workflow.ts';
import { call, useQuery } from '../api.ts';
import { FormDialog, useDialog, type Field, type FormOf } from '../components/Form.tsx';
import { Sheet, type FetchArgs } from '../components/Sheet.tsx';
import { allowedSort, FilterSelect, Info, Panel, SearchBox, useVillages, villageOptions } from '../components/ui.tsx';
import { caseCreateFields, withRisks, type CaseForm } from '../forms.ts';
import { column } from '../grid.ts';
import { go, href, type Route } from '../route.ts';

const CASE_SORT = CaseList.shape.sort.unwrap().element.shape.field.options;

type ReasonForm = FormOf<'case.reject' | 'case.rollback', 'caseId'>;
type AdvanceForm = FormOf<'case.advance', 'caseId'>;
type IncomeForm = FormOf<'income.add', 'householdId' | 'caseId'>;
type MeasureForm = FormOf<'measure.add', 'householdId' | 'caseId'>;
type VisitForm = FormOf<'visit.add', 'householdId'>;
/** An existing helper, or a new one created first (name, unit, phone), from a date. */
type AssignHelperForm = Pick<FormOf<'helper.assign'>, 'startDate'> &
  Partial<Pick<FormOf<'helper.assign'>, 'helperId'>> & {
    newName?: string;
    newUnit?: string;
    newPhone?: string;
  };

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
  const today = todayIso();
  const overdue = data.identificationDeadline !== null && c.status === '识别中' && data.identificationDeadline < today;

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
    <Panel
      label="监测对象详情"
      title={`${c.villageName} · ${c.headName ?? ''}户 · ${c.category}`}
      actions={
        <>
          {data.nextStages.length > 0 && (
            <button
              type="button"
              className="primary"
              onClick={() => open(<AdvanceDialog detail={data} onClose={done} />)}
            >
              办理：{data.nextStages.map((s) => s.label).join(' / ')}
            </button>
          )}
          {data.canReject && (
            <button type="button" className="danger" onClick={() => reasonDialog('否决（不纳入监测）', 'case.reject')}>
              否决
            </button>
          )}
          {data.canRollback && (
            <button type="button" className="danger" onClick={() => reasonDialog('风险消除回退', 'case.rollback')}>
              回退
            </button>
          )}
          {data.canReflag && (
            <button type="button" onClick={reflag}>
              风险再标注
            </button>
          )}
          <a href={href('households', { id: c.householdId })}>查看农户</a>
        </>
      }
    >
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
            data.identificationDeadline ? (
              <span key="d" className={overdue ? 'fail' : ''}>
                {data.identificationDeadline}
                {overdue ? '（已超期）' : ''}
              </span>
            ) : null,
          ],
          ['识别日期', c.identifiedOn],
          ['消除日期', c.eliminatedOn],
          ['消除方式', c.eliminationMethod],
          ['风险类型', data.risks.map((r) => r.riskType + (r.detail ? `（${r.detail}）` : '')).join('、')],
          ['否决原因', c.rejectReason],
        ]}
      />
      <div className="two-col">
        <div>
          <h3>办理流程</h3>
          <Timeline detail={data} />
          {data.elimination ? (
            <>
              <h3>风险消除条件</h3>
              <ul className="conditions" aria-label="风险消除条件">
                {data.elimination.map((x) => (
                  <li key={x.code} className={x.ok ? 'ok' : x.blocking ? 'fail' : 'warn'}>
                    {x.ok ? '✔' : x.blocking ? '✘' : '！'} {x.label}：{x.detail}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
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

type Opener = (node: React.ReactNode) => void;

function Records({
  detail,
  helpers,
  open,
  done,
}: {
  detail: CaseDetail;
  helpers: { id: number; name: string; unit: string | null }[];
  open: Opener;
  done: (saved: boolean) => void;
}) {
  const c = detail.case;
  const today = todayIso();
  const addIncome = () =>
    open(
      <FormDialog<IncomeForm>
        title="录入家庭收入"
        fields={[
          { key: 'kind', label: '类型', kind: 'select', options: C.INCOME_SNAPSHOT_KINDS, required: true },
          { key: 'asOf', label: '核算日期', kind: 'date', required: true },
          { key: 'members', label: '家庭人口', kind: 'number', required: true },
          { key: 'wageFen', label: '工资性收入（元）', kind: 'money' },
          { key: 'businessFen', label: '经营性收入（元）', kind: 'money' },
          { key: 'propertyFen', label: '财产性收入（元）', kind: 'money' },
          { key: 'transferFen', label: '转移性收入（元）', kind: 'money' },
          { key: 'businessCostFen', label: '生产经营性支出（元）', kind: 'money' },
          { key: 'claimsFen', label: '理赔收入（元）', kind: 'money' },
          { key: 'compliantOopFen', label: '合规自付支出（元）', kind: 'money' },
        ]}
        initial={{ kind: c.status === '识别中' ? '识别时' : '消除时', asOf: today, members: c.members }}
        onSubmit={(input) => call('income.add', { ...input, householdId: c.householdId, caseId: c.id })}
        onClose={done}
      />,
    );
  const addMeasure = () =>
    open(
      <FormDialog<MeasureForm>
        title="添加帮扶措施"
        fields={[
          { key: 'category', label: '措施类别', kind: 'select', options: C.MEASURE_CATEGORIES, required: true },
          { key: 'item', label: '具体措施' },
          { key: 'startDate', label: '开始日期', kind: 'date', required: true },
          { key: 'endDate', label: '结束日期', kind: 'date' },
          { key: 'amountFen', label: '金额（元）', kind: 'money' },
          { key: 'department', label: '责任部门' },
          { key: 'fundingSource', label: '资金来源' },
          { key: 'note', label: '备注', kind: 'textarea' },
        ]}
        initial={{ startDate: today }}
        onSubmit={(input) => call('measure.add', { ...input, householdId: c.householdId, caseId: c.id })}
        onClose={done}
      />,
    );
  const addVisit = () =>
    open(
      <FormDialog<VisitForm>
        title="登记走访"
        fields={[
          { key: 'visitedOn', label: '走访日期', kind: 'date', required: true },
          { key: 'method', label: '走访方式', kind: 'select', options: C.VISIT_METHODS, required: true },
          {
            key: 'helperId',
            label: '帮扶责任人',
            kind: 'select',
            options: helpers.map((h) => ({ value: h.id, label: `${h.name}${h.unit ? `（${h.unit}）` : ''}` })),
          },
          { key: 'findings', label: '走访情况', kind: 'textarea' },
          { key: 'newRisk', label: '发现新风险', kind: 'check' },
          { key: 'followUp', label: '后续跟进', kind: 'textarea' },
        ]}
        initial={{ visitedOn: today, method: '入户' }}
        onSubmit={(input) => call('visit.add', { ...input, householdId: c.householdId })}
        onClose={done}
      />,
    );
  const assignHelper = () =>
    open(
      <FormDialog<AssignHelperForm>
        title="指定帮扶责任人"
        fields={[
          {
            key: 'helperId',
            label: '已有帮扶责任人',
            kind: 'select',
            options: helpers.map((h) => ({ value: h.id, label: `${h.name}${h.unit ? `（${h.unit}）` : ''}` })),
          },
          { key: 'newName', label: '或新增：姓名' },
          { key: 'newUnit', label: '新增：工作单位' },
          { key: 'newPhone', label: '新增：联系电话' },
          { key: 'startDate', label: '帮扶开始日期', kind: 'date', required: true },
        ]}
        initial={{ startDate: today }}
        onSubmit={async (input) => {
          let helperId = input.helperId;
          if (!helperId && input.newName) {
            const h = await call('helper.create', {
              name: input.newName,
              unit: input.newUnit ?? null,
              phone: input.newPhone ?? null,
            });
            helperId = h.id;
          }
          if (!helperId) throw new Error('请选择或新增一名帮扶责任人');
          await call('helper.assign', { householdId: c.householdId, helperId, startDate: input.startDate });
        }}
        onClose={done}
      />,
    );
  return (
    <>
      <div className="panel-head">
        <h3>收入核算</h3>
        <div className="actions">
          <button type="button" onClick={addIncome}>
            录入收入
          </button>
        </div>
      </div>
      <table className="table" aria-label="收入核算">
        <thead>
          <tr>
            <th>类型</th>
            <th>核算日期</th>
            <th>人口</th>
            <th>家庭纯收入（元）</th>
            <th>人均纯收入（元）</th>
          </tr>
        </thead>
        <tbody>
          {detail.incomes.map((i) => (
            <tr key={i.id}>
              <td>{i.kind}</td>
              <td>{i.asOf}</td>
              <td className="num">{i.members}</td>
              <td className="num">{fenToYuanText(i.netFen)}</td>
              <td className="num">{fenToYuanText(i.perCapitaFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-head">
        <h3>帮扶措施</h3>
        <div className="actions">
          <button type="button" onClick={addMeasure}>
            添加措施
          </button>
        </div>
      </div>
      <table className="table" aria-label="帮扶措施">
        <thead>
          <tr>
            <th>类别</th>
            <th>具体措施</th>
            <th>开始</th>
            <th>结束</th>
            <th>金额（元）</th>
          </tr>
        </thead>
        <tbody>
          {detail.measures.map((m) => (
            <tr key={m.id}>
              <td>{m.category}</td>
              <td>{m.item}</td>
              <td>{m.startDate}</td>
              <td>{m.endDate}</td>
              <td className="num">{m.amountFen === null ? '' : fenToYuanText(m.amountFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-head">
        <h3>走访记录</h3>
        <div className="actions">
          <button type="button" onClick={addVisit}>
            登记走访
          </button>
        </div>
      </div>
      <table className="table" aria-label="走访记录">
        <thead>
          <tr>
            <th>日期</th>
            <th>方式</th>
            <th>情况</th>
            <th>新风险</th>
          </tr>
        </thead>
        <tbody>
          {detail.visits.map((v) => (
            <tr key={v.id}>
              <td>{v.visitedOn}</td>
              <td>{v.method}</td>
              <td>{v.findings}</td>
              <td>{v.newRisk ? '是' : '否'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-head">
        <h3>帮扶责任人</h3>
        <div className="actions">
          <button type="button" onClick={assignHelper}>
            指定责任人
          </button>
        </div>
      </div>
      <ul aria-label="帮扶责任人">
        {detail.helpers.map((h) => (
          <li key={h.id}>
            {h.helperName}
            {h.unit ? `（${h.unit}）` : ''} {h.phone ?? ''} · {h.startDate} 起{h.endDate ? ` 至 ${h.endDate}` : ''}
          </li>
        ))}
      </ul>
    </>
  );
}
