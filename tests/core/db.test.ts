import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
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
    const v2: Migration = {
      version: 2,
      name: 'test_add_column',
      async up(trx) {
        await sql`ALTER TABLE household ADD COLUMN test_flag INTEGER NOT NULL DEFAULT 7`.execute(trx);
      },
    };
    const store = await openLedgerDb(file, { migrations: [...MIGRATIONS, v2] });
    expect(store.backupFile).not.toBeNull();
    expect(path.dirname(store.backupFile!)).toBe(path.dirname(file));
    expect(store.raw.pragma('user_version', { simple: true })).toBe(2);
    expect(store.raw.prepare('SELECT hh_no, test_flag FROM household').all()).toEqual([
      { hh_no: 'KEEP-1', test_flag: 7 },
    ]);
    await store.close();
    const backup = new BetterSqlite3(store.backupFile!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT hh_no FROM household').all()).toEqual([{ hh_no: 'KEEP-1' }]);
    backup.close();
  });

  it('rolls a failing migration back completely: version and tables as before', async () => {
    const { ledger, file } = await newLedger();
    await ledger.close();
    const broken: Migration = {
      version: 2,
      name: 'test_broken',
      async up(trx) {
        await sql`CREATE TABLE half_done (x INTEGER)`.execute(trx);
        await sql`INSERT INTO no_such_table VALUES (1)`.execute(trx);
      },
    };
    await expect(openLedgerDb(file, { migrations: [...MIGRATIONS, broken] })).rejects.toThrow();
    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 });
    raw.close();
  });

  it('migration 1 creates every table of the township schema', async () => {
    const store = await openLedgerDb(tempDbPath(), { create: true });
    const tables = (
      store.raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
    expect(tables).toEqual(
      [
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
      ].sort(),
    );
    await store.close();
  });
});
