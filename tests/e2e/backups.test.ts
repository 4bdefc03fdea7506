/**
 * 备份与恢复 through the UI (issue 11 item 3): the backups listed with their figures, a backup now, a file in the
 * backups folder that is not a ledger refused with a visible Chinese message, a restore after its preview, and the
 * dashboard's reminder to copy a backup outside the PC.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupsDir } from '../../main/core/backups.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { familyOf, tempDbPath, TEST_PASSWORD, TEST_USER } from '../helpers.ts';
import { startApp, type App } from './harness.ts';

const households = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM household').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

let app: App;
let file: string;
let saved: string;
beforeAll(async () => {
  file = tempDbPath('backups-ui.sqlite');
  const seed = await openLedger(file, { create: true });
  // The 管理员 the harness signs in as is in the backup too: after the restore the session goes on.
  await seed.run('auth.setup', { user: TEST_USER, password: TEST_PASSWORD });
  await seed.run('settings.update', {
    townshipName: '测试镇',
    townshipCode: '529901101000',
    county: '测试县',
    province: '贵州省',
  });
  const village = await seed.run('village.create', { code: '529901101001', name: '青山村' });
  await familyOf(seed, village.id, 1);
  saved = (await seed.run('backup.create', {})).name;
  await familyOf(seed, village.id, 2);
  await seed.close();
  // Someone put a file that is no ledger into the backups folder under a backup's name.
  fs.writeFileSync(path.join(backupsDir(file), 'backups-ui-20261101-090000000-daily.sqlite'), '不是数据库'.repeat(500));
  // The harness gives the ledger its first 管理员 and signs the page in.
  app = await startApp(file);
});
afterAll(async () => {
  await app?.close();
});

describe('备份与恢复 page', () => {
  it('reminds on the dashboard, lists backups with figures, refuses a file that is no ledger, restores after a preview', async () => {
    const page = app.page;
    const reminder = page.getByRole('alert', { name: '备份提醒' });
    await expect.poll(() => reminder.innerText()).toContain('还没有把备份复制到本机以外');
    await app.shot('backups-01-dashboard-reminder');

    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '备份与恢复' }).click();
    await expect.poll(() => page.locator('.page-head h1').innerText()).toBe('备份与恢复');
    const table = page.getByRole('table', { name: '备份' });
    const good = table.locator(`tr[data-name="${saved}"]`);
    await expect.poll(() => good.innerText()).toMatch(/手动\s+1\s+3\s+0/);
    expect(await good.innerText()).toContain('新增');

    // 立即备份: a third row, holding both families.
    await page.getByRole('button', { name: '立即备份' }).click();
    await expect.poll(() => page.getByRole('status', { name: '备份结果' }).innerText()).toContain('已备份');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    await expect.poll(() => table.locator('tbody tr').first().innerText()).toMatch(/手动\s+2\s+6\s+0/);
    const bad = table.locator('tr[data-name="backups-ui-20261101-090000000-daily.sqlite"]');
    expect(await bad.innerText()).toContain('不是乡镇振兴台账数据库');
    await app.shot('backups-02-list');

    // The file that is no ledger: the preview refuses, in Chinese, and nothing changes.
    await bad.getByRole('button', { name: '恢复…' }).click();
    const alert = page.locator('.page [role="alert"].form-error').last();
    await expect.poll(() => alert.innerText()).toContain('不是乡镇振兴台账数据库');
    expect(await page.getByRole('dialog').count()).toBe(0);
    await app.shot('backups-03-refused');
    expect(households(file)).toBe(2);

    // The first backup: its figures beside the ledger's, its last audit entry, then the restore.
    await good.getByRole('button', { name: '恢复…' }).click();
    const dialog = page.getByRole('dialog', { name: '恢复备份' });
    const preview = dialog.getByRole('table', { name: '恢复预览' });
    await expect.poll(() => preview.innerText()).toMatch(/农户\s+1\s+2/);
    expect(await preview.innerText()).toMatch(/人员\s+3\s+6/);
    expect(await preview.innerText()).toMatch(new RegExp(`最后一条操作记录\\s+\\S+ \\S+ ${TEST_USER}：新增`));
    await app.shot('backups-04-preview');
    await dialog.getByRole('button', { name: '确认恢复' }).click();
    await expect.poll(() => page.getByRole('status', { name: '备份结果' }).innerText()).toContain('已从备份恢复');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(households(file)).toBe(1);
    // The backup taken just before the restore is listed first, with the two families.
    await expect.poll(() => table.locator('tbody tr').first().innerText()).toMatch(/恢复前\s+2\s+6\s+0/);
    await app.shot('backups-05-restored');

    // The ledger's pages show the restored data.
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '操作日志' }).click();
    await expect.poll(() => page.locator('body').innerText()).toContain('从备份恢复');
    expect(app.problems.filter((p) => !/status of 4\d\d/.test(p))).toEqual([]);
  }, 60_000);
});
