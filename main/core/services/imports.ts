/** 导入: read, validate and upsert in one transaction; a dry run does the same inside a savepoint it rolls back. */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { ImportError, ImportResult } from '../../../shared/api.ts';
import { audit, auditWriter, nowIso, type Ctx } from '../context.ts';
import { takingAll, type Change, type ChangeSink } from '../excel/import/changes.ts';
import type { Handlers } from '../dispatcher.ts';
import { LedgerError } from '../errors.ts';
import { checkNamed, sourcePath, stageFile, targetPath } from '../files.ts';
import { importHouseholds } from '../excel/import/households.ts';
import { importRelocation } from '../excel/import/relocation.ts';
import { importPosts } from '../excel/import/posts.ts';
import { importMonitoring, MONITORING_SYNONYMS } from '../excel/import/monitoring.ts';
import { readTables, type Table } from '../excel/import/read.ts';
import { findHeader, guessHeader, norm, type Synonyms } from '../excel/import/header.ts';
import { detectLayout, layoutColumns } from '../excel/import/layouts.ts';
import { HOUSEHOLD_SYNONYMS } from '../excel/import/households.ts';
import { POST_SYNONYMS } from '../excel/import/posts.ts';
import { RELOCATION_SYNONYMS } from '../excel/import/relocation.ts';
import { readParameters } from './settings.ts';
import { importVillages, VILLAGE_SYNONYMS } from '../excel/import/villages.ts';
import { importWork, WORK_SYNONYMS } from '../excel/import/work.ts';

type Input = Parameters<Handlers['import.run']>[1];

const KINDS: Record<Input['kind'], { synonyms: Synonyms; required: string[] }> = {
  villages: { synonyms: VILLAGE_SYNONYMS, required: ['name', 'code'] },
  households: { synonyms: HOUSEHOLD_SYNONYMS, required: ['idNumber', 'name'] },
  posts: { synonyms: POST_SYNONYMS, required: ['post', 'idNumber'] },
  relocation: { synonyms: RELOCATION_SYNONYMS, required: ['site', 'movedInOn'] },
  monitoring: { synonyms: MONITORING_SYNONYMS, required: ['category', 'identifiedOn'] },
  // Only 证件号码 is common to both 务工 layouts; the importer tells them apart.
  work: { synonyms: WORK_SYNONYMS, required: ['idNumber'] },
};

/** The sheet whose header matches the importer's columns best (a workbook may hold several tables). */
function pick(tables: Table[], synonyms: Synonyms, required: string[]): Table {
  let best = tables[0]!;
  let score = 0;
  for (const t of tables) {
    const n = Object.keys(findHeader(t.rows, synonyms, required)?.columns ?? {}).length;
    if (n > score) [best, score] = [t, n];
  }
  return best;
}

function read(ctx: Ctx, input: Input): Table[] {
  if (input.content !== undefined) {
    if (!input.fileName) throw new LedgerError('validation', '上传文件时需要文件名', 'fileName');
    return readTables(input.fileName, Buffer.from(input.content, 'base64'));
  }
  if (!input.file) throw new LedgerError('validation', '请选择要导入的文件', 'file');
  // A path from the CLI, or the token of a file picked in the desktop's dialog; never a page's path (files.ts).
  const file = sourcePath(ctx, input.file);
  if (!fs.existsSync(file)) throw new LedgerError('validation', `找不到文件：${file}`, 'file');
  return readTables(file);
}

/** The imported file's name for the audit log. */
function sourceName(ctx: Ctx, input: Input): string {
  if (input.fileName) return input.fileName;
  return input.file ? path.basename(sourcePath(ctx, input.file)) : '';
}

/** Files read before the operation's transaction began, by the input naming them. */
const preloaded = new WeakMap<Input, Table[]>();

/**
 * The dispatcher's preparer for the operations that import a file: reading and parsing it (seconds for a large
 * file) happens before the write lock is taken, while other programs can still write (db/lock.ts).
 */
export function preloadImport(ctx: Ctx, input: Input & { out?: string }): void {
  checkNamed(ctx, input.errorsFile, 'errorsFile', 'write');
  checkNamed(ctx, input.out, 'out', 'write');
  preloaded.set(input, read(ctx, input));
}

