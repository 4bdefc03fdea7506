/** `check --rules` on the demo finds exactly the violations the generator planted; exit codes as documented. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
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
      const out = JSON.parse(run.stdout) as {
        errors: number;
        warnings: number;
        findings: { rule: string; severity: string; entity: string; id: number; message: string }[];
      };
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

describe('export and import on the command line', () => {
  it('exports the monthly submission and a notice, imports a file with --dry-run and --errors, as documented', async () => {
    const { messyWorkbook } = await import('./excel/fixtures.ts');
    const { newLedger, tempDir } = await import('./helpers.ts');
    const dir = tempDir();
    const demo = tempDbPath('cli-demo.sqlite');
    expect(cli('demo', '--db', demo).code).toBe(0);
    const out = path.join(dir, 'm.xlsx');
    const refused = cli('export', 'monthly', '--month', '2026-10', '--db', demo, '--out', out);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('数据校验有');
    const ok = cli('export', 'monthly', '--month', '2026-10', '--db', demo, '--out', out, '--reason', '演示');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ file: out, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const notice = cli(
      'export',
      'notice',
      '--kind',
      'subsidy',
      '--month',
      '2026-10',
      '--db',
      demo,
      '--out',
      path.join(dir, 'n.xlsx'),
    );
    expect(notice.code).toBe(0);
    expect(
      cli('export', 'notice', '--kind', 'nope', '--month', '2026-10', '--db', demo, '--out', path.join(dir, 'x.xlsx'))
        .code,
    ).toBe(2);

    const { ledger, file: db } = await newLedger();
    await ledger.run('village.create', { code: '529901101002', name: '石桥村' });
    await ledger.close();
    const sheet = path.join(dir, 'messy.xlsx');
    await messyWorkbook(sheet);
    const errors = path.join(dir, 'errors.xlsx');
    const dry = cli('import', 'households', sheet, '--db', db, '--dry-run', '--json');
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({
      kind: 'households',
      read: 5,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      rejected: 1,
      skipped: 0,
      villagesCreated: [],
      errors: [{ sheet: '青山村花名册', row: 9, column: '身份证号码', message: '与第 5 行的身份证号重复' }],
      warnings: [],
      // Nothing in the ledger yet: every household of the file is 只在国家系统.
      differences: expect.arrayContaining([expect.objectContaining({ kind: '只在国家系统', entity: '农户' })]),
    });
    // `import auto` says what the file is and runs the kinds it feeds.
    const auto = cli('import', 'auto', sheet, '--db', db, '--dry-run', '--json');
    expect(auto.code).toBe(0);
    expect(JSON.parse(auto.stdout)).toMatchObject({
      layout: expect.stringContaining('农户与家庭成员'),
      steps: [{ kind: 'households', inserted: 4, rejected: 1 }],
    });
    const real = cli('import', 'households', sheet, '--db', db, '--errors', errors, '--json');
    expect(JSON.parse(real.stdout)).toMatchObject({ inserted: 4, rejected: 1 });
    expect(fs.existsSync(errors)).toBe(true);
    expect(JSON.parse(cli('import', 'households', sheet, '--db', db, '--json').stdout)).toMatchObject({
      inserted: 0,
      unchanged: 4,
    });
  });
});
