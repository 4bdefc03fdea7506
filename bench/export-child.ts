/**
 * One export in its own process so its peak memory is its own: `ledger` writes the monthly submission through
 * the report writer; `raw` writes the same cells (same rows, same value getters) with bare exceljs streaming —
 * no styles, merges, titles or totals — as the baseline. Prints {ms, peakRssMB, rows}.
 */
import ExcelJS from 'exceljs';
import { openLedger } from '../main/core/ledger.ts';
import { MonthlyData } from '../main/core/excel/monthly-data.ts';
import { monthlySheets } from '../main/core/excel/monthly.ts';

const [mode, db, out, month] = process.argv.slice(2) as [string, string, string, string];
const ledger = await openLedger(db, {});
const t0 = performance.now();
let rows = 0;
if (mode === 'ledger') {
  const r = await ledger.run('report.exportMonthly', { month, file: out, reason: 'bench' });
  rows = r.sheets.reduce((a, s) => a + s.rows, 0);
} else {
  // Report rows are read with cursors, which the core only hands out inside an operation's transaction.
  const params = await ledger.run('parameters.get', {});
  const settings = await ledger.run('settings.get', {});
  await ledger.store.db.transaction().execute(async (trx) => {
    const data = new MonthlyData({ db: trx, raw: ledger.store.raw }, month, params);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: out, useStyles: false, useSharedStrings: false });
    for (const def of monthlySheets(data, settings)) {
      const ws = wb.addWorksheet(def.name);
      let i = 0;
      for (const row of def.rows) {
        ws.addRow(def.columns.map((c) => c.value(row, i))).commit();
        i += 1;
      }
      rows += i;
      ws.commit();
    }
    await wb.commit();
  });
}
const ms = performance.now() - t0;
await ledger.close();
console.log(JSON.stringify({ ms: Math.round(ms), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), rows }));
