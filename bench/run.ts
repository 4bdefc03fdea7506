/**
 * `npm run bench`: builds the county-scale demo (≈100,000 households, 400,000 persons) in a temp folder and
 * times the core's work on it, each beside a raw better-sqlite3 baseline measured in the same run so the
 * ratios survive a noisy machine. Prints one JSON object.
 */
import BetterSqlite3 from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, rendererBuilt, startApp } from '../tests/e2e/harness.ts';
import { generateDemo } from '../main/core/demo/generate.ts';
import { openLedger } from '../main/core/ledger.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-bench-'));
const file = path.join(dir, 'county.sqlite');

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function time<T>(fn: () => Promise<T> | T): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [value, Math.round(ms(start) * 10) / 10];
}

/** Median of n runs, after one warm-up. */
async function median(fn: () => unknown, n = 5): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await time(fn))[1]);
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

try {
  const ledger = await openLedger(file, { create: true });
  const [summary, demoMs] = await time(() => generateDemo(ledger.store, 'county', 1));
  const month = '2026-10';
  const raw = new BetterSqlite3(file, { readonly: true });

  const statsMs = await median(() => ledger.run('stats.month', { month }));
  const rawCountMs = await median(() =>
    raw
      .prepare('SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id WHERE p.left_on IS NULL')
      .get(),
  );
  const personPageMs = await median(() => ledger.run('person.list', { limit: 100 }));
  const rawPageMs = await median(() => raw.prepare('SELECT * FROM person ORDER BY id LIMIT 100').all());
  const quickMs = await median(() => ledger.run('person.list', { quick: '王国', limit: 100 }));
  const rawQuickMs = await median(() =>
    raw.prepare("SELECT * FROM person WHERE instr(name, '王国') > 0 LIMIT 100").all(),
  );
  const householdPageMs = await median(() => ledger.run('household.list', { limit: 100, filter: { villageId: 3 } }));
  const caseListMs = await median(() => ledger.run('case.list', { limit: 100, filter: { status: '监测中' } }));
  const siteListMs = await median(() => ledger.run('site.list', { month }));
  const [, writeMs] = await time(async () => {
    for (let i = 0; i < 50; i++) await ledger.run('household.create', { villageId: 1, note: `bench ${i}` });
  });
  const [rules, rulesMs] = await time(() => ledger.run('rules.run', { month }));
  const slowestRules = Object.entries(rules.timings)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([code, ms]) => `${code} ${ms}ms`)
    .join(', ');
  const quickTotal = (await ledger.run('person.list', { quick: '王国', limit: 1 })).total;
  raw.close();
  await ledger.close();
  const exportFigures = exportBench(file, month);
  const importFigures = importBench(file);
  const browser = await browserFigures(file, quickTotal);

  const result = {
    scale: 'county',
    households: summary.households,
    persons: summary.persons,
    cases: summary.cases,
    fileMB: Math.round(fs.statSync(file).size / 1e5) / 10,
    demoSeconds: Math.round(demoMs / 100) / 10,
    statsMonthMs: statsMs,
    baselineRawPersonCountMs: rawCountMs,
    personListFirstPageMs: personPageMs,
    baselineRawFirstPageMs: rawPageMs,
    personQuickSearchMs: quickMs,
    baselineRawQuickSearchMs: rawQuickMs,
    householdListVillagePageMs: householdPageMs,
    caseListPageMs: caseListMs,
    siteListMs,
    rulesCount: Object.keys(rules.timings).length,
    rulesFullSetMs: Math.round(rulesMs),
    rulesFindings: rules.findings.length,
    rulesSlowest: slowestRules,
    auditedWriteMs: Math.round((writeMs / 50) * 100) / 100,
    ...exportFigures,
    ...importFigures,
    ...browser,
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(JSON.stringify(result));
  process.exit(0);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The persons grid in headless Chromium over the county file (browser mode, infinite row model paging through
 * the core): time from navigation to the first rows, and from typing a quick search to the filtered total
 * (includes the search box's 250 ms debounce).
 */
async function browserFigures(dbFile: string, quickTotal: number): Promise<Record<string, number | string>> {
  if (!rendererBuilt() || !fs.existsSync(CHROMIUM))
    return { browserSkipped: 'renderer not built (npx vite build) or Chromium missing' };
  const app = await startApp(dbFile);
  try {
    const firstRow = app.page
      .locator('[data-testid="persons-grid"] .ag-grid-scrolling-rows .ag-row[row-index="0"] [col-id="name"]')
      .first();
    const total = app.page.locator('[data-testid="persons-grid"] .sheet-total');
    const firstRows: number[] = [];
    const quick: number[] = [];
    for (let i = 0; i < 3; i++) {
      await app.page.goto('about:blank');
      const t0 = performance.now();
      await app.page.goto(app.url + '#/households?tab=persons');
      await until(async () => (await firstRow.textContent({ timeout: 60_000 }))?.trim() !== '');
      firstRows.push(performance.now() - t0);
      const t1 = performance.now();
      await app.page.getByRole('searchbox', { name: '查找姓名、身份证号' }).fill('王国');
      await until(async () => (await total.textContent()) === `共 ${quickTotal} 条`);
      quick.push(performance.now() - t1);
    }
    async function until(ok: () => Promise<boolean>) {
      const deadline = performance.now() + 60_000;
      while (!(await ok())) {
        if (performance.now() > deadline) throw new Error('bench: the grid did not show the expected rows within 60 s');
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    const med = (xs: number[]) => Math.round([...xs].sort((a, b) => a - b)[1]!);
    return { personsGridFirstRowsMs: med(firstRows), personsGridQuickSearchMs: med(quick), quickSearchDebounceMs: 250 };
  } finally {
    await app.close();
  }
}

/** The monthly submission at county scale in a child process each: the report writer vs bare exceljs streaming. */
function exportBench(dbFile: string, month: string): Record<string, number> {
  const run = (mode: string) => {
    const out = path.join(dir, `export-${mode}.xlsx`);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'export-child.ts'), mode, dbFile, out, month],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`export bench (${mode}) failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; peakRssMB: number; rows: number };
  };
  const ledger = run('ledger');
  const raw = run('raw');
  return {
    exportMonthlyRows: ledger.rows,
    exportMonthlyMs: ledger.ms,
    exportMonthlyPeakRssMB: ledger.peakRssMB,
    baselineRawExceljsMs: raw.ms,
    baselineRawExceljsPeakRssMB: raw.peakRssMB,
    exportTimeRatio: Math.round((ledger.ms / raw.ms) * 100) / 100,
  };
}

/**
 * Importing a 100,000-person workbook beside SheetJS's raw parse and LibreOffice converting it to CSV, with the
 * import's own reading of the file alone (importRead*) to show what parsing costs within the import.
 */
function importBench(dbFile: string): Record<string, number | string> {
  const child = (args: string[]) => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'import-child.ts'), ...args],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`import bench (${args[0]}) failed: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>;
  };
  const xlsx = path.join(dir, 'persons-100k.xlsx');
  const made = child(['make', dbFile, xlsx]);
  const ledger = child(['ledger', xlsx, path.join(dir, 'import-target.sqlite')]);
  const reader = child(['reader', xlsx]);
  const sheetjs = child(['sheetjs', xlsx]);
  const result: Record<string, number | string> = {
    importWorkbookRows: made.rows!,
    importWorkbookMB: made.fileMB!,
    importMs: ledger.importMs!,
    importInserted: ledger.inserted!,
    importRejected: ledger.rejected!,
    importPeakRssMB: ledger.peakRssMB!,
    importReadMs: reader.ms!,
    importReadPeakRssMB: reader.peakRssMB!,
    baselineSheetjsParseMs: sheetjs.ms!,
    baselineSheetjsPeakRssMB: sheetjs.peakRssMB!,
  };
  const soffice = ['soffice', 'libreoffice'].find((b) => spawnSync('which', [b]).status === 0);
  if (soffice) {
    const t = performance.now();
    const lo = spawnSync(
      soffice,
      [
        `-env:UserInstallation=file://${path.join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'csv',
        '--outdir',
        path.join(dir, 'lo'),
        xlsx,
      ],
      { encoding: 'utf8' },
    );
    if (lo.status === 0) result.baselineLibreOfficeToCsvMs = Math.round(performance.now() - t);
    result.importVsLibreOfficeRatio =
      Math.round((ledger.importMs! / Number(result.baselineLibreOfficeToCsvMs)) * 100) / 100;
  } else result.baselineLibreOffice = 'not installed';
  result.importVsSheetjsParseRatio = Math.round((ledger.importMs! / sheetjs.ms!) * 100) / 100;
  return result;
}
