/**
 * The Electron shell's guards and plumbing, tested in Node without the Electron binary: the custom protocol's
 * path-traversal guard and responses, navigation and IPC-sender checks, dialog-option sanitising, the
 * utility-process message protocol, and the built bundles (core-host.cjs run under Node with a fake
 * parentPort; preload.cjs run with a fake `require` that offers only electron).
 */
import { execFileSync, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachCoreServer,
  CORE_EXITED,
  createCoreClient,
  isOpName,
  type ToCore,
} from '../../main/electron/core-protocol.ts';
import { IPC } from '../../main/electron/ipc.ts';
import { menuTemplate } from '../../main/electron/menu.ts';
import {
  isAllowedNavigation,
  isAppUrl,
  isShowablePath,
  isTrustedSender,
  sanitizeDialogOptions,
} from '../../main/electron/paths.ts';
import { resolveInside } from '../../main/core/static-files.ts';
import { createNonce, serveAppRequest } from '../../main/electron/serve.ts';
import { openLedger } from '../../main/core/ledger.ts';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';
import type { CallResult } from '../../shared/errors.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');

let tmp: string;
let root: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-electron-'));
  root = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'index.html'),
    `<!doctype html><meta name="ledger-style-nonce" content="${NONCE_PLACEHOLDER}"><title>乡镇振兴台账</title>`,
  );
  fs.writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('resolveInside: the custom protocol path-traversal guard', () => {
  it('maps ordinary paths inside the root', () => {
    expect(resolveInside(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveInside(root, '/assets/index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
    expect(resolveInside(root, '/assets/a%20b.css')).toBe(path.join(root, 'assets', 'a b.css'));
    expect(resolveInside(root, '/./assets//index-abc.js')).toBe(path.join(root, 'assets', 'index-abc.js'));
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/assets/../index.html', // even `..` that stays inside is refused: nothing legitimate needs it
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/etc/passwd',
    '/.%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/assets\\..\\..\\secret.txt',
    '/%5c%5cserver%5cshare',
    '//etc/passwd/..',
    '/C:/Windows/win.ini',
    '/c%3a/Windows/win.ini',
    '/index.html%00.js',
    '/index.html\0',
    '/%00',
    '/%E0%A4%A', // malformed escape
    '/' + 'a/'.repeat(600),
  ])('refuses %j', (p) => {
    expect(resolveInside(root, p)).toBeNull();
  });

  it('an absolute path in the URL is treated as relative to the root, never as a file-system path', () => {
    // `app://ledger//etc/passwd` has the path `//etc/passwd`: it resolves to <root>/etc/passwd (a 404).
    expect(resolveInside(root, '//etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
    expect(resolveInside(root, '/etc/passwd')).toBe(path.join(root, 'etc', 'passwd'));
  });
});

describe('serveAppRequest', () => {
  const nonce = createNonce();

  it('serves index.html with the nonce in place of the placeholder and the CSP header', async () => {
    for (const url of ['app://ledger/', 'app://ledger/index.html', 'app://ledger/households']) {
      const r = await serveAppRequest(root, url, nonce);
      expect(r.status, url).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(r.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce));
      expect(r.body).toContain(`content="${nonce}"`);
      expect(r.body).not.toContain(NONCE_PLACEHOLDER);
    }
  });

  it('serves assets with their type, and the CSP header on every response', async () => {
    const js = await serveAppRequest(root, 'app://ledger/assets/index-abc.js', nonce);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(Buffer.from(js.body as Uint8Array).toString()).toBe('console.log(1)');
    expect(js.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce));
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const missing = await serveAppRequest(root, 'app://ledger/assets/missing.js', nonce);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce));
  });

  it('refuses traversal, symlinks out of the root, other hosts and other methods', async () => {
    for (const url of [
      'app://ledger/../secret.txt',
      'app://ledger/%2e%2e/secret.txt',
      'app://ledger/assets/..%2f..%2fsecret.txt',
      'app://ledger/assets/link.txt',
      'app://ledger/index.html%00',
      'app://other/index.html',
      'app://ledger:8080/index.html',
      'file:///etc/passwd',
    ]) {
      const r = await serveAppRequest(root, url, nonce);
      expect(r.status, url).toBe(404);
      expect(String(r.body)).not.toContain('secret');
    }
    expect((await serveAppRequest(root, 'app://ledger/index.html', nonce, 'POST')).status).toBe(405);
    const head = await serveAppRequest(root, 'app://ledger/index.html', nonce, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
  });

  it('uses a fresh base64 nonce', () => {
    const a = createNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(createNonce()).not.toBe(a);
  });
});

describe('navigation and IPC sender checks', () => {
  it('allows only app://ledger', () => {
    expect(isAllowedNavigation('app://ledger/index.html')).toBe(true);
    expect(isAllowedNavigation('app://ledger/households?x=1#a')).toBe(true);
    for (const url of [
      'https://example.com/',
      'http://localhost:5173/',
      'file:///etc/passwd',
      'app://ledger.evil.com/',
      'app://evil/',
      'app://user:pw@ledger/',
      'app://ledger:1/',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'about:blank',
      'not a url',
    ]) {
      expect(isAllowedNavigation(url), url).toBe(false);
    }
    expect(isAppUrl(undefined)).toBe(false);
  });

  it('trusts only the top-level frame of our pages', () => {
    expect(isTrustedSender({ url: 'app://ledger/index.html', parent: null })).toBe(true);
    expect(isTrustedSender({ url: 'app://ledger/index.html', parent: {} })).toBe(false);
    expect(isTrustedSender({ url: 'https://example.com/', parent: null })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});

describe('native IPC argument checks', () => {
  it('keeps titles, file-name-only defaults and sane filters', () => {
    expect(
      sanitizeDialogOptions({
        title: '导出\u0000台账',
        defaultName: '../../etc/户籍.xlsx',
        filters: [{ name: 'Excel', extensions: ['xlsx', 'xls', '../x', 3] }, { name: 'bad' }, null],
        extra: 'dropped',
      }),
    ).toEqual({
      title: '导出台账',
      defaultName: '户籍.xlsx',
      filters: [{ name: 'Excel', extensions: ['xlsx', 'xls'] }],
    });
    expect(sanitizeDialogOptions(null)).toEqual({});
    expect(sanitizeDialogOptions({ defaultName: '..' })).toEqual({});
  });

  it('shows only absolute local paths in the file manager', () => {
    expect(isShowablePath(path.join(os.tmpdir(), 'a.xlsx'))).toBe(true);
    for (const p of ['a.xlsx', '', 'https://example.com/a', 'file:///tmp/a', '/tmp/a\0b', 3, null]) {
      expect(isShowablePath(p), String(p)).toBe(false);
    }
  });
});

describe('menu', () => {
  it('is Chinese, with roles for editing and viewing', () => {
    let about = 0;
    const t = menuTemplate({ about: () => about++, devTools: false });
    expect(t.map((m) => m.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    const sub = (i: number) =>
      (t[i]!.submenu as { label?: string; role?: string; click?: () => void }[]).filter((m) => m.label);
    expect(sub(0)).toEqual([{ label: '退出', role: 'quit' }]);
    expect(sub(1).map((m) => [m.label, m.role])).toEqual([
      ['撤销', 'undo'],
      ['重做', 'redo'],
      ['剪切', 'cut'],
      ['复制', 'copy'],
      ['粘贴', 'paste'],
      ['全选', 'selectAll'],
    ]);
    expect(sub(2).map((m) => m.label)).toEqual(['重新加载', '实际大小', '放大', '缩小', '全屏']);
    expect(sub(3).map((m) => m.label)).toEqual(['关于 乡镇振兴台账']);
    sub(3)[0]!.click!();
    expect(about).toBe(1);
  });
});

describe('utility-process protocol', () => {
  it('checks operation names against the contract', () => {
    expect(isOpName('settings.get')).toBe(true);
    for (const n of ['nope', 'constructor', '__proto__', 'toString', 3, null]) expect(isOpName(n)).toBe(false);
  });

  it('matches answers to requests and resolves pending calls with an io error when the core dies', async () => {
    const sent: ToCore[] = [];
    const client = createCoreClient((m) => sent.push(m));
    const a = client.call('settings.get', {});
    const b = client.call('villages.list' as never, {});
    expect(sent).toEqual([
      { id: 1, name: 'settings.get', input: {} },
      { id: 2, name: 'villages.list', input: {} },
    ]);
    client.handleMessage({ id: 1, result: { ok: true, value: 'x' } });
    client.handleMessage({ id: 99, result: { ok: true, value: 'stray' } });
    client.handleMessage('garbage');
    expect(await a).toEqual({ ok: true, value: 'x' });
    expect(client.pending).toBe(1);
    client.handleExit();
    expect(await b).toEqual({ ok: false, error: CORE_EXITED });
    expect(CORE_EXITED).toEqual({ code: 'io', message: '台账服务意外退出，请重新启动程序' });
    expect(await client.call('settings.get', {})).toEqual({ ok: false, error: CORE_EXITED });
    expect(client.alive).toBe(false);
  });

  it('a send that throws resolves to the io error', async () => {
    const client = createCoreClient(() => {
      throw new Error('port closed');
    });
    expect(await client.call('settings.get', {})).toEqual({ ok: false, error: CORE_EXITED });
  });

  it('the core side answers through the real dispatcher, reports a failed open on every call, and closes', async () => {
    const port = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
    const answers: { id: number; result: CallResult<unknown> }[] = [];
    port.postMessage = (m) => answers.push(m as (typeof answers)[number]);
    const file = path.join(tmp, 'core.sqlite');
    let exited: number | null = null;
    attachCoreServer(
      port,
      openLedger(file, { create: true }),
      () => ({ code: 'internal', message: 'x' }),
      (c) => {
        exited = c;
      },
    );
    const ask = async (m: unknown) => {
      const before = answers.length;
      port.emit('message', { data: m });
      await expect.poll(() => answers.length, { timeout: 10_000 }).toBeGreaterThan(before);
      return answers[answers.length - 1]!;
    };
    // The window's session: refused until an account signs in (here the ledger's first 管理员).
    const refused = await ask({ id: 5, name: 'settings.get', input: {} });
    expect(refused.result).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const setup = await ask({ id: 6, name: 'auth.setup', input: { user: 'admin', password: 'long-enough-1' } });
    expect(setup.result).toMatchObject({ ok: true, value: { user: 'admin', role: '管理员' } });
    const ok = await ask({ id: 7, name: 'settings.get', input: {} });
    expect(ok.id).toBe(7);
    expect(ok.result.ok).toBe(true);
    const unknown = await ask({ id: 8, name: 'drop.tables', input: {} });
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'validation' } });
    port.emit('message', { data: { type: 'close' } });
    await expect.poll(() => exited).toBe(0);

    const bad = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
    const badAnswers: unknown[] = [];
    bad.postMessage = (m) => badAnswers.push(m);
    attachCoreServer(
      bad,
      Promise.reject(new Error('boom')),
      () => ({ code: 'not_ledger', message: '不是台账' }),
      () => {},
    );
    bad.emit('message', { data: { id: 1, name: 'settings.get', input: {} } });
    await expect
      .poll(() => badAnswers)
      .toEqual([{ id: 1, result: { ok: false, error: { code: 'not_ledger', message: '不是台账' } } }]);
  });
});

describe('built bundles', () => {
  // Inside the project so the bundles resolve better-sqlite3 from node_modules, as in the app.
  const out = path.join(repo, '.tmp', `electron-build-${process.pid}`);
  beforeAll(() => {
    execFileSync(process.execPath, [path.join(repo, 'scripts', 'build-electron.mjs'), '--outdir', out], {
      cwd: repo,
      stdio: 'pipe',
    });
  }, 120_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  const requires = (file: string) =>
    [
      ...new Set(
        [...fs.readFileSync(path.join(out, file), 'utf8').matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!),
      ),
    ].sort();

  it('keep electron and better-sqlite3 external; the core host never requires electron; the preload only electron', () => {
    expect(requires('preload.cjs')).toEqual(['electron']);
    expect(requires('core-host.cjs')).toContain('better-sqlite3');
    expect(requires('core-host.cjs')).not.toContain('electron');
    expect(requires('main.cjs')).toContain('electron');
    expect(requires('main.cjs')).not.toContain('better-sqlite3');
  });

  it('core-host.cjs answers a round trip when run with a parentPort (as in a utility process)', async () => {
    const db = path.join(tmp, 'utility.sqlite');
    const harness = `
      const { EventEmitter } = require('node:events');
      const port = new EventEmitter();
      let answered = 0;
      port.postMessage = (m) => {
        process.stdout.write(JSON.stringify(m) + '\\n');
        // The window's session signs in first (the ledger's first 管理员), then calls.
        if (m.id === 0) {
          port.emit('message', { data: { id: 1, name: 'settings.get', input: {} }, ports: [] });
          port.emit('message', { data: { id: 2, name: 'nope', input: {} }, ports: [] });
        }
        if (++answered === 3) port.emit('message', { data: { type: 'close' }, ports: [] });
      };
      process.parentPort = port;
      require(${JSON.stringify(path.join(out, 'core-host.cjs'))});
      port.emit('message', { data: { id: 0, name: 'auth.setup', input: { user: 'admin', password: 'long-enough-1' } }, ports: [] });
    `;
    const child = spawn(process.execPath, ['-e', harness], { cwd: repo, env: { ...process.env, LEDGER_CORE_DB: db } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; result: CallResult<unknown> });
    expect(lines.find((l) => l.id === 1)?.result.ok).toBe(true);
    expect(lines.find((l) => l.id === 2)?.result).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(fs.existsSync(db)).toBe(true);
  });

  it('preload.cjs exposes exactly ledger.call and the native functions, routed to fixed channels', async () => {
    const exposed: Record<string, Record<string, (...args: unknown[]) => unknown>> = {};
    const invoked: unknown[][] = [];
    const electron = {
      contextBridge: {
        exposeInMainWorld: (key: string, api: Record<string, (...args: unknown[]) => unknown>) => (exposed[key] = api),
      },
      ipcRenderer: { invoke: async (...args: unknown[]) => (invoked.push(args), 'answer') },
    };
    const fakeRequire = (id: string) => {
      if (id === 'electron') return electron;
      throw new Error(`sandboxed preload cannot require ${id}`);
    };
    const code = fs.readFileSync(path.join(out, 'preload.cjs'), 'utf8');
    const module = { exports: {} };
    // Running the built bundle as Electron's sandbox would (a function of require/module/exports) is the point.
    const run = new Function('require', 'module', 'exports', code) as (r: unknown, m: unknown, e: unknown) => void;
    run(fakeRequire, module, module.exports);

    expect(Object.keys(exposed).sort()).toEqual(['ledger', 'ledgerNative']);
    expect(Object.keys(exposed.ledger!)).toEqual(['call']);
    expect(Object.keys(exposed.ledgerNative!).sort()).toEqual(['openFile', 'saveFile', 'showInFolder']);
    expect(await exposed.ledger!.call!('settings.get', { a: 1 }, 'extra')).toBe('answer');
    await exposed.ledgerNative!.openFile!({ title: 't' });
    await exposed.ledgerNative!.saveFile!({ defaultName: 'a.xlsx' });
    await exposed.ledgerNative!.showInFolder!('/tmp/a.xlsx');
    expect(invoked).toEqual([
      [IPC.call, 'settings.get', { a: 1 }],
      [IPC.openFile, { title: 't' }],
      [IPC.saveFile, { defaultName: 'a.xlsx' }],
      [IPC.showInFolder, '/tmp/a.xlsx'],
    ]);
  });
});
