/**
 * What the installers carry (issue 15), built here with a stub Electron folder: electron-builder cannot download
 * Electron on this machine, so `npm run dist` is run with `--electron-dist <stub>` for linux-x64, linux-arm64 (the
 * .deb of each, with its unpacked folder) and win32-x64 (`--dir`: the NSIS step needs makensis, which is downloaded
 * too). The stub is for the layout only — a placeholder executable carrying Electron's fuse wire and, for Windows, a
 * minimal PE with version information — the app never runs from it. The real installers are built and started in
 * CI (.github/workflows/release.yml), which runs the same `npm run dist` arguments.
 *
 * The .deb is assembled by tests/installer/fpm-standin.mjs (CUSTOM_FPM_PATH) from the arguments electron-builder
 * passes fpm (fpm itself is a download too): control fields, maintainer scripts, files and desktop entry are
 * electron-builder's, the packing is dpkg-deb's.
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { getRawHeader, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
};
const requireFromBuilder = createRequire(path.join(repo, 'node_modules', 'app-builder-lib', 'package.json'));
const NODE = process.execPath;
const MB = 1024 * 1024;
/** The SQLite driver and its successor (better-sqlite3-multiple-ciphers): the same prebuilds layout. */
const DRIVER = /^better-sqlite3(-multiple-ciphers)?$/;
const driverName = Object.keys(pkg.dependencies).find((d) => DRIVER.test(d))!;

// Electron's fuse wire as an Electron 45 binary carries it (v1, 8 fuses, Electron's defaults: RunAsNode on,
// cookie encryption off, NODE_OPTIONS on, --inspect on, asar integrity off, only-app.asar off, browser V8 snapshot
// off, file:// privileges on). electron-builder must flip it to what electron-builder.yml says.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_WIRE = [1, 0, 1, 1, 0, 0, 0, 1];
/** A fuse's byte in the wire: '0' off, '1' on (@electron/fuses' FuseState, not exported by it). */
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;
const fuseWire = () =>
  Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, DEFAULT_WIRE.length, ...DEFAULT_WIRE.map((b) => 48 + b)])]);

function stubCommonFiles(dir: string): void {
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stub Electron folder (layout test only)\n');
  fs.writeFileSync(path.join(dir, 'LICENSES.chromium.html'), '<p>stub</p>\n');
  fs.writeFileSync(path.join(dir, 'version'), '45.4.1');
  fs.mkdirSync(path.join(dir, 'resources'));
}

function makeLinuxStub(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  stubCommonFiles(dir);
  const script = Buffer.from(
    '#!/bin/sh\necho "stub Electron for the installer layout test: it does not run the app" >&2\nexit 1\n',
  );
  fs.writeFileSync(path.join(dir, 'electron'), Buffer.concat([script, fuseWire(), Buffer.from('\n')]), { mode: 0o755 });
}

interface ResEdit {
  NtExecutable: {
    createEmpty(is32Bit?: boolean, isDll?: boolean): ResEditExe;
    from(bin: Buffer): ResEditExe;
  };
  NtExecutableResource: { from(exe: ResEditExe): { entries: ResEntry[]; outputResource(exe: ResEditExe): void } };
  Resource: {
    VersionInfo: {
      createEmpty(): {
        lang: number;
        setStringValues(l: { lang: number; codepage: number }, values: Record<string, string>): void;
        outputToResourceEntries(entries: ResEntry[]): void;
      };
      fromEntries(
        entries: ResEntry[],
      ): { getStringValues(l: { lang: number; codepage: number }): Record<string, string> }[];
    };
  };
}
interface ResEditExe {
  setExtraData(bin: Buffer): void;
  generate(): ArrayBuffer;
}
interface ResEntry {
  type: string | number;
  id: string | number;
  lang: number;
  bin: ArrayBuffer;
}
const resedit = requireFromBuilder('resedit') as ResEdit;

function makeWinStub(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  stubCommonFiles(dir);
  // A minimal x64 PE with the version resource electron-builder edits, and the fuse wire after it.
  const exe = resedit.NtExecutable.createEmpty(false, false);
  const res = resedit.NtExecutableResource.from(exe);
  const vi = resedit.Resource.VersionInfo.createEmpty();
  vi.lang = 1033;
  vi.setStringValues(
    { lang: 1033, codepage: 1200 },
    { ProductName: 'Electron', FileDescription: 'stub', FileVersion: '45.4.1', OriginalFilename: 'electron.exe' },
  );
  vi.outputToResourceEntries(res.entries);
  res.outputResource(exe);
  exe.setExtraData(fuseWire());
  fs.writeFileSync(path.join(dir, 'electron.exe'), Buffer.from(exe.generate()));
}

interface Run {
  code: number | null;
  out: string;
  ms: number;
}
function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(NODE, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => resolve({ code, out, ms: Date.now() - started }));
  });
}

