/**
 * Where the installed desktop app keeps the ledger (issue 15 §5, README "Install"), read from the paths the main
 * process uses (main/electron/paths.ts): the data folder under userData, the backups folder beside the database,
 * the same ASCII user-data folder on Windows and Linux, and an earlier build's database kept where it was. The
 * first start itself (setup screen, demo offered, the file created there) is driven on the real binary by
 * tests/electron/app.e2e.test.ts where Electron exists (CI); tests/electron/main-process.test.ts checks that the
 * built main process hands this database path to the core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerPaths } from '../../main/electron/paths.ts';

describe('first start after install: where the data lives', () => {
  it('Windows: %APPDATA%\\township-ledger\\数据\\ledger.sqlite, backups in 数据\\备份 beside it', () => {
    const appData = 'C:\\Users\\张三\\AppData\\Roaming';
    const p = ledgerPaths(appData);
    const join = (...parts: string[]) => path.join(appData, ...parts);
    expect(p.userData).toBe(join('township-ledger'));
    expect(p.dataDir).toBe(join('township-ledger', '数据'));
    expect(p.dbFile).toBe(join('township-ledger', '数据', 'ledger.sqlite'));
    expect(p.backupsDir).toBe(join('township-ledger', '数据', '备份'));
    // Nothing under the program folder: an upgrade or an uninstall that keeps data leaves it alone.
    expect(p.dbFile.startsWith(appData)).toBe(true);
  });

  it('Linux (UOS, Kylin): ~/.config/township-ledger/数据/ledger.sqlite', () => {
    const p = ledgerPaths('/home/zhangsan/.config');
    expect(p.dbFile).toBe('/home/zhangsan/.config/township-ledger/数据/ledger.sqlite');
    expect(p.backupsDir).toBe('/home/zhangsan/.config/township-ledger/数据/备份');
    expect(path.dirname(p.backupsDir)).toBe(path.dirname(p.dbFile));
  });

  it('an upgrade over an earlier build keeps using its database where it is', () => {
    const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-upgrade-'));
    try {
      const appData = path.dirname(userData);
      const env = { LEDGER_USER_DATA: userData };
      expect(ledgerPaths(appData, env, fs.existsSync).dbFile).toBe(path.join(userData, '数据', 'ledger.sqlite'));
      fs.writeFileSync(path.join(userData, 'ledger.sqlite'), '');
      const p = ledgerPaths(appData, env, fs.existsSync);
      expect(p.dbFile).toBe(path.join(userData, 'ledger.sqlite'));
      expect(p.backupsDir).toBe(path.join(userData, '备份'));
    } finally {
      fs.rmSync(userData, { recursive: true, force: true });
    }
  });

  it('LEDGER_DB names another file (tests, a second ledger); its backups go beside it', () => {
    const p = ledgerPaths('/appdata', { LEDGER_DB: '/data/乡/x.sqlite' }, () => true);
    expect(p.dbFile).toBe('/data/乡/x.sqlite');
    expect(p.backupsDir).toBe('/data/乡/备份');
  });
});
