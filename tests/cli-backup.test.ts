/**
 * `backup`, `backups` and `restore` on the command line (issue 11 item 3), their refusals as one Chinese+English
 * line, and a restore SIGKILLed at random moments: the database is the one before or the one restored, never a
 * mix, and sound.
 */
import BetterSqlite3 from 'better-sqlite3';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../main/core/db/migrations.ts';
import { generateDemo } from '../main/core/demo/generate.ts';
import { openLedger } from '../main/core/ledger.ts';
import { familyOf, newLedger, tempDir } from './helpers.ts';
import { integrity, ROOT, runCli } from './processes.ts';

const households = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM household').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('backup, backups and restore on the command line', () => {
  it('backs up (and copies to --to), lists with figures, restores, and the restore is in the audit log', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    await ledger.close();
    const usb = tempDir();
    const b = await runCli(['backup', '--db', file, '--to', usb]);
    expect(b.stderr).toBe('');
    expect(b.code).toBe(0);
    const made = JSON.parse(b.stdout) as { file: string; copy: string; figures: { households: number } };
    expect(path.dirname(made.file)).toBe(path.join(path.dirname(file), '备份'));
    expect(made.figures.households).toBe(1);
    expect(fs.existsSync(made.copy)).toBe(true);
    expect(path.dirname(made.copy)).toBe(usb);

    const later = await openLedger(file);
    await familyOf(later, villageId, 2);
    await later.close();
    expect(households(file)).toBe(2);

    const list = await runCli(['backups', '--db', file, '--json']);
    expect(list.code).toBe(0);
    const listed = JSON.parse(list.stdout) as {
      status: { lastCopyAt: string | null; remind: boolean };
      backups: { name: string; reason: string; figures: { households: number; persons: number } }[];
    };
    expect(listed.backups).toHaveLength(1);
    expect(listed.backups[0]).toMatchObject({ reason: 'manual', figures: { households: 1, persons: 3 } });
    expect(listed.status.remind).toBe(false);

    const r = await runCli(['restore', '--db', file, '--from', listed.backups[0]!.name]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const restored = JSON.parse(r.stdout) as { restored: string; before: string };
    expect(households(file)).toBe(1);
    expect(households(restored.before)).toBe(2);
    const db = new BetterSqlite3(file, { readonly: true });
    expect(db.prepare('SELECT actor, action, summary FROM audit_log ORDER BY id DESC LIMIT 1').get()).toMatchObject({
      actor: '命令行',
      action: '恢复',
    });
    db.close();
    // The copy on the drive restores too (a path).
    const back = await runCli(['restore', '--db', file, '--from', restored.before]);
    expect(back.code).toBe(0);
    expect(households(file)).toBe(2);
  }, 60_000);

  it('refuses a file that is not a ledger, a damaged one and one from a newer version: one line, exit 2, file untouched', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    await ledger.close();
    const dir = tempDir();
    const text = path.join(dir, '备份.sqlite');
    fs.writeFileSync(text, '不是数据库'.repeat(300));
    const newer = path.join(dir, 'newer.sqlite');
    const copy = await runCli(['backup', '--db', file]);
    fs.copyFileSync((JSON.parse(copy.stdout) as { file: string }).file, newer);
    const n = new BetterSqlite3(newer);
    n.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    n.close();
    const damaged = path.join(dir, 'damaged.sqlite');
    const bytes = fs.readFileSync(newer);
    bytes.fill(0x55, 4096 * 3, 4096 * 3 + 2000);
    fs.writeFileSync(damaged, bytes);
    const before = fs.readFileSync(file);
    for (const [from, message] of [
      [text, /不是乡镇振兴台账数据库/],
      [newer, /较新版本/],
      [damaged, /已损坏|不是/],
      [path.join(dir, 'missing.sqlite'), /无法打开备份文件/],
    ] as const) {
      const r = await runCli(['restore', '--db', file, '--from', from]);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^错误：.+ \/ Error: .+/);
      expect(lines[0]).toMatch(message);
    }
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const usage = await runCli(['restore', '--db', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/缺少 --from/);
  }, 60_000);
});

