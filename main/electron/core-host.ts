/**
 * Entry of the core's Electron utility process (bundled to dist/electron/core-host.cjs). It never imports
 * electron at run time: it talks to main through `process.parentPort`, typed with electron's own types.
 * The database path comes from the environment main sets when forking (LEDGER_CORE_DB).
 */
import type { ParentPort } from 'electron';
import { toErrorShape } from '../core/dispatcher.ts';
import { LedgerError } from '../core/errors.ts';
import { openLedger } from '../core/ledger.ts';
import { attachCoreServer } from './core-protocol.ts';
import type { LedgerErrorShape } from '../../shared/errors.ts';

const port = (process as { parentPort?: ParentPort | null }).parentPort;
const file = process.env.LEDGER_CORE_DB;

function toShape(e: unknown): LedgerErrorShape {
  if (e instanceof LedgerError) return e.toShape();
  return toErrorShape(e, 'core-host');
}

if (!port) {
  console.error('core-host: 只能作为 Electron utilityProcess 运行 / must run as an Electron utility process');
  process.exit(1);
} else if (!file) {
  console.error('core-host: LEDGER_CORE_DB 未设置 / LEDGER_CORE_DB is not set');
  process.exit(1);
} else {
  const opened = openLedger(file, { create: true, dailyBackup: true });
  opened.catch((e: unknown) => {
    // Only the error class and code: paths and messages may carry personal data in other layers.
    console.error(`[core-host] 无法打开数据库: ${(e as Error)?.name ?? 'Error'} ${(e as LedgerError)?.code ?? ''}`);
  });
  attachCoreServer(port, opened, toShape, (code) => process.exit(code));
}
