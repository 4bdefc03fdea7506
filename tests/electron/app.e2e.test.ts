/**
 * The desktop app end to end through playwright-core's `_electron`, on the real Electron binary. Skipped (with
 * one printed reason) where the binary is not installed — it cannot be downloaded on offline machines — or on
 * Linux without a display. Never `require('electron')` here: that starts a download.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');

function electronBinary(): string | null {
  const dir = path.join(repo, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  const bin = rel ? path.join(dir, 'dist', rel) : '';
  return bin && fs.existsSync(bin) ? bin : null;
}

const binary = electronBinary();
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary
  ? 'Electron e2e skipped: the Electron binary is not installed (node_modules/electron/path.txt + dist/ missing; it cannot be downloaded here)'
  : noDisplay
    ? 'Electron e2e skipped: no display (set DISPLAY, e.g. run under xvfb-run)'
    : null;
if (skipReason) console.warn(skipReason);

/** What the page sees (the node-side tsconfig has no DOM types). */
type PageGlobals = {
  ledger?: { call(name: string, input: unknown): Promise<{ ok: boolean; error?: { code: string } }> };
  ledgerNative?: Record<string, unknown>;
  require?: unknown;
  process?: unknown;
  ipcRenderer?: unknown;
  open(url: string): unknown;
  location: { href: string };
};

describe.skipIf(skipReason !== null)('Electron app (real binary)', () => {
  let userData: string;
  let app: ElectronApplication;
  let page: Page;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repo, 'scripts', 'build-electron.mjs')], { cwd: repo, stdio: 'pipe' });
    if (!fs.existsSync(path.join(repo, 'dist', 'renderer', 'index.html'))) {
      execFileSync(process.execPath, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
        cwd: repo,
        stdio: 'pipe',
      });
    }
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-electron-e2e-'));
    const args = [path.join(repo, 'dist', 'electron', 'main.cjs')];
    // Chromium refuses to run as root with its sandbox; CI containers often are root.
    if (process.getuid?.() === 0) args.unshift('--no-sandbox');
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
    app = await _electron.launch({
      executablePath: binary!,
      args,
      env: { ...env, LEDGER_USER_DATA: userData },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    if (userData) fs.rmSync(userData, { recursive: true, force: true });
  });

  it('starts with one window titled 乡镇振兴台账 on app://ledger', async () => {
    const titles = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.getTitle()));
    expect(titles).toHaveLength(1);
    expect(titles[0]).toContain('乡镇振兴台账');
    expect(page.url()).toMatch(/^app:\/\/ledger\//);
  });

  it('first start: the first 管理员, then the setup screen with the demo township offered, the database in the data folder', async () => {
    const first = page.getByRole('form', { name: '创建管理员账户' });
    await first.waitFor({ timeout: 30_000 });
    await first.locator('[name="password"]').fill('electron-pass-1');
    await first.locator('[name="passwordAgain"]').fill('electron-pass-1');
    await first.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByRole('heading', { name: '欢迎使用乡镇振兴台账' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: '载入示范乡镇' }).isEnabled()).toBe(true);
    expect(await page.getByRole('button', { name: '保存并开始使用' }).isVisible()).toBe(true);
    expect(fs.existsSync(path.join(userData, '数据', 'ledger.sqlite'))).toBe(true);
  });

  it('round-trips through the core in its utility process', async () => {
    const r = await page.evaluate(() => (globalThis as unknown as PageGlobals).ledger!.call('settings.get', {}));
    expect(r.ok).toBe(true);
    const unknown = await page.evaluate(() => (globalThis as unknown as PageGlobals).ledger!.call('no.such.op', {}));
    expect(unknown).toMatchObject({ ok: false, error: { code: 'validation' } });
    // First start: the database in the data folder under userData (README "Install").
    expect(fs.existsSync(path.join(userData, '数据', 'ledger.sqlite'))).toBe(true);
  });

  it('serves the page with the CSP header and a replaced nonce', async () => {
    const r = await page.evaluate(async () => {
      const res = await fetch('/index.html');
      return { csp: res.headers.get('content-security-policy'), html: await res.text() };
    });
    expect(r.csp).toContain("default-src 'none'");
    expect(r.html).not.toContain('__LEDGER_NONCE__');
  });

  it('keeps Node and ipcRenderer out of the page', async () => {
    const seen = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        require: typeof g.require,
        process: typeof g.process,
        ipcRenderer: typeof g.ipcRenderer,
        native: Object.keys(g.ledgerNative ?? {}).sort(),
      };
    });
    expect(seen).toEqual({
      require: 'undefined',
      process: 'undefined',
      ipcRenderer: 'undefined',
      native: ['openFile', 'saveFile', 'showInFolder'],
    });
  });

  it('denies new windows and refuses navigation away from app://ledger', async () => {
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null),
    ).toBe(true);
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1000);
    expect(page.url()).toMatch(/^app:\/\/ledger\//);
    const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
    expect(windows).toBe(1);
  });
});
