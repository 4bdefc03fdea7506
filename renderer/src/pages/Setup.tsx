/** First start on an empty database: the township's name and code and its villages, or the demo township. */
import { useState } from 'react';
import { call } from '../api.ts';

type SetupForm = { townshipName: string; townshipCode: string; county: string; province: string; villages: string };

export function SetupPage({ onDone }: { onDone: () => void }) {
  const [form, setForm] = useState<SetupForm>({
    townshipName: '',
    townshipCode: '',
    county: '',
    province: '',
    villages: '',
  });
  const { error, busy, save, demo } = useSetup(onDone);

  return (
    <div className="setup">
      <h1>欢迎使用乡镇振兴台账</h1>
      <p>这是一个新的台账数据库。请先填写本乡镇的基本信息和行政村名单，或者载入示范乡镇数据先熟悉功能。</p>
      <SetupFields form={form} onChange={setForm} />
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      {busy ? (
        <div className="progress" role="status">
          {busy}
        </div>
      ) : null}
      <div className="modal-actions">
        <button type="button" disabled={!!busy} onClick={() => void demo()}>
          载入示范乡镇
        </button>
        <button type="button" className="primary" disabled={!!busy} onClick={() => void save(form)}>
          保存并开始使用
        </button>
      </div>
    </div>
  );
}

/** Saving the typed township and villages, or loading the demo township; `busy` tells the progress. */
function useSetup(onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const save = async (form: SetupForm) => {
    setError(null);
    const parsed = parseVillages(form.villages);
    if (typeof parsed === 'string') return setError(parsed);
    const villages = parsed;
    setBusy('正在保存…');
    try {
      await call('settings.update', {
        townshipName: form.townshipName,
        townshipCode: form.townshipCode,
        county: form.county,
        province: form.province,
      });
      for (const [i, v] of villages.entries()) {
        setBusy(`正在保存村名单（${i + 1}/${villages.length}）…`);
        await call('village.create', { ...v, sortOrder: i + 1 });
      }
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const demo = async () => {
    setError(null);
    setBusy('正在生成示范乡镇数据（约 3000 户），请稍候…');
    try {
      await call('setup.loadDemo', {});
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  return { error, busy, save, demo };
}

/** The village list typed one per line as "12-digit code, name": the villages, or the message for the first bad line. */
function parseVillages(text: string): { code: string; name: string }[] | string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const villages = [];
  for (const [i, line] of lines.entries()) {
    const m = /^(\d{12})\s+(.+)$/.exec(line.replace(/[\t，,]/g, ' '));
    if (!m) return `村名单第 ${i + 1} 行格式不对：应为“12位村代码 村名”，例如“529901101001 青山村”`;
    villages.push({ code: m[1]!, name: m[2]!.trim() });
  }
  if (villages.length === 0) return '请至少填写一个行政村';
  return villages;
}

function SetupFields({ form, onChange }: { form: SetupForm; onChange: (form: SetupForm) => void }) {
  const set = (k: keyof SetupForm) => (e: { target: { value: string } }) => onChange({ ...form, [k]: e.target.value });
  return (
    <div className="form-grid">
      <label className="form-field">
        <span className="form-label">乡镇名称</span>
        <input name="townshipName" value={form.townshipName} onChange={set('townshipName')} />
      </label>
      <label className="form-field">
        <span className="form-label">乡镇代码（12位）</span>
        <input name="townshipCode" value={form.townshipCode} onChange={set('townshipCode')} />
      </label>
      <label className="form-field">
        <span className="form-label">所属县（市、区）</span>
        <input name="county" value={form.county} onChange={set('county')} />
      </label>
      <label className="form-field">
        <span className="form-label">所属省份</span>
        <input name="province" value={form.province} onChange={set('province')} />
      </label>
      <label className="form-field wide">
        <span className="form-label">行政村（每行一个：村代码 村名）</span>
        <textarea
          name="villages"
          rows={6}
          placeholder={'529901101001 青山村\n529901101002 石桥村'}
          value={form.villages}
          onChange={set('villages')}
        />
      </label>
    </div>
  );
}
