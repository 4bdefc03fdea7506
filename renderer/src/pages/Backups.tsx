/**
 * 备份与恢复 (管理员): the backups the core keeps beside the database with their figures, a backup now, the second
 * folder (a USB drive), and restore after a preview of what the backup holds beside what the ledger holds now.
 */
import { useState } from 'react';
import type { BackupFigures, BackupInfo, BackupPreview, BackupStatus } from '../../../shared/backups.ts';
import { call, useQuery } from '../api.ts';
import { FormDialog, useDialog } from '../components/Form.tsx';
import { Info, Panel, Progress } from '../components/ui.tsx';

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

const lastEntry = (f: BackupFigures | null) =>
  f?.lastAudit ? `${when(f.lastAudit.at)} ${f.lastAudit.actor}：${f.lastAudit.summary}` : '—';

export function BackupsPage() {
  const list = useQuery('backup.list', {});
  const { dialog, open, close } = useDialog();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const act = async (label: string, work: () => Promise<string>) => {
    setError(null);
    setDone(null);
    setBusy(label);
    try {
      setDone(await work());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
      void list.reload();
    }
  };

  const backupNow = () =>
    act('正在备份并检查备份文件…', async () => {
      const b = await call('backup.create', {});
      if (b.copyError) throw new Error(b.copyError);
      return `已备份：${b.name}`;
    });

  const pickFolder = async () => {
    // Electron: a save dialog names a file in the folder wanted; its token reaches the core, never a typed path.
    const picked = await window.ledgerNative?.saveFile({
      title: '选择U盘上的备份文件夹（保存在此文件夹中）',
      defaultName: '乡镇振兴台账备份.sqlite',
    });
    if (!picked) return;
    await act('正在复制到所选文件夹…', async () => {
      const s = await call('backup.setCopyFolder', { folder: picked.token });
      return `以后每次备份都会复制到：${s.copyFolder ?? ''}`;
    });
  };

  const preview = (b: BackupInfo) =>
    act('正在检查备份文件…', async () => {
      const p = await call('backup.preview', { file: b.name });
      open(
        <RestoreDialog
          preview={p}
          onClose={close}
          onRestored={(message) => {
            close();
            setDone(message);
            void list.reload();
          }}
        />,
      );
      return '';
    });

  const status = list.data?.status;
  return (
    <div className="page">
      <header className="page-head">
        <h1>备份与恢复</h1>
        <span className="muted">
          每天首次启动，以及每次导入、比对更新、解锁工资月和恢复之前自动备份；保留最近 7 天、4 周、12 个月的备份
        </span>
      </header>
      {list.error ? (
        <div className="form-error" role="alert">
          {list.error}
        </div>
      ) : null}
      {status ? (
        <StatusPanel status={status} busy={!!busy} onBackup={() => void backupNow()} onPick={() => void pickFolder()} />
      ) : null}
      <Progress busy={busy} error={error} />
      {done ? (
        <div className="progress" role="status" aria-label="备份结果">
          {done}
        </div>
      ) : null}
      <Panel title="备份列表" label="备份列表">
        <table className="table" aria-label="备份">
          <thead>
            <tr>
              <th>备份时间</th>
              <th>原因</th>
              <th>农户</th>
              <th>人员</th>
              <th>监测对象</th>
              <th>最后一条操作记录</th>
              <th>大小</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(list.data?.backups ?? []).map((b) => (
              <tr key={b.name} data-name={b.name}>
                <td>{when(b.at)}</td>
                <td>{b.reasonLabel}</td>
                <td>{b.figures?.households ?? '—'}</td>
                <td>{b.figures?.persons ?? '—'}</td>
                <td>{b.figures?.cases ?? '—'}</td>
                <td className={b.problem ? 'fail' : undefined}>{b.problem ?? lastEntry(b.figures)}</td>
                <td>{size(b.bytes)}</td>
                <td>
                  <button type="button" disabled={!!busy} onClick={() => void preview(b)}>
                    恢复…
                  </button>
                </td>
              </tr>
            ))}
            {list.data && list.data.backups.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  还没有备份
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </Panel>
      {dialog}
    </div>
  );
}

function StatusPanel({
  status,
  busy,
  onBackup,
  onPick,
}: {
  status: BackupStatus;
  busy: boolean;
  onBackup: () => void;
  onPick: () => void;
}) {
  return (
    <Panel
      title="备份状态"
      label="备份状态"
      actions={
        <>
          <button type="button" className="primary" disabled={busy} onClick={onBackup}>
            立即备份
          </button>
          {window.ledgerNative ? (
            <button type="button" disabled={busy} onClick={onPick}>
              选择U盘文件夹…
            </button>
          ) : null}
        </>
      }
    >
      {status.remind ? (
        <div className="form-error" role="alert" aria-label="备份提醒">
          {status.lastCopyAt
            ? `已超过30天没有把备份复制到本机以外（上次：${when(status.lastCopyAt)}）。电脑损坏或被盗时，本机上的备份会一起丢失。`
            : '还没有复制到本机以外（U盘）的备份。电脑损坏或被盗时，本机上的备份会一起丢失。'}
        </div>
      ) : null}
      <Info
        items={[
          ['备份文件夹', status.folder],
          ['最近一次备份', status.last ? `${when(status.last.at)}（${status.last.reasonLabel}）` : '还没有备份'],
          ['备份个数', status.count],
          [
            '第二个文件夹（U盘）',
            status.copyFolder ??
              (window.ledgerNative
                ? '未设置'
                : '未设置（浏览器模式下可用命令行 backup --db 文件 --to U盘文件夹 复制）'),
          ],
          ['最近复制到本机以外', when(status.lastCopyAt)],
          ['上次复制失败', status.lastCopyError],
        ]}
      />
    </Panel>
  );
}

/** What the backup holds beside what the ledger holds now, its last audit entry, and the restore itself. */
function RestoreDialog({
  preview,
  onClose,
  onRestored,
}: {
  preview: BackupPreview;
  onClose: () => void;
  onRestored: (message: string) => void;
}) {
  const { backup: b, current: c } = preview;
  const f = b.figures!;
  return (
    <FormDialog<Record<string, never>>
      title="恢复备份"
      fields={[]}
      submitText="确认恢复"
      onSubmit={async () => {
        const r = await call('backup.restore', { file: b.name });
        onRestored(`已从备份恢复（${when(r.restored.at)}）。恢复前的数据已备份为 ${r.before.name}`);
      }}
      onClose={onClose}
    >
      <p>
        备份时间：{when(b.at)}（{b.reasonLabel}），完整性检查通过。
      </p>
      <table className="table" aria-label="恢复预览">
        <thead>
          <tr>
            <th />
            <th>备份中</th>
            <th>当前台账</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>农户</td>
            <td>{f.households}</td>
            <td>{c.households}</td>
          </tr>
          <tr>
            <td>人员</td>
            <td>{f.persons}</td>
            <td>{c.persons}</td>
          </tr>
          <tr>
            <td>监测对象</td>
            <td>{f.cases}</td>
            <td>{c.cases}</td>
          </tr>
          <tr>
            <td>最后一条操作记录</td>
            <td>{lastEntry(f)}</td>
            <td>{lastEntry(c)}</td>
          </tr>
        </tbody>
      </table>
      <p className="fail">恢复后，当前台账的数据将被备份中的数据替换；恢复前会先自动备份当前数据，可再恢复回来。</p>
    </FormDialog>
  );
}
