/**
 * The core as a library: open a township database and call the contract in-process (CLI, tests, and the
 * hosts — utility process and browser-mode bridge — that sit in front of it).
 *
 * Two faces (files.ts): `call`/`run` are the in-process library — the user at a terminal — whose file paths are
 * taken as given; `page` is what a host forwards from a page (browser-mode bridge, Electron's window), which may
 * name a file only by the token of one the user picked in a native dialog (`grantFile`, from Electron's main).
 * Every face has a session (auth/session.ts): the in-process one works without signing in only on a ledger that has
 * no accounts yet (an older file); a page always signs in (auth.setup for the first 管理员, then auth.login).
 */
import type { LedgerApi, OpInput, OpName, OpResult } from '../../shared/api.ts';
import type { CallResult } from '../../shared/errors.ts';
import { openLedgerDb, type LedgerDb, type OpenOptions } from './db/open.ts';
import { newSession } from './auth/session.ts';
import { todayIso } from '../../shared/dates.ts';
import { ensureDailyBackup, removeStaleBackups } from './backups.ts';
import { createDispatcher, type DispatchOptions } from './dispatcher.ts';
import { LedgerError } from './errors.ts';
import { FileGrants, removeLeftovers, type FileAccessKind } from './files.ts';
import { handlers, preparers } from './services/index.ts';
import { seedDefaults } from './services/settings.ts';

/** What a host that serves a page needs of the core: the page's face, and the native dialog's grants. */
export interface PageLedger {
  /**
   * The contract for calls from a page: paths named by the caller are refused, picked-file tokens accepted. It has
   * its own session (who is signed in): Electron's one window uses this one.
   */
  readonly page: LedgerApi;
  /** Another page face with a session of its own (the browser-mode bridge: one per browser session cookie). */
  openSession(): LedgerApi;
  /** A file the user picked in a native dialog, named by the page with `token` (files.ts). */
  grantFile(token: string, file: string, access: FileAccessKind): void;
}

export interface Ledger extends LedgerApi, PageLedger {
  readonly store: LedgerDb;
  /** Like `call`, but returns the value or throws the LedgerError. */
  run<K extends OpName>(name: K, input: OpInput<K>): Promise<OpResult<K>>;
  close(): Promise<void>;
}

export interface HostOptions {
  /**
   * A backup at the first start of each day (backups.ts), and on the first call of a new day while the host keeps
   * running: the desktop app and browser mode ask for it; the CLI and tests do not.
   */
  dailyBackup?: boolean;
}

export async function openLedger(
  file: string,
  options: OpenOptions & DispatchOptions & HostOptions = {},
): Promise<Ledger> {
  const store = await openLedgerDb(file, options);
  // Temporary files of writes a killed process never finished (files.ts).
  removeLeftovers(store.file);
  removeStaleBackups(store.file);
  await seedDefaults(store.db);
  let dailyChecked = '';
  const daily = async () => {
    if (!options.dailyBackup || dailyChecked === todayIso()) return;
    dailyChecked = todayIso();
    try {
      await ensureDailyBackup(store.file);
    } catch (e) {
      // The app goes on without it; the 备份与恢复 page shows the last backup's date. Never a path or a value.
      console.error(`[core] daily backup failed: ${(e as LedgerError)?.code ?? (e as Error)?.name ?? 'Error'}`);
    }
  };
  await daily();
  const grants = new FileGrants();
  const dispatch = createDispatcher(store, handlers, { ...options, prepare: preparers, grants });
  const call = async <K extends OpName>(name: K, input: OpInput<K>): Promise<CallResult<OpResult<K>>> => {
    await daily();
    return dispatch(name, input);
  };
  const openSession = (): LedgerApi => {
    const session = newSession(true);
    return {
      call: async (name, input) => {
        await daily();
        return dispatch(name, input, 'page', session);
      },
    };
  };
  return {
    store,
    call,
    page: openSession(),
    openSession,
    grantFile: (token, picked, access) => grants.grant(token, picked, access),
    async run(name, input) {
      await daily();
      const r = await dispatch(name, input);
      if (!r.ok) throw new LedgerError(r.error.code, r.error.message, r.error.field, r.error.details);
      return r.value;
    },
    close: () => store.close(),
  };
}
