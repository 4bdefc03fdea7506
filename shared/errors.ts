/** Errors cross every boundary (IPC, HTTP, CLI) in this shape; `message` is Chinese, for users. */
export const ERROR_CODES = [
  'validation',
  'not_found',
  'conflict',
  'workflow',
  'locked',
  'schema_newer',
  'not_ledger',
  'io',
  /** Another program (a second window, the command line) holds the database's write lock: retry later. */
  'busy',
  /** No account is signed in on this session (or it was disabled): sign in first. */
  'unauthenticated',
  /** The session locked itself after idling: the password again. */
  'session_locked',
  /** The signed-in account's role may not do this (shared/api.ts declares each operation's role). */
  'forbidden',
  /** Wrong account name or password. */
  'auth_failed',
  /** Too many wrong passwords in a row: sign-in refused for a while. */
  'account_locked',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface LedgerErrorShape {
  code: ErrorCode;
  message: string;
  /** The input field at fault, as named in the contract (e.g. "idNumber"). */
  field?: string;
  details?: unknown;
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: LedgerErrorShape };
