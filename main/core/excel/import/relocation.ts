/**
 * Import of relocated households (易地搬迁户): one row per household — the site by name, the household by 户编号
 * or the head's ID number, type, year, moved-in date (any common date form), origin and house area. Upsert by
 * household: the same file again changes nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { RelocatedLink } from '../../../../shared/schemas.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean, parseDate, parseInt0 } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, householdLocator, noHeader } from './rows.ts';

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
  raw: BetterSqlite3.Database,
  table: Table,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, RELOCATION_SYNONYMS, ['site', 'movedInOn'], overrides);
  if (!header) return noHeader(table, '「安置点名称」和「入住时间」');
  const sites = new Map(
    (raw.prepare('SELECT id, name FROM relocation_site').all() as { id: number; name: string }[]).map((s) => [
      s.name,
      s.id,
    ]),
  );
  const findHousehold = householdLocator(raw, { currentHeadOnly: true, hint: '请先导入或登记该户' });
  const existing = raw.prepare('SELECT * FROM relocated_household WHERE household_id = ?');
  const insert =
    raw.prepare(`INSERT INTO relocated_household (site_id, household_id, relocation_type, relocation_year, moved_in_on, origin_address, house_area_m2, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = raw.prepare(
    `UPDATE relocated_household SET site_id = ?, relocation_type = ?, relocation_year = ?, moved_in_on = ?, origin_address = ?, house_area_m2 = ?, updated_at = ? WHERE id = ?`,
  );
  const errors: ImportError[] = [];
  const seen = new Map<number, number>();
  let read = 0,
    inserted = 0,
    updated = 0,
    unchanged = 0,
    rejected = 0;

  for (const row of dataRows(table, header)) {
    read += 1;
    const { get, err, row: rowNo, errors: rowErrors } = row;

    const siteName = clean(get('site'));
    const siteId = sites.get(siteName);
    if (!siteName) err('site', '安置点名称不能为空');
    else if (siteId === undefined) err('site', `安置点「${siteName}」不存在，请先在“易地搬迁”中新增`);
    const { householdId, key } = findHousehold(row);
    const type = row.value('relocationType', RelocatedLink.shape.relocationType) ?? '建档立卡';
    let movedInOn: string | null = null;
    try {
      movedInOn = parseDate(get('movedInOn'));
      if (!movedInOn) err('movedInOn', '入住时间不能为空');
    } catch (e) {
      err('movedInOn', (e as Error).message);
    }
    let year: number | null = null;
    let area: number | null = null;
    try {
      year = parseInt0(get('relocationYear'));
      if (year !== null && (year < 2000 || year > 2100)) err('relocationYear', '搬迁年度应为四位年份');
    } catch (e) {
      err('relocationYear', (e as Error).message);
    }
    try {
      const t = clean(get('houseAreaM2')).replace(/[㎡平方米m²]/g, '');
      area = t === '' ? null : Number(t);
      if (area !== null && !(area > 0 && area <= 1000)) err('houseAreaM2', '安置房面积应在0–1000平方米之间');
    } catch (e) {
      err('houseAreaM2', (e as Error).message);
    }
    if (householdId !== undefined && seen.has(householdId)) err(key, `与第 ${seen.get(householdId)} 行是同一户`);
    if (rowErrors.length) {
      errors.push(...rowErrors);
      rejected += 1;
      continue;
    }
    seen.set(householdId!, rowNo);
    const origin = clean(get('originAddress')) || null;
    const before = existing.get(householdId!) as Record<string, unknown> | undefined;
    if (!before) {
      insert.run(siteId!, householdId!, type, year, movedInOn, origin, area, now, now);
      inserted += 1;
      continue;
    }
    const next = {
      site_id: siteId!,
      relocation_type: type,
      relocation_year: year ?? before.relocation_year,
      moved_in_on: movedInOn,
      origin_address: origin ?? before.origin_address,
      house_area_m2: area ?? before.house_area_m2,
    };
    if (Object.entries(next).some(([k, v]) => before[k] !== v)) {
      update.run(
        next.site_id,
        next.relocation_type,
        next.relocation_year,
        next.moved_in_on,
        next.origin_address,
        next.house_area_m2,
        now,
        before.id,
      );
      updated += 1;
    } else unchanged += 1;
  }
  return { read, inserted, updated, unchanged, rejected, errors: byRow(errors) };
}
