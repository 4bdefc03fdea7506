import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');

function sources(dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => path.join(dir, f));
}

function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map(
    (m) => m[1] ?? m[2]!,
  );
}

function resolves(file: string, spec: string): string {
  return spec.startsWith('.') ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), spec)) : spec;
}

describe('dependency direction: renderer → shared ← main', () => {
  it('shared imports neither main, renderer, Node nor electron', () => {
    for (const f of sources('shared')) {
      for (const spec of imports(f)) {
        const target = resolves(f, spec);
        expect(target, `${f} imports ${spec}`).not.toMatch(/^(main|renderer)\//);
        expect(spec, `${f} imports ${spec}`).not.toMatch(/^(node:|electron|fs$|path$|better-sqlite3|kysely)/);
      }
    }
  });

  it('the renderer never imports main or Node', () => {
    for (const f of sources('renderer')) {
      for (const spec of imports(f)) {
        expect(resolves(f, spec), `${f} imports ${spec}`).not.toMatch(/^main\//);
        expect(spec, `${f} imports ${spec}`).not.toMatch(/^(node:|better-sqlite3|kysely)/);
      }
    }
  });

  it('the core never imports electron', () => {
    const files = sources('main/core');
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      for (const spec of imports(f)) expect(spec, `${f} imports ${spec}`).not.toMatch(/^electron/);
    }
  });
});
