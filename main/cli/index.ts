/**
 * Command-line entry (`npm run -s cli -- …`). Exact forms are relied on by CI and other tools:
 *   demo  --db FILE [--scale township|county] [--seed N]
 *   stats --db FILE [--month YYYY-MM] --json
 *   check --db FILE [--json]
 *   export monthly --month YYYY-MM --db FILE --out FILE.xlsx [--reason TEXT]
 *   import villages|households|monitoring|posts|relocation|work|auto FILE --db FILE [--dry-run] [--create-villages]
 *     [--header-row N] [--errors OUT.xlsx] [--json]
 *   export notice --kind identification|elimination|subsidy --month YYYY-MM --db FILE --out FILE.xlsx
 *   check --db FILE --rules [--month YYYY-MM] [--json]   (data-quality rules; exit 0 whatever they find, 1 if it could not run)
 *   backup --db FILE [--to DIR]        (a verified backup into 备份/ beside FILE, and a copy into DIR: a USB drive)
 *   restore --db FILE --from BACKUP    (BACKUP: a path, or a name in 备份/; the current file is backed up first)
 *   backups --db FILE [--json]         (the backups in 备份/ with their figures, and the copy outside the PC)
 * A ledger with accounts is opened signed in: --user NAME (default admin) with the password from LEDGER_PASSWORD or
 *   --password-file FILE (main/cli/auth.ts); `demo` given a password makes that account the new ledger's first 管理员.
 * Bad arguments or a missing file: one line "错误：… / Error: …" on stderr and exit code 2, never a stack trace;
 * exit code 3 when another program kept the database busy (its write lock) past the busy timeout: retry later.
 */
import BetterSqlite3 from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isValidMonth, monthOf, todayIso } from '../../shared/dates.ts';
import { IMPORT_KINDS } from '../../shared/schemas.ts';
import {
  backupsDir,
  backupStatus,
  copyOutside,
  isBackupName,
  listBackups,
  readCopyFolder,
  replaceDamaged,
  unreadable,
} from '../core/backups.ts';
import { LATEST_SCHEMA_VERSION } from '../core/db/migrations.ts';
import { integrityProblems, schemaVersion } from '../core/db/open.ts';
import { generateDemo } from '../core/demo/generate.ts';
import { LedgerError } from '../core/errors.ts';
import { openLedger } from '../core/ledger.ts';
import { DEFAULT_USER, givenPassword, openSignedIn, SIGN_IN_OPTIONS, type SignInValues } from './auth.ts';

class UsageError extends Error {
  readonly english: string;
  constructor(chinese: string, english: string) {
    super(chinese);
    this.english = english;
  }
}

const USAGE =
  '用法 / Usage: cli demo --db FILE [--scale township|county] [--seed N] | stats --db FILE [--month YYYY-MM] --json | check --db FILE [--rules [--month YYYY-MM]] [--json] | export monthly|notice [--kind K] --month YYYY-MM --db FILE --out FILE.xlsx | backup --db FILE [--to DIR] | restore --db FILE --from BACKUP | backups --db FILE [--json]';

const ENGLISH: Record<string, string> = {
  io: 'database file not found or unreadable',
  not_ledger: 'not a Township Ledger database',
  schema_newer: 'the database was created by a newer version of Township Ledger',
  busy: 'the database is in use by another program; try again later',
  unauthenticated: 'sign in: --user NAME with LEDGER_PASSWORD or --password-file FILE',
  auth_failed: 'wrong account name or password',
  account_locked: 'account locked after repeated wrong passwords',
  forbidden: "the account's role may not do this",
};

/** Exit code when another program held the database's write lock for longer than the busy timeout. */
const EXIT_BUSY = 3;

function requireDb(values: { db?: string | undefined }, mustExist: boolean): string {
  if (!values.db) throw new UsageError('缺少 --db 参数（数据库文件）', 'missing --db FILE');
  if (mustExist && !fs.existsSync(values.db))
    throw new UsageError(`数据库文件不存在：${values.db}`, `database file not found: ${values.db}`);
  return values.db;
}

