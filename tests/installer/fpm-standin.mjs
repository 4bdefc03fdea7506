#!/usr/bin/env node
// A stand-in for fpm, for the installer layout test only (tests/installer/layout.test.ts). electron-builder
// downloads fpm (a Ruby bundle) to build a .deb; machines without internet cannot, so the test points
// CUSTOM_FPM_PATH here. It takes exactly the arguments electron-builder passes fpm for `-s dir -t deb` and builds the
// package with dpkg-deb: the control fields from the options, the maintainer scripts, and the files from the
// `source=destination` mappings. Release builds (CI, `npm run dist -- --linux`) use the real fpm.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = { depends: [], recommends: [] };
const mappings = [];
const single = new Map([
  ['-s', 'source'],
  ['-t', 'target'],
  ['--architecture', 'architecture'],
  ['--after-install', 'afterInstall'],
  ['--after-remove', 'afterRemove'],
  ['--description', 'description'],
  ['--version', 'version'],
  ['--package', 'package'],
  ['--name', 'name'],
  ['--maintainer', 'maintainer'],
  ['--vendor', 'vendor'],
  ['--url', 'url'],
  ['--category', 'category'],
  ['--deb-priority', 'priority'],
  ['--deb-compression', 'compression'],
  ['--license', 'license'],
  ['--iteration', 'iteration'],
]);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--force' || a === '--debug') continue;
  if (a === '--log') {
    i++;
    continue;
  }
  if (a === '-d' || a === '--depends') opt.depends.push(args[++i]);
  else if (a === '--deb-recommends') opt.recommends.push(args[++i]);
  else if (single.has(a)) opt[single.get(a)] = args[++i];
  else if (a.startsWith('-')) {
    console.error(`fpm stand-in: unknown option ${a}`);
    process.exit(2);
  } else mappings.push(a);
}
if (opt.source !== 'dir' || opt.target !== 'deb') {
  console.error('fpm stand-in: only -s dir -t deb');
  process.exit(2);
}
for (const k of ['name', 'version', 'architecture', 'maintainer', 'description', 'package']) {
  if (!opt[k]) {
    console.error(`fpm stand-in: missing --${k}`);
    process.exit(2);
  }
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'fpm-standin-'));
try {
  for (const m of mappings) {
    const eq = m.lastIndexOf('=');
    const src = m.slice(0, eq);
    const dest = path.join(stage, m.slice(eq + 1));
    if (!fs.existsSync(src)) {
      console.error(`error: File not found: ${src}`);
      process.exit(1);
    }
    if (fs.statSync(src).isDirectory())
      fs.cpSync(src.replace(/\/$/, ''), dest, { recursive: true, verbatimSymlinks: true });
    else {
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.copyFileSync(src, dest);
    }
  }
  let installedKb = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else installedKb += Math.ceil(fs.lstatSync(p).size / 1024);
    }
  };
  walk(stage);
  const debian = path.join(stage, 'DEBIAN');
  fs.mkdirSync(debian);
  // fpm writes the description's first line as the synopsis and the rest as the extended description.
  const [synopsis, ...rest] = opt.description.split('\n');
  const extended = rest.map((l) => ` ${l.trim() === '' ? '.' : l.trim()}`).join('\n');
  const version = opt.iteration ? `${opt.version}-${opt.iteration}` : opt.version;
  const control = [
    `Package: ${opt.name}`,
    `Version: ${version}`,
    opt.license ? `License: ${opt.license}` : null,
    opt.vendor ? `Vendor: ${opt.vendor}` : null,
    `Architecture: ${opt.architecture}`,
    `Maintainer: ${opt.maintainer}`,
    `Installed-Size: ${installedKb}`,
    opt.depends.length ? `Depends: ${opt.depends.join(', ')}` : null,
    opt.recommends.length ? `Recommends: ${opt.recommends.join(', ')}` : null,
    `Section: ${opt.category ?? 'default'}`,
    `Priority: ${opt.priority ?? 'optional'}`,
    opt.url ? `Homepage: ${opt.url}` : null,
    `Description: ${synopsis.trim() || opt.name}`,
    extended || null,
  ].filter((l) => l !== null);
  fs.writeFileSync(path.join(debian, 'control'), `${control.join('\n')}\n`);
  if (opt.afterInstall) fs.copyFileSync(opt.afterInstall, path.join(debian, 'postinst'));
  if (opt.afterRemove) fs.copyFileSync(opt.afterRemove, path.join(debian, 'postrm'));
  for (const s of ['postinst', 'postrm'])
    if (fs.existsSync(path.join(debian, s))) fs.chmodSync(path.join(debian, s), 0o755);
  fs.rmSync(opt.package, { force: true });
  execFileSync(
    'dpkg-deb',
    // Fastest level: the test reads the package, it does not ship it (fpm uses xz's default).
    ['--root-owner-group', `-Z${opt.compression === 'gz' ? 'gzip' : 'xz'}`, '-z1', '--build', stage, opt.package],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
