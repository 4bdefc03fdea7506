/**
 * Signing in (issue 11): the first 管理员 of a new ledger, the login screen, and the same screen when a session
 * locked itself after idling. Every refusal (wrong password, locked account) is the core's Chinese message.
 */
import { useState, type FormEvent } from 'react';
import type { AuthStatus } from '../../../shared/accounts.ts';
import { call } from '../api.ts';

function useSubmit(run: () => Promise<unknown>, onDone: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await run();
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function Alert({ error }: { error: string | null }) {
  return error ? (
    <div className="form-error" role="alert">
      {error}
    </div>
  ) : null;
}

/** A ledger without accounts: its first account is a 管理员, who then sets up the township (or the demo). */
export function FirstAccountPage({ onDone }: { onDone: () => void }) {
  const [user, setUser] = useState('admin');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const { error, busy, submit } = useSubmit(async () => {
    if (password !== again) throw new Error('两次输入的密码不一致');
    await call('auth.setup', { user, password });
  }, onDone);
  return (
    <form className="setup login" aria-label="创建管理员账户" onSubmit={(e) => void submit(e)}>
      <h1>欢迎使用乡镇振兴台账</h1>
      <p>
        这是一个新的台账数据库。请先创建管理员账户：管理员负责设置、参数和账户；经办人和查看账户由管理员在「账户」页添加。请牢记密码（至少
        8 位）。
      </p>
      <div className="form-grid">
        <label className="form-field">
          <span className="form-label">管理员账户名</span>
          <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        </label>
        <label className="form-field">
          <span className="form-label">密码</span>
          <input
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="form-field">
          <span className="form-label">再次输入密码</span>
          <input
            name="passwordAgain"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
      </div>
      <Alert error={error} />
      <div className="modal-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '正在创建…' : '创建管理员并登录'}
        </button>
      </div>
    </form>
  );
}

/** Sign in, or unlock a session that locked itself after idling (the account is filled in). */
export function LoginPage({ status, onDone }: { status: AuthStatus; onDone: () => void }) {
  const locked = status.session?.locked ? status.session : null;
  const [user, setUser] = useState(locked?.user ?? '');
  const [password, setPassword] = useState('');
  const { error, busy, submit } = useSubmit(() => call('auth.login', { user, password }), onDone);
  return (
    <form className="setup login" aria-label="登录" onSubmit={(e) => void submit(e)}>
      <h1>{locked ? '已锁定' : '乡镇振兴台账'}</h1>
      <p>
        {locked
          ? `超过 ${status.idleMinutes} 分钟未操作，台账已锁定。请输入账户「${locked.user}」的密码继续，或用其他账户登录。`
          : '请输入账户名和密码登录。'}
      </p>
      <div className="form-grid">
        <label className="form-field">
          <span className="form-label">账户名</span>
          <input name="user" autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} />
        </label>
        <label className="form-field">
          <span className="form-label">密码</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
      </div>
      <Alert error={error} />
      <div className="modal-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? '正在登录…' : locked ? '解除锁定' : '登录'}
        </button>
      </div>
      {status.demoAccounts ? (
        <table className="table" aria-label="示范账户">
          <caption>示范乡镇的账户（仅示范数据库显示）</caption>
          <thead>
            <tr>
              <th>账户名</th>
              <th>角色</th>
              <th>密码</th>
            </tr>
          </thead>
          <tbody>
            {status.demoAccounts.map((a) => (
              <tr key={a.user}>
                <td>{a.user}</td>
                <td>{a.role}</td>
                <td>
                  <code>{a.password}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </form>
  );
}
