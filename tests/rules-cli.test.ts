/** `check --rules` on the demo finds exactly the violations the generator planted; exit codes as documented. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDbPath } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const cli = (...args: string[]) => {
  const r = spawnSync(tsx, ['main/cli/index.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('check --rules', () => {
  for (const seed of ['1', '7']) {
    it(`finds exactly the planted problems in the demo township (seed ${seed})`, () => {
      const file = tempDbPath(`demo-${seed}.sqlite`);
      const demo = cli('demo', '--db', file, '--seed', seed);
      expect(demo.code).toBe(0);
      const planted = JSON.parse(demo.stdout).planted as Record<string, number>;
      expect(Object.values(planted).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(20);

      const run = cli('check', '--db', file, '--rules', '--month', '2026-10', '--json');
      expect(run.code).toBe(0);
      const out = JSON.parse(run.stdout) as { errors: number; warnings: number; findings: { rule: string; severity: string; entity: string; id: number; message: string }[] };
      const byRule: Record<string, number> = {};
      for (const f of out.findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
      expect(byRule).toEqual(planted);
      expect(out.errors + out.warnings).toBe(out.findings.length);
      expect(Object.keys(out.findings[0]!)).toEqual(['rule', 'severity', 'entity', 'id', 'message']);
      expect(out.findings.every((f) => f.severity === '错误' || f.severity === '提示')).toBe(true);
    });
  }

  it('exits 1 only when it cannot run, with one line', () => {
    const missing = cli('check', '--db', tempDbPath('nothing.sqlite'), '--rules', '--json');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('错误：');
    const badMonth = cli('check', '--db', tempDbPath('x.sqlite'), '--rules', '--month', '2026-13');
    expect(badMonth.code).toBe(1);
  });
});
