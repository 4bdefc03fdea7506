/** 操作日志: every write with who, when and what (ID and account numbers masked in the snapshots). */
import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo, useState } from 'react';
import type { AuditEntry } from '../../../shared/types.ts';
import { call } from '../api.ts';
import { Sheet, type FetchArgs } from '../components/Sheet.tsx';
import { FilterSelect, SearchBox } from '../components/ui.tsx';
import { auditChanges } from '../audit-text.ts';
import { column } from '../grid.ts';

const ENTITIES = [
  '户',
  '农户',
  '人员',
  '监测对象',
  '收入采集',
  '帮扶措施',
  '帮扶责任人',
  '走访记录',
  '公益性岗位',
  '公益性岗位聘用',
  '考勤',
  '补贴月',
  '安置点',
  '搬迁户',
  '就业记录',
  '务工',
  '乡镇设置',
  '行政村',
  '村民小组',
  '参数',
  '监测收入标准',
  '示范数据',
];

export function AuditPage() {
  const [entity, setEntity] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [quick, setQuick] = useState('');
  const columns = useMemo<ColDef<AuditEntry>[]>(
    () => [
      column('at', '时间', {
        width: 170,
        valueFormatter: (p) => (p.value ? new Date(String(p.value)).toLocaleString('zh-CN', { hour12: false }) : ''),
      }),
      column('actor', '操作人', { width: 100, sortable: false }),
      column('action', '操作', { width: 120, sortable: false }),
      column('entity', '对象', { width: 100, sortable: false }),
      column('entityId', '编号', { kind: 'number', width: 80, sortable: false }),
      column('summary', '摘要', { flex: 1, minWidth: 240, sortable: false, tooltipField: 'summary' }),
      {
        colId: 'changes',
        headerName: '变更内容',
        width: 360,
        sortable: false,
        valueGetter: (p) => (p.data ? auditChanges(p.data.before, p.data.after) : ''),
        tooltipValueGetter: (p) => (p.data ? auditChanges(p.data.before, p.data.after) : ''),
      },
    ],
    [],
  );
  const fetchPage = useCallback(
    ({ offset, limit, sort }: FetchArgs) =>
      call('audit.list', {
        offset,
        limit,
        quick: quick || undefined,
        sort: sort.filter((s) => s.field === 'at').map((s) => ({ field: 'at' as const, dir: s.dir })),
        filter: {
          entity: entity || undefined,
          from: /^\d{4}-\d{2}-\d{2}$/.test(from) ? from : undefined,
          to: /^\d{4}-\d{2}-\d{2}$/.test(to) ? to : undefined,
        },
      }),
    [entity, from, to, quick],
  );
  return (
    <div className="page">
      <header className="page-head">
        <h1>操作日志</h1>
        <span className="muted">身份证号、银行卡号已脱敏</span>
      </header>
      <div className="toolbar">
        <FilterSelect label="对象" value={entity} options={ENTITIES} onChange={setEntity} />
        <label className="filter">
          从
          <input
            aria-label="开始日期"
            placeholder="YYYY-MM-DD"
            size={11}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label className="filter">
          到
          <input
            aria-label="结束日期"
            placeholder="YYYY-MM-DD"
            size={11}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <SearchBox value={quick} onChange={setQuick} placeholder="查找摘要" />
      </div>
      <Sheet<AuditEntry>
        testId="audit-grid"
        layoutKey="audit"
        columns={columns}
        fetchPage={fetchPage}
        fetchKey={`${entity}|${from}|${to}|${quick}`}
        height="calc(100vh - 170px)"
      />
    </div>
  );
}
