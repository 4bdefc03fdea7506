// Bundles the Electron shell with esbuild (platform node, CommonJS because package.json is "type": "module"):
//   main/electron/main.ts      -> dist/electron/main.cjs       (package.json "main")
//   main/electron/core-host.ts -> dist/electron/core-host.cjs  (utility process: the core + better-sqlite3)
//   main/electron/preload.cts  -> dist/electron/preload.cjs    (sandboxed preload: may require only electron)
// electron and the SQLite driver (native) stay external.
// Usage: node scripts/build-electron.mjs [--outdir DIR]   (tests build into their own folder under .tmp/)
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = path.join(root, 'dist', 'electron');

const entries = [
  { in: 'main/electron/main.ts', out: 'main.cjs' },
  { in: 'main/electron/core-host.ts', out: 'core-host.cjs' },
  { in: 'main/electron/preload.cts', out: 'preload.cjs' },
];

export async function buildElectron({ quiet = false, out: target = outDir } = {}) {
  // Built beside the target and swapped in at the end: a test or app starting from the folder meanwhile (the
  // Electron e2e suite and the installer layout test both build dist/electron) never finds it half written.
  const out = `${target}.building-${process.pid}`;
  fs.rmSync(out, { recursive: true, force: true });
  const started = Date.now();
  await Promise.all(
    entries.map((e) =>
      build({
        absWorkingDir: root,
        entryPoints: [e.in],
        outfile: path.join(out, e.out),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node22',
        // The SQLite driver (or its successor better-sqlite3-multiple-ciphers) loads its native binary at run time.
        external: ['electron', 'better-sqlite3', 'better-sqlite3-multiple-ciphers'],
        sourcemap: 'linked',
        legalComments: 'none',
        logLevel: 'warning',
      }),
    ),
  ).catch((e) => {
    fs.rmSync(out, { recursive: true, force: true });
    throw e;
  });
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(out, target);
  if (!quiet) {
    const sizes = entries.map((e) => `${e.out} ${Math.round(fs.statSync(path.join(target, e.out)).size / 1024)} KB`);
    console.log(`${path.relative(root, target)}: ${sizes.join(', ')} (${Date.now() - started} ms)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--outdir');
  const out = i > 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : outDir;
  buildElectron({ out }).catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
