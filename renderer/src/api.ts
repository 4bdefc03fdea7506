/** Typed calls to the core from React: `call` throws an ApiError carrying the core's Chinese message and field. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpInput, OpName, OpResult } from '../../shared/api.ts';
import type { LedgerErrorShape } from '../../shared/errors.ts';
import type { NativeApi } from '../../shared/host.ts';
import { resolveApi } from './transport.ts';

declare global {
  interface Window {
    ledgerNative?: NativeApi;
  }
}

export class ApiError extends Error {
  readonly shape: LedgerErrorShape;
  constructor(shape: LedgerErrorShape) {
    super(shape.message);
    this.shape = shape;
  }
}

const api = resolveApi();

/** Fired when the core says this session is signed out or locked: the app shows the login screen (App.tsx). */
export const SIGNED_OUT_EVENT = 'ledger-signed-out';

export async function call<K extends OpName>(name: K, input: OpInput<K>): Promise<OpResult<K>> {
  const r = await api.call(name, input);
  if (!r.ok) {
    if (r.error.code === 'unauthenticated' || r.error.code === 'session_locked')
      window.dispatchEvent(new Event(SIGNED_OUT_EVENT));
    throw new ApiError(r.error);
  }
  return r.value;
}

/** Load once per change of `key`; `reload` refreshes. Errors are kept as text for the page to show. */
export function useQuery<K extends OpName>(name: K, input: OpInput<K>, key: string = JSON.stringify(input)) {
  const [data, setData] = useState<OpResult<K> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const value = await call(name, inputRef.current);
      if (mine === seq.current) {
        setData(value);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError((e as Error).message);
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [name]);
  useEffect(() => {
    void reload();
  }, [reload, key]);
  return { data, error, loading, reload };
}
