/** 易地搬迁: sites with facilities and employment figures, relocated households, labour employment records. */
import type { ColDef } from 'ag-grid-community';
import { useCallback, useMemo } from 'react';
import type { RelocatedRow, SiteRow } from '../../../shared/api.ts';
import * as C from '../../../shared/catalogs.ts';
import { monthOf, todayIso } from '../../../shared/dates.ts';
import { call, useQuery } from '../api.ts';
import { EmploymentSheet } from '../components/EmploymentSheet.tsx';
import { FormDialog, useDialog, type FormOf } from '../components/Form.tsx';
import { Sheet } from '../components/Sheet.tsx';
import { Panel, useVillages, villageOptions } from '../components/ui.tsx';
import { column } from '../grid.ts';
import { go, type Route } from '../route.ts';

type Close = (saved: boolean) => void;
type VillageOption = ReturnType<typeof villageOptions>[number];

export function RelocationPage({ route }: { route: Route }) {
  const { data: sites, reload } = useQuery('site.list', {});
  const villages = useVillages();
  const { dialog, open, close } = useDialog();
  const siteId = Number(route.params.get('site')) || null;
  const site = sites?.find((s) => s.id === siteId) ?? null;
  const columns = useMemo(siteColumns, []);
  return (
    <div className="page">
      <header className="page-head">
        <h1>易地搬迁</h1>
        <span className="muted">就业率、零就业户按本月末计算</span>
      </header>
      <div className="toolbar">
        <span className="spacer" />
        <button
          type="button"
          className="primary"
          onClick={() =>
            open(
              <NewSiteDialog
                villages={villageOptions(villages)}
                onClose={(saved) => {
                  close();
                  if (saved) void reload();
                }}
              />,
            )
          }
        >
          新增安置点
        </button>
      </div>
      <Sheet<SiteRow>
        testId="sites-grid"
        layoutKey="sites"
        columns={columns}
        rows={sites ?? null}
        height={site ? 220 : 'calc(100vh - 170px)'}
        onSelect={(r) => r && go('relocation', { site: r.id })}
        onSave={async (row, field) => {
          const value = (row as unknown as Record<string, unknown>)[field];
          await call('site.update', { id: row.id, [field]: value });
        }}
      />
      {site ? <SiteDetail key={site.id} site={site} onChanged={() => void reload()} /> : null}
      {dialog}
    </div>
  );
}

function SiteDetail({ site, onChanged }: { site: SiteRow; onChanged: () => void }) {
  const relocated = useQuery('relocated.list', { filter: { siteId: site.id }, limit: 5000 });
  const employment = useQuery('employment.list', { filter: { siteId: site.id }, limit: 5000 });
  const { dialog, open, close } = useDialog();
  const done = useCallback(
    (saved: boolean) => {
      close();
      if (saved) {
        void relocated.reload();
        void employment.reload();
        onChanged();
      }
    },
    [close, relocated, employment, onChanged],
  );
  const hhColumns = useMemo(relocatedColumns, []);
  return (
    <>
      <Panel
        label="搬迁户"
        title={`${site.name}：搬迁户 ${site.households} 户 ${site.persons} 人，劳动力 ${site.labour}，已就业 ${site.employed}`}
        actions={
          <button
            type="button"
            className="primary"
            onClick={() => open(<LinkHouseholdDialog site={site} onClose={done} />)}
          >
            关联搬迁户
          </button>
        }
      >
        <Sheet<RelocatedRow>
          testId="relocated-grid"
          layoutKey="relocated"
          columns={hhColumns}
          rows={relocated.data?.rows ?? null}
          height={240}
          onSelect={(r) => r && undefined}
          onOpen={(r) => go('households', { id: r.householdId })}
          onSave={async (row, field) => {
            await call('relocated.update', {
              id: row.id,
              [field]: (row as unknown as Record<string, unknown>)[field],
            });
          }}
        />
      </Panel>
      <Panel
        label="就业情况"
        title="劳动力就业情况"
        actions={
          <button type="button" onClick={() => open(<EmploymentDialog onClose={done} />)}>
            登记就业
          </button>
        }
      >
        <EmploymentSheet testId="employment-grid" rows={employment.data?.rows ?? null} />
      </Panel>
      {dialog}
    </>
  );
}

function siteColumns(): ColDef<SiteRow>[] {
  return [
    column('name', '安置点名称', { editable: true, width: 160, pinned: 'left' }),
    column('villageName', '所在村', { width: 90 }),
    column('method', '安置方式', { width: 90 }),
    column('subtype', '安置区类型', { width: 150 }),
    column('sizeClass', '规模', { width: 70 }),
    column('households', '搬迁户数', { kind: 'number', width: 90 }),
    column('persons', '搬迁人数', { kind: 'number', width: 90 }),
    column('labour', '劳动力', { kind: 'number', width: 80 }),
    column('employed', '已就业', { kind: 'number', width: 80 }),
    column('employmentRate', '就业率', { kind: 'percent', width: 80 }),
    column('zeroEmploymentHouseholds', '零就业户', {
      kind: 'number',
      width: 90,
      cellClassRules: { 'cell-error': (p) => Number(p.value) > 0 },
    }),
    column('reportedHouseholds', '上报户数', { kind: 'number', editable: true, width: 90 }),
    column('reportedPersons', '上报人数', { kind: 'number', editable: true, width: 90 }),
    column('workshops', '扶贫车间', { kind: 'number', editable: true, width: 90 }),
    column('facilities', '配套设施', {
      flex: 1,
      minWidth: 180,
      valueFormatter: (p) => (Array.isArray(p.value) ? p.value.join('、') : ''),
    }),
  ];
}

