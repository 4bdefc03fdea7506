/**
 * Import of the township's village list (the national （自定义）行政村信息 export, or any list with village names
 * and their 12-digit statistical codes): the day-one source of villages, so a new ledger need not type them in.
 * Upsert by code; a name already used by another code is refused on its row.
 */
import type { ImportError, ImportResult } from '../../../../shared/api.ts';
import { VillageInput } from '../../../../shared/schemas.ts';
import type { Connection } from '../../db/query.ts';
import { VillageWrites } from '../../domain/villages.ts';
import { findHeader, type Synonyms } from './header.ts';
import { clean } from './parse.ts';
import type { Table } from './read.ts';
import { byRow, dataRows, noHeader } from './rows.ts';

export const VILLAGE_SYNONYMS: Synonyms = {
  name: ['行政村', '行政村名称', '村名称', '村名', '名称'],
  code: ['行政区划代码', '统计用区划代码', '区划代码', '行政村代码', '村代码', '行政区划编码', '代码'],
};

export function importVillages(
  conn: Connection,
  table: Table,
  now: string,
  overrides: Record<string, number> = {},
): ImportResult {
  const header = findHeader(table.rows, VILLAGE_SYNONYMS, ['name', 'code'], overrides);
  if (!header) return noHeader(table, '「行政村」和「区划代码」');
  const stored = conn.raw.prepare('SELECT id, code, name, sort_order AS sortOrder FROM village').all() as {
    id: number;
    code: string | null;
    name: string;
    sortOrder: number;
  }[];
  const byCode = new Map(stored.filter((v) => v.code !== null).map((v) => [v.code!, v]));
  const byName = new Map(stored.map((v) => [v.name, v]));
  let nextOrder = Math.max(0, ...stored.map((v) => v.sortOrder)) + 1;
  const writes = new VillageWrites(conn, now);
  const errors: ImportError[] = [];
  const warnings: ImportError[] = [];
  const seen = new Map<string, number>();
  const counts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  for (const row of dataRows(table, header, warnings)) {
    counts.read += 1;
    if (clean(row.get('name')) === '') row.err('name', '行政村名称不能为空');
    if (clean(row.get('code')) === '') row.err('code', '区划代码不能为空');
    const name = row.value('name', VillageInput.shape.name);
    const code = row.value('code', VillageInput.shape.code, String(row.get('code') ?? ''));
    if (code && seen.has(code)) row.err('code', `与第 ${seen.get(code)} 行的区划代码重复`);
    const other = name ? byName.get(name) : undefined;
    // A village first named by another file has no code yet: this list gives it one.
    if (other && other.code !== null && other.code !== code)
      row.err('name', `行政村「${name}」已登记，区划代码为 ${other.code}`);
    if (row.errors.length || !name || !code) {
      errors.push(...row.errors);
      counts.rejected += 1;
      continue;
    }
    seen.set(code, row.row);
    const before = byCode.get(code);
    if (!before && other) {
      writes.updateVillage(other.id, { code });
      byCode.set(code, { ...other, code });
      counts.updated += 1;
    } else if (!before) {
      const v = { id: writes.addVillage({ code, name, sortOrder: nextOrder }), code, name, sortOrder: nextOrder };
      nextOrder += 1;
      byCode.set(code, v);
      byName.set(name, v);
      counts.inserted += 1;
    } else if (before.name !== name) {
      writes.updateVillage(before.id, { name });
      byName.delete(before.name);
      byName.set(name, { ...before, name });
      counts.updated += 1;
    } else counts.unchanged += 1;
  }
  return { ...counts, errors: byRow(errors), warnings };
}
