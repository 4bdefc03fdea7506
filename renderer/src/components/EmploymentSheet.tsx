/** Employment (务工) records, edited in place like any sheet: relocated labour, or a household's members. */
import type { ColDef } from 'ag-grid-community';
import { useMemo } from 'react';
import type { EmploymentRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { call } from '../api.ts';
import { column } from '../grid.ts';
import { Sheet } from './Sheet.tsx';

/** Employment (务工) records, editable in place: relocated labour here, any member in the household detail. */
function employmentColumns(): ColDef<EmploymentRow>[] {
  return [
    column('personName', '姓名', { width: 90 }),
    column('channel', '就业渠道', {
      kind: 'select',
      options: C.EMPLOYMENT_CHANNELS,
      nullable: true,
      editable: true,
      width: 150,
    }),
    column('place', '就业地点', { editable: true, width: 120 }),
    column('employer', '就业单位', { editable: true, width: 150 }),
    column('job', '工种', { editable: true, width: 100 }),
    column('industry', '所属行业', { editable: true, width: 110 }),
    column('startMonth', '起始月份', { kind: 'month', editable: true, width: 100 }),
    column('endMonth', '结束月份', { kind: 'month', editable: true, width: 100 }),
    column('monthlyIncomeFen', '月收入（元）', { kind: 'money', editable: true, width: 110 }),
    column('pointToPoint', '点对点输送', { kind: 'flag', editable: true, width: 100 }),
    column('transportSubsidyFen', '交通费补助（元）', { kind: 'money', editable: true, width: 130 }),
    column('note', '备注', { editable: true, width: 200, tooltipField: 'note' }),
  ];
}

export function EmploymentSheet({ rows, testId }: { rows: EmploymentRow[] | null; testId: string }) {
  const columns = useMemo(employmentColumns, []);
  return (
    <Sheet<EmploymentRow>
      testId={testId}
      layoutKey="employment"
      columns={columns}
      rows={rows}
      height={240}
      onSave={async (row, field) => {
        await call('employment.update', {
          id: row.id,
          [field]: (row as unknown as Record<string, unknown>)[field],
        });
      }}
    />
  );
}
