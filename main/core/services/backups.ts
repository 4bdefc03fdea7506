/**
 * 备份与恢复 (issue 11 item 3): the operations over main/core/backups.ts. Listing, previewing and restoring name a
 * backup by its file name in `备份/` (a page can name nothing else); the in-process library (CLI) may also give a
 * path, and Electron a file picked in a native dialog (files.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BackupInfo } from '../../../shared/backups.ts';
import {
  backupsDir,
  backupStatus,
  copyInto,
  createBackup,
  describeBackup,
  isBackupName,
  listBackups,
  liveFigures,
  readCopyFolder,
  rotate,
} from '../backups.ts';
import { audit, type Ctx } from '../context.ts';
import { migrate } from '../db/open.ts';
import { MIGRATIONS } from '../db/migrations.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError } from '../errors.ts';
import { isPickedToken, sourcePath } from '../files.ts';
import { seedDefaults } from './settings.ts';

const COPY_FOLDER_KEY = 'backupCopyFolder';

/** The backup a caller names: a name in the backups folder, or (in-process, picked) a file anywhere. */
function backupFile(ctx: Ctx, ref: string): string {
  if (isBackupName(ref)) {
    const file = path.join(backupsDir(ctx.file), ref);
    if (!fs.existsSync(file)) throw new LedgerError('not_found', `找不到备份：${ref}（可能已按保留规则删除）`, 'file');
    return file;
  }
  return sourcePath(ctx, ref, 'file');
}

/**
 * A backup taken before an operation that changes much or cannot be undone by hand (import, reconcile, payroll
 * unlock, void-restore): called before the operation's transaction (services/index.ts preparers), outside the write
 * lock, it copies the last committed state from a connection of its own (backups.ts). Called inside a write
 * transaction it works too, and copies exactly the state before it, holding the lock for the copy and its check.
 */
export function backupBefore(ctx: Pick<Ctx, 'file'>, reason: 'import' | 'reconcile' | 'unlock' | 'void-restore') {
  return createBackup(ctx.file, reason);
}

export const backupHandlers: Pick<
  Handlers,
  'backup.list' | 'backup.create' | 'backup.preview' | 'backup.restore' | 'backup.setCopyFolder'
> = {
  async 'backup.list'(ctx) {
    await Promise.resolve();
    return {
      status: backupStatus(ctx.file, readCopyFolder(ctx.file), new Date()),
      backups: listBackups(backupsDir(ctx.file)),
    };
  },

  async 'backup.create'(ctx) {
    const info = await createBackup(ctx.file, 'manual');
    await audit(ctx, { action: '备份', entity: '备份', entityId: null, summary: `手动备份：${info.name}` });
    return info;
  },

  async 'backup.preview'(ctx, { file }) {
    await Promise.resolve();
    return { backup: describeBackup(backupFile(ctx, file)), current: liveFigures(ctx.raw) };
  },

  /**
   * Runs outside the dispatcher's transaction: SQLite's backup into the live file takes the write lock itself.
   * Checked first (refused untouched), then the current database backed up, then replaced in one write
   * transaction (backups.ts), then brought to this program's schema and the restore audited in the restored file.
   */
  async 'backup.restore'(ctx, { file }) {
    const source = backupFile(ctx, file);
    const restored: BackupInfo = describeBackup(source);
    // Not rotated yet: the chosen backup may be one the rule would now drop.
    const before = await createBackup(ctx.file, 'restore', { rotate: false });
    await copyInto(source, ctx.file);
    await migrate(ctx.file, ctx.raw, ctx.db, MIGRATIONS);
    await seedDefaults(ctx.db);
    await ctx.db.transaction().execute(async (trx) => {
      await audit(
        { ...ctx, db: trx },
        {
          action: '恢复',
          entity: '备份',
          entityId: null,
          summary: `从备份恢复：${restored.name}（恢复前的数据已备份为 ${before.name}）`,
        },
      );
    });
    rotate(backupsDir(ctx.file), new Date());
    return { restored, before };
  },

  async 'backup.setCopyFolder'(ctx, { folder }) {
    let dir: string | null = null;
    if (folder !== null) {
      if (isPickedToken(folder)) {
        // A file picked in a save dialog names the folder it is in (Electron).
        const picked = ctx.access.grants.take(folder, 'write');
        if (!picked) throw new LedgerError('validation', '所选文件夹已失效，请重新选择', 'folder');
        dir = path.dirname(picked);
      } else if (!ctx.access.trusted) {
        throw new LedgerError(
          'validation',
          '不能按页面给出的路径设置备份文件夹：请在桌面版中用“选择文件夹”选择，或在命令行用 backup --to 复制',
          'folder',
        );
      } else {
        dir = path.resolve(folder);
      }
      if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory())
        throw new LedgerError('validation', `文件夹不存在（U盘是否已插好？）：${dir}`, 'folder');
    }
    const before = readCopyFolder(ctx.file);
    if (dir === null) await ctx.db.deleteFrom('setting').where('key', '=', COPY_FOLDER_KEY).execute();
    else
      await ctx.db
        .insertInto('setting')
        .values({ key: COPY_FOLDER_KEY, value: dir })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: dir }))
        .execute();
    await audit(ctx, {
      action: '修改',
      entity: '备份',
      entityId: null,
      summary: dir ? `备份复制到第二个文件夹：${dir}` : '不再复制备份到第二个文件夹',
      before: { copyFolder: before },
      after: { copyFolder: dir },
    });
    // A first copy at once: the user sees now whether the folder takes it.
    if (dir) await createBackup(ctx.file, 'manual', { copyFolder: dir });
    return backupStatus(ctx.file, dir, new Date());
  },
};
