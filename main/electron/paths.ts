/**
 * Electron-free guards for the desktop shell (architecture.md "Electron security (checklist)"): which URLs
 * are ours and what the IPC handlers accept from the renderer. Which file a custom-protocol request may read is
 * main/core/static-files.ts, shared with the browser-mode bridge. Pure functions, unit-tested in Node
 * (tests/electron/security.test.ts) without the Electron binary.
 */
import path from 'node:path';
import type { FileFilter } from '../../shared/host.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'ledger';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;
export const APP_TITLE = '乡镇振兴台账';

// ---------------------------------------------------------------------------------------------------------
// Where the installed app keeps the ledger (README "Install"). userData is a fixed ASCII folder in the OS's
// per-user application data (%APPDATA%\township-ledger, ~/.config/township-ledger), the same in development and
// installed, outside the program folder, so installing over an older version and uninstalling keep it. Inside it,
// beside Chromium's own files: the data folder with the database; the core keeps its backups (备份/) and the
// exported reports (报表/) beside the database (main/core: backups and file staging).

/** The user-data folder name under the OS's application-data folder. */
export const USER_DATA_FOLDER = 'township-ledger';
/** The folder under userData holding the database, its backups and its reports. */
export const DATA_FOLDER = '数据';
export const DB_FILE = 'ledger.sqlite';
export const BACKUPS_FOLDER = '备份';

export interface LedgerPaths {
  userData: string;
  dataDir: string;
  dbFile: string;
  backupsDir: string;
}

/**
 * The desktop app's locations from the OS's application-data folder and the test overrides (LEDGER_USER_DATA,
 * LEDGER_DB). A database left by an earlier build directly in userData (<userData>/ledger.sqlite, before the data
 * folder existed) stays where it is and is used: an upgrade never moves or loses the ledger.
 */
export function ledgerPaths(
  appData: string,
  env: { LEDGER_USER_DATA?: string; LEDGER_DB?: string } = {},
  exists: (file: string) => boolean = () => false,
): LedgerPaths {
  const userData = env.LEDGER_USER_DATA ? path.resolve(env.LEDGER_USER_DATA) : path.join(appData, USER_DATA_FOLDER);
  const legacy = path.join(userData, DB_FILE);
  const dbFile = env.LEDGER_DB
    ? path.resolve(env.LEDGER_DB)
    : exists(legacy)
      ? legacy
      : path.join(userData, DATA_FOLDER, DB_FILE);
  const dataDir = path.dirname(dbFile);
  return { userData, dataDir, dbFile, backupsDir: path.join(dataDir, BACKUPS_FOLDER) };
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for URLs on our own origin `app://ledger` (no credentials, no port). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string') return false;
  const u = parse(url);
  return (
    u !== null &&
    u.protocol === `${APP_SCHEME}:` &&
    u.hostname === APP_HOST &&
    u.port === '' &&
    u.username === '' &&
    u.password === ''
  );
}

/** `will-navigate` / `will-redirect`: the window may only ever show our own pages. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** IPC sender check: the top-level frame of one of our pages. */
export function isTrustedSender(frame: { url: string; parent: unknown } | null | undefined): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

// ---------------------------------------------------------------------------------------------------------
// What the native IPC handlers accept from the renderer: anything else is dropped, never passed to Electron.

export interface DialogOptions {
  title?: string;
  filters?: FileFilter[];
}

function cleanText(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const s = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return s === '' ? undefined : s.slice(0, max);
}

export function sanitizeDialogOptions(raw: unknown): DialogOptions & { defaultName?: string } {
  const o = (raw !== null && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const out: DialogOptions & { defaultName?: string } = {};
  const title = cleanText(o.title, 200);
  if (title !== undefined) out.title = title;
  // A default *name*, never a path: the renderer does not choose the directory.
  const defaultName = cleanText(o.defaultName, 200);
  if (defaultName !== undefined) {
    const base = defaultName.split(/[\\/]/).pop() ?? '';
    if (base !== '' && base !== '.' && base !== '..') out.defaultName = base;
  }
  if (Array.isArray(o.filters)) {
    const filters: FileFilter[] = [];
    for (const f of o.filters.slice(0, 20)) {
      if (f === null || typeof f !== 'object') continue;
      const name = cleanText((f as Record<string, unknown>).name, 100);
      const exts = (f as Record<string, unknown>).extensions;
      if (name === undefined || !Array.isArray(exts)) continue;
      const extensions = exts
        .filter((e): e is string => typeof e === 'string' && (e === '*' || /^[A-Za-z0-9]{1,10}$/.test(e)))
        .slice(0, 20);
      if (extensions.length > 0) filters.push({ name, extensions });
    }
    if (filters.length > 0) out.filters = filters;
  }
  return out;
}

/** `showInFolder` accepts only an absolute local path (no URLs, no NUL). */
export function isShowablePath(p: unknown): p is string {
  return (
    typeof p === 'string' &&
    p.length > 0 &&
    p.length < 4096 &&
    !p.includes('\0') &&
    !/^[a-z][a-z0-9+.-]+:\/\//i.test(p) &&
    path.isAbsolute(p)
  );
}
