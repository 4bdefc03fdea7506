import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../main/core/db/migrations.ts';
import { tempDbPath } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function cli(...args: string[]) {
  const r = spawnSync(tsx, ['main/cli/index.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('command line', () => {
  it('builds the demo township, prints stats as one JSON object and checks the file', () => {
    const file = tempDbPath('demo.sqlite');
    const demo = cli('demo', '--db', file, '--seed', '3');
    expect(demo.code).toBe(0);
    expect(JSON.parse(demo.stdout)).toMatchObject({ scale: 'township', villages: 12, households: 3000 });

    const stats = cli('stats', '--db', file, '--month', '2026-10', '--json');
    expect(stats.code).toBe(0);
    expect(stats.stdout.trim().split('\n')).toHaveLength(1);
    const figures = JSON.parse(stats.stdout);
    expect(Object.keys(figures)).toEqual(['villages', 'households', 'persons', 'monitoring', 'posts', 'relocation']);
    expect(Object.keys(figures.monitoring)).toEqual([
      'asOf',
      'current',
      'byCategory',
      'identifiedInMonth',
      'eliminatedInMonth',
    ]);
    expect(Object.keys(figures.monitoring.byCategory)).toEqual(['脱贫不稳定户', '边缘易致贫户', '突发严重困难户']);
    expect(Object.keys(figures.posts)).toEqual(['posts', 'holdersInMonth', 'subsidyFenInMonth']);
    expect(Object.keys(figures.relocation)).toEqual(['sites', 'households', 'labour', 'employed']);
    expect(figures.monitoring.asOf).toBe('2026-10-31');
    expect(figures.households).toBe(3000);

    const check = cli('check', '--db', file);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain(`结构版本 ${LATEST_SCHEMA_VERSION}`);
  });

  it('answers bad arguments and missing files with one Chinese+English line and exit code 2', () => {
    const cases = [
      cli('stats', '--db', tempDbPath('missing.sqlite'), '--json'),
      cli('stats', '--json'),
      cli('stats', '--db', 'x.sqlite', '--month', '2026-13'),
      cli('frobnicate'),
      cli('demo', '--db', tempDbPath('x.sqlite'), '--scale', 'planet'),
      cli('stats', '--db', 'x', '--bogus'),
    ];
    for (const r of cases) {
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^错误：.+ \/ Error: .+/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses a file that is not a ledger database, and check fails on it', () => {
    const file = tempDbPath('not-a-db.sqlite');
    fs.writeFileSync(file, 'plain text '.repeat(500));
    const stats = cli('stats', '--db', file, '--json');
    expect(stats.code).toBe(2);
    expect(stats.stderr).toContain('not a Township Ledger database');
    expect(cli('check', '--db', file).code).not.toBe(0);
  });
});
