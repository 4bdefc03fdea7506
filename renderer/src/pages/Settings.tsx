/** 设置: township, villages and groups, parameters (time limits, age limits…), yearly income thresholds. */
import { useState } from 'react';
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
];

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

  const editTownship = () =>
    open(
      <FormDialog<FormOf<'settings.update'>>
        title="乡镇信息"
        fields={[
          { key: 'townshipName', label: '乡镇名称', required: true },
          { key: 'townshipCode', label: '乡镇代码（12位）', required: true },
          { key: 'county', label: '所属县（市、区）', required: true },
          { key: 'province', label: '所属省份', required: true },
        ]}
        initial={settings.data ?? {}}
        onSubmit={async (input) => onSettings(await call('settings.update', input))}
        onClose={after(settings.reload)}
      />,
    );
  const addVillage = () =>
    open(
      <FormDialog<FormOf<'village.create'>>
        title="新增行政村"
        fields={[
          { key: 'code', label: '村代码（12位）', required: true },
          { key: 'name', label: '村名称', required: true },
          { key: 'sortOrder', label: '排序', kind: 'number' },
        ]}
        onSubmit={(input) => call('village.create', input)}
        onClose={after(villages.reload)}
      />,
    );
  const addGroup = (villageId: number, villageName: string) =>
    open(
      <FormDialog<FormOf<'group.create', 'villageId'>>
        title={`新增村民小组（${villageName}）`}
        fields={[{ key: 'name', label: '小组名称', required: true }]}
        onSubmit={(input) => call('group.create', { ...input, villageId })}
        onClose={after(villages.reload)}
      />,
    );
  // Blank numbers are left out (unchanged); checks are sent as true/false.
  const editParams = () =>
    open(
      <FormDialog<ParametersForm>
        title="业务参数"
        fields={PARAMETER_FIELDS}
        initial={params.data ?? {}}
        onSubmit={(input) => call('parameters.update', input)}
        onClose={after(params.reload)}
      />,
    );
  const setThreshold = () =>
    open(
      <FormDialog<FormOf<'thresholds.set'>>
        title="设置年度监测收入标准"
        fields={[
          { key: 'year', label: '年度', kind: 'number', required: true },
          { key: 'amountFen', label: '标准（元/人/年）', kind: 'money', required: true },
          { key: 'source', label: '依据（文件名称）', wide: true },
        ]}
        initial={{ year: new Date().getFullYear() }}
        onSubmit={(input) => call('thresholds.set', input)}
        onClose={after(thresholds.reload)}
      />,
    );

  const s = settings.data;
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
          <Panel
            title="乡镇信息"
            actions={
              <button type="button" onClick={editTownship}>
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
          <Panel
            title="行政村与村民小组"
            actions={
              <button type="button" onClick={addVillage}>
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
                {(villages.data ?? []).map((v) => (
                  <tr key={v.id}>
                    <td>{v.code}</td>
                    <td>{v.name}</td>
                    <td className="num">{v.households}</td>
                    <td>{v.groups.map((g) => g.name).join('、')}</td>
                    <td>
                      <button type="button" onClick={() => addGroup(v.id, v.name)}>
                        添加小组
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
        </div>
        <div>
          <Panel
            title="监测收入标准"
            actions={
              <button type="button" onClick={setThreshold}>
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
                {(thresholds.data ?? []).map((t) => (
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
          <Panel
            title="业务参数"
            actions={
              <button type="button" onClick={editParams}>
                修改参数
              </button>
            }
          >
            <table className="table" aria-label="业务参数">
              <tbody>
                {params.data
                  ? PARAMETER_FIELDS.map((f) => (
                      <tr key={f.key}>
                        <td>{f.label}</td>
                        <td className="num">
                          {f.kind === 'check' ? (params.data![f.key] ? '是' : '否') : String(params.data![f.key])}
                        </td>
                      </tr>
                    ))
                  : null}
              </tbody>
            </table>
          </Panel>
        </div>
      </div>
      {dialog}
    </div>
  );
}
