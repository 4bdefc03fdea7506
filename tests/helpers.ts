import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { computeCheckChar } from '../shared/idnumber.ts';
import type { LedgerApi } from '../shared/api.ts';
import { openLedger, type Ledger } from '../main/core/ledger.ts';

export const TODAY = '2026-11-22';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-test-'));
  dirs.push(dir);
  return dir;
}

export function tempDbPath(name = 'township.sqlite'): string {
  return path.join(tempDir(), name);
}

/** A fresh township database file on disk with settings and one village. */
export async function newLedger(today = TODAY): Promise<{ ledger: Ledger; file: string; villageId: number }> {
  const file = tempDbPath();
  const ledger = await openLedger(file, { create: true, today: () => today });
  await ledger.run('settings.update', {
    townshipName: '测试镇',
    townshipCode: '529901101000',
    county: '测试县',
    province: '贵州省',
  });
  const village = await ledger.run('village.create', { code: '529901101001', name: '青山村' });
  return { ledger, file, villageId: village.id };
}

/** A synthetic but checksum-valid ID (fictional prefecture 5299). */
export function makeId(birth: string, gender: '男' | '女', seq = 1): string {
  const n = seq * 2 + (gender === '男' ? 1 : 0);
  const first17 = `529901${birth.replaceAll('-', '')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + computeCheckChar(first17);
}

/** A household with a head, a spouse and a child; returns their ids. */
export async function familyOf(ledger: Ledger, villageId: number, seq: number) {
  const h = await ledger.run('household.create', {
    villageId,
    hhNo: `H${seq}`,
    phone: '13800000000',
    establishedOn: '2000-01-01',
  });
  const head = await ledger.run('person.create', {
    householdId: h.id,
    idNumber: makeId('1975-03-04', '男', seq),
    name: `户主${seq}`,
    relation: '户主',
    labourCapacity: '普通劳动力',
    medResident: true,
    seriousIllnessIns: true,
  });
  const spouse = await ledger.run('person.create', {
    householdId: h.id,
    idNumber: makeId('1977-06-10', '女', seq),
    name: `配偶${seq}`,
    relation: '配偶',
    labourCapacity: '普通劳动力',
    medResident: true,
  });
  const child = await ledger.run('person.create', {
    householdId: h.id,
    idNumber: makeId('2012-09-01', '男', seq),
    name: `子${seq}`,
    relation: '之子',
    labourCapacity: '无劳动力',
    schoolStatus: '八年级',
    medResident: true,
  });
  return { householdId: h.id, headId: head.id, spouseId: spouse.id, childId: child.id };
}

export async function auditCount(ledger: Ledger): Promise<number> {
  return (await ledger.run('audit.list', { limit: 1 })).total;
}

export const TEST_USER = 'admin';
export const TEST_PASSWORD = 'test-password-1';

/**
 * Signs a page face in (the one Electron's window uses unless another is given) as the 管理员 `admin`, creating
 * that first account when the ledger has none (which signs the in-process face in too).
 */
export async function signIn(ledger: Ledger, page: LedgerApi = ledger.page): Promise<LedgerApi> {
  if (!(await ledger.run('auth.status', {})).accounts)
    await ledger.run('auth.setup', { user: TEST_USER, password: TEST_PASSWORD });
  const r = await page.call('auth.login', { user: TEST_USER, password: TEST_PASSWORD });
  if (!r.ok) throw new Error(r.error.message);
  return page;
}