function load(ctx: Ctx, input: Input): Table[] {
  return preloaded.get(input) ?? read(ctx, input);
}

/**
 * A layout's key for saved mappings: the import kind and the labels of the row detection takes for the header
 * (the same for every file of that layout, whatever the user then chose).
 */
function layoutKey(kind: Input['kind'], table: Table): string | null {
  const k = KINDS[kind];
  const header = findHeader(table.rows, k.synonyms, k.required) ?? guessHeader(table.rows);
  if (!header) return null;
  return `${kind}:${header.labels.map((l) => norm(l)).join('|')}`;
}

function savedMapping(ctx: Ctx, key: string | null) {
  const row = key
    ? (ctx.raw.prepare('SELECT header_row AS headerRow, columns FROM import_mapping WHERE layout = ?').get(key) as
        { headerRow: number; columns: string } | undefined)
    : undefined;
  return row ? { headerRow: row.headerRow, columns: JSON.parse(row.columns) as Record<string, number> } : null;
}

/** The user's header row and columns, kept for the next file of the same layout. */
function saveMapping(ctx: Ctx, input: Input, key: string | null, result: ImportResult): void {
  const mapping = input.mapping ?? {};
  if (!Object.keys(mapping).length && input.headerRow === undefined) return;
  if (!key || result.headerRow === null || result.headerRow === undefined) return;
  const now = nowIso();
  ctx.raw
    .prepare(
      `INSERT INTO import_mapping (layout, kind, header_row, columns, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (layout) DO UPDATE SET header_row = excluded.header_row, columns = excluded.columns, updated_at = excluded.updated_at`,
    )
    .run(key, input.kind, result.headerRow, JSON.stringify(mapping), now, now);
}

/** Each record an import writes gets its own audit entry (before → after of the fields it changed). */
export function recordAudit(ctx: Ctx, action = '导入'): (c: Change) => void {
  const write = auditWriter(ctx);
  return (c) =>
    write({
      action,
      entity: c.entity,
      entityId: c.recordId,
      summary: `${c.group}：${c.field === '*' ? `新增${c.label}` : `${c.label}变更`}`,
      before: c.field === '*' ? undefined : { [c.field]: c.ledger },
      after:
        c.field === '*'
          ? // A key that is an ID number (persons; households without 户编号) is masked like any ID.
            { [c.keyIsIdNumber ? 'idNumber' : 'key']: c.key, [c.label]: c.national }
          : { [c.field]: c.national },
    });
}

/** The table with the rows above the user's header row blanked (row numbers stay those of the file). */
function fromHeaderRow(table: Table, headerRow: number | undefined): Table {
  if (headerRow === undefined) return table;
  return { ...table, rows: table.rows.map((r, i) => (i < headerRow ? [] : r)) };
}

export async function runImport(
  ctx: Ctx,
  input: Input,
  sink: ChangeSink = takingAll(recordAudit(ctx)),
): Promise<{ result: ImportResult; layout: string | null }> {
  const kind = KINDS[input.kind];
  const tables = load(ctx, input);
  const picked = pick(tables, kind.synonyms, kind.required);
  const layout = layoutKey(input.kind, picked);
  // Nothing chosen by the user: a mapping saved for this layout applies.
  const userChose = (input.mapping && Object.keys(input.mapping).length) || input.headerRow !== undefined;
  const saved = userChose ? null : savedMapping(ctx, layout);
  const table = fromHeaderRow(picked, input.headerRow ?? saved?.headerRow);
  const implied = layoutColumns(table, findHeader(table.rows, kind.synonyms, kind.required));
  const overrides = { ...implied, ...(saved?.columns ?? input.mapping ?? {}) };
  const options = { createVillages: !!input.createVillages, sink };
  const result =
    input.kind === 'villages'
      ? importVillages(ctx, table, nowIso(), overrides)
      : input.kind === 'households'
        ? importHouseholds(ctx, table, ctx.today(), nowIso(), overrides, options)
        : input.kind === 'posts'
          ? importPosts(
              ctx,
              table,
              nowIso(),
              (await readParameters(ctx.db)).postDefaultRequiredDays,
              overrides,
              options,
            )
          : input.kind === 'monitoring'
            ? importMonitoring(ctx, table, ctx.today(), nowIso(), overrides, { sink })
            : input.kind === 'work'
              ? importWork(ctx, table, ctx.today(), nowIso(), overrides)
              : importRelocation(ctx, table, nowIso(), overrides);
  // What was read from where, so the user can check and adjust the mapping before confirming.
  const header =
    findHeader(table.rows, kind.synonyms, kind.required, overrides) ??
    findHeader(table.rows, kind.synonyms, kind.required) ??
    guessHeader(table.rows);
  return {
    layout,
    result: {
      ...result,
      ...(saved ? { savedMapping: true } : {}),
      sheet: table.sheet,
      headerRow: header?.headerRow ?? null,
      columns: header?.labels ?? [],
      mapping: Object.entries(kind.synonyms).map(([field, names]) => ({
        field,
        label: names[0]!,
        column: header?.columns[field] ?? null,
        required: kind.required.includes(field),
      })),
    },
  };
}

