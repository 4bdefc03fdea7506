/**
 * The command line signs in (issue 11): `demo` given a password makes `admin` its first 管理员; every later
 * command needs the password (LEDGER_PASSWORD or --password-file), refuses a wrong one, checks the account's role
 * and names the account in the audit log. A ledger without accounts works as before.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../main/core/ledger.ts';
import { tempDbPath, tempDir } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function cli(env: Record<string, string>, ...args: string[]) {
  const r = spawnSync(tsx, ['main/cli/index.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LEDGER_PASSWORD: '', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line with accounts', () => {
  it('demo makes admin with the password; later commands sign in, refuse a wrong password and check roles', async () => {
    const file = tempDbPath('demo.sqlite');
    const secret = 'cli-secret-pw';
    expect(cli({ LEDGER_PASSWORD: secret }, 'demo', '--db', file, '--seed', '2').code).toBe(0);

    const none = cli({}, 'stats', '--db', file, '--month', '2026-10', '--json');
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(
      '错误：此台账已设账户：请用 --user 账户名（默认 admin）登录，密码由环境变量 LEDGER_PASSWORD 或 --password-file 文件给出 / Error: sign in: --user NAME with LEDGER_PASSWORD or --password-file FILE',
    );
    const wrong = cli({ LEDGER_PASSWORD: 'nope' }, 'stats', '--db', file, '--month', '2026-10', '--json');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('错误：账户名或密码不正确');
    expect(wrong.stderr).not.toContain('nope');
    expect(cli({ LEDGER_PASSWORD: secret }, 'stats', '--db', file, '--month', '2026-10', '--json').code).toBe(0);
    const pwFile = path.join(tempDir(), 'pw.txt');
    fs.writeFileSync(pwFile, `${secret}\n`);
    expect(cli({}, 'stats', '--db', file, '--month', '2026-10', '--password-file', pwFile).code).toBe(0);

    // A 查看 account: the public notice yes, the monthly submission no (the core's refusal, exit 2).
    const ledger = await openLedger(file);
    await ledger.run('auth.login', { user: 'admin', password: secret });
    await ledger.run('account.create', { user: 'viewer', role: '查看', password: 'viewer-pass-1' });
    await ledger.close();
    const out = tempDir();
    const viewer = { LEDGER_PASSWORD: 'viewer-pass-1' };
    const ok = cli(
      viewer,
      ...['export', 'notice', '--kind', 'identification', '--month', '2026-10', '--db', file, '--user', 'viewer'],
      ...['--out', path.join(out, 'n.xlsx')],
    );
    expect(ok.code, ok.stderr).toBe(0);
    const monthly = cli(
      viewer,
      ...['export', 'monthly', '--month', '2026-10', '--db', file, '--user', 'viewer', '--reason', '试'],
      ...['--out', path.join(out, 'm.xlsx')],
    );
    expect(monthly.code).toBe(2);
    expect(monthly.stderr).toContain('权限不足：账户「viewer」的角色是「查看」');
    expect(fs.existsSync(path.join(out, 'm.xlsx'))).toBe(false);

    const check = await openLedger(file);
    await check.run('auth.login', { user: 'admin', password: secret });
    const entries = (await check.run('audit.list', { limit: 20 })).rows;
    expect(entries.find((e) => e.action !== '登录' && e.action !== '登录失败')).toMatchObject({ actor: 'viewer' });
    expect(entries.filter((e) => e.action === '登录失败').map((e) => e.actor)).toEqual(['admin']);
    await check.close();
  }, 60_000);

  it('a ledger without accounts (an older file, or a demo without a password) works as before', () => {
    const file = tempDbPath('plain.sqlite');
    expect(cli({}, 'demo', '--db', file, '--seed', '2').code).toBe(0);
    expect(cli({}, 'stats', '--db', file, '--month', '2026-10', '--json').code).toBe(0);
    expect(cli({ LEDGER_PASSWORD: 'ignored' }, 'stats', '--db', file, '--month', '2026-10', '--json').code).toBe(0);
  }, 60_000);
});
