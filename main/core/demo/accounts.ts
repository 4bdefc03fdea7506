/**
 * The demo township's accounts, one per role (issue 11). Demo only: their passwords are printed by `npm run web`
 * and shown on its login screen, which is why they are written here — never give a real ledger these.
 */
import type { DemoAccount } from '../../../shared/accounts.ts';
import type { Ledger } from '../ledger.ts';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { user: 'admin', role: '管理员', password: 'admin-demo' },
  { user: 'jingban', role: '经办人', password: 'jingban-demo' },
  { user: 'chakan', role: '查看', password: 'chakan-demo' },
];

/** Gives a demo ledger without accounts (a new one, or one made before accounts) the demo accounts. */
export async function ensureDemoAccounts(ledger: Ledger): Promise<void> {
  if ((await ledger.run('auth.status', {})).accounts) return;
  const [admin, ...others] = DEMO_ACCOUNTS;
  await ledger.run('auth.setup', { user: admin!.user, password: admin!.password });
  for (const a of others) await ledger.run('account.create', a);
  await ledger.run('auth.logout', {});
}
