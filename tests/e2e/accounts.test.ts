/**
 * Accounts through the UI (issue 11): the login screen answers a wrong password in Chinese, a 查看 account's
 * attempted write is refused by the core with a message on screen (not merely a hidden button), and a 管理员
 * adds an account on the 账户 page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD, TEST_USER, tempDbPath } from '../helpers.ts';
import { logIn, startApp, type App } from './harness.ts';
import { Shell } from './models.ts';

let app: App;
let ui: Shell;
/** The core's clock (idle sessions). */
const clock = { now: Date.now() };

beforeAll(async () => {
  app = await startApp(tempDbPath('accounts.sqlite'), { login: false, now: () => clock.now });
  await app.ledger.run('settings.update', {
    townshipName: '青山镇',
    townshipCode: '529901101000',
    county: '示例县',
    province: '贵州省',
  });
  await app.ledger.run('village.create', { code: '529901101001', name: '青山村' });
  await app.ledger.run('account.create', { user: '小李', role: '查看', password: 'viewer-pass-1' });
  ui = new Shell(app.page);
});
afterAll(async () => {
  await app?.close();
});

const form = () => app.page.getByRole('form', { name: '登录' });

describe('accounts through the UI', () => {
  it('refuses a wrong password with a Chinese message and stays on the login screen', async () => {
    await form().waitFor();
    await form().locator('[name="user"]').fill(TEST_USER);
    await form().locator('[name="password"]').fill('not-the-password');
    await form().getByRole('button', { name: '登录' }).click();
    await expect.poll(() => form().getByRole('alert').innerText()).toBe('账户名或密码不正确');
    await app.shot('accounts-01-wrong-password');
    const last = (await app.ledger.run('audit.list', { limit: 1 })).rows[0]!;
    expect(last).toMatchObject({ actor: TEST_USER, action: '登录失败', summary: '登录失败：密码错误（连续第 1 次）' });
  });

  it('a 查看 account sees its attempted write refused by the core, with the reason on screen', async () => {
    await logIn(app.page, '小李', 'viewer-pass-1');
    expect(await app.page.getByLabel('当前账户').innerText()).toContain('小李（查看）');
    await ui.go('农户与人口');
    await ui.button('新增农户').click();
    const d = ui.dialog();
    await d.fill({ villageId: '青山村', hhNo: '529901101001000009', address: '青山村一组1号' });
    const alert = await d.submitExpectingError();
    expect(alert).toBe('权限不足：账户「小李」的角色是「查看」，此操作需要「经办人」或更高角色');
    await app.shot('accounts-02-viewer-refused');
    expect((await app.ledger.run('household.list', {})).total).toBe(0);
    // The 账户 page is the 管理员's: the core's refusal is shown there too.
    await d.root.getByRole('button', { name: '取消' }).click();
    await app.page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '账户' }).click();
    await expect
      .poll(() => app.page.getByRole('alert').first().innerText())
      .toBe('权限不足：账户「小李」的角色是「查看」，此操作需要「管理员」角色');
  });

  it('signs out, and a 管理员 adds an 经办人 on the 账户 page', async () => {
    await app.page.getByLabel('当前账户').getByRole('button', { name: '退出' }).click();
    await form().waitFor();
    await logIn(app.page, TEST_USER, TEST_PASSWORD);
    await app.page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '账户' }).click();
    await ui.button('新建账户').click();
    const d = ui.dialog();
    await d.fill({ user: '王会计', role: '经办人', password: 'clerk-pass-1' });
    await d.submit();
    const table = app.page.getByRole('table', { name: '账户' });
    await expect.poll(() => table.innerText()).toContain('王会计');
    await app.shot('accounts-03-accounts-page');
    const created = (await app.ledger.run('account.list', {})).find((a) => a.user === '王会计');
    expect(created?.role).toBe('经办人');
    expect((await app.ledger.run('audit.list', { limit: 1 })).rows[0]).toMatchObject({
      actor: TEST_USER,
      summary: '账户「王会计」（经办人）',
    });
  });

  it('locks the session after the idle minutes; the password unlocks it', async () => {
    clock.now += 31 * 60_000;
    await app.page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '工作台' }).click();
    await form().getByRole('heading', { name: '已锁定' }).waitFor();
    expect(await form().innerText()).toContain(`超过 30 分钟未操作，台账已锁定。请输入账户「${TEST_USER}」的密码继续`);
    await app.shot('accounts-04-locked');
    expect(await form().locator('[name="user"]').inputValue()).toBe(TEST_USER);
    await form().locator('[name="password"]').fill(TEST_PASSWORD);
    await form().getByRole('button', { name: '解除锁定' }).click();
    await form().waitFor({ state: 'detached' });
    await expect.poll(() => app.page.locator('.page-head h1').innerText()).toBe('工作台');
  });
});
