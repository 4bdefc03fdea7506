/**
 * The message protocol between the main process and the core's utility process, both ends electron-free so
 * they are tested in Node with a fake port. Main sends `{ id, name, input }`; the core answers `{ id, result }`
 * where `result` is the dispatcher's CallResult. `{ type: 'close' }` asks the core to close the database
 * (WAL checkpoint) and exit before the app quits. `{ type: 'grant', token, path, access }` tells the core about a
 * file the user picked in a native dialog: the page names it by the token (core/files.ts), never by its path.
 * Calls from the window reach the core's page face, which refuses paths.
 */
import { OP_NAMES, type LedgerApi, type OpName } from '../../shared/api.ts';
import type { CallResult, LedgerErrorShape } from '../../shared/errors.ts';
import type { PickedFile } from '../../shared/host.ts';
import { newPickedToken, type FileAccessKind } from '../core/files.ts';

export interface CoreRequest {
  id: number;
  name: string;
  input: unknown;
}
export interface CoreResponse {
  id: number;
  result: CallResult<unknown>;
}
export interface CoreClose {
  type: 'close';
}
export interface CoreGrant {
  type: 'grant';
  token: string;
  path: string;
  access: FileAccessKind;
}
export type ToCore = CoreRequest | CoreClose | CoreGrant;

export const CORE_EXITED: LedgerErrorShape = { code: 'io', message: '台账服务意外退出，请重新启动程序' };

const OPS: ReadonlySet<string> = new Set(OP_NAMES);

export function isOpName(name: unknown): name is OpName {
  return typeof name === 'string' && OPS.has(name);
}

export function unknownOperation(name: unknown): CallResult<never> {
  const shown = typeof name === 'string' ? name.slice(0, 100) : typeof name;
  return { ok: false, error: { code: 'validation', message: `未知的操作：${shown}` } };
}

function isResponse(m: unknown): m is CoreResponse {
  if (m === null || typeof m !== 'object') return false;
  const r = m as { id?: unknown; result?: unknown };
  return (
    typeof r.id === 'number' &&
    r.result !== null &&
    typeof r.result === 'object' &&
    typeof (r.result as { ok?: unknown }).ok === 'boolean'
  );
}

export interface CoreClient {
  call(name: OpName, input: unknown): Promise<CallResult<unknown>>;
  /**
   * A file the user picked in a native dialog: the core learns it under a new token, which the page gets (with the
   * path, to show). Null when the core is not running.
   */
  grant(path: string, access: FileAccessKind): PickedFile | null;
  /** Wire to the child's 'message' event. */
  handleMessage(message: unknown): void;
  /** Wire to the child's 'exit' event: every pending and later call resolves to CORE_EXITED. */
  handleExit(): void;
  readonly alive: boolean;
  readonly pending: number;
}

/** Main-process side: numbers requests and matches answers; never rejects. */
export function createCoreClient(send: (message: ToCore) => void): CoreClient {
  let nextId = 1;
  let alive = true;
  const waiting = new Map<number, (result: CallResult<unknown>) => void>();
  const exited = (): CallResult<unknown> => ({ ok: false, error: { ...CORE_EXITED } });

  return {
    call(name, input) {
      if (!alive) return Promise.resolve(exited());
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        try {
          send({ id, name, input });
        } catch {
          waiting.delete(id);
          resolve(exited());
        }
      });
    },
    grant(path, access) {
      if (!alive) return null;
      const token = newPickedToken();
      try {
        // Sent before the page can name the token: the core reads its messages in order.
        send({ type: 'grant', token, path, access });
      } catch {
        return null;
      }
      return { token, path };
    },
    handleMessage(message) {
      if (!isResponse(message)) return;
      const resolve = waiting.get(message.id);
      if (!resolve) return;
      waiting.delete(message.id);
      resolve(message.result);
    },
    handleExit() {
      alive = false;
      const all = [...waiting.values()];
      waiting.clear();
      for (const resolve of all) resolve(exited());
    },
    get alive() {
      return alive;
    },
    get pending() {
      return waiting.size;
    },
  };
}

/** The utility process's `process.parentPort`, reduced to what the core host uses. */
export interface PortLike {
  on(event: 'message', listener: (messageEvent: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface CoreLedger {
  /** The contract as a page may use it (paths refused, picked tokens accepted). */
  readonly page: LedgerApi;
  grantFile(token: string, file: string, access: FileAccessKind): void;
  close(): Promise<void>;
}

/**
 * Core side: answers every request from `opened` (the ledger being opened). If opening failed, every call
 * answers with that error (e.g. schema_newer, not_ledger) so the window can tell the user why.
 */
export function attachCoreServer(
  port: PortLike,
  opened: Promise<CoreLedger>,
  toShape: (e: unknown) => LedgerErrorShape,
  exit: (code: number) => void,
): void {
  // Keep a handled copy so a failed open is not an unhandled rejection before the first call.
  const ledger: Promise<CallResult<CoreLedger>> = opened.then(
    (value) => ({ ok: true, value }),
    (e: unknown) => ({ ok: false, error: toShape(e) }),
  );
  let closing = false;

  port.on('message', ({ data }) => {
    if (data === null || typeof data !== 'object') return;
    if ((data as CoreGrant).type === 'grant') {
      const g = data as Partial<CoreGrant>;
      void ledger.then((l) => {
        if (!l.ok || typeof g.token !== 'string' || typeof g.path !== 'string') return;
        if (g.access !== 'read' && g.access !== 'write') return;
        try {
          l.value.grantFile(g.token, g.path, g.access);
        } catch {
          // A malformed grant is ignored: the page's call with that token is then refused.
        }
      });
      return;
    }
    if ((data as CoreClose).type === 'close') {
      if (closing) return;
      closing = true;
      void ledger
        .then((l) => (l.ok ? l.value.close() : undefined))
        .catch(() => undefined)
        .finally(() => exit(0));
      return;
    }
    const { id, name, input } = data as Partial<CoreRequest>;
    if (typeof id !== 'number') return;
    void (async () => {
      let result: CallResult<unknown>;
      const l = await ledger;
      if (closing) result = { ok: false, error: { ...CORE_EXITED } };
      else if (!l.ok) result = l;
      else if (!isOpName(name)) result = unknownOperation(name);
      else {
        try {
          result = await l.value.page.call(name, input as never);
        } catch (e) {
          result = { ok: false, error: toShape(e) };
        }
      }
      port.postMessage({ id, result } satisfies CoreResponse);
    })();
  });
}
