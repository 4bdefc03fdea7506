/**
 * Import of relocated households (易地搬迁户): one row per household — the site by name, the household by 户编号
 * or the head's ID number, type, year, moved-in date (any common date form), origin and house area. Upsert by
 * household: the same file again changes nothing.
 */
import type { Connection } from '../../db/query.ts';
import { RelocationWrites, type NewRelocated } from '../../domain/relocation.ts';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { RelocatedLink } from '../../../../shared/schemas.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, parseDate, parseInt0 } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, householdLocator, noHeader, type DataRow } from './rows.ts';

export const RELOCATION_SYNONYMS: Synonyms = {
  site: ['安置点名称', '安置点', '安置区名称', '安置区(点)名称'],
  hhNo: ['户编号', '户号'],
  headId: ['户主证件号码', '户主身份证号', '户主身份证号码'],
  headName: ['户主姓名', '户主'],
  relocationType: ['搬迁类型', '搬迁对象类型', '搬迁户类型'],
  relocationYear: ['搬迁年度', '搬迁年份', '搬迁批次'],
  movedInOn: ['入住时间', '入住日期', '搬迁入住时间', '搬迁时间'],
  originAddress: ['迁出地', '迁出地址', '原住址', '迁出地详细地址'],
  houseAreaM2: ['安置房面积', '安置房面积(㎡)', '安置面积(㎡)', '住房面积(平方米)', '安置面积'],
};

export function importRelocation(
  conn: Connection,
  table: Table,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, RELOCATION_SYNONYMS, ['site', 'movedInOn'], overrides);
  if (!header) return noHeader(table, '「安置点名称」和「入住时间」');
  const { raw } = conn;
  const sites = new Map(
    (raw.prepare('SELECT id, name FROM relocation_site').all() as { id: number; name: string }[]).map((s) => [
      s.name,
      s.id,
    ]),
  );
  const findHousehold = householdLocator(raw, { currentHeadOnly: true, hint: '请先导入或登记该户' });
  const existing = raw.prepare('SELECT * FROM relocated_household WHERE household_id = ?');
  const writes = new RelocationWrites(conn, now);
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const seen = new Map<number, number>();
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const row of dataRows(table, header, warnings)) {
    counts.read += 1;
    const link = readLink(row, sites, findHousehold, seen);
    if (!link) {
      errors.push(...row.errors);
      counts.rejected += 1;
      continue;
    }
    seen.set(link.householdId, row.row);
    const before = existing.get(link.householdId) as RelocatedRow | undefined;
    counts[writeLink(writes, link, before)] += 1;
  }
  return { ...counts, errors: byRow(errors), warnings };
}

type RelocatedRow = Record<string, unknown> & { id: number };

/** One row: the household's link to its site, or null when the row has errors (recorded on it). */
function readLink(
  row: DataRow,
  sites: Map<string, number>,
  findHousehold: ReturnType<typeof householdLocator>,
  seen: Map<number, number>,
): NewRelocated | null {
  const { get, err } = row;
  const siteName = clean(get('site'));
  const siteId = sites.get(siteName);
  if (!siteName) err('site', '安置点名称不能为空');
  else if (siteId === undefined) err('site', `安置点「${siteName}」不存在，请先在“易地搬迁”中新增`);
  const { householdId, key } = findHousehold(row);
  const relocationType = row.value('relocationType', RelocatedLink.shape.relocationType) ?? '建档立卡';
  let movedInOn: string | null = null;
  try {
    movedInOn = parseDate(get('movedInOn'));
    if (!movedInOn) err('movedInOn', '入住时间不能为空');
  } catch (e) {
    err('movedInOn', (e as Error).message);
  }
  let relocationYear: number | null = null;
  let houseAreaM2: number | null = null;
  try {
    relocationYear = parseInt0(get('relocationYear'));
    if (relocationYear !== null && (relocationYear < 2000 || relocationYear > 2100))
      err('relocationYear', '搬迁年度应为四位年份');
  } catch (e) {
    err('relocationYear', (e as Error).message);
  }
  try {
    const t = clean(get('houseAreaM2')).replace(/[㎡平方米m²]/g, '');
    houseAreaM2 = t === '' ? null : Number(t);
    if (houseAreaM2 !== null && !(houseAreaM2 > 0 && houseAreaM2 <= 1000))
      err('houseAreaM2', '安置房面积应在0–1000平方米之间');
  } catch (e) {
    err('houseAreaM2', (e as Error).message);
  }
  if (householdId !== undefined && seen.has(householdId)) err(key, `与第 ${seen.get(householdId)} 行是同一户`);
  const originAddress = row.value('originAddress', RelocatedLink.shape.originAddress);
  if (row.errors.length) return null;
  return {
    siteId: siteId!,
    householdId: householdId!,
    relocationType,
    relocationYear,
    movedInOn: movedInOn!,
    originAddress,
    houseAreaM2,
    propertyCertificate: 0,
    oldHouseReclaimed: 0,
  };
}

/** Links the household, or updates what the row changes (a blank cell keeps the stored value). */
function writeLink(
  writes: RelocationWrites,
  link: NewRelocated,
  before: RelocatedRow | undefined,
): 'inserted' | 'updated' | 'unchanged' {
  if (!before) {
    writes.linkHousehold(link);
    return 'inserted';
  }
  const next = {
    siteId: link.siteId,
    relocationType: link.relocationType,
    relocationYear: link.relocationYear ?? (before.relocation_year as number | null),
    movedInOn: link.movedInOn,
    originAddress: link.originAddress ?? (before.origin_address as string | null),
    houseAreaM2: link.houseAreaM2 ?? (before.house_area_m2 as number | null),
  };
  const stored = [
    before.site_id,
    before.relocation_type,
    before.relocation_year,
    before.moved_in_on,
    before.origin_address,
    before.house_area_m2,
  ];
  if (Object.values(next).every((v, i) => v === stored[i])) return 'unchanged';
  writes.updateRelocated(before.id, next);
  return 'updated';
}
