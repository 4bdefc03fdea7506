/**
 * `npm run web -- [--db FILE] [--port N]`: browser mode. Without --db, a demo township in the user's data
 * folder, generated on first run. Prints the URL (with this run's token) to open in a browser.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openLedger } from '../core/ledger.ts';
import { openLedgerDb } from '../core/db/open.ts';
import { DEMO_ACCOUNTS, ensureDemoAccounts } from '../core/demo/accounts.ts';
import { generateDemo } from '../core/demo/generate.ts';
import { createBridge } from './server.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function userDataDir(): string {
  if (process.env.LEDGER_USER_DATA) return process.env.LEDGER_USER_DATA;
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? os.homedir(), 'township-ledger');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'township-ledger');
}

async function ensureDemo(file: string): Promise<void> {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  console.log(`正在生成示范乡镇数据（首次运行）：${file}`);
  const tmp = `${file}.creating`;
  // What a killed first run left, with its WAL (a stale WAL would be replayed into the new file).
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${tmp}${suffix}`, { force: true });
  const store = await openLedgerDb(tmp, { create: true });
  generateDemo(store, 'township', 1);
  await store.close();
  fs.renameSync(tmp, file);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { db: { type: 'string' }, port: { type: 'string' } }, strict: true });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`端口应为 0–65535 的整数：${values.port}`);
  const rendererDir = path.join(ROOT, 'dist', 'renderer');
  if (!fs.existsSync(path.join(rendererDir, 'index.html')))
    throw new Error('界面尚未构建：请先运行 npx vite build（npm run web 会自动构建）');

  let file = values.db;
  const demo = file === undefined;
  if (file === undefined) {
    file = path.join(userDataDir(), 'demo.sqlite');
    await ensureDemo(file);
  } else if (!fs.existsSync(file)) {
    console.log(`数据库不存在，将新建空的乡镇数据库：${file}（首次打开时创建管理员账户）`);
  }
  // The demo township's accounts and passwords are shown on its login screen (and printed below); never a real one's.
  const ledger = await openLedger(path.resolve(file), {
    create: true,
    dailyBackup: true,
    ...(demo ? { demoAccounts: [...DEMO_ACCOUNTS] } : {}),
  });
  if (demo) await ensureDemoAccounts(ledger);
  const bridge = createBridge({ ledger, rendererDir });
  const url = await bridge.listen(port);
  console.log(`乡镇振兴台账（浏览器模式）已启动，数据库：${path.resolve(file)}`);
  console.log(`请在浏览器中打开：${url}`);
  if (demo)
    console.log(
      `示范账户（仅示范数据）：${DEMO_ACCOUNTS.map((a) => `${a.user} / ${a.password}（${a.role}）`).join('，')}`,
    );
  console.log('按 Ctrl+C 退出。');
  const stop = async () => {
    await bridge.close();
    await ledger.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return -1;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(`错误：${(e as Error).message}`);
    process.exit(2);
  },
);
