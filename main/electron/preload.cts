/**
 * The preload of the sandboxed window (bundled to dist/electron/preload.cjs: sandboxed preloads must be
 * CommonJS and can require only `electron`). It exposes exactly the contract (`window.ledger`) and the native
 * abilities (`window.ledgerNative`) as fixed functions — never ipcRenderer itself, never a channel name
 * chosen by the page.
 */
import type { LedgerApi } from '../../shared/api.ts';
import type { NativeApi } from '../../shared/host.ts';

// A CommonJS file under verbatimModuleSyntax + erasableSyntaxOnly: plain `require`, typed by the modules' own
// declarations (electron.d.ts for electron). esbuild inlines ./ipc.ts; `electron` stays external.
const { contextBridge, ipcRenderer } = require('electron') as typeof import('electron');
const { IPC } = require('./ipc.ts') as typeof import('./ipc.ts');

const ledger: LedgerApi = {
  call: (name, input) => ipcRenderer.invoke(IPC.call, name, input),
};

const ledgerNative: NativeApi = {
  openFile: (options) => ipcRenderer.invoke(IPC.openFile, options),
  saveFile: (options) => ipcRenderer.invoke(IPC.saveFile, options),
  showInFolder: (path) => ipcRenderer.invoke(IPC.showInFolder, path),
};

contextBridge.exposeInMainWorld('ledger', ledger);
contextBridge.exposeInMainWorld('ledgerNative', ledgerNative);
