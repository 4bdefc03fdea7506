/**
 * Helpers for the tests that run the command line as real processes beside the test process (concurrency.test.ts,
 * kill.test.ts): spawning the CLI with the project's Node, a person list to import, and a fingerprint of a
 * database's content to compare states by.
 */
import BetterSqlite3 from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { computeCheckChar } from '../shared/idnumber.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
/** As tests/cli.test.ts: the tsx launcher under node_modules/.bin, which runs on the project's pinned Node. */
export const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running extends Promise<Exit> {
  /** SIGKILL now, if it is still running; true when the signal was sent to a running process. */
  kill(): boolean;
}

/**
 * The CLI as a child process, resolving when it exits: by default `tsx main/cli/index.ts …`; `command` runs
 * another launcher of the same CLI (kill.test.ts runs it bundled, which starts faster).
 */
export function runCli(args: string[], options: { command?: string[]; env?: Record<string, string> } = {}): Running {
  const [cmd, ...pre] = options.command ?? [TSX, 'main/cli/index.ts'];
  const env = options.env ? { ...process.env, ...options.env } : process.env;
  const child = spawn(cmd!, [...pre, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.on('exit', () => (exited = true));
  const done = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { kill: () => !exited && child.kill('SIGKILL') });
}

/** A checksum-valid ID in a fictional prefecture (5277) the demo does not use, one per index. */
export function testId(i: number): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const first17 = `527701${birth}${String(100 + (i % 800)).padStart(3, '0')}`;
  return first17 + computeCheckChar(first17);
}

/** A village person list (行政村, 户编号, 姓名, 证件号码, 与户主关系): `households` new households of three. */
export async function personList(file: string, villages: string[], households: number, first = 0): Promise<number> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  ws.addRow(['行政村', '户编号', '姓名', '证件号码', '与户主关系']);
  let persons = 0;
  for (let h = 0; h < households; h++) {
    const hhNo = `T${String(first + h).padStart(6, '0')}`;
    const village = villages[h % villages.length]!;
    for (const [k, relation] of ['户主', '配偶', '其他'].entries()) {
      ws.addRow([village, hhNo, `测试${first + h}号${k}`, testId((first + h) * 3 + k), relation]);
      persons++;
    }
  }
  await wb.xlsx.writeFile(file);
  return persons;
}

/** What a database holds: row counts per table and one digest of the registers (villages, households, persons). */
export interface DbState {
  counts: Record<string, number>;
  digest: string;
}

export function dbState(file: string): DbState {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const counts = Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
    const hash = createHash('sha256');
    // Exported workbooks differ in their zip timestamps from run to run: the archive and audit log are counted.
    for (const sql of [
      'SELECT id, name, code FROM village ORDER BY id',
      'SELECT id, village_id, hh_no FROM household ORDER BY id',
      'SELECT id, household_id, id_number, name, relation FROM person ORDER BY id',
    ])
      for (const row of db.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
    return { counts, digest: hash.digest('hex') };
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` and `foreign_key_check`: empty when the file is sound. */
export function integrity(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if ((db.pragma('foreign_key_check') as unknown[]).length) problems.push('foreign keys');
    return problems;
  } finally {
    db.close();
  }
}

/** Names in a folder, for "no file left behind" checks. */
export const filesIn = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []);
