/** 导入: choose a file, preview what would change (with every rejected row and why), confirm, see the result. */
import type { ColDef } from 'ag-grid-community';
import { useMemo, useState } from 'react';
import type { DetectedLayout, ImportError, ImportResult } from '../../../shared/api.ts';
import { call } from '../api.ts';
import { Sheet } from '../components/Sheet.tsx';
import { Panel, Progress } from '../components/ui.tsx';
import { column } from '../grid.ts';
import { ReconcilePanel } from './Reconcile.tsx';

const UPLOAD_LIMIT = 10 * 1024 * 1024;

type Source = { file: string; label: string } | { content: string; fileName: string; label: string };

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const KINDS = [
  { value: 'villages', label: '行政村名单（每行一村：行政村名称、12位区划代码）' },
  { value: 'households', label: '农户与家庭成员（每行一名成员，按户编号成户）' },
  { value: 'posts', label: '公益岗位人员（每行一名在岗人员：岗位名称、身份证号码、上岗时间、协议起止）' },
  { value: 'relocation', label: '易地搬迁户（每行一户：安置点、户编号或户主身份证号、入住时间）' },
  { value: 'monitoring', label: '监测对象（每行一户：户编号、监测对象类别、风险、识别时间、是否消除）' },
  { value: 'work', label: '务工监测（已外出 / 计划外出）' },
] as const;

type Kind = (typeof KINDS)[number]['value'];
const kindLabel = (k: Kind) => KINDS.find((x) => x.value === k)!.label.replace(/（.*$/, '');

/** What the user chose beyond the file and the kind: columns, header row, villages to create. */
interface Choices {
  mapping: Record<string, number>;
  headerRow?: number;
  createVillages?: boolean;
}

export function ImportPage() {
  const imp = useImport();
  const { source, preview, result, busy, error } = imp;
  const shown = result ?? preview;
  return (
    <div className="page">
      <header className="page-head">
        <h1>导入</h1>
        <span className="muted">从全国系统导出表、旧台账或村里报来的表格导入；同一文件重复导入不会重复登记</span>
      </header>
      <FilePanel
        kind={imp.kind}
        onKind={imp.changeKind}
        busy={busy}
        source={source}
        layout={imp.layout}
        onNative={() => void imp.pickNative()}
        onUpload={(f) => void imp.pickUpload(f)}
      />
      <Progress busy={busy} error={error} />
      {shown ? (
        <ImportOutcome
          shown={shown}
          result={result}
          busy={busy}
          next={imp.nextKind}
          onConfirm={() => void imp.confirm()}
          onRemap={(field, col) => {
            // The whole mapping as shown (detected, saved or chosen) with the one change: later choices build on it.
            const shownColumns = Object.fromEntries((shown.mapping ?? []).map((m) => [m.field, m.column ?? -1]));
            if (source) void imp.check(source, { ...imp.choices, mapping: { ...shownColumns, [field]: col } });
          }}
          onHeaderRow={(row) => source && void imp.check(source, { ...imp.choices, headerRow: row })}
          onCreateVillages={() => source && void imp.check(source, { ...imp.choices, createVillages: true })}
          onNext={() => imp.nextKind && imp.changeKind(imp.nextKind)}
        />
      ) : null}
      {preview && source && (imp.kind === 'households' || imp.kind === 'monitoring') ? (
        <ReconcilePanel
          key={`${source.label}|${imp.kind}|${JSON.stringify(imp.choices)}`}
          kind={imp.kind}
          source={{ ...imp.choices, ...sourceArgs(source) }}
        />
      ) : null}
    </div>
  );
}

/** What the core needs to read the chosen file. */
const sourceArgs = (s: Source) => ('file' in s ? { file: s.file } : { content: s.content, fileName: s.fileName });

/**
 * The import's steps: `check` reads a source and previews it with a column mapping (replacing any earlier
 * preview or result), `confirm` imports what was previewed; `busy` is the message shown while the core works.
 */
