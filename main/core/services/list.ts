/** Paging and sorting for list operations; sort keys are whitelisted by the contract's zod enums. */
import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Page } from '../../../shared/api.ts';

export interface ListParams<F extends string> {
  sort: { field: F; dir: 'asc' | 'desc' }[];
  offset: number;
  limit: number;
}

/**
 * Runs `query` for one page and counts all matches. `sortColumns` maps each contract sort key to the SQL
 * it orders by; `tieBreak` keeps paging stable.
 */
export async function page<DB, TB extends keyof DB, R, F extends string>(
  query: SelectQueryBuilder<DB, TB, R>,
  params: ListParams<F>,
  sortColumns: Record<F, string>,
  tieBreak: string,
): Promise<Page<R>> {
  let q = query;
  for (const s of params.sort) {
    q = q.orderBy(sql.raw(sortColumns[s.field]), s.dir);
  }
  q = q.orderBy(sql.raw(tieBreak));
  const rows = await q.limit(params.limit).offset(params.offset).execute();
  const countRow = await query
    .clearSelect()
    .clearOrderBy()
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return { rows: rows, total: Number((countRow as { n: number }).n) };
}

/**
 * Quick search over text columns. SQLite's LIKE/LOWER are ASCII-only, so Chinese is matched with instr
 * (architecture.md); the term is bound, never spliced.
 */
export function quickMatch(term: string, columns: string[]): Expression<SqlBool> {
  const parts = columns.map((c) => sql`instr(coalesce(${sql.raw(c)}, ''), ${term}) > 0`);
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}
