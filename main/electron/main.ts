/**
 * The Electron main process (bundled to dist/electron/main.cjs): one window, the Chinese menu, native dialogs,
 * the security guards of architecture.md "Electron security (checklist)", and routing of `ledger:call` to the
 * core, which runs in a utility process (core-host.ts). Everything testable without Electron lives in
 * paths.ts / serve.ts / core-protocol.ts / menu.ts.
 *
 * Environment (for tests): LEDGER_USER_DATA overrides userData; LEDGER_DB overrides the database file.
 */
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  session,
  shell,
  utilityProcess,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type SaveDialogOptions,
  type UtilityProcess,
} from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { createCoreClient, isOpName, unknownOperation, type CoreClient } from './core-protocol.ts';
import { IPC } from './ipc.ts';
import { menuTemplate } from './menu.ts';
import {
  APP_SCHEME,
  APP_START_URL,
  APP_TITLE,
  isAllowedNavigation,
  isShowablePath,
  isTrustedSender,
  ledgerPaths,
  sanitizeDialogOptions,
} from './paths.ts';
import { createNonce, serveAppRequest } from './serve.ts';

// The bundle is CommonJS: __dirname is dist/electron/ (also inside app.asar when packaged).
const HERE = __dirname;
const RENDERER_ROOT = path.join(HERE, '..', 'renderer');
const PRELOAD = path.join(HERE, 'preload.cjs');
const CORE_HOST = path.join(HERE, 'core-host.cjs');
const NONCE = createNonce();

// --- Before ready: data location, single instance, privileged scheme ------------------------------------

// A fixed ASCII folder name, the same in development and in the installed app (the product name is Chinese);
// the database in its data folder (paths.ts ledgerPaths).
const { userData, dbFile } = ledgerPaths(app.getPath('appData'), process.env, fs.existsSync);
fs.mkdirSync(userData, { recursive: true });
app.setPath('userData', userData);

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let core: { client: CoreClient; child: UtilityProcess } | null = null;
let coreStopping = false;
let coreStopped = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  installGuards();
  app.whenReady().then(start, (e: unknown) => {
    console.error('[main] 启动失败', e);
    app.exit(1);
  });
}

// --- Security guards for every web contents ----------------------------------------------------------------

function installGuards(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-frame-navigate', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAllowedNavigation(event.url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

// --- Start-up ---------------------------------------------------------------------------------------------

function start(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  protocol.handle(APP_SCHEME, async (request) => {
    const served = await serveAppRequest(RENDERER_ROOT, request.url, NONCE, request.method);
    const body = typeof served.body === 'string' || served.body === null ? served.body : Buffer.from(served.body);
    return new Response(body, { status: served.status, headers: served.headers });
  });

  core = startCore();
  registerIpc();
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ about: showAbout, devTools: !app.isPackaged })));
  mainWindow = createWindow();

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    if (coreStopped || !core || !core.client.alive) return;
    event.preventDefault();
    void stopCore(core).finally(() => {
      coreStopped = true;
      app.quit();
    });
  });
}

function startCore(): { client: CoreClient; child: UtilityProcess } {
  fs.mkdirSync(path.dirname(dbFile), { recursive: true });
  const child = utilityProcess.fork(CORE_HOST, [], {
    serviceName: 'Township Ledger core',
    stdio: 'inherit',
    env: { ...process.env, LEDGER_CORE_DB: dbFile },
  });
  const client = createCoreClient((message) => child.postMessage(message));
  child.on('message', (message) => client.handleMessage(message));
  child.on('exit', (code) => {
    client.handleExit();
    if (!coreStopping) console.error(`[main] 台账服务意外退出（代码 ${code}）`);
  });
  return { client, child };
}

/** Ask the core to close the database cleanly; kill it if it does not exit in time. */
function stopCore(c: { client: CoreClient; child: UtilityProcess }): Promise<void> {
  coreStopping = true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      c.child.kill();
      resolve();
    }, 5000);
    c.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      c.child.postMessage({ type: 'close' });
    } catch {
      c.child.kill();
    }
  });
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    title: APP_TITLE,
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  // Keep the product name in the title bar whatever the page calls itself.
  win.on('page-title-updated', (event, title) => {
    event.preventDefault();
    win.setTitle(!title ? APP_TITLE : title.includes(APP_TITLE) ? title : `${title} - ${APP_TITLE}`);
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(APP_START_URL);
  return win;
}

function showAbout(): void {
  const options = {
    type: 'info' as const,
    title: `关于 ${APP_TITLE}`,
    message: APP_TITLE,
    detail: `版本 ${app.getVersion()}\n乡镇巩固拓展脱贫攻坚成果、乡村振兴工作台账（离线单机版）。\n数据文件：${dbFile}`,
    buttons: ['确定'],
  };
  if (mainWindow) void dialog.showMessageBox(mainWindow, options);
  else void dialog.showMessageBox(options);
}

// --- IPC: the contract and the native abilities ------------------------------------------------------------

function assertTrusted(event: IpcMainInvokeEvent): void {
  if (!isTrustedSender(event.senderFrame)) throw new Error('拒绝：请求不是来自本程序的页面');
}

function registerIpc(): void {
  ipcMain.handle(IPC.call, async (event, name: unknown, input: unknown) => {
    assertTrusted(event);
    // Only the operation name is checked here; the core's dispatcher validates the input.
    if (!isOpName(name)) return unknownOperation(name);
    if (!core) return { ok: false, error: { code: 'io', message: '台账服务尚未启动' } };
    return core.client.call(name, input);
  });

  ipcMain.handle(IPC.openFile, async (event, raw: unknown) => {
    assertTrusted(event);
    const o = sanitizeDialogOptions(raw);
    const options: OpenDialogOptions = { title: o.title, filters: o.filters, properties: ['openFile'] };
    const win = BrowserWindow.fromWebContents(event.sender);
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    const picked = r.canceled ? null : (r.filePaths[0] ?? null);
    // The page names the file to the core by a token for this path (core/files.ts), never by the path itself.
    return picked && core ? core.client.grant(picked, 'read') : null;
  });

  ipcMain.handle(IPC.saveFile, async (event, raw: unknown) => {
    assertTrusted(event);
    const o = sanitizeDialogOptions(raw);
    const options: SaveDialogOptions = {
      title: o.title,
      filters: o.filters,
      defaultPath: o.defaultName ? path.join(app.getPath('documents'), o.defaultName) : undefined,
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const win = BrowserWindow.fromWebContents(event.sender);
    const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return r.canceled || !r.filePath || !core ? null : core.client.grant(r.filePath, 'write');
  });

  ipcMain.handle(IPC.showInFolder, async (event, p: unknown) => {
    assertTrusted(event);
    if (!isShowablePath(p)) throw new Error('拒绝：不是本机文件路径');
    shell.showItemInFolder(path.normalize(p));
  });
}
