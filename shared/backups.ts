/**
 * Backups and restore (issue 11 item 3): what the 备份与恢复 page, the dashboard and the CLI show of the copies the
 * core keeps (main/core/backups.ts), and the inputs of the backup operations.
 */
import { z } from 'zod';

/** Why a backup was taken; the label is what the 备份与恢复 page shows. */
export const BACKUP_REASONS = {
  daily: '每日自动',
  manual: '手动',
  import: '导入前',
  reconcile: '比对更新前',
  restore: '恢复前',
  migration: '升级前',
  'void-restore': '撤销作废前',
  unlock: '解锁工资月前',
} as const;
export type BackupReason = keyof typeof BACKUP_REASONS;

/** What a verified backup holds: shown in the list and in the restore preview. */
export interface BackupFigures {
  schemaVersion: number;
  households: number;
  persons: number;
  cases: number;
  lastAudit: { at: string; actor: string; action: string; entity: string; summary: string } | null;
}

export interface BackupInfo {
  /** File name inside the backups folder. */
  name: string;
  file: string;
  /** When it was taken (ISO, UTC). */
  at: string;
  reason: BackupReason | 'unknown';
  reasonLabel: string;
  bytes: number;
  /** Null when the file passed its check; else why it cannot be restored (Chinese). */
  problem: string | null;
  figures: BackupFigures | null;
  /** Taken, but the copy into the second folder failed (Chinese, for the user). */
  copyError?: string;
}

/** Where things stand: the backups folder, the last backup, the copy outside the PC. */
export interface BackupStatus {
  folder: string;
  last: BackupInfo | null;
  count: number;
  /** The second folder the user picked (a USB drive), copied into after each backup. */
  copyFolder: string | null;
  /** Last copy outside this PC (the copy folder, or the CLI's `backup --to`), ISO. */
  lastCopyAt: string | null;
  lastCopyError: string | null;
  /** No copy outside the PC, or the last is older than `BACKUP_REMIND_DAYS`: the dashboard reminds. */
  remind: boolean;
}

export const BACKUP_REMIND_DAYS = 30;

export interface BackupList {
  status: BackupStatus;
  backups: BackupInfo[];
}

export interface BackupPreview {
  backup: BackupInfo;
  /** The database as it is now, to compare. */
  current: BackupFigures;
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The backup of the database as it was just before the restore. */
  before: BackupInfo;
}

/**
 * A backup: its file name in the backups folder (what the page names), or for the in-process library (CLI) a path,
 * or a file picked in a native dialog (token).
 */
export const BackupRef = z.object({ file: z.string().min(1).max(4096) });
export const BackupCopyFolder = z.object({ folder: z.string().min(1).max(4096).nullable() });