async function demo(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      scale: { type: 'string', default: 'township' },
      seed: { type: 'string', default: '1' },
      ...SIGN_IN_OPTIONS,
    },
  });
  const file = requireDb(values, false);
  if (values.scale !== 'township' && values.scale !== 'county')
    throw new UsageError(`--scale 只能是 township 或 county：${values.scale}`, `--scale must be township or county`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0)
    throw new UsageError(`--seed 应为非负整数：${values.seed}`, '--seed must be a non-negative integer');
  if (fs.existsSync(file))
    throw new UsageError(
      `文件已存在，演示数据只写入新文件：${file}`,
      `file exists; demo data goes into a new file only: ${file}`,
    );
  const started = Date.now();
  // Built under another name and renamed when complete: a killed run leaves no half-made (or empty) ledger at
  // `file` to block the next one; what it left under the temporary name is removed first.
  const tmp = `${file}.creating`;
  removeDatabase(tmp);
  const ledger = await openLedger(tmp, { create: true });
  let summary;
  try {
    summary = generateDemo(ledger.store, values.scale, seed);
    // With a password given, the new ledger's first account: a 管理员 (`--user`, default admin).
    const password = givenPassword(values);
    if (password !== null) await ledger.run('auth.setup', { user: values.user ?? DEFAULT_USER, password });
  } catch (e) {
    await ledger.close();
    removeDatabase(tmp);
    throw e;
  }
  await ledger.close();
  if (fs.existsSync(file)) {
    removeDatabase(tmp);
    throw new UsageError(`文件已存在，演示数据只写入新文件：${file}`, `file exists: ${file}`);
  }
  fs.renameSync(tmp, file);
  console.log(JSON.stringify({ ...summary, file, seconds: (Date.now() - started) / 1000 }));
  return 0;
}

/** A database file with its WAL and shared-memory files (a stale WAL would be replayed into a new file). */
function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
}

async function stats(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      month: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...SIGN_IN_OPTIONS,
    },
  });
  const file = requireDb(values, true);
  const month = values.month ?? monthOf(todayIso());
  if (!isValidMonth(month))
    throw new UsageError(`--month 格式应为 YYYY-MM：${month}`, `--month must be YYYY-MM: ${month}`);
  const ledger = await openSignedIn(file, values);
  try {
    const figures = await ledger.run('stats.month', { month });
    console.log(values.json ? JSON.stringify(figures) : JSON.stringify(figures, null, 2));
  } finally {
    await ledger.close();
  }
  return 0;
}

async function checkRules(
  file: string,
  month: string | undefined,
  json: boolean,
  signIn: SignInValues,
): Promise<number> {
  if (month !== undefined && !isValidMonth(month))
    throw new UsageError(`--month 格式应为 YYYY-MM：${month}`, `--month must be YYYY-MM: ${month}`);
  const ledger = await openSignedIn(file, signIn);
  try {
    const r = await ledger.run('rules.run', { month });
    if (json) {
      const findings = r.findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        entity: f.entity,
        id: f.id,
        message: f.message,
      }));
      console.log(JSON.stringify({ errors: r.errors, warnings: r.warnings, findings }));
    } else {
      console.log(`数据校验 ${r.month}（截至 ${r.asOf}）：错误 ${r.errors} 条，提示 ${r.warnings} 条`);
      for (const f of r.findings) console.log(`[${f.severity}] ${f.rule} ${f.message}`);
    }
  } finally {
    await ledger.close();
  }
  return 0;
}

async function check(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      db: { type: 'string' },
      json: { type: 'boolean', default: false },
      rules: { type: 'boolean', default: false },
      month: { type: 'string' },
      ...SIGN_IN_OPTIONS,
    },
  });
  const file = requireDb(values, true);
  if (values.rules) return checkRules(file, values.month, values.json, values);
  if (values.month !== undefined) throw new UsageError('--month 只与 --rules 一起使用', '--month goes with --rules');
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new LedgerError('not_ledger', `无法打开数据库文件：${file}`);
  }
  try {
    const version = schemaVersion(raw);
    const problems = integrityProblems(raw);
    if (version === 0) problems.push('不是乡镇振兴台账数据库（没有结构版本）');
    if (version > LATEST_SCHEMA_VERSION)
      problems.push(`结构版本 ${version} 高于本程序支持的 ${LATEST_SCHEMA_VERSION}，请升级程序`);
    const ok = problems.length === 0;
    if (values.json)
      console.log(JSON.stringify({ ok, schemaVersion: version, latestSchemaVersion: LATEST_SCHEMA_VERSION, problems }));
    else
      console.log(
        ok
          ? `检查通过 / OK: 完整性正常，结构版本 ${version}（最新 ${LATEST_SCHEMA_VERSION}）`
          : `检查未通过 / FAILED:\n${problems.join('\n')}`,
      );
    return ok ? 0 : 1;
  } catch (e) {
    throw new LedgerError('not_ledger', `无法读取数据库（文件损坏或不是SQLite数据库）：${file}`, undefined, String(e));
  } finally {
    raw.close();
  }
}