describe('restore over a database SQLite cannot open', () => {
  it('puts the backup in its place and keeps the damaged file (with its WAL) in 备份/', async () => {
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    const saved = await ledger.run('backup.create', {});
    await familyOf(ledger, villageId, 2);
    await ledger.close();
    const damaged = Buffer.from('磁盘损坏'.repeat(4000));
    fs.writeFileSync(file, damaged);
    expect((await runCli(['stats', '--db', file, '--json'])).code).toBe(2);
    fs.writeFileSync(`${file}-wal`, 'stale wal');
    const r = await runCli(['restore', '--db', file, '--from', saved.name]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(households(file)).toBe(1);
    expect(integrity(file)).toEqual([]);
    const dir = path.join(path.dirname(file), '备份');
    const kept = fs.readdirSync(dir).filter((n) => n.startsWith('损坏-'));
    expect(kept).toEqual(
      expect.arrayContaining([expect.stringMatching(/\.sqlite$/), expect.stringMatching(/\.sqlite-wal$/)]),
    );
    expect(fs.existsSync(`${file}-wal`) && fs.readFileSync(`${file}-wal`, 'utf8') === 'stale wal').toBe(false);
    expect(
      fs
        .readFileSync(
          path.join(
            dir,
            kept.find((n) => n.endsWith('.sqlite'))!,
          ),
        )
        .equals(damaged),
    ).toBe(true);
    // Not listed as a backup, and the ledger opens and works again.
    expect(
      (JSON.parse((await runCli(['backups', '--db', file, '--json'])).stdout) as { backups: unknown[] }).backups,
    ).toHaveLength(1);
    const reopened = await openLedger(file);
    await familyOf(reopened, villageId, 3);
    await reopened.close();
  }, 60_000);
});

describe('restore killed midway', () => {
  const bundleDir = path.join(ROOT, '.tmp', `restore-cli-${process.pid}`);
  afterAll(() => fs.rmSync(bundleDir, { recursive: true, force: true }));

  it('leaves the database as it was or as restored, sound, whenever it is SIGKILLed', async () => {
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['main/cli/index.ts'],
      outfile: path.join(bundleDir, 'cli.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      external: ['better-sqlite3'],
      banner: { js: "import { createRequire as __req } from 'node:module'; const require = __req(import.meta.url);" },
      logLevel: 'warning',
    });
    const cli = {
      command: [process.execPath, '--no-deprecation', path.join(bundleDir, 'cli.mjs')],
      env: { NODE_COMPILE_CACHE: path.join(bundleDir, 'cache') },
    };
    // The backup: a demo township (3,000 households); the database: an empty ledger with one family.
    const dir = tempDir();
    const demoFile = path.join(dir, 'demo.sqlite');
    const demo = await openLedger(demoFile, { create: true });
    generateDemo(demo.store, 'township', 1);
    await demo.close();
    const source = path.join(dir, 'township-demo.sqlite');
    const d = new BetterSqlite3(demoFile);
    await d.backup(source);
    d.close();
    const { ledger, file, villageId } = await newLedger();
    await familyOf(ledger, villageId, 1);
    await ledger.close();
    const pristine = path.join(dir, 'pristine.sqlite');
    fs.copyFileSync(file, pristine);

    const started = Date.now();
    const full = await runCli(['restore', '--db', file, '--from', source], cli);
    expect(full.stderr).toBe('');
    const ms = Date.now() - started;
    expect(households(file)).toBe(3000);

    let kills = 0;
    const seen = { before: 0, after: 0 };
    for (let run = 0; kills < 12 && run < 40; run++) {
      // Each run starts from the one-family ledger (its WAL and backups removed).
      for (const s of ['', '-wal', '-shm']) fs.rmSync(`${file}${s}`, { force: true });
      fs.copyFileSync(pristine, file);
      const running = runCli(['restore', '--db', file, '--from', source], cli);
      await new Promise((resolve) => setTimeout(resolve, Math.floor((((run * 7919) % 1000) / 1000) * ms)));
      if (running.kill()) kills++;
      await running;
      expect(integrity(file)).toEqual([]);
      const n = households(file);
      expect([1, 3000]).toContain(n);
      seen[n === 1 ? 'before' : 'after']++;
    }
    console.log(`restore killed ${kills} times (a full restore ${ms} ms): before ${seen.before}, after ${seen.after}`);
    expect(kills).toBeGreaterThanOrEqual(8);
  }, 240_000);
});
