/**
 * The core as a library: open a township database and call the contract in-process (CLI, tests, and the
 * hosts — utility process and browser-mode bridge — that sit in front of it).
 */
import type { LedgerApi, OpInput, OpName, OpResult } from '../../shared/api.ts';
import type { CallResult } from '../../shared/errors.ts';
import { openLedgerDb, type LedgerDb, type OpenOptions } from './db/open.ts';
import { createDispatcher, type DispatchOptions } from './dispatcher.ts';
import { LedgerError } from './errors.ts';
import { handlers, preparers } from './services/index.ts';
import { seedDefaults } from './services/settings.ts';

export interface Ledger extends LedgerApi {
  readonly store: LedgerDb;
  /** Like `call`, but returns the value or throws the LedgerError. */
  run<K extends OpName>(name: K, input: OpInput<K>): Promise<OpResult<K>>;
  close(): Promise<void>;
}

export async function openLedger(file: string, options: OpenOptions & DispatchOptions = {}): Promise<Ledger> {
  const store = await openLedgerDb(file, options);
  await seedDefaults(store.db);
  const dispatch = createDispatcher(store, handlers, { ...options, prepare: preparers });
  const call = <K extends OpName>(name: K, input: OpInput<K>): Promise<CallResult<OpResult<K>>> =>
    dispatch(name, input);
  return {
    store,
    call,
    async run(name, input) {
      const r = await dispatch(name, input);
      if (!r.ok) throw new LedgerError(r.error.code, r.error.message, r.error.field, r.error.details);
      return r.value;
    },
    close: () => store.close(),
  };
}