async function exportCommand(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: {
      db: { type: 'string' },
      month: { type: 'string' },
      out: { type: 'string' },
      kind: { type: 'string' },
      reason: { type: 'string' },
      ...SIGN_IN_OPTIONS,
    },
  });
  if (what !== 'monthly' && what !== 'notice')
    throw new UsageError(`export 后应为 monthly 或 notice：${what ?? ''}`, 'export monthly|notice');
  const file = requireDb(values, true);
  if (!values.month || !isValidMonth(values.month))
    throw new UsageError(`--month 格式应为 YYYY-MM：${values.month ?? ''}`, '--month YYYY-MM is required');
  if (!values.out) throw new UsageError('缺少 --out 参数（输出的 .xlsx 文件）', 'missing --out FILE.xlsx');
  const kinds = ['identification', 'elimination', 'subsidy'];
  if (what === 'notice' && !kinds.includes(values.kind ?? ''))
    throw new UsageError(`--kind 应为 ${kinds.join('|')}：${values.kind ?? ''}`, `--kind must be ${kinds.join('|')}`);
  const ledger = await openSignedIn(file, values);
  try {
    const r =
      what === 'monthly'
        ? await ledger.run('report.exportMonthly', { month: values.month, file: values.out, reason: values.reason })
        : await ledger.run('report.exportNotice', {
            kind: values.kind as 'identification',
            month: values.month,
            file: values.out,
          });
    console.log(JSON.stringify(r));
  } finally {
    await ledger.close();
  }
  return 0;
}

type ImportKind = (typeof IMPORT_KINDS)[number];

async function importCommand(args: string[]): Promise<number> {
  const [kind, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      db: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'create-villages': { type: 'boolean', default: false },
      'header-row': { type: 'string' },
      errors: { type: 'string' },
      json: { type: 'boolean', default: false },
      ...SIGN_IN_OPTIONS,
    },
  });
  const kinds: readonly string[] = [...IMPORT_KINDS, 'auto'];
  if (!kinds.includes(kind ?? ''))
    throw new UsageError(`import 后应为 ${kinds.join('|')}：${kind ?? ''}`, `import ${kinds.join('|')} FILE`);
  const input = positionals[0];
  if (!input) throw new UsageError('缺少要导入的文件', 'missing FILE');
  const headerRow = values['header-row'] === undefined ? undefined : Number(values['header-row']);
  if (headerRow !== undefined && !(Number.isInteger(headerRow) && headerRow >= 1 && headerRow <= 50))
    throw new UsageError(`--header-row 应为表头所在行号（1–50）：${values['header-row']}`, 'bad --header-row');
  const file = requireDb(values, true);
  const ledger = await openSignedIn(file, values);
  try {
    let steps: ImportKind[] = [kind as ImportKind];
    let layout: string | null = null;
    if (kind === 'auto') {
      const detected = await ledger.run('import.detect', { file: input });
      if (!detected)
        throw new LedgerError('validation', `无法识别「${input}」的格式：请指明导入内容（${IMPORT_KINDS.join('|')}）`);
      steps = detected.kinds;
      layout = detected.name;
      if (!values.json) console.log(`识别为：${detected.name}（工作表「${detected.sheet}」）`);
    }
    const results = [];
    for (const step of steps) {
      const args2 = {
        kind: step,
        file: input,
        errorsFile: values.errors ?? null,
        createVillages: values['create-villages'],
        ...(headerRow !== undefined ? { headerRow: headerRow - 1 } : {}),
      };
      const r = values['dry-run'] ? await ledger.run('import.preview', args2) : await ledger.run('import.run', args2);
      // A dry run of a national person list or monitoring export also compares it with the ledger (国家系统比对).
      const compared =
        values['dry-run'] && (step === 'households' || step === 'monitoring')
          ? (await ledger.run('import.compare', { ...args2, kind: step })).differences
          : undefined;
      const where = (e: { sheet: string; row: number; column: string; message: string }) => ({
        sheet: e.sheet,
        row: e.row,
        column: e.column,
        message: e.message,
      });
      results.push({
        kind: step,
        read: r.read,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        skipped: r.skipped ?? 0,
        villagesCreated: r.villagesCreated ?? [],
        errors: r.errors.map(where),
        warnings: r.warnings.map(where),
        ...(compared ? { differences: compared } : {}),
      });
      if (!values.json) {
        console.log(
          `${steps.length > 1 ? `[${step}] ` : ''}${values['dry-run'] ? '试导入（未写入）' : '导入完成'}：读取 ${r.read} 行，新增 ${r.inserted}，更新 ${r.updated}，未变 ${r.unchanged}，跳过 ${r.skipped ?? 0}，拒收 ${r.rejected}`,
        );
        if (r.villagesCreated?.length) console.log(`  新建行政村（代码待补）：${r.villagesCreated.join('、')}`);
        for (const e of r.errors) console.log(`  ${e.sheet} 第${e.row}行「${e.column}」：${e.message}`);
        for (const w of r.warnings) console.log(`  提示 ${w.sheet} 第${w.row}行「${w.column}」：${w.message}`);
        if (compared?.length) console.log(`  与台账比对：${compared.length} 处不同（--json 查看明细）`);
        if (r.errorsFile) console.log(`错误清单：${r.errorsFile}`);
      }
    }
    if (values.json) console.log(JSON.stringify(kind === 'auto' ? { layout, steps: results } : results[0]));
  } finally {
    await ledger.close();
  }
  return 0;
}

