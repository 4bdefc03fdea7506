/**
 * The built main process (dist-style main.cjs) run in Node against a recording fake of the `electron` module:
 * checks the wiring the real app depends on — order of start-up steps, window preferences, guards on every
 * web contents, permission handlers, the app:// protocol handler, IPC routing to the utility process (and the
 * io error when it dies), native dialogs, the menu, the single-instance lock and a clean core shutdown.
 * The real binary is exercised by app.e2e.test.ts where it exists.
 */
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../main/electron/ipc.ts';
import { CORE_EXITED } from '../../main/electron/core-protocol.ts';
import { contentSecurityPolicy, NONCE_PLACEHOLDER } from '../../shared/host.ts';

const repo = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(repo, '.tmp', `electron-main-${process.pid}`);
let tmp: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(repo, 'scripts', 'build-electron.mjs'), '--outdir', out], {
    cwd: repo,
    stdio: 'pipe',
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-main-'));
  // Layout of the packaged app: <x>/electron/main.cjs beside <x>/renderer/index.html.
  fs.mkdirSync(path.join(tmp, 'app', 'electron'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'app', 'renderer'), { recursive: true });
  fs.writeFileSync(
    path.join(tmp, 'app', 'renderer', 'index.html'),
    `<meta name="ledger-style-nonce" content="${NONCE_PLACEHOLDER}"><title>x</title>`,
  );
}, 120_000);
afterAll(() => {
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(tmp, { recursive: true, force: true });
});

type Fn = (...args: any[]) => any;
interface PreventableEvent {
  url?: string;
  defaultPrevented: boolean;
  preventDefault(): void;
}
const ev = (url?: string): PreventableEvent => ({
  url,
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

function fakeElectron(options: { lock?: boolean } = {}) {
  const log: string[] = [];
  const ipc = new Map<string, Fn>();
  const windows: FakeWindow[] = [];
  const children: FakeChild[] = [];
  const dialogs: { kind: string; options: any }[] = [];
  const shown: string[] = [];
  const privileged: unknown[] = [];
  const handlers: { protocol?: Fn; permissionRequest?: Fn; permissionCheck?: Fn } = {};
  let menu: any = null;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const paths: Record<string, string> = { appData: path.join(tmp, 'appData'), documents: path.join(tmp, 'docs') };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    getPath: (name: string) => paths[name]!,
    setPath: (name: string, value: string) => {
      log.push(`setPath:${name}`);
      paths[name] = value;
    },
    requestSingleInstanceLock: () => {
      log.push('lock');
      return options.lock ?? true;
    },
    enableSandbox: () => log.push('enableSandbox'),
    whenReady: () => ready,
    getVersion: () => '0.1.0',
    quit: () => {
      log.push('quit');
      const e = ev();
      app.emit('will-quit', e);
      if (!e.defaultPrevented) log.push('exited');
    },
    exit: (code: number) => log.push(`exit:${code}`),
  });

  class FakeContents extends EventEmitter {
    openHandler: Fn | null = null;
    setWindowOpenHandler(h: Fn) {
      this.openHandler = h;
    }
  }
  class FakeWindow extends EventEmitter {
    options: any;
    webContents = new FakeContents();
    loaded: string[] = [];
    title: string;
    minimized = true;
    constructor(o: any) {
      super();
      this.options = o;
      this.title = o.title;
      windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    setTitle(t: string) {
      this.title = t;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
      log.push('restore');
    }
    show() {
      log.push('show');
    }
    focus() {
      log.push('focus');
    }
    static fromWebContents(c: unknown) {
      return windows.find((w) => w.webContents === c) ?? null;
    }
  }
  class FakeChild extends EventEmitter {
    sent: any[] = [];
    killed = false;
    modulePath: string;
    forkOptions: any;
    constructor(modulePath: string, forkOptions: any) {
      super();
      this.modulePath = modulePath;
      this.forkOptions = forkOptions;
    }
    postMessage(m: unknown) {
      this.sent.push(structuredClone(m));
    }
    kill() {
      this.killed = true;
      return true;
    }
  }

  const electron = {
    app,
    BrowserWindow: FakeWindow,
    protocol: {
      registerSchemesAsPrivileged: (s: unknown) => {
        log.push('registerSchemesAsPrivileged');
        privileged.push(s);
      },
      handle: (scheme: string, h: Fn) => {
        log.push(`handle:${scheme}`);
        handlers.protocol = h;
      },
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: Fn) => (handlers.permissionRequest = h),
        setPermissionCheckHandler: (h: Fn) => (handlers.permissionCheck = h),
      },
    },
    ipcMain: { handle: (channel: string, h: Fn) => ipc.set(channel, h) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (menu = m) },
    utilityProcess: {
      fork: (modulePath: string, _args: string[], forkOptions: any) => {
        const c = new FakeChild(modulePath, forkOptions);
        children.push(c);
        return c;
      },
    },
    dialog: {
      showOpenDialog: async (...args: any[]) => {
        dialogs.push({ kind: 'open', options: args[args.length - 1] });
        return { canceled: false, filePaths: ['/data/户籍.xlsx'] };
      },
      showSaveDialog: async (...args: any[]) => {
        dialogs.push({ kind: 'save', options: args[args.length - 1] });
        return { canceled: false, filePath: '/data/导出.xlsx' };
      },
      showMessageBox: async (...args: any[]) => {
        dialogs.push({ kind: 'message', options: args[args.length - 1] });
        return { response: 0 };
      },
    },
    shell: { showItemInFolder: (p: string) => shown.push(p) },
  };
  return {
    electron,
    log,
    ipc,
    windows,
    children,
    dialogs,
    shown,
    privileged,
    handlers,
    app,
    resolveReady,
    menu: () => menu,
  };
}

