import { useEffect, useState } from 'react';
import type { AuthStatus, SessionInfo } from '../../shared/accounts.ts';
import { call, SIGNED_OUT_EVENT } from './api.ts';
import { useRoute, href } from './route.ts';
import { DashboardPage } from './pages/Dashboard.tsx';
import { HouseholdsPage } from './pages/Households.tsx';
import { CasesPage } from './pages/Cases.tsx';
import { PostsPage } from './pages/Posts.tsx';
import { RelocationPage } from './pages/Relocation.tsx';
import { SettingsPage } from './pages/Settings.tsx';
import { AuditPage } from './pages/Audit.tsx';
import { ChecksPage } from './pages/Checks.tsx';
import { ReportsPage } from './pages/Reports.tsx';
import { ImportPage } from './pages/Import.tsx';
import { SetupPage } from './pages/Setup.tsx';
import { FirstAccountPage, LoginPage } from './pages/Login.tsx';
import { AccountsPage, PasswordDialog } from './pages/Accounts.tsx';
import { BackupsPage } from './pages/Backups.tsx';
import { useDialog } from './components/Form.tsx';
import type { Settings } from '../../shared/parameters.ts';

const PAGES = [
  { key: 'dashboard', label: '工作台', icon: '◧' },
  { key: 'households', label: '农户与人口', icon: '⌂' },
  { key: 'cases', label: '监测对象', icon: '◎' },
  { key: 'posts', label: '公益岗位', icon: '▣' },
  { key: 'relocation', label: '易地搬迁', icon: '▤' },
  { key: 'checks', label: '数据校验', icon: '✓' },
  { key: 'reports', label: '报表', icon: '▦' },
  { key: 'import', label: '导入', icon: '⇪' },
  { key: 'settings', label: '设置', icon: '⚙' },
  { key: 'backups', label: '备份与恢复', icon: '⛁' },
  { key: 'accounts', label: '账户', icon: '⚿' },
  { key: 'audit', label: '操作日志', icon: '☰' },
] as const;

/**
 * Who is signed in decides what shows: the first 管理员 on a ledger without accounts, the login screen (also when
 * the session locked itself after idling), or the ledger. The core refuses every call of a signed-out session;
 * when one is refused, the app asks the core again and shows the login screen.
 */
export function App() {
  const [auth, setAuth] = useState<AuthStatus | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const loadAuth = () =>
    call('auth.status', {}).then(
      (s) => setAuth(s),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void loadAuth();
    const signedOut = () => void loadAuth();
    window.addEventListener(SIGNED_OUT_EVENT, signedOut);
    return () => window.removeEventListener(SIGNED_OUT_EVENT, signedOut);
  }, []);

  if (error)
    return (
      <div className="fatal" role="alert">
        无法读取台账数据：{error}
      </div>
    );
  if (auth === undefined) return <div className="loading">正在打开台账…</div>;
  if (!auth.accounts) return <FirstAccountPage onDone={() => void loadAuth()} />;
  if (!auth.session || auth.session.locked) return <LoginPage status={auth} onDone={() => void loadAuth()} />;
  return <Ledger session={auth.session} onSignedOut={() => void loadAuth()} />;
}

function Ledger({ session, onSignedOut }: { session: SessionInfo; onSignedOut: () => void }) {
  const route = useRoute();
  const [settings, setSettings] = useState<Settings | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const loadSettings = () =>
    call('settings.get', {}).then(
      (s) => setSettings(s),
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    void loadSettings();
  }, []);

  if (error)
    return (
      <div className="fatal" role="alert">
        无法读取台账数据：{error}
      </div>
    );
  if (settings === undefined) return <div className="loading">正在打开台账…</div>;
  if (settings === null) return <SetupPage onDone={() => void loadSettings()} />;

  const page = route.page;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="主菜单">
        <div className="brand">
          <strong>乡镇振兴台账</strong>
          <span>{settings.townshipName}</span>
        </div>
        {PAGES.map((p) => (
          <a
            key={p.key}
            href={href(p.key)}
            className={page === p.key ? 'active' : ''}
            aria-current={page === p.key ? 'page' : undefined}
          >
            <span className="icon" aria-hidden="true">
              {p.icon}
            </span>
            {p.label}
          </a>
        ))}
        <SessionBar session={session} onSignedOut={onSignedOut} />
        <div className="sidebar-foot">
          {settings.province} · {settings.county}
        </div>
      </nav>
      <main className="content">
        {page === 'dashboard' && <DashboardPage />}
        {page === 'households' && <HouseholdsPage route={route} />}
        {page === 'cases' && <CasesPage route={route} />}
        {page === 'posts' && <PostsPage route={route} />}
        {page === 'relocation' && <RelocationPage route={route} />}
        {page === 'checks' && <ChecksPage route={route} />}
        {page === 'reports' && <ReportsPage route={route} />}
        {page === 'import' && <ImportPage />}
        {page === 'settings' && <SettingsPage onSettings={setSettings} />}
        {page === 'backups' && <BackupsPage />}
        {page === 'accounts' && <AccountsPage session={session} />}
        {page === 'audit' && <AuditPage />}
        {!PAGES.some((p) => p.key === page) && (
          <p>
            页面不存在。<a href={href('dashboard')}>返回工作台</a>
          </p>
        )}
      </main>
    </div>
  );
}

/** The signed-in account, its own password, and signing out. */
function SessionBar({ session, onSignedOut }: { session: SessionInfo; onSignedOut: () => void }) {
  const { dialog, open, close } = useDialog();
  return (
    <div className="sidebar-account" aria-label="当前账户">
      <span>
        {session.user}（{session.role}）
      </span>
      <button type="button" onClick={() => open(<PasswordDialog onClose={close} />)}>
        修改密码
      </button>
      <button type="button" onClick={() => void call('auth.logout', {}).finally(onSignedOut)}>
        退出
      </button>
      {dialog}
    </div>
  );
}
