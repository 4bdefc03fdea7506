/**
 * The records of a monitoring case beside its timeline (Cases.tsx): income snapshots, assistance measures,
 * visits and assigned helpers, each a titled table with the dialog that adds to it.
 */
import type { ReactNode } from 'react';
import type { CaseDetail } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { todayIso } from '../../../shared/dates.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import { call } from '../api.ts';
import { FormDialog, type FormOf } from '../components/Form.tsx';

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

type CaseRecord = CaseDetail['case'];
type Helper = { id: number; name: string; unit: string | null };
type Close = (saved: boolean) => void;

const helperOptions = (helpers: Helper[]) =>
  helpers.map((h) => ({ value: h.id, label: `${h.name}${h.unit ? `（${h.unit}）` : ''}` }));

export function Records({
  detail,
  helpers,
  open,
  done,
}: {
  detail: CaseDetail;
  helpers: Helper[];
  open: (node: ReactNode) => void;
  done: Close;
}) {
  const c = detail.case;
  return (
    <>
      <SectionHead title="收入核算" action="录入收入" onClick={() => open(<IncomeDialog c={c} onClose={done} />)} />
      <IncomeTable incomes={detail.incomes} />
      <SectionHead title="帮扶措施" action="添加措施" onClick={() => open(<MeasureDialog c={c} onClose={done} />)} />
      <MeasureTable measures={detail.measures} />
      <SectionHead
        title="走访记录"
        action="登记走访"
        onClick={() => open(<VisitDialog c={c} helpers={helpers} onClose={done} />)}
      />
      <VisitTable visits={detail.visits} />
      <SectionHead
        title="帮扶责任人"
        action="指定责任人"
        onClick={() => open(<AssignHelperDialog c={c} helpers={helpers} onClose={done} />)}
      />
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

function SectionHead({ title, action, onClick }: { title: string; action: string; onClick: () => void }) {
  return (
    <div className="panel-head">
      <h3>{title}</h3>
      <div className="actions">
        <button type="button" onClick={onClick}>
          {action}
        </button>
      </div>
    </div>
  );
}

function IncomeTable({ incomes }: { incomes: CaseDetail['incomes'] }) {
  return (
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
        {incomes.map((i) => (
          <tr key={i.id}>
            <td>{i.kind}</td>
            <td>{i.asOf}</td>
            <td className="num">{i.members}</td>
            <td className="num">{i.netFen === null ? '未知' : fenToYuanText(i.netFen)}</td>
            <td className="num">{i.perCapitaFen === null ? '未知' : fenToYuanText(i.perCapitaFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MeasureTable({ measures }: { measures: CaseDetail['measures'] }) {
  return (
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
        {measures.map((m) => (
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
  );
}

function VisitTable({ visits }: { visits: CaseDetail['visits'] }) {
  return (
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
        {visits.map((v) => (
          <tr key={v.id}>
            <td>{v.visitedOn}</td>
            <td>{v.method}</td>
            <td>{v.findings}</td>
            <td>{v.newRisk ? '是' : '否'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function IncomeDialog({ c, onClose }: { c: CaseRecord; onClose: Close }) {
  return (
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
      initial={{ kind: c.status === '识别中' ? '识别时' : '消除时', asOf: todayIso(), members: c.members }}
      onSubmit={(input) => call('income.add', { ...input, householdId: c.householdId, caseId: c.id })}
      onClose={onClose}
    />
  );
}

function MeasureDialog({ c, onClose }: { c: CaseRecord; onClose: Close }) {
  return (
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
      initial={{ startDate: todayIso() }}
      onSubmit={(input) => call('measure.add', { ...input, householdId: c.householdId, caseId: c.id })}
      onClose={onClose}
    />
  );
}

function VisitDialog({ c, helpers, onClose }: { c: CaseRecord; helpers: Helper[]; onClose: Close }) {
  return (
    <FormDialog<VisitForm>
      title="登记走访"
      fields={[
        { key: 'visitedOn', label: '走访日期', kind: 'date', required: true },
        { key: 'method', label: '走访方式', kind: 'select', options: C.VISIT_METHODS, required: true },
        { key: 'helperId', label: '帮扶责任人', kind: 'select', options: helperOptions(helpers) },
        { key: 'findings', label: '走访情况', kind: 'textarea' },
        { key: 'newRisk', label: '发现新风险', kind: 'check' },
        { key: 'followUp', label: '后续跟进', kind: 'textarea' },
      ]}
      initial={{ visitedOn: todayIso(), method: '入户' }}
      onSubmit={(input) => call('visit.add', { ...input, householdId: c.householdId })}
      onClose={onClose}
    />
  );
}

function AssignHelperDialog({ c, helpers, onClose }: { c: CaseRecord; helpers: Helper[]; onClose: Close }) {
  return (
    <FormDialog<AssignHelperForm>
      title="指定帮扶责任人"
      fields={[
        { key: 'helperId', label: '已有帮扶责任人', kind: 'select', options: helperOptions(helpers) },
        { key: 'newName', label: '或新增：姓名' },
        { key: 'newUnit', label: '新增：工作单位' },
        { key: 'newPhone', label: '新增：联系电话' },
        { key: 'startDate', label: '帮扶开始日期', kind: 'date', required: true },
      ]}
      initial={{ startDate: todayIso() }}
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
      onClose={onClose}
    />
  );
}