async function runMain(env: Record<string, string | undefined>, options: { lock?: boolean } = {}) {
  const fake = fakeElectron(options);
  const code = fs.readFileSync(path.join(out, 'main.cjs'), 'utf8');
  const realRequire = createRequire(path.join(out, 'main.cjs'));
  const fakeRequire = (id: string) => (id === 'electron' ? fake.electron : realRequire(id));
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const dir = path.join(tmp, 'app', 'electron');
    const module = { exports: {} };
    new Function('require', 'module', 'exports', '__dirname', '__filename', code)(
      fakeRequire,
      module,
      module.exports,
      dir,
      path.join(dir, 'main.cjs'),
    );
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  fake.resolveReady();
  await new Promise((r) => setTimeout(r, 10));
  return fake;
}

const trusted = { senderFrame: { url: 'app://ledger/index.html', parent: null } };

describe('main.cjs against a fake electron', () => {
  it('prepares userData, the lock, the scheme and the sandbox before ready; then opens one secure window', async () => {
    const userData = path.join(tmp, 'ud1');
    const f = await runMain({ LEDGER_USER_DATA: userData, LEDGER_DB: undefined });
    expect(f.log.indexOf('setPath:userData')).toBeLessThan(f.log.indexOf('lock'));
    expect(f.log.indexOf('registerSchemesAsPrivileged')).toBeLessThan(f.log.indexOf('handle:app'));
    expect(f.log).toContain('enableSandbox');
    expect(fs.existsSync(userData)).toBe(true);
    expect(f.privileged).toEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ]);

    expect(f.windows).toHaveLength(1);
    const w = f.windows[0]!;
    expect(w.options.title).toBe('乡镇振兴台账');
    expect(w.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      preload: path.join(tmp, 'app', 'electron', 'preload.cjs'),
    });
    expect(w.loaded).toEqual(['app://ledger/index.html']);
    // The page title may not replace the product name.
    const t = ev();
    w.emit('page-title-updated', t, '户籍管理');
    expect(t.defaultPrevented).toBe(true);
    expect(w.title).toBe('户籍管理 - 乡镇振兴台账');
    w.emit('page-title-updated', ev(), '乡镇振兴台账 · 户籍');
    expect(w.title).toBe('乡镇振兴台账 · 户籍');
    w.emit('page-title-updated', ev(), '');
    expect(w.title).toBe('乡镇振兴台账');

    // The core runs in a utility process on <userData>/数据/ledger.sqlite, its folder made first.
    expect(f.children).toHaveLength(1);
    expect(f.children[0]!.modulePath).toBe(path.join(tmp, 'app', 'electron', 'core-host.cjs'));
    expect(f.children[0]!.forkOptions.env.LEDGER_CORE_DB).toBe(path.join(userData, '数据', 'ledger.sqlite'));
    expect(fs.statSync(path.join(userData, '数据')).isDirectory()).toBe(true);
  });

  it('LEDGER_DB overrides the database file', async () => {
    const db = path.join(tmp, 'elsewhere', 'x.sqlite');
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud2'), LEDGER_DB: db });
    expect(f.children[0]!.forkOptions.env.LEDGER_CORE_DB).toBe(db);
  });

  it('guards every web contents: navigation, redirects, new windows, webviews, permissions', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud3') });
    const wc = f.windows[0]!.webContents;
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = ev('https://example.com/');
      wc.emit(name, away);
      expect(away.defaultPrevented, name).toBe(true);
      const file = ev('file:///etc/passwd');
      wc.emit(name, file);
      expect(file.defaultPrevented, name).toBe(true);
      const home = ev('app://ledger/households');
      wc.emit(name, home);
      expect(home.defaultPrevented, name).toBe(false);
    }
    expect(wc.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    const webview = ev();
    wc.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);

    const answers: boolean[] = [];
    f.handlers.permissionRequest!(wc, 'media', (ok: boolean) => answers.push(ok));
    f.handlers.permissionRequest!(wc, 'notifications', (ok: boolean) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(f.handlers.permissionCheck!(wc, 'clipboard-read')).toBe(false);
  });

  it('serves the renderer over app:// with the CSP header and this run’s nonce', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud4') });
    const res: Response = await f.handlers.protocol!({ url: 'app://ledger/', method: 'GET' });
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(csp).toBe(contentSecurityPolicy(nonce));
    const html = await res.text();
    expect(html).toContain(`content="${nonce}"`);
    expect(html).not.toContain(NONCE_PLACEHOLDER);
    const denied: Response = await f.handlers.protocol!({
      url: 'app://ledger/assets/..%2f..%2f..%2fetc%2fhosts',
      method: 'GET',
    });
    expect(denied.status).toBe(404);
    expect(denied.headers.get('content-security-policy')).toBe(csp);
    // URL parsing folds `%2e%2e` segments away; what is left is an in-app route, answered with the app shell.
    const folded: Response = await f.handlers.protocol!({
      url: 'app://ledger/%2e%2e/%2e%2e/etc/passwd',
      method: 'GET',
    });
    expect(await folded.text()).toContain(`content="${nonce}"`);
  });

  it('routes ledger:call to the utility process, checks sender and name, and survives the core dying', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud5') });
    const call = f.ipc.get(IPC.call)!;
    const child = f.children[0]!;

    const p = call(trusted, 'settings.get', { a: 1 });
    await Promise.resolve();
    expect(child.sent).toEqual([{ id: 1, name: 'settings.get', input: { a: 1 } }]);
    child.emit('message', { id: 1, result: { ok: true, value: { township: '某镇' } } });
    expect(await p).toEqual({ ok: true, value: { township: '某镇' } });

    await expect(
      call({ senderFrame: { url: 'https://example.com/', parent: null } }, 'settings.get', {}),
    ).rejects.toThrow();
    await expect(call({ senderFrame: { url: 'app://ledger/', parent: {} } }, 'settings.get', {})).rejects.toThrow();
    await expect(call({ senderFrame: null }, 'settings.get', {})).rejects.toThrow();
    expect(await call(trusted, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(child.sent).toHaveLength(1);

    const pending = call(trusted, 'settings.get', {});
    await Promise.resolve();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    child.emit('exit', 9);
    expect(logged).toHaveBeenCalledWith('[main] 台账服务意外退出（代码 9）');
    logged.mockRestore();
    expect(await pending).toEqual({ ok: false, error: CORE_EXITED });
    expect(await call(trusted, 'settings.get', {})).toEqual({ ok: false, error: CORE_EXITED });
  });

  it('native dialogs get sanitised options and hand the picked file to the core under a token; showInFolder takes absolute paths only; untrusted senders are refused', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud6') });
    const event = { ...trusted, sender: f.windows[0]!.webContents };
    const opened = await f.ipc.get(IPC.openFile)!(event, {
      title: '导入',
      filters: [{ name: 'Excel', extensions: ['xlsx'] }],
      x: 1,
    });
    expect(opened).toEqual({ token: expect.stringMatching(/^picked:[\w-]{32}$/), path: '/data/户籍.xlsx' });
    expect(f.dialogs[0]).toEqual({
      kind: 'open',
      options: { title: '导入', filters: [{ name: 'Excel', extensions: ['xlsx'] }], properties: ['openFile'] },
    });
    const saved = await f.ipc.get(IPC.saveFile)!(event, { defaultName: '../../报表.xlsx' });
    expect(saved).toEqual({ token: expect.stringMatching(/^picked:[\w-]{32}$/), path: '/data/导出.xlsx' });
    expect(f.dialogs[1]!.options.defaultPath).toBe(path.join(tmp, 'docs', '报表.xlsx'));
    // The core learns each pick before the page can name its token: reading for the open dialog, one write for save.
    expect(f.children[0]!.sent).toEqual([
      { type: 'grant', token: opened.token, path: '/data/户籍.xlsx', access: 'read' },
      { type: 'grant', token: saved.token, path: '/data/导出.xlsx', access: 'write' },
    ]);
    expect(saved.token).not.toBe(opened.token);

    await expect(f.ipc.get(IPC.showInFolder)!(event, 'relative/a.xlsx')).rejects.toThrow();
    await f.ipc.get(IPC.showInFolder)!(event, '/data/导出.xlsx');
    expect(f.shown).toEqual(['/data/导出.xlsx']);
    await expect(
      f.ipc.get(IPC.openFile)!({ senderFrame: { url: 'https://x/', parent: null }, sender: null }, {}),
    ).rejects.toThrow();
  });

  it('sets the Chinese menu; 关于 shows a dialog', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud7') });
    const m = f.menu();
    expect(m.map((i: { label: string }) => i.label)).toEqual(['文件', '编辑', '视图', '帮助']);
    m[3].submenu[0].click();
    expect(f.dialogs.at(-1)).toMatchObject({
      kind: 'message',
      options: { title: '关于 乡镇振兴台账', message: '乡镇振兴台账' },
    });
  });

  it('a second instance focuses the existing window', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud8') });
    f.app.emit('second-instance');
    expect(f.log.slice(-3)).toEqual(['restore', 'show', 'focus']);
  });

  it('without the single-instance lock it quits and opens nothing', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud9') }, { lock: false });
    expect(f.log).toContain('quit');
    expect(f.windows).toHaveLength(0);
    expect(f.children).toHaveLength(0);
  });

  it('on quit it asks the core to close the database, then quits for real once it exits', async () => {
    const f = await runMain({ LEDGER_USER_DATA: path.join(tmp, 'ud10') });
    const child = f.children[0]!;
    f.app.emit('window-all-closed');
    expect(f.log.at(-1)).toBe('quit'); // prevented: waiting for the core
    expect(child.sent).toEqual([{ type: 'close' }]);
    child.emit('exit', 0);
    await new Promise((r) => setTimeout(r, 10));
    expect(f.log.slice(-2)).toEqual(['quit', 'exited']);
    expect(child.killed).toBe(false);
  });
});