export async function writeErrorWorkbook(file: string, errors: ImportError[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('导入错误');
  ws.columns = [
    { header: '工作表', key: 'sheet', width: 16 },
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 18 },
    { header: '值', key: 'value', width: 24 },
    { header: '原因', key: 'message', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const e of errors) ws.addRow(e).getCell('value').numFmt = '@';
  await wb.xlsx.writeFile(file);
}

/**
 * The rejected rows as a workbook: where the caller asked (a CLI path, a picked file), else in the 报表 folder;
 * `errorsFile: null` writes none. Put in place once the import has committed (files.ts).
 */
async function withErrorsFile(ctx: Ctx, input: Input, result: ImportResult): Promise<ImportResult> {
  if (!result.errors.length || input.errorsFile === null) return result;
  const target = targetPath(
    ctx,
    input.errorsFile,
    `导入错误 ${nowIso().slice(0, 19).replace(/[:T]/g, '-')}.xlsx`,
    'errorsFile',
  );
  try {
    await stageFile(ctx, target, 'errorsFile', (tmp) => writeErrorWorkbook(tmp, result.errors));
  } catch (e) {
    if (e instanceof LedgerError && e.code === 'validation') throw e;
    throw new LedgerError('io', `无法写入错误清单：${target}`, 'errorsFile');
  }
  return { ...result, errorsFile: target };
}

export const importHandlers: Pick<Handlers, 'import.preview' | 'import.run' | 'import.detect'> = {
  'import.detect'(ctx, input) {
    return Promise.resolve(detectLayout(load(ctx, { ...input, kind: 'households' }), KINDS));
  },
  async 'import.preview'(ctx, input) {
    // Nothing may yield to other requests between the savepoint and its rollback: the error workbook (file I/O)
    // is written only after the rollback.
    let result: ImportResult;
    ctx.raw.exec('SAVEPOINT import_preview');
    try {
      result = (await runImport(ctx, input)).result;
    } finally {
      ctx.raw.exec('ROLLBACK TO import_preview');
      ctx.raw.exec('RELEASE import_preview');
    }
    return withErrorsFile(ctx, { ...input, errorsFile: input.errorsFile ?? null }, result);
  },
  async 'import.run'(ctx, input) {
    const { result, layout } = await runImport(ctx, input);
    saveMapping(ctx, input, layout, result);
    const name = sourceName(ctx, input);
    await audit(ctx, {
      action: '导入',
      entity: (
        {
          villages: '行政村',
          households: '农户',
          posts: '公益性岗位聘用',
          relocation: '搬迁户',
          monitoring: '监测对象',
          work: '务工',
        } as const
      )[input.kind],
      entityId: null,
      summary: `导入「${name}」：读取 ${result.read} 行，新增 ${result.inserted}，更新 ${result.updated}，未变 ${result.unchanged}，拒收 ${result.rejected}`,
    });
    return withErrorsFile(ctx, input, result);
  },
};
