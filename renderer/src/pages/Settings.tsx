/** 设置: township, villages and groups, parameters (time limits, age limits…), yearly income thresholds. */
import { useState } from 'react';
import type { OpResult } from '../../../shared/api.ts';
import type { Settings } from '../../../shared/parameters.ts';
import { fenToYuanText } from '../../../shared/money.ts';
import { call, useQuery } from '../api.ts';
import { FormDialog, useDialog, type Field, type FormOf } from '../components/Form.tsx';
import { Panel } from '../components/ui.tsx';

type ParametersForm = FormOf<'parameters.update'>;

const PARAMETER_FIELDS: (Field<ParametersForm> & { kind: 'number' | 'check' })[] = [
  { key: 'identificationDays', label: '识别办理时限（天）', kind: 'number' },
  { key: 'identificationNoticeDays', label: '识别公示最少天数', kind: 'number' },
  { key: 'eliminationNoticeDays', label: '风险消除公示最少天数', kind: 'number' },
  { key: 'minMonthsBeforeElimination', label: '识别后最少监测月数', kind: 'number' },
  { key: 'minMonthsBlocksElimination', label: '监测月数不足时禁止消除（否则仅提示）', kind: 'check' },
  { key: 'eliminationVerifiers', label: '消除核实最少人数', kind: 'number' },
  { key: 'postMinAge', label: '公益岗位最低年龄', kind: 'number' },
  { key: 'postMaxAgeNewHire', label: '新聘用最高年龄', kind: 'number' },
  { key: 'postMaxAgeHolding', label: '在岗最高年龄', kind: 'number' },
  { key: 'postOnePerHousehold', label: '每户限一人在岗', kind: 'check' },
  { key: 'postDefaultRequiredDays', label: '默认规定出勤天数', kind: 'number' },
  { key: 'agreementEndingDays', label: '协议到期提醒（天）', kind: 'number' },
  { key: 'visitIntervalDaysMonitored', label: '监测户走访间隔（天）', kind: 'number' },
  { key: 'visitIntervalDaysEliminated', label: '已消除户走访间隔（天）', kind: 'number' },
  { key: 'incomeSanityMaxFen', label: '识别时人均收入上限提示（分）', kind: 'number' },
  { key: 'labourAgeMin', label: '劳动年龄下限', kind: 'number' },
  { key: 'labourAgeMax', label: '劳动年龄上限', kind: 'number' },
  { key: 'largeSitePersons', label: '大型安置点人数', kind: 'number' },
  { key: 'sessionIdleMinutes', label: '无操作自动锁定（分钟）', kind: 'number' },
];

type Close = (saved: boolean) => void;

export function SettingsPage({ onSettings }: { onSettings: (s: Settings) => void }) {
  const settings = useQuery('settings.get', {});
  const villages = useQuery('village.list', {});
  const params = useQuery('parameters.get', {});
  const thresholds = useQuery('thresholds.list', {});
  const { dialog, open, close } = useDialog();
  const [message, setMessage] = useState<string | null>(null);
  const after = (reload: () => Promise<void>) => (saved: boolean) => {
    close();
    if (saved) {
      void reload();
      setMessage('已保存');
    }
  };

  return (
    <div className="page">
      <header className="page-head">
        <h1>设置</h1>
        {message ? (
          <span className="locked" role="status">
            {message}
          </span>
        ) : null}
      </header>
      <div className="two-col">
        <div>
          <TownshipPanel
            settings={settings.data}
            onEdit={() =>
              open(<TownshipDialog settings={settings.data} onSettings={onSettings} onClose={after(settings.reload)} />)
            }
          />
          <VillagesPanel
            villages={villages.data ?? []}
            onAddVillage={() => open(<VillageDialog onClose={after(villages.reload)} />)}
            onAddGroup={(v) => open(<GroupDialog village={v} onClose={after(villages.reload)} />)}
            onEdit={(v) => open(<VillageEditDialog village={v} onClose={after(villages.reload)} />)}
          />
        </div>
        <div>
          <ThresholdsPanel
            thresholds={thresholds.data ?? []}
            onSet={() => open(<ThresholdDialog onClose={after(thresholds.reload)} />)}
          />
          <ParametersPanel
            params={params.data}
            onEdit={() => open(<ParametersDialog params={params.data} onClose={after(params.reload)} />)}
          />
        </div>
      </div>
      {dialog}
    </div>
  );
}

function TownshipPanel({ settings: s, onEdit }: { settings: Settings | null; onEdit: () => void }) {
  return (
    <Panel
      title="乡镇信息"
      actions={
        <button type="button" onClick={onEdit}>
          修改
        </button>
      }
    >
      {s ? (
        <p>
          {s.province} {s.county} {s.townshipName}（代码 {s.townshipCode}）
        </p>
      ) : null}
    </Panel>
  );
}

type Village = OpResult<'village.list'>[number];

