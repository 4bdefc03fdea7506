/**
 * 账户 (管理员): the ledger's accounts and their roles — 管理员 (settings, parameters, accounts, unlocking a paid
 * month, restore), 经办人 (all data work), 查看 (read only, public notices). Another role sees the core's refusal.
 */
import { useState } from 'react';
import { ROLES, type AccountInfo, type SessionInfo } from '../../../shared/accounts.ts';
import { call, useQuery } from '../api.ts';
import { FormDialog, useDialog, type FormOf } from '../components/Form.tsx';
import { Panel, Progress } from '../components/ui.tsx';

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

export function AccountsPage({ session }: { session: SessionInfo }) {
  const accounts = useQuery('account.list', {});
  const { dialog, open, close } = useDialog();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const after = (saved: boolean) => {
    close();
    if (saved) void accounts.reload();
  };
  const update = async (input: { id: number; disabled?: boolean; unlock?: true }, what: string) => {
    setError(null);
    setBusy(`正在${what}…`);
    try {
      await call('account.update', input);
      await accounts.reload();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(null);
    }
  };
  const now = Date.now();
  return (
    <div className="page">
      <header className="page-head">
        <h1>账户</h1>
      </header>
      <Panel
        title="账户与角色"
        actions={
          <button type="button" onClick={() => open(<CreateDialog onClose={after} />)}>
            新建账户
          </button>
        }
      >
        <Progress busy={busy} error={accounts.error ?? error} />
        <table className="table" aria-label="账户">
          <thead>
            <tr>
              <th>账户名</th>
              <th>角色</th>
              <th>状态</th>
              <th>最近登录</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(accounts.data ?? []).map((a) => {
              const locked = a.lockedUntil !== null && Date.parse(a.lockedUntil) > now;
              return (
                <tr key={a.id}>
                  <td>
                    {a.user}
                    {a.user === session.user ? '（本人）' : ''}
                  </td>
                  <td>{a.role}</td>
                  <td>{a.disabledAt ? '已停用' : locked ? `密码错误已锁定至 ${time(a.lockedUntil)}` : '正常'}</td>
                  <td>{time(a.lastLoginAt)}</td>
                  <td>
                    <button type="button" onClick={() => open(<RoleDialog account={a} onClose={after} />)}>
                      修改角色
                    </button>
                    <button type="button" onClick={() => open(<ResetDialog account={a} onClose={after} />)}>
                      重设密码
                    </button>
                    {locked || a.failedAttempts > 0 ? (
                      <button type="button" onClick={() => void update({ id: a.id, unlock: true }, '解锁')}>
                        解锁
                      </button>
                    ) : null}
                    <button
                      type="button"
                      onClick={() => void update({ id: a.id, disabled: !a.disabledAt }, a.disabledAt ? '启用' : '停用')}
                    >
                      {a.disabledAt ? '启用' : '停用'}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="muted">
          管理员：设置、参数、账户、解锁已锁定的工资月份、恢复备份；经办人：全部数据录入、导入、导出；查看：只能查阅，可导出公示。密码连续错误
          5 次账户锁定 10 分钟。
        </p>
      </Panel>
      {dialog}
    </div>
  );
}

type Close = (saved: boolean) => void;

function CreateDialog({ onClose }: { onClose: Close }) {
  return (
    <FormDialog<FormOf<'account.create'>>
      title="新建账户"
      fields={[
        { key: 'user', label: '账户名', required: true },
        { key: 'role', label: '角色', kind: 'select', options: ROLES, required: true },
        { key: 'password', label: '初始密码（至少8位）', kind: 'password', required: true },
      ]}
      initial={{ role: '经办人' }}
      onSubmit={(input) => call('account.create', input)}
      onClose={onClose}
    />
  );
}

function RoleDialog({ account, onClose }: { account: AccountInfo; onClose: Close }) {
  return (
    <FormDialog<Pick<FormOf<'account.update'>, 'role'>>
      title={`修改角色：${account.user}`}
      fields={[{ key: 'role', label: '角色', kind: 'select', options: ROLES, required: true }]}
      initial={{ role: account.role }}
      onSubmit={(input) => call('account.update', { id: account.id, ...input })}
      onClose={onClose}
    />
  );
}

function ResetDialog({ account, onClose }: { account: AccountInfo; onClose: Close }) {
  return (
    <FormDialog<Pick<FormOf<'account.update'>, 'password'>>
      title={`重设密码：${account.user}`}
      fields={[{ key: 'password', label: '新密码（至少8位）', kind: 'password', required: true }]}
      onSubmit={(input) => call('account.update', { id: account.id, ...input })}
      onClose={onClose}
    />
  );
}

/** The signed-in account changes its own password (any role). */
export function PasswordDialog({ onClose }: { onClose: () => void }) {
  return (
    <FormDialog<FormOf<'auth.changePassword'>>
      title="修改密码"
      fields={[
        { key: 'oldPassword', label: '原密码', kind: 'password', required: true },
        { key: 'newPassword', label: '新密码（至少8位）', kind: 'password', required: true },
      ]}
      onSubmit={(input) => call('auth.changePassword', input)}
      onClose={onClose}
    />
  );
}
