/**
 * How the renderer reaches the core: `window.ledger` from the Electron preload when present, otherwise
 * the browser-mode HTTP bridge on loopback (same contract, same results).
 */
import type { LedgerApi, OpInput, OpName, OpResult } from '../../shared/api.ts';
import type { CallResult } from '../../shared/errors.ts';

declare global {
  interface Window {
    ledger?: LedgerApi;
  }
}

/** Browser mode: POST /api/<op> with the per-run token the server put in the page URL. */
export function httpTransport(baseUrl: string, token: string): LedgerApi {
  return {
    async call<K extends OpName>(name: K, input: OpInput<K>): Promise<CallResult<OpResult<K>>> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-ledger-token': token },
          body: JSON.stringify(input ?? {}),
        });
      } catch {
        return { ok: false, error: { code: 'io', message: '无法连接到台账服务，请确认程序仍在运行' } };
      }
      if (!response.ok && response.status !== 200) {
        return { ok: false, error: { code: 'io', message: `台账服务拒绝了请求（HTTP ${response.status}）` } };
      }
      return (await response.json()) as CallResult<OpResult<K>>;
    },
  };
}

export function resolveApi(location: Location = window.location): LedgerApi {
  if (window.ledger) return window.ledger;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return httpTransport(location.origin, token);
}
