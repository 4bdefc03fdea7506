/**
 * How the command line signs in (issue 11): as `--user NAME` (default `admin`) with the password from the
 * environment variable LEDGER_PASSWORD or `--password-file FILE` (its first line). A ledger without accounts (an
 * older file, or one made without a password) works as it always did; one with accounts refuses to run without
 * a password that signs in, and each operation is then checked against the account's role like the app's.
 */
import fs from 'node:fs';
import type { DispatchOptions } from '../core/dispatcher.ts';
import type { OpenOptions } from '../core/db/open.ts';
import { LedgerError } from '../core/errors.ts';
import { openLedger, type Ledger } from '../core/ledger.ts';

export const DEFAULT_USER = 'admin';

/** The options every command that opens a ledger takes (spread into its parseArgs options). */
export const SIGN_IN_OPTIONS = {
  user: { type: 'string' },
  'password-file': { type: 'string' },
} as const;

export interface SignInValues {
  user?: string | undefined;
  'password-file'?: string | undefined;
}

/** The password given (the file's first line, else LEDGER_PASSWORD), or null when none was. Never printed. */
export function givenPassword(values: SignInValues): string | null {
  const file = values['password-file'];
  if (file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new LedgerError('validation', `无法读取密码文件：${file}`, 'password-file');
    }
    const password = text.split(/\r?\n/)[0] ?? '';
    if (password === '') throw new LedgerError('validation', `密码文件的第一行为空：${file}`, 'password-file');
    return password;
  }
  const env = process.env.LEDGER_PASSWORD;
  return env === undefined || env === '' ? null : env;
}

/** Opens the ledger and signs in when it has accounts; a refusal closes it again and throws the core's message. */
export async function openSignedIn(
  file: string,
  values: SignInValues,
  options: OpenOptions & DispatchOptions = {},
): Promise<Ledger> {
  const ledger = await openLedger(file, { actor: '命令行', ...options });
  try {
    if ((await ledger.run('auth.status', {})).accounts) {
      const password = givenPassword(values);
      if (password === null)
        throw new LedgerError(
          'unauthenticated',
          '此台账已设账户：请用 --user 账户名（默认 admin）登录，密码由环境变量 LEDGER_PASSWORD 或 --password-file 文件给出',
        );
      await ledger.run('auth.login', { user: values.user ?? DEFAULT_USER, password });
    }
  } catch (e) {
    await ledger.close();
    throw e;
  }
  return ledger;
}
