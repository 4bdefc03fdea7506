// Builds the installers (electron-builder.yml): `npm run dist -- --win|--linux [--x64] [--arm64] [--dir]`.
//   --win            NSIS installer, x64:            dist/installers/township-ledger-<version>-win-x64.exe
//   --linux          deb, x64 (--arm64 for ARM, both flags for both):
//                                                    dist/installers/township-ledger-<version>-linux-{amd64,arm64}.deb
//   --dir            the unpacked app folder only (no installer)
//   --prebuilt       skip `vite build` and the Electron bundles (already built)
//   --electron-dist DIR   package this Electron folder instead of downloading Electron (the layout test's stub)
//   --out DIR        output folder (default dist/installers)
// Each installer gets <file>.sha256 beside it (sha256sum format) and a line on stdout.
// electron-builder downloads Electron (and the NSIS / fpm tools) for the target: where that cannot happen (an
// offline machine) this says so in one line and exits 1; build on a machine with internet or in CI
// (.github/workflows/release.yml).
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import fs from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OFFLINE =
  '无法构建安装包：本机无法下载 Electron（离线）。请在能联网的机器或 CI（.github/workflows/release.yml）上运行 npm run dist / Cannot build installers: Electron cannot be downloaded here (offline); run npm run dist where it can, or in CI';

function usage(message) {
  console.error(`错误：${message} / Usage: npm run dist -- --win|--linux [--x64] [--arm64] [--dir]`);
  process.exit(2);
}

export function parseArgs(argv) {
  const o = { platform: null, arches: [], dir: false, prebuilt: false, electronDist: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--win' || a === '--linux') {
      if (o.platform && o.platform !== a.slice(2)) usage('一次只构建一个平台 / one platform at a time');
      o.platform = a.slice(2);
    } else if (a === '--x64' || a === '--arm64') o.arches.push(a.slice(2));
    else if (a === '--dir') o.dir = true;
    else if (a === '--prebuilt') o.prebuilt = true;
    else if (a === '--electron-dist' && argv[i + 1]) o.electronDist = path.resolve(argv[++i]);
    else if (a === '--out' && argv[i + 1]) o.out = path.resolve(argv[++i]);
    else usage(`未知参数 ${a}`);
  }
  if (!o.platform) usage('请指定 --win 或 --linux');
  if (o.arches.length === 0) o.arches.push('x64');
  if (o.platform === 'win' && o.arches.includes('arm64')) usage('Windows 只构建 x64 / Windows: x64 only');
  return o;
}

/** The electron-builder arguments for these options: the layout test and the release workflow run the same. */
export function builderArgs(o) {
  const args = [o.platform === 'win' ? '--win' : '--linux'];
  if (!o.dir) args.push(o.platform === 'win' ? 'nsis' : 'deb');
  for (const a of o.arches) args.push(`--${a}`);
  if (o.dir) args.push('--dir');
  args.push('--publish', 'never');
  if (o.electronDist) args.push(`-c.electronDist=${o.electronDist}`);
  if (o.out) args.push(`-c.directories.output=${o.out}`);
  return args;
}

function electronVersion() {
  return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** True when Electron for every target is in electron's download cache or its download host resolves. */
async function electronReachable(o) {
  const version = electronVersion();
  const cacheRoot =
    process.env.electron_config_cache ||
    process.env.ELECTRON_CACHE ||
    (process.platform === 'win32'
      ? path.join(process.env.LOCALAPPDATA || os.homedir(), 'electron', 'Cache')
      : process.platform === 'darwin'
        ? path.join(os.homedir(), 'Library', 'Caches', 'electron')
        : path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'electron'));
  const platform = o.platform === 'win' ? 'win32' : 'linux';
  const cached = (arch) => {
    const name = `electron-v${version}-${platform}-${arch}.zip`;
    if (!fs.existsSync(cacheRoot)) return false;
    return fs.readdirSync(cacheRoot).some((d) => fs.existsSync(path.join(cacheRoot, d, name)));
  };
  if (o.arches.every(cached)) return true;
  const host = new URL(process.env.ELECTRON_MIRROR || 'https://github.com/electron/electron/releases/download/')
    .hostname;
  try {
    await Promise.race([dns.lookup(host), sleep(5000).then(() => Promise.reject(new Error('timeout')))]);
    return true;
  } catch {
    return false;
  }
}

const NETWORK_ERROR =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|getaddrinfo|socket hang up|status code 40[34]|unable to download|cannot download/i;

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (!o.electronDist && !(await electronReachable(o))) {
    console.error(OFFLINE);
    process.exit(1);
  }
  if (!o.prebuilt) {
    execFileSync(
      process.execPath,
      [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build-electron.mjs')], { cwd: root, stdio: 'inherit' });
  }
  const out = o.out ?? path.join(root, 'dist', 'installers');
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'electron-builder', 'cli.js'), ...builderArgs(o)],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) {
    if (!o.electronDist && NETWORK_ERROR.test(log)) console.error(OFFLINE);
    else process.stderr.write(log);
    process.exit(code);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (o.dir) {
    const dirs = fs.readdirSync(out).filter((d) => d.endsWith('-unpacked'));
    console.log(`${dirs.map((d) => path.join(path.relative(root, out) || '.', d)).join(', ')} (${seconds} s)`);
    return;
  }
  const installers = fs.readdirSync(out).filter((f) => /^township-ledger-.*\.(exe|deb)$/.test(f));
  for (const f of installers) {
    const hash = sha256(path.join(out, f));
    fs.writeFileSync(path.join(out, `${f}.sha256`), `${hash}  ${f}\n`);
    console.log(
      `${hash}  ${path.join(path.relative(root, out) || '.', f)}  ${(fs.statSync(path.join(out, f)).size / 1048576).toFixed(1)} MB`,
    );
  }
  console.log(`${installers.length} installer(s) in ${seconds} s`);
}

if (
  import.meta.url === `file://${process.argv[1]}` ||
  fileURLToPath(import.meta.url) === path.resolve(process.argv[1] ?? '')
) {
  await main();
}