/** The arguments of `npm run dist` each build uses here; the release workflow must run the same ones. */
const LINUX_ARGS = ['--linux', '--x64', '--arm64'];
const WIN_ARGS = ['--win', '--x64'];

let tmp: string;
let linuxOut: string;
let winOut: string;
const timings: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-installer-'));
  const stubLinux = path.join(tmp, 'stub-electron-linux');
  const stubWin = path.join(tmp, 'stub-electron-win');
  makeLinuxStub(stubLinux);
  makeWinStub(stubWin);
  linuxOut = path.join(tmp, 'out-linux');
  winOut = path.join(tmp, 'out-win');
  // What `npm run dist` packs: the Vite build (npm test builds it first) and the Electron bundles.
  if (!fs.existsSync(path.join(repo, 'dist', 'renderer', 'index.html'))) {
    execFileSync(NODE, [path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: repo,
      stdio: 'pipe',
    });
  }
  execFileSync(NODE, [path.join(repo, 'scripts', 'build-electron.mjs')], { cwd: repo, stdio: 'pipe' });
  const dist = path.join(repo, 'scripts', 'dist.mjs');
  const [linux, win] = await Promise.all([
    run([dist, ...LINUX_ARGS, '--prebuilt', '--electron-dist', stubLinux, '--out', linuxOut], {
      CUSTOM_FPM_PATH: path.join(repo, 'tests', 'installer', 'fpm-standin.mjs'),
    }),
    run([dist, ...WIN_ARGS, '--dir', '--prebuilt', '--electron-dist', stubWin, '--out', winOut]),
  ]);
  if (linux.code !== 0) throw new Error(`npm run dist ${LINUX_ARGS.join(' ')} failed:\n${linux.out}`);
  if (win.code !== 0) throw new Error(`npm run dist ${WIN_ARGS.join(' ')} --dir failed:\n${win.out}`);
  timings.push(`deb x64 + arm64 ${(linux.ms / 1000).toFixed(1)} s`, `win --dir ${(win.ms / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(() => {
  if (timings.length) console.log(`installer layout builds (stub Electron): ${timings.join(', ')}`);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join('/'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out.sort();
}

const size = (file: string) => fs.statSync(file).size;

/** The CPU a native binary is built for, read from its header (ELF e_machine / PE machine). */
function machineOf(file: string): string {
  const b = fs.readFileSync(file);
  if (b.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
    const m = b.readUInt16LE(18);
    return m === 0x3e ? 'linux-x64' : m === 0xb7 ? 'linux-arm64' : `elf-${m}`;
  }
  if (b.readUInt16LE(0) === 0x5a4d) {
    const pe = b.readUInt32LE(0x3c);
    const m = b.readUInt16LE(pe + 4);
    return m === 0x8664 ? 'win32-x64' : m === 0xaa64 ? 'win32-arm64' : `pe-${m}`;
  }
  return 'unknown';
}

const TARGETS = [
  { target: 'linux-x64', dir: () => path.join(linuxOut, 'linux-unpacked'), exe: 'township-ledger' },
  { target: 'linux-arm64', dir: () => path.join(linuxOut, 'linux-arm64-unpacked'), exe: 'township-ledger' },
  { target: 'win32-x64', dir: () => path.join(winOut, 'win-unpacked'), exe: 'township-ledger.exe' },
] as const;

/** What the asar may hold: the bundles, the UI build, package.json and the driver's JavaScript. */
const ALLOWED_IN_ASAR = [
  /^package\.json$/,
  /^dist\/electron\/(main|core-host|preload)\.cjs$/,
  /^dist\/renderer\/index\.html$/,
  /^dist\/renderer\/assets\/[^/]+\.(js|css|woff2?|ttf|svg|png)$/,
  /^node_modules\/better-sqlite3(-multiple-ciphers)?\/(package\.json|LICENSE|lib\/.+\.js)$/,
];

describe('installers built with a stub Electron folder (layout only: the stub never runs the app)', () => {
  describe.each(TARGETS)('$target', ({ target, dir, exe }) => {
    it('the asar holds only the bundles, the UI and the driver’s JavaScript: no sources, maps, tests', () => {
      const asar = path.join(dir(), 'resources', 'app.asar');
      const header = getRawHeader(asar).header as { files: Record<string, unknown> };
      const files: string[] = [];
      const walk = (node: { files?: Record<string, unknown>; unpacked?: boolean }, prefix: string) => {
        for (const [name, child] of Object.entries(node.files ?? {})) {
          const c = child as { files?: Record<string, unknown>; unpacked?: boolean };
          const p = prefix ? `${prefix}/${name}` : name;
          if (c.files) walk(c, p);
          else if (!c.unpacked) files.push(p);
        }
      };
      walk(header, '');
      const stray = files.filter((f) => !ALLOWED_IN_ASAR.some((re) => re.test(f)));
      expect(stray).toEqual([]);
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'dist/electron/main.cjs',
          'dist/electron/core-host.cjs',
          'dist/electron/preload.cjs',
          'dist/renderer/index.html',
          `node_modules/${driverName}/lib/index.js`,
        ]),
      );
      expect(files.filter((f) => /\.map$|(^|\/)(src|deps|tests?)\//.test(f) || /\.tsx?$/.test(f))).toEqual([]);
      // listPackage agrees (it also lists unpacked entries): no .node inside the archive itself.
      expect(listPackage(asar, { isPack: false }).filter((f) => f.endsWith('.map'))).toEqual([]);
    });

    it(`exactly the driver's ${target} binary is unpacked, built for ${target}`, () => {
      const unpacked = filesUnder(path.join(dir(), 'resources', 'app.asar.unpacked'));
      expect(unpacked).toHaveLength(1);
      expect(unpacked[0]).toMatch(
        new RegExp(`^node_modules/better-sqlite3(-multiple-ciphers)?/prebuilds/${target}\\.node$`),
      );
      expect(machineOf(path.join(dir(), 'resources', 'app.asar.unpacked', unpacked[0]!))).toBe(target);
      const all = filesUnder(dir());
      expect(all.filter((f) => f.endsWith('.node'))).toEqual([`resources/app.asar.unpacked/${unpacked[0]}`]);
      expect(all.filter((f) => /\.map$|(^|\/)(src|deps)\//.test(f))).toEqual([]);
    });

    it('the app payload (app.asar + unpacked) is under 15 MB', () => {
      const res = path.join(dir(), 'resources');
      const total =
        size(path.join(res, 'app.asar')) +
        filesUnder(path.join(res, 'app.asar.unpacked')).reduce(
          (n, f) => n + size(path.join(res, 'app.asar.unpacked', f)),
          0,
        );
      console.log(`${target}: app payload ${(total / MB).toFixed(1)} MB`);
      expect(total).toBeLessThan(15 * MB);
    });

    it('Electron fuses are flipped as electron-builder.yml says', async () => {
      const wire = (await getCurrentFuseWire(path.join(dir(), exe))) as unknown as Record<number, number>;
      expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    });
  });

  it('win32-x64: the exe names the product and carries the asar integrity hash (checked by the fuse above)', () => {
    const dir = path.join(winOut, 'win-unpacked');
    const exe = resedit.NtExecutable.from(fs.readFileSync(path.join(dir, 'township-ledger.exe')));
    const entries = resedit.NtExecutableResource.from(exe).entries;
    const integrity = entries.find((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR');
    expect(integrity).toBeDefined();
    const list = JSON.parse(Buffer.from(integrity!.bin).toString('utf8')) as {
      file: string;
      alg: string;
      value: string;
    }[];
    const asar = path.join(dir, 'resources', 'app.asar');
    // Electron hashes the asar header (the JSON after the 16-byte pickle prefix).
    const raw = fs.readFileSync(asar);
    const headerJson = raw.subarray(16, 16 + raw.readUInt32LE(12));
    expect(list).toEqual([
      {
        file: 'resources\\app.asar',
        alg: 'SHA256',
        value: crypto.createHash('sha256').update(headerJson).digest('hex'),
      },
    ]);
    const [info] = resedit.Resource.VersionInfo.fromEntries(entries);
    const strings = info!.getStringValues({ lang: 1033, codepage: 1200 });
    expect(strings.ProductName).toBe('乡镇振兴台账');
    expect(strings.FileVersion).toContain(pkg.version);
    expect(entries.some((e) => e.type === 14)).toBe(true); // RT_GROUP_ICON: the icon from resources/icon.ico
  });

  describe.each([
    { arch: 'x64', deb: 'amd64' },
    { arch: 'arm64', deb: 'arm64' },
  ])('deb $arch', ({ arch, deb }) => {
    const file = () => path.join(linuxOut, `township-ledger-${pkg.version}-linux-${deb}.deb`);
    const field = (name: string) => execFileSync('dpkg-deb', ['-f', file(), name], { encoding: 'utf8' }).trim();
    const contents = () =>
      execFileSync('dpkg-deb', ['-c', file()], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(/\s+/).slice(5).join(' ').replace(/^\./, ''));
    const extract = (member: string) => {
      const tar = execFileSync('dpkg-deb', ['--fsys-tarfile', file()], { maxBuffer: 200 * MB });
      return execFileSync('tar', ['-xO', `.${member}`], { input: tar, encoding: 'utf8', maxBuffer: 50 * MB });
    };

    it('has an ASCII name and its SHA-256 beside it', () => {
      expect(path.basename(file())).toMatch(/^township-ledger-\d+\.\d+\.\d+-linux-(amd64|arm64)\.deb$/);
      const sum = fs.readFileSync(`${file()}.sha256`, 'utf8');
      const hash = crypto.createHash('sha256').update(fs.readFileSync(file())).digest('hex');
      expect(sum).toBe(`${hash}  ${path.basename(file())}\n`);
    });

    it('control: package, architecture, maintainer with email, homepage, depends with a CJK font', () => {
      expect(field('Package')).toBe('township-ledger');
      expect(field('Version')).toBe(pkg.version);
      expect(field('Architecture')).toBe(deb);
      expect(field('Maintainer')).toMatch(/^.+ <[^@\s]+@[^@\s]+\.[a-z]+>$/);
      expect(field('Homepage')).toMatch(/^https:\/\//);
      expect(field('Description')).toContain('乡镇振兴台账');
      const depends = field('Depends').split(/,\s*/);
      expect(depends).toEqual(expect.arrayContaining(['libnss3', 'libgbm1', 'xdg-utils']));
      expect(depends.some((d) => d.startsWith('libgtk-3-0'))).toBe(true);
      expect(depends.some((d) => d.startsWith('libasound2'))).toBe(true);
      const font = depends.find((d) => d.includes('fonts-'));
      expect(font?.split(/\s*\|\s*/)).toEqual(expect.arrayContaining(['fonts-noto-cjk', 'fonts-wqy-microhei']));
    });

    it('files: the app under /opt with only its own binary, the desktop entry and every icon size', () => {
      const files = contents();
      const app = '/opt/乡镇振兴台账/';
      expect(files).toContain(`${app}township-ledger`);
      expect(files).toContain(`${app}resources/app.asar`);
      const nodes = files.filter((f) => f.endsWith('.node'));
      expect(nodes).toHaveLength(1);
      expect(nodes[0]).toMatch(new RegExp(`/prebuilds/linux-${arch}\\.node$`));
      expect(files.filter((f) => /\.map$|\/(src|deps)\//.test(f))).toEqual([]);
      expect(files).toContain('/usr/share/applications/township-ledger.desktop');
      for (const s of [16, 32, 48, 64, 128, 256, 512])
        expect(files).toContain(`/usr/share/icons/hicolor/${s}x${s}/apps/township-ledger.png`);
    });

    it('desktop entry in Chinese, in the Office menu, starting the installed binary', () => {
      const entry = extract('/usr/share/applications/township-ledger.desktop');
      const keys = new Map(
        entry
          .split('\n')
          .filter((l) => l.includes('='))
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
      );
      expect(entry.split('\n')[0]).toBe('[Desktop Entry]');
      expect(keys.get('Name')).toBe('乡镇振兴台账');
      expect(keys.get('Name[zh_CN]')).toBe('乡镇振兴台账');
      expect(keys.get('Comment')).toMatch(/[\u4e00-\u9fff]/);
      expect(keys.get('Type')).toBe('Application');
      expect(keys.get('Categories')).toBe('Office;');
      expect(keys.get('Icon')).toBe('township-ledger');
      expect(keys.get('Exec')).toMatch(/^"?\/opt\/乡镇振兴台账\/township-ledger"? %U$/);
      expect(keys.get('StartupWMClass')).toBe('township-ledger');
    });
  });

  it('the release workflow runs the same npm run dist arguments as this test and uploads the SHA-256 sums', () => {
    const yaml = requireFromBuilder('js-yaml') as { load(text: string): unknown };
    const text = fs.readFileSync(path.join(repo, '.github', 'workflows', 'release.yml'), 'utf8');
    const wf = yaml.load(text) as {
      jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }>;
    };
    const runs = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs).toContain(`npm run dist -- ${LINUX_ARGS.join(' ')}`);
    expect(runs).toContain(`npm run dist -- ${WIN_ARGS.join(' ')}`);
    expect(runs.some((r) => /xvfb-run .*vitest run tests\/electron/.test(r))).toBe(true);
    const uploads = Object.values(wf.jobs).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact')),
    );
    expect(uploads.length).toBeGreaterThanOrEqual(2);
    for (const u of uploads) expect(u.with?.path).toMatch(/\.sha256/);
  });
});

describe('npm run dist where Electron cannot be downloaded', () => {
  it('says so in one line and exits 1', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-no-electron-'));
    try {
      const r = await run([path.join(repo, 'scripts', 'dist.mjs'), '--linux'], {
        // A host that never resolves (RFC 6761) and an empty download cache: offline, wherever this runs.
        ELECTRON_MIRROR: 'https://electron.invalid/',
        electron_config_cache: cache,
      });
      expect(r.code).toBe(1);
      const lines = r.out.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain('无法下载 Electron');
      expect(lines[0]).toContain('cannot be downloaded');
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  });
});