async function backup(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, to: { type: 'string' }, ...SIGN_IN_OPTIONS },
  });
  const file = requireDb(values, true);
  if (values.to !== undefined && !fs.statSync(values.to, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(
      `--to 应为已存在的文件夹（U盘是否已插好？）：${values.to}`,
      `--to must be a folder: ${values.to}`,
    );
  const ledger = await openSignedIn(file, values);
  try {
    const info = await ledger.run('backup.create', {});
    // Into the folder named (a USB drive): counted as the copy outside the PC that the dashboard asks for.
    const copy = values.to === undefined ? null : copyOutside(file, info, path.resolve(values.to), new Date());
    console.log(
      JSON.stringify({
        file: info.file,
        copy,
        figures: info.figures,
        ...(info.copyError ? { copyError: info.copyError } : {}),
      }),
    );
  } finally {
    await ledger.close();
  }
  return 0;
}

async function restore(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, from: { type: 'string' }, ...SIGN_IN_OPTIONS },
  });
  const file = requireDb(values, false);
  if (!values.from) throw new UsageError('缺少 --from 参数（要恢复的备份文件）', 'missing --from BACKUP');
  if (unreadable(file)) {
    // Missing, or so damaged that SQLite cannot open it: the backup takes its place (the damaged file kept in 备份/).
    const from = isBackupName(values.from) ? path.join(backupsDir(file), values.from) : values.from;
    const restored = replaceDamaged(from, file);
    console.log(JSON.stringify({ restored: restored.file, figures: restored.figures, before: null }));
    return 0;
  }
  const ledger = await openSignedIn(file, values);
  try {
    const r = await ledger.run('backup.restore', { file: values.from });
    console.log(JSON.stringify({ restored: r.restored.file, figures: r.restored.figures, before: r.before.file }));
  } finally {
    await ledger.close();
  }
  return 0;
}

function backups(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: { db: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const file = requireDb(values, true);
  // Read from the folder and the figures recorded with each backup: works even when the database itself does not.
  const list = listBackups(backupsDir(file));
  const status = backupStatus(file, readCopyFolder(file), new Date());
  if (values.json) {
    console.log(JSON.stringify({ status, backups: list }));
    return 0;
  }
  console.log(`备份文件夹：${status.folder}（${list.length} 个）`);
  for (const b of list) {
    const f = b.figures;
    console.log(
      `${b.name}  ${b.reasonLabel}  ${f ? `农户 ${f.households} 人员 ${f.persons} 监测对象 ${f.cases}` : `不可用：${b.problem ?? ''}`}`,
    );
  }
  console.log(status.lastCopyAt ? `最近一次复制到本机以外：${status.lastCopyAt}` : '还没有复制到本机以外（U盘）的备份');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'demo':
        return await demo(rest);
      case 'stats':
        return await stats(rest);
      case 'check':
        return await check(rest);
      case 'export':
        return await exportCommand(rest);
      case 'import':
        return await importCommand(rest);
      case 'backup':
        return await backup(rest);
      case 'restore':
        return await restore(rest);
      case 'backups':
        return backups(rest);
      default:
        throw new UsageError(
          command ? `未知命令：${command}。${USAGE}` : `缺少命令。${USAGE}`,
          command ? `unknown command: ${command}` : 'missing command',
        );
    }
  } catch (e) {
    // `check --rules` promises exit 0 whatever it finds and 1 only when it could not run.
    const failed = command === 'check' && rest.includes('--rules') ? 1 : 2;
    if (e instanceof UsageError) {
      console.error(`错误：${e.message} / Error: ${e.english}`);
      return failed;
    }
    if (e instanceof LedgerError) {
      console.error(`错误：${e.message} / Error: ${ENGLISH[e.code] ?? e.code}`);
      return e.code === 'busy' ? EXIT_BUSY : failed;
    }
    const code = (e as { code?: string }).code;
    if (code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`错误：参数不正确（${(e as Error).message}）。${USAGE} / Error: bad arguments`);
      return failed;
    }
    console.error(`错误：运行失败 / Error: ${(e as Error)?.message ?? String(e)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