function NewSiteDialog({ villages, onClose }: { villages: VillageOption[]; onClose: Close }) {
  return (
    <FormDialog<FormOf<'site.create'>>
      title="新增安置点"
      fields={[
        { key: 'name', label: '安置点名称', required: true },
        { key: 'code', label: '安置点编码' },
        { key: 'villageId', label: '所在村', kind: 'select', options: villages },
        { key: 'location', label: '地址' },
        { key: 'method', label: '安置方式', kind: 'select', options: C.RELOCATION_METHODS, required: true },
        { key: 'subtype', label: '安置区类型', kind: 'select', options: C.RELOCATION_SUBTYPES },
        { key: 'batchYear', label: '搬迁年度', kind: 'number' },
        { key: 'builtOn', label: '建成日期', kind: 'date' },
        { key: 'reportedHouseholds', label: '上报户数', kind: 'number' },
        { key: 'reportedPersons', label: '上报人数', kind: 'number' },
        { key: 'workshops', label: '扶贫车间（个）', kind: 'number' },
        { key: 'industryProjects', label: '配套产业项目（个）', kind: 'number' },
        { key: 'partyOrg', label: '建立党组织', kind: 'check' },
        { key: 'residentCommittee', label: '建立居委会', kind: 'check' },
        { key: 'facilities', label: '配套设施', kind: 'multi', options: C.SITE_FACILITIES },
        { key: 'note', label: '备注', kind: 'textarea' },
      ]}
      initial={{ method: '集中安置' }}
      onSubmit={async (input) => {
        const s = await call('site.create', input);
        go('relocation', { site: s.id });
      }}
      onClose={onClose}
    />
  );
}

function relocatedColumns(): ColDef<RelocatedRow>[] {
  return [
    column('headName', '户主', { width: 90 }),
    column('hhNo', '户编号', { width: 150 }),
    column('members', '人口', { kind: 'number', width: 70 }),
    column('labour', '劳动力', { kind: 'number', width: 80 }),
    column('employed', '已就业', {
      kind: 'number',
      width: 80,
      cellClassRules: { 'cell-error': (p) => (p.data ? p.data.labour > 0 && p.data.employed === 0 : false) },
    }),
    column('relocationType', '搬迁类型', { width: 100 }),
    column('movedInOn', '入住日期', { width: 110 }),
    column('houseAreaM2', '安置面积（㎡）', { kind: 'number', editable: true, width: 120 }),
    column('originAddress', '迁出地', { editable: true, flex: 1, minWidth: 160 }),
  ];
}

function LinkHouseholdDialog({ site, onClose }: { site: SiteRow; onClose: Close }) {
  return (
    <FormDialog<FormOf<'relocated.link', 'siteId'>>
      title={`关联搬迁户到「${site.name}」`}
      fields={[
        { key: 'householdId', label: '农户', kind: 'household', required: true },
        { key: 'relocationType', label: '搬迁类型', kind: 'select', options: C.RELOCATION_TYPES, required: true },
        { key: 'relocationYear', label: '搬迁年度', kind: 'number' },
        { key: 'movedInOn', label: '入住日期', kind: 'date', required: true },
        { key: 'originAddress', label: '迁出地', wide: true },
        { key: 'houseAreaM2', label: '安置房面积（㎡）', kind: 'number' },
        { key: 'housingSubsidyFen', label: '建房补助（元）', kind: 'money' },
        { key: 'selfRaisedFen', label: '自筹资金（元）', kind: 'money' },
        { key: 'propertyCertificate', label: '已办不动产证', kind: 'check' },
        { key: 'oldHouseReclaimed', label: '旧房已拆除复垦', kind: 'check' },
      ]}
      initial={{ relocationType: '建档立卡', movedInOn: todayIso() }}
      onSubmit={(input) => call('relocated.link', { ...input, siteId: site.id })}
      onClose={onClose}
    />
  );
}

function EmploymentDialog({ onClose }: { onClose: Close }) {
  return (
    <FormDialog<FormOf<'employment.add'>>
      title="登记搬迁劳动力就业"
      fields={[
        { key: 'personId', label: '人员', kind: 'person', required: true },
        { key: 'channel', label: '就业渠道', kind: 'select', options: C.EMPLOYMENT_CHANNELS, required: true },
        { key: 'place', label: '就业地点' },
        { key: 'employer', label: '就业单位' },
        { key: 'job', label: '工种' },
        { key: 'startMonth', label: '起始月份', kind: 'month', required: true },
        { key: 'endMonth', label: '结束月份', kind: 'month' },
        { key: 'monthlyIncomeFen', label: '月收入（元）', kind: 'money' },
      ]}
      initial={{ startMonth: monthOf(todayIso()) }}
      onSubmit={(input) => call('employment.add', input)}
      onClose={onClose}
    />
  );
}
