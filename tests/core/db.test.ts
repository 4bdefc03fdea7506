import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../main/core/ledger.ts';
import { openLedgerDb, integrityProblems } from '../../main/core/db/open.ts';
import { MIGRATIONS, type Migration } from '../../main/core/db/migrations.ts';
import { LedgerError } from '../../main/core/errors.ts';
import { newLedger, tempDbPath } from '../helpers.ts';

describe('opening a township database', () => {
  it('creates the file with WAL, foreign keys, busy timeout, synchronous=FULL and the schema version', async () => {
    const file = tempDbPath();
    const store = await openLedgerDb(file, { create: true });
    expect(store.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.raw.pragma('synchronous', { simple: true })).toBe(2);
    expect(store.raw.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.backupFile).toBeNull();
    expect(integrityProblems(store.raw)).toEqual([]);
    await store.close();
  });

  it('refuses a missing file unless asked to create it', async () => {
    await expect(openLedgerDb(tempDbPath('missing.sqlite'))).rejects.toMatchObject({ code: 'io' });
  });

  it('refuses a database from a newer version and leaves the file untouched', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const raw = new BetterSqlite3(file);
    raw.pragma('user_version = 99');
    raw.close();
    const before = fs.readFileSync(file);
    const err = await openLedgerDb(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LedgerError);
    expect((err as LedgerError).code).toBe('schema_newer');
    expect((err as LedgerError).message).toContain('较新版本');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an SQLite file that is not a ledger, and a file that is not SQLite', async () => {
    const other = tempDbPath('other.sqlite');
    const raw = new BetterSqlite3(other);
    raw.exec('CREATE TABLE t (x)');
    raw.close();
    await expect(openLedgerDb(other)).rejects.toMatchObject({ code: 'not_ledger' });
    const text = tempDbPath('text.sqlite');
    fs.writeFileSync(text, 'this is not a database, just text '.repeat(100));
    await expect(openLedgerDb(text)).rejects.toMatchObject({ code: 'not_ledger' });
  });

  it('backs up an existing file before migrating it, and the migration keeps its data', async () => {
    const { ledger, file, villageId } = await newLedger();
    await ledger.run('household.create', { villageId, hhNo: 'KEEP-1' });
    await ledger.close();
    const latest = MIGRATIONS.at(-1)!.version;
    const next: Migration = {
      version: latest + 1,
      name: 'test_add_column',
      async up(trx) {
        await sql`ALTER TABLE household ADD COLUMN test_flag INTEGER NOT NULL DEFAULT 7`.execute(trx);
      },
    };
    const store = await openLedgerDb(file, { migrations: [...MIGRATIONS, next] });
    expect(store.backupFile).not.toBeNull();
    expect(path.dirname(store.backupFile!)).toBe(path.join(path.dirname(file), '备份'));
    expect(store.raw.pragma('user_version', { simple: true })).toBe(latest + 1);
    expect(store.raw.prepare('SELECT hh_no, test_flag FROM household').all()).toEqual([
      { hh_no: 'KEEP-1', test_flag: 7 },
    ]);
    await store.close();
    const backup = new BetterSqlite3(store.backupFile!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(latest);
    expect(backup.prepare('SELECT hh_no FROM household').all()).toEqual([{ hh_no: 'KEEP-1' }]);
    backup.close();
  });

  it('rolls a failing migration back completely: version and tables as before', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const latest = MIGRATIONS.at(-1)!.version;
    const broken: Migration = {
      version: latest + 1,
      name: 'test_broken',
      async up(trx) {
        await sql`CREATE TABLE half_done (x INTEGER)`.execute(trx);
        await sql`INSERT INTO no_such_table VALUES (1)`.execute(trx);
      },
    };
    await expect(openLedgerDb(file, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow();
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(latest);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it("migration 2 keeps a version-1 file's data, makes unstated flags unknown-capable and keeps every reference", async () => {
    const file = tempDbPath('v1.sqlite');
    const v1 = await openLedgerDb(file, { create: true, migrations: MIGRATIONS.slice(0, 1) });
    v1.raw.exec(`
      INSERT INTO village (id, code, name) VALUES (1, '529900100001', '甲村');
      INSERT INTO household (id, hh_no, village_id, hh_type, dibao) VALUES (1, 'H1', 1, '脱贫户', 1);
      INSERT INTO person (id, household_id, id_number, name, relation, gender, birth_date, med_resident)
        VALUES (1, 1, '52990019800101001X', '甲', '户主', '男', '1980-01-01', 1);
      INSERT INTO income_snapshot (household_id, kind, as_of, members, wage_fen) VALUES (1, '年度', '2026-06-30', 1, 500000);
      INSERT INTO employment (person_id, channel, start_month) VALUES (1, '县内务工', '2026-01');`);
    await v1.close();
    const store = await openLedgerDb(file);
    expect(store.backupFile).not.toBeNull();
    expect(store.raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(integrityProblems(store.raw)).toEqual([]);
    expect(store.raw.prepare('SELECT hh_no, dibao, tekun FROM household').get()).toEqual({
      hh_no: 'H1',
      dibao: 1,
      tekun: 0,
    });
    expect(store.raw.prepare('SELECT name, med_resident, disability_cert FROM person').get()).toEqual({
      name: '甲',
      med_resident: 1,
      disability_cert: null,
    });
    expect(store.raw.prepare('SELECT wage_fen, reported_per_capita_fen FROM income_snapshot').get()).toEqual({
      wage_fen: 500000,
      reported_per_capita_fen: null,
    });
    // Unknown is now storable, and references still hold across the rebuilt tables.
    store.raw.exec('UPDATE person SET med_employee = NULL; UPDATE village SET code = NULL');
    expect(() => store.raw.exec('DELETE FROM household')).toThrow(/FOREIGN KEY/);
    await store.close();
  });

  it("migration 3 (accounts) keeps a version-2 file's data; the file has no accounts and works as before in-process", async () => {
    const file = tempDbPath('v2.sqlite');
    const v2 = await openLedgerDb(file, { create: true, migrations: MIGRATIONS.slice(0, 2) });
    v2.raw.exec(`
      INSERT INTO village (id, code, name) VALUES (1, '529900100001', '甲村');
      INSERT INTO household (id, hh_no, village_id, hh_type) VALUES (1, 'H1', 1, '脱贫户');`);
    await v2.close();
    const ledger = await openLedger(file, { actor: '命令行' });
    expect(ledger.store.raw.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    expect(ledger.store.raw.prepare('SELECT count(*) AS n FROM account').get()).toEqual({ n: 0 });
    expect((await ledger.run('household.list', {})).rows.map((h) => h.hhNo)).toEqual(['H1']);
    await ledger.run('village.create', { code: '529900100002', name: '乙村' });
    expect((await ledger.run('audit.list', { limit: 1 })).rows[0]!.actor).toBe('命令行');
    // A page on it asks for the first 管理员.
    expect(await ledger.openSession().call('settings.get', {})).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    await ledger.close();
  });

  it('refuses a table-rebuilding migration that would leave a dangling reference', async () => {
    const { ledger, file, villageId } = await newLedger();
    await ledger.run('household.create', { villageId, hhNo: 'KEEP-1' });
    await ledger.close();
    const latest = MIGRATIONS.at(-1)!.version;
    const dangling: Migration = {
      version: latest + 1,
      name: 'test_dangling',
      rebuildsTables: true,
      async up(trx) {
        await sql`DELETE FROM village`.execute(trx);
      },
    };
    await expect(openLedgerDb(file, { migrations: [...MIGRATIONS, dangling] })).rejects.toThrow(/外键/);
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(latest);
    expect(raw.prepare('SELECT count(*) AS n FROM village').get()).toEqual({ n: 1 });
    raw.close();
  });

  it('the migrations create every table of the township schema', async () => {
    const store = await openLedgerDb(tempDbPath(), { create: true });
    const tables = (
      store.raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      [
        'account',
        'attendance',
        'audit_log',
        'case_event',
        'case_risk',
        'case_stage',
        'employment',
        'helper',
        'household',
        'household_helper',
        'income_snapshot',
        'income_threshold',
        'import_mapping',
        'measure',
        'monitoring_case',
        'parameter',
        'payroll_month',
        'person',
        'person_event',
        'placement',
        'post',
        'relocated_household',
        'relocation_site',
        'report_archive',
        'setting',
        'village',
        'village_group',
        'visit',
        'work_plan',
      ].sort(),
    );
    await store.close();
  });
});
