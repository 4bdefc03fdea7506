/**
 * Browser-mode end-to-end harness: a real ledger file, the real HTTP bridge serving the built renderer, and
 * Debian's Chromium driven by playwright-core. Screenshots go to artifacts/screenshots.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openLedger, type Ledger } from '../../main/core/ledger.ts';
import { createBridge, type Bridge } from '../../main/web/server.ts';
import { TEST_PASSWORD, TEST_USER } from '../helpers.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer');
export const SCREENSHOTS = path.join(ROOT, 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface App {
  ledger: Ledger;
  bridge: Bridge;
  url: string;
  browser: Browser;
  page: Page;
  /** Console errors and failed requests seen by the page. */
  problems: string[];
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export function rendererBuilt(): boolean {
  return fs.existsSync(path.join(RENDERER_DIR, 'index.html'));
}

/** Signs the page in through the login screen (the harness does it once per app unless told not to). */
export async function logIn(page: Page, user = TEST_USER, password = TEST_PASSWORD): Promise<void> {
  const form = page.getByRole('form', { name: '登录' });
  await form.locator('[name="user"]').fill(user);
  await form.locator('[name="password"]').fill(password);
  await form.getByRole('button', { name: /登录|解除锁定/ }).click();
  await form.waitFor({ state: 'detached' });
}

/**
 * The app on `dbFile` in Chromium. The ledger gets its first 管理员 (TEST_USER) when it has no account, the
 * in-process face signs in as it (tests set up and check data through `ledger.run`), and the page signs in through
 * the login screen unless `login` is false.
 */
export async function startApp(
  dbFile: string,
  options: { today?: string; now?: () => number; width?: number; height?: number; login?: boolean } = {},
): Promise<App> {
  if (!rendererBuilt()) throw new Error('dist/renderer is missing: run `npx vite build` (npm test does) first');
  const ledger = await openLedger(dbFile, {
    create: true,
    today: options.today ? () => options.today! : undefined,
    now: options.now,
  });
  if ((await ledger.run('auth.status', {})).accounts)
    await ledger.run('auth.login', { user: TEST_USER, password: TEST_PASSWORD });
  else await ledger.run('auth.setup', { user: TEST_USER, password: TEST_PASSWORD });
  const bridge = createBridge({ ledger, rendererDir: RENDERER_DIR });
  const url = await bridge.listen(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    locale: 'zh-CN',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  if (options.login !== false) await logIn(page);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    ledger,
    bridge,
    url,
    browser,
    page,
    problems,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
    },
    close: async () => {
      await browser.close();
      await bridge.close();
      await ledger.close();
    },
  };
}