function VillagesPanel({
  villages,
  onAddVillage,
  onAddGroup,
  onEdit,
}: {
  villages: Village[];
  onAddVillage: () => void;
  onAddGroup: (village: Village) => void;
  onEdit: (village: Village) => void;
}) {
  return (
    <Panel
      title="行政村与村民小组"
      actions={
        <button type="button" onClick={onAddVillage}>
          新增行政村
        </button>
      }
    >
      <table className="table" aria-label="行政村">
        <thead>
          <tr>
            <th>村代码</th>
            <th>村名称</th>
            <th>农户数</th>
            <th>村民小组</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {villages.map((v) => (
            <tr key={v.id}>
              <td>{v.code ?? <span className="fail">待补（由导入文件新建）</span>}</td>
              <td>{v.name}</td>
              <td className="num">{v.households}</td>
              <td>{v.groups.map((g) => g.name).join('、')}</td>
              <td>
                <button type="button" onClick={() => onEdit(v)}>
                  {v.code ? '修改村信息' : '填写代码'}
                </button>
                <button type="button" onClick={() => onAddGroup(v)}>
                  添加小组
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Panel>
  );
}

function ThresholdsPanel({ thresholds, onSet }: { thresholds: OpResult<'thresholds.list'>; onSet: () => void }) {
  return (
    <Panel
      title="监测收入标准"
      actions={
        <button type="button" onClick={onSet}>
          设置年度标准
        </button>
      }
    >
      <table className="table" aria-label="监测收入标准">
        <thead>
          <tr>
            <th>年度</th>
            <th>标准（元/人/年）</th>
            <th>依据</th>
          </tr>
        </thead>
        <tbody>
          {thresholds.map((t) => (
            <tr key={t.year}>
              <td>{t.year}</td>
              <td className="num">{fenToYuanText(t.amountFen)}</td>
              <td>{t.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">没有单独设置的年度沿用此前最近一年的标准。</p>
    </Panel>
  );
}

function ParametersPanel({ params, onEdit }: { params: OpResult<'parameters.get'> | null; onEdit: () => void }) {
  return (
    <Panel
      title="业务参数"
      actions={
        <button type="button" onClick={onEdit}>
          修改参数
        </button>
      }
    >
      <table className="table" aria-label="业务参数">
        <tbody>
          {params
            ? PARAMETER_FIELDS.map((f) => (
                <tr key={f.key}>
                  <td>{f.label}</td>
                  <td className="num">{f.kind === 'check' ? (params[f.key] ? '是' : '否') : String(params[f.key])}</td>
                </tr>
              ))
            : null}
        </tbody>
      </table>
    </Panel>
  );
}

function TownshipDialog({
  settings,
  onSettings,
  onClose,
}: {
  settings: Settings | null;
  onSettings: (s: Settings) => void;
  onClose: Close;
}) {
  return (
    <FormDialog<FormOf<'settings.update'>>
      title="乡镇信息"
      fields={[
        { key: 'townshipName', label: '乡镇名称', required: true },
        { key: 'townshipCode', label: '乡镇代码（12位）', required: true },
        { key: 'county', label: '所属县（市、区）', required: true },
        { key: 'province', label: '所属省份', required: true },
      ]}
      initial={settings ?? {}}
      onSubmit={async (input) => onSettings(await call('settings.update', input))}
      onClose={onClose}
    />
  );
}

function VillageDialog({ onClose }: { onClose: Close }) {
  return (
    <FormDialog<FormOf<'village.create'>>
      title="新增行政村"
      fields={[
        { key: 'code', label: '村代码（12位）', required: true },
        { key: 'name', label: '村名称', required: true },
        { key: 'sortOrder', label: '排序', kind: 'number' },
      ]}
      onSubmit={(input) => call('village.create', input)}
      onClose={onClose}
    />
  );
}

function VillageEditDialog({ village, onClose }: { village: Village; onClose: Close }) {
  return (
    <FormDialog<Omit<FormOf<'village.update'>, 'id'>>
      title={`修改行政村：${village.name}`}
      fields={[
        { key: 'code', label: '村代码（12位）', required: true },
        { key: 'name', label: '村名称', required: true },
        { key: 'sortOrder', label: '排序', kind: 'number' },
      ]}
      initial={{ code: village.code ?? '', name: village.name, sortOrder: village.sortOrder }}
      onSubmit={(input) => call('village.update', { ...input, id: village.id })}
      onClose={onClose}
    />
  );
}

function GroupDialog({ village, onClose }: { village: Village; onClose: Close }) {
  return (
    <FormDialog<FormOf<'group.create', 'villageId'>>
      title={`新增村民小组（${village.name}）`}
      fields={[{ key: 'name', label: '小组名称', required: true }]}
      onSubmit={(input) => call('group.create', { ...input, villageId: village.id })}
      onClose={onClose}
    />
  );
}

// Blank numbers are left out (unchanged); checks are sent as true/false.
function ParametersDialog({ params, onClose }: { params: OpResult<'parameters.get'> | null; onClose: Close }) {
  return (
    <FormDialog<ParametersForm>
      title="业务参数"
      fields={PARAMETER_FIELDS}
      initial={params ?? {}}
      onSubmit={(input) => call('parameters.update', input)}
      onClose={onClose}
    />
  );
}

function ThresholdDialog({ onClose }: { onClose: Close }) {
  return (
    <FormDialog<FormOf<'thresholds.set'>>
      title="设置年度监测收入标准"
      fields={[
        { key: 'year', label: '年度', kind: 'number', required: true },
        { key: 'amountFen', label: '标准（元/人/年）', kind: 'money', required: true },
        { key: 'source', label: '依据（文件名称）', wide: true },
      ]}
      initial={{ year: new Date().getFullYear() }}
      onSubmit={(input) => call('thresholds.set', input)}
      onClose={onClose}
    />
  );
}
