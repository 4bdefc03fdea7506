/**
 * Villages named by an import: by exact name or by the end of a region path (贵州省…测试镇青山村, 测试县/测试镇/青山村).
 * With `create`, a name the ledger does not know becomes a new village (its 12-digit code filled in later in 设置),
 * so a new ledger can start from its files; without it, the row is refused and the page offers to create them.
 */
import type { Connection } from '../../db/query.ts';
import { VillageWrites } from '../../domain/villages.ts';

export interface VillageNames {
  /** The village's id, created when allowed; null when unknown (and not to be created). */
  resolve(text: string): number | null;
  /** Names created by this import, in order. */
  created: string[];
  /** The only village, when the township has exactly one (a file may then leave 行政村 blank). */
  only: number | null;
}

/** The village a region path ends with: its last segment, or what follows the township (…镇 / …乡 / …街道). */
function lastSegment(text: string): string {
  const parts = text.split(/[/／\\、\s>]+/).filter(Boolean);
  const last = parts.at(-1) ?? text;
  const m = /^.*(?:镇|乡|街道|办事处)(.+村.*)$/.exec(last);
  return m ? m[1]! : last;
}

export function villageNames(conn: Connection, options: { create: boolean; now: string }): VillageNames {
  const rows = conn.raw.prepare('SELECT id, name, sort_order AS sortOrder FROM village').all() as {
    id: number;
    name: string;
    sortOrder: number;
  }[];
  const byName = new Map(rows.map((v) => [v.name, v.id]));
  let nextOrder = Math.max(0, ...rows.map((v) => v.sortOrder)) + 1;
  const writes = new VillageWrites(conn, options.now);
  const created: string[] = [];
  const find = (text: string): number | null => {
    const exact = byName.get(text);
    if (exact !== undefined) return exact;
    let found: number | null = null;
    let longest = 0;
    for (const [name, id] of byName)
      if (text.endsWith(name) && name.length > longest) [found, longest] = [id, name.length];
    return found;
  };
  return {
    created,
    only: rows.length === 1 ? rows[0]!.id : null,
    resolve(text) {
      const known = find(text);
      if (known !== null || !options.create) return known;
      const name = lastSegment(text);
      const id = byName.get(name) ?? writes.addVillage({ name, code: null, sortOrder: nextOrder++ });
      if (!created.includes(name)) created.push(name);
      byName.set(name, id);
      return id;
    },
  };
}

/** The refusal of a row naming a village the ledger does not know (the import page offers to create them). */
export const unknownVillage = (name: string) =>
  `行政村「${name}」不在本乡镇的村名单中：可选择“新建这些村”后重新检查，或先在“设置”中添加`;
