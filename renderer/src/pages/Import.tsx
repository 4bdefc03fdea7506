/** 导入: choose a file, preview what would change (with every rejected row and why), confirm, see the result. */
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import type { ImportError, ImportResult } from '../../../shared/api.ts';
import { call } from '../api.ts';
import { Sheet } from '../components/Sheet.tsx';
import { Panel } from '../components/ui.tsx';
import { column } from '../grid.ts';

const UPLOAD_LIMIT = 10 * 1024 * 1024;

type Source = { file: string; label: string } | { content: string; fileName: string; label: string };

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const KINDS = [
  { value: 'households', label: '农户与家庭成员（每行一名成员，按户编号成户）' },
  { value: 'posts', label: '公益岗位人员（每行一名在岗人员：岗位名称、身份证号码、上岗时间、协议起止）' },
  { value: 'relocation', label: '易地搬迁户（每行一户：安置点、户编号或户主身份证号、入住时间）' },
  { value: 'monitoring', label: '监测对象（每行一户：户编号、监测对象类别、风险、识别时间、是否消除）' },
] as const;

export function ImportPage() {
  const [kind, setKind] = useState<'households' | 'posts' | 'relocation' | 'monitoring'>('households');
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [mapping, setMapping] = useState<Record<string, number>>({});
  const [error, setError] = useState<string | null>(null);
  const args = (s: Source) => ('file' in s ? { file: s.file } : { content: s.content, fileName: s.fileName });

  const check = async (s: Source, map: Record<string, number> = {}) => {
    setSource(s);
    setMapping(map);
    setPreview(null);
    setResult(null);
    setError(null);
    setBusy('正在读取并检查文件…');
    try {
      setPreview(await call('import.preview', { kind, mapping: map, ...args(s) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const pickNative = async () => {
    const file = await window.ledgerNative!.openFile({
      title: '选择要导入的文件',
      filters: [{ name: 'Excel / CSV', extensions: ['xlsx', 'xls', 'csv'] }],
    });
    if (file) await check({ file, label: file });
  };
  const pickUpload = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > UPLOAD_LIMIT)
      return setError(
        `文件 ${(f.size / 1048576).toFixed(1)} MB，浏览器模式最多上传 10 MB；更大的文件请用桌面版或命令行导入`,
      );
    await check({ content: toBase64(await f.arrayBuffer()), fileName: f.name, label: f.name });
  };

  const confirm = async () => {
    if (!source) return;
    setBusy('正在导入，请勿关闭程序…');
    setError(null);
    try {
      setResult(await call('import.run', { kind, mapping, ...args(source) }));
      setPreview(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const columns = useMemo<ColDef<ImportError & { key: string }>[]>(
    () => [
      column('row', '行号', { kind: 'number', width: 80 }),
      column('column', '列', { width: 140 }),
      column('value', '值', { width: 200 }),
      column('message', '原因', { flex: 1, minWidth: 300, tooltipField: 'message' }),
    ],
    [],
  );
  const shown = result ?? preview;
  return (
    <div className="page">
      <header className="page-head">
        <h1>导入</h1>
        <span className="muted">从全国系统导出表、旧台账或村里报来的表格导入；同一文件重复导入不会重复登记</span>
      </header>
      <Panel title="1. 选择文件" label="选择文件">
        <p>
          <label className="filter">
            导入内容
            <select
              aria-label="导入内容"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as typeof kind);
                setSource(null);
                setPreview(null);
                setResult(null);
              }}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
        </p>
        <p className="muted">
          支持 .xlsx、.xls、.csv（UTF-8 或
          GB18030），表头上方可以有标题行。导入的监测对象按文件中的识别时间记为“已识别”，已消除的记为“已消除”；原系统中的识别环节不导入。
        </p>
        {window.ledgerNative ? (
          <button type="button" className="primary" disabled={!!busy} onClick={() => void pickNative()}>
            选择文件…
          </button>
        ) : (
          <input
            type="file"
            aria-label="选择要导入的文件"
            accept=".xlsx,.xls,.csv"
            disabled={!!busy}
            onChange={(e) => void pickUpload(e.target.files?.[0])}
          />
        )}
        {source ? <span className="muted"> {source.label}</span> : null}
      </Panel>
      {busy ? (
        <div className="progress" role="status">
          {busy}
        </div>
      ) : null}
      {error ? (
        <div className="form-error" role="alert">
          {error}
        </div>
      ) : null}
      {shown ? (
        <Panel
          title={result ? '3. 导入结果' : '2. 预览（尚未写入）'}
          label={result ? '导入结果' : '导入预览'}
          actions={
            !result ? (
              <button
                type="button"
                className="primary"
                disabled={!!busy || shown.read === shown.rejected}
                onClick={() => void confirm()}
              >
                确认导入
              </button>
            ) : null
          }
        >
          <p className="totals" data-testid="import-counts">
            <span>读取 {shown.read} 行</span>
            <span>新增 {shown.inserted}</span>
            <span>更新 {shown.updated}</span>
            <span>未变 {shown.unchanged}</span>
            <span className={shown.rejected ? 'fail' : 'ok'}>拒收 {shown.rejected}</span>
          </p>
          {!result && shown.mapping ? (
            <details className="mapping" open={shown.rejected > 0}>
              <summary>列对应关系（工作表「{shown.sheet}」，可调整后重新预览）</summary>
              <table className="table" aria-label="列对应关系">
                <thead>
                  <tr>
                    <th>台账字段</th>
                    <th>取自文件中的列</th>
                  </tr>
                </thead>
                <tbody>
                  {shown.mapping.map((m) => (
                    <tr key={m.field}>
                      <td>
                        {m.label}
                        {m.required ? <em className="fail">*</em> : null}
                      </td>
                      <td>
                        <select
                          aria-label={`字段 ${m.label} 的来源列`}
                          value={m.column ?? -1}
                          disabled={!!busy}
                          onChange={(e) =>
                            source && void check(source, { ...mapping, [m.field]: Number(e.target.value) })
                          }
                        >
                          <option value={-1}>（不导入）</option>
                          {(shown.columns ?? []).map((c, i) => (
                            <option key={i} value={i}>{`第${i + 1}列 ${c}`}</option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          ) : null}
          {result?.errorsFile ? (
            <p>
              拒收行清单已保存：{result.errorsFile}
              {window.ledgerNative ? (
                <button type="button" onClick={() => void window.ledgerNative!.showInFolder(result.errorsFile!)}>
                  打开所在文件夹
                </button>
              ) : null}
            </p>
          ) : null}
          {shown.errors.length ? (
            <Sheet
              testId="import-errors"
              layoutKey="import-errors"
              columns={columns}
              rows={shown.errors.map((e, i) => ({ ...e, key: `${i}` }))}
              rowId={(e) => e.key}
              height={320}
            />
          ) : (
            <p className="ok">所有行都可以导入。</p>
          )}
        </Panel>
      ) : null}
    </div>
  );
}