function useImport() {
  const [kind, setKind] = useState<Kind>('households');
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [choices, setChoices] = useState<Choices>({ mapping: {} });
  const [layout, setLayout] = useState<DetectedLayout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const args = sourceArgs;

  const check = async (s: Source, chosen: Choices = { mapping: {} }, as: Kind = kind) => {
    setSource(s);
    setChoices(chosen);
    setPreview(null);
    setResult(null);
    setError(null);
    setBusy('正在读取并检查文件…');
    try {
      setPreview(await call('import.preview', { kind: as, ...chosen, ...args(s) }));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  /** A newly chosen file: its layout says what it is and which kind to import first. */
  const open = async (s: Source) => {
    setBusy('正在识别文件格式…');
    let as = kind;
    try {
      const found = await call('import.detect', args(s));
      setLayout(found);
      if (found) {
        as = found.kinds[0]!;
        setKind(as);
      }
    } catch {
      // An unreadable file is explained by the preview that follows.
      setLayout(null);
    }
    await check(s, { mapping: {} }, as);
  };

  const confirm = async () => {
    if (!source) return;
    setBusy('正在导入，请勿关闭程序…');
    setError(null);
    try {
      setResult(await call('import.run', { kind, ...choices, ...args(source) }));
      setPreview(null);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };

  const { pickNative, pickUpload } = filePickers(open, setError);
  const following = layout ? layout.kinds[layout.kinds.indexOf(kind) + 1] : undefined;
  // The layout feeds another kind after this one (a person-level monitoring export: members, then cases).
  const nextKind = result && following ? following : null;
  // The chosen file stays: it is checked again as the new kind.
  const changeKind = (k: Kind) => {
    setKind(k);
    if (source) void check(source, { mapping: {} }, k);
    else {
      setPreview(null);
      setResult(null);
    }
  };
  return {
    kind,
    changeKind,
    source,
    layout,
    nextKind,
    preview,
    result,
    busy,
    choices,
    error,
    check,
    confirm,
    pickNative,
    pickUpload,
  };
}

/** Choosing the file: the desktop's file dialog, or an upload (at most UPLOAD_LIMIT) in browser mode. */
function filePickers(check: (s: Source) => Promise<void>, setError: (message: string) => void) {
  const pickNative = async () => {
    const picked = await window.ledgerNative!.openFile({
      title: '选择要导入的文件',
      filters: [{ name: 'Excel / CSV', extensions: ['xlsx', 'xls', 'csv'] }],
    });
    // The core is given the token of the picked file, never a path (main/core/files.ts).
    if (picked) await check({ file: picked.token, label: picked.path });
  };
  const pickUpload = async (f: File | undefined) => {
    if (!f) return;
    if (f.size > UPLOAD_LIMIT)
      return setError(
        `文件 ${(f.size / 1048576).toFixed(1)} MB，浏览器模式最多上传 10 MB；更大的文件请用桌面版或命令行导入`,
      );
    await check({ content: toBase64(await f.arrayBuffer()), fileName: f.name, label: f.name });
  };
  return { pickNative, pickUpload };
}

function FilePanel({
  kind,
  onKind,
  busy,
  source,
  layout,
  onNative,
  onUpload,
}: {
  kind: Kind;
  onKind: (kind: Kind) => void;
  busy: string | null;
  source: Source | null;
  layout: DetectedLayout | null;
  onNative: () => void;
  onUpload: (file: File | undefined) => void;
}) {
  return (
    <Panel title="1. 选择文件" label="选择文件">
      <p>
        <label className="filter">
          导入内容
          <select aria-label="导入内容" value={kind} onChange={(e) => onKind(e.target.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
      </p>
      <p className="muted">
        支持 .xlsx、.xls、.csv 和 .txt（UTF-8、UTF-16、GB18030、Big5
        等编码自动识别），表头上方可以有标题行。导入的监测对象按文件中的识别时间记为“已识别”，已消除的记为“已消除”；原系统中的识别环节不导入。
      </p>
      {window.ledgerNative ? (
        <button type="button" className="primary" disabled={!!busy} onClick={onNative}>
          选择文件…
        </button>
      ) : (
        <input
          type="file"
          aria-label="选择要导入的文件"
          accept=".xlsx,.xls,.csv"
          disabled={!!busy}
          onChange={(e) => {
            const f = e.target.files?.[0];
            // Cleared so that choosing the same file again (after fixing it in Excel) is a new choice.
            e.target.value = '';
            onUpload(f);
          }}
        />
      )}
      {source ? <span className="muted"> {source.label}</span> : null}
      {source && layout ? (
        <p data-testid="import-layout">
          识别为：<strong>{layout.name}</strong>
          {layout.kinds.length > 1 ? `（依次导入：${layout.kinds.map((k) => kindLabel(k)).join(' → ')}）` : null}
        </p>
      ) : null}
    </Panel>
  );
}

/** The preview (step 2, with the column mapping and the confirm button) or the result (step 3). */
function ImportOutcome({
  shown,
  result,
  busy,
  next,
  onConfirm,
  onRemap,
  onHeaderRow,
  onCreateVillages,
  onNext,
}: {
  shown: ImportResult;
  result: ImportResult | null;
  busy: string | null;
  next: Kind | null;
  onConfirm: () => void;
  onRemap: (field: string, column: number) => void;
  onHeaderRow: (row: number) => void;
  onCreateVillages: () => void;
  onNext: () => void;
}) {
  const unknownVillages = !shown.villagesCreated?.length && shown.errors.some((e) => e.message.includes('新建这些村'));
  return (
    <Panel
      title={result ? '3. 导入结果' : '2. 预览（尚未写入）'}
      label={result ? '导入结果' : '导入预览'}
      actions={
        !result ? (
          <button
            type="button"
            className="primary"
            disabled={!!busy || shown.read === shown.rejected + (shown.skipped ?? 0)}
            onClick={onConfirm}
          >
            确认导入
          </button>
        ) : next ? (
          <button type="button" className="primary" disabled={!!busy} onClick={onNext}>
            继续导入：{kindLabel(next)}
          </button>
        ) : null
      }
    >
      <p className="totals" data-testid="import-counts">
        <span>读取 {shown.read} 行</span>
        <span>新增 {shown.inserted}</span>
        <span>更新 {shown.updated}</span>
        <span>未变 {shown.unchanged}</span>
        {shown.skipped ? <span title="家庭成员行、非监测户行：不是错误">跳过 {shown.skipped}</span> : null}
        <span className={shown.rejected ? 'fail' : 'ok'}>拒收 {shown.rejected}</span>
      </p>
      {shown.savedMapping ? <p className="muted">已套用上次为此格式保存的表头行和列对应关系。</p> : null}
      {shown.villagesCreated?.length ? (
        <p role="status">
          {result ? '已新建' : '将新建'}行政村 {shown.villagesCreated.length} 个：{shown.villagesCreated.join('、')}
          （村代码请稍后在“设置”中补填）
        </p>
      ) : null}
      {!result && unknownVillages ? (
        <p>
          <button type="button" disabled={!!busy} onClick={onCreateVillages}>
            新建这些村并重新检查
          </button>
        </p>
      ) : null}
      {!result && shown.mapping ? (
        <ColumnMapping
          preview={shown}
          mapping={shown.mapping}
          busy={busy}
          onRemap={onRemap}
          onHeaderRow={onHeaderRow}
        />
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
        <ImportRows testId="import-errors" errors={shown.errors} />
      ) : (
        <p className="ok">所有行都可以导入。</p>
      )}
      {shown.warnings.length ? (
        <>
          <h3>提示（已导入，请核对）：{shown.warnings.length} 条</h3>
          <ImportRows testId="import-warnings" errors={shown.warnings} />
        </>
      ) : null}
    </Panel>
  );
}

/** Which file column each ledger field was read from; changing one previews again with the new choice. */
function ColumnMapping({
  preview,
  mapping,
  busy,
  onRemap,
  onHeaderRow,
}: {
  preview: ImportResult;
  mapping: NonNullable<ImportResult['mapping']>;
  busy: string | null;
  onRemap: (field: string, column: number) => void;
  onHeaderRow: (row: number) => void;
}) {
  return (
    <details className="mapping" open={preview.rejected > 0 || preview.read === 0}>
      <summary>列对应关系（工作表「{preview.sheet}」，可调整后重新预览；确认导入后，同样格式的文件自动套用）</summary>
      <p>
        <label className="filter">
          表头在第
          <select
            aria-label="表头所在行"
            value={preview.headerRow ?? ''}
            disabled={!!busy}
            onChange={(e) => onHeaderRow(Number(e.target.value))}
          >
            {preview.headerRow === null || preview.headerRow === undefined ? (
              <option value="">（未找到）</option>
            ) : null}
            {Array.from({ length: 15 }, (_, i) => (
              <option key={i} value={i}>
                {i + 1}
              </option>
            ))}
          </select>
          行
        </label>
      </p>
      <table className="table" aria-label="列对应关系">
        <thead>
          <tr>
            <th>台账字段</th>
            <th>取自文件中的列</th>
          </tr>
        </thead>
        <tbody>
          {mapping.map((m) => (
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
                  onChange={(e) => onRemap(m.field, Number(e.target.value))}
                >
                  <option value={-1}>（不导入）</option>
                  {(preview.columns ?? []).map((c, i) => (
                    <option key={i} value={i}>{`第${i + 1}列 ${c}`}</option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** Rows refused, or taken with a warning: sheet row, column, value and why. */
function ImportRows({ errors, testId }: { errors: ImportError[]; testId: string }) {
  const columns = useMemo<ColDef<ImportError & { key: string }>[]>(
    () => [
      column('row', '行号', { kind: 'number', width: 80 }),
      column('column', '列', { width: 140 }),
      column('value', '值', { width: 200 }),
      column('message', '原因', { flex: 1, minWidth: 300, tooltipField: 'message' }),
    ],
    [],
  );
  return (
    <Sheet
      testId={testId}
      layoutKey={testId}
      columns={columns}
      rows={errors.map((e, i) => ({ ...e, key: `${i}` }))}
      rowId={(e) => e.key}
      height={320}
    />
  );
}
