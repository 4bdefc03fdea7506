// Starts the desktop app: builds dist/electron and runs the Electron binary on dist/electron/main.cjs.
// The Electron binary cannot be downloaded on machines without internet access; then say so in one line and
// point to browser mode instead of letting `require('electron')` try a download.
// Usage: node scripts/start-electron.mjs [extra electron args]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectron, outDir } from './build-electron.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron executable if installed, without triggering electron's download-on-require. */
export function electronBinary() {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const rel = fs.readFileSync(pathFile, 'utf8').trim();
  if (!rel) return null;
  const bin = path.join(electronDir, 'dist', rel);
  return fs.existsSync(bin) ? bin : null;
}

const bin = electronBinary();
if (!bin) {
  console.error(
    '无法启动 Electron：本机没有 Electron 程序文件（无法下载）。请改用浏览器模式：npm run web / Electron binary not available here; use browser mode: npm run web',
  );
  process.exit(1);
}

await buildElectron({ quiet: true });
if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) {
  console.warn('dist/renderer/index.html 不存在：请先运行 vite build / run `vite build` first');
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(bin, [path.join(outDir, 'main.cjs'), ...process.argv.slice(2)], { stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (!child.killed) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
