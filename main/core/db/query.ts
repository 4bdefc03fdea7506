/**
 * The one door for SQL that Kysely's builders do not express (report rows, rule queries): a Kysely `sql`
 * fragment is compiled by Kysely (same plugins, bound parameters, the facts of domain/facts.ts) and run
 * synchronously by better-sqlite3 on the same connection.
 *
 * Kysely serialises queries on its one SQLite connection with a lock; better-sqlite3 calls made here bypass
 * it. `rows` is safe anywhere because it completes before the event loop can start another query. `stream`
 * hands out a cursor that is read across awaits (report writing), so it requires the caller to be inside the
 * operation's transaction, which holds Kysely's lock until the operation ends.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Insertable, Kysely, RawBuilder, Updateable } from 'kysely';
import type { Database } from './schema.ts';

export interface Connection {
  db: Kysely<Database>;
  raw: BetterSqlite3.Database;
}

function prepare<R>(conn: Connection, query: RawBuilder<R>) {
  const compiled = query.compile(conn.db);
  return { stmt: conn.raw.prepare(compiled.sql), params: compiled.parameters as unknown[] };
}

/** All rows of the query, read at once. */
export function rows<R>(conn: Connection, query: RawBuilder<R>): R[] {
  const { stmt, params } = prepare(conn, query);
  return stmt.all(...params) as R[];
}

/** Rows one at a time, for sheets too large to hold; only inside the operation's transaction (see above). */
export function stream<R>(conn: Connection, query: RawBuilder<R>): Iterable<R> {
  if (!conn.db.isTransaction) {
    throw new Error('stream() reads across awaits: call it inside the operation transaction that holds the lock');
  }
  const { stmt, params } = prepare(conn, query);
  return { [Symbol.iterator]: () => stmt.iterate(...params) as Iterator<R> };
}

type Row<T extends keyof Database> = Insertable<Database[T]>;
type Patch<T extends keyof Database> = Updateable<Database[T]>;

/** SQLite binds numbers, strings, bigints, buffers and null (0/1 for booleans: architecture.md). */
const bindable = (v: unknown) => (typeof v === 'boolean' ? Number(v) : v);

/**
 * An INSERT compiled by Kysely from the table's types and prepared once per column set, for writing many rows
 * (imports, the demo) through the same definitions as one-at-a-time operations. Returns the new row's id.
 */
export function inserter<T extends keyof Database>(conn: Connection, table: T): (row: Row<T>) => number {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  // Bulk callers pass the same columns row after row: the last statement is reused while the columns match,
  // without building a signature per row.
  let lastColumns: string[] = [];
  let last: BetterSqlite3.Statement | undefined;
  return (row) => {
    const values: unknown[] = [];
    let same = last !== undefined;
    // Keys and values in the same order, without a keyed lookup per column.
    const keys = Object.keys(row);
    const given = Object.values<unknown>(row);
    for (let i = 0; i < keys.length; i++) {
      const v = given[i];
      // Kysely leaves out undefined values: so do the bound parameters.
      if (v === undefined) continue;
      if (same && lastColumns[values.length] !== keys[i]) same = false;
      values.push(bindable(v));
    }
    if (!same || values.length !== lastColumns.length) {
      lastColumns = Object.keys(row).filter((k) => row[k as keyof Row<T>] !== undefined);
      const signature = lastColumns.join(',');
      last = prepared.get(signature);
      if (!last) {
        last = conn.raw.prepare(conn.db.insertInto(table).values(row).compile().sql);
        prepared.set(signature, last);
      }
    }
    return Number(last!.run(values).lastInsertRowid);
  };
}

/** Tables whose records the domain writes patch by id. */
type PatchableTable =
  | 'village'
  | 'household'
  | 'person'
  | 'placement'
  | 'monitoringCase'
  | 'relocatedHousehold'
  | 'employment'
  | 'workPlan';

/** An UPDATE … WHERE id = ? compiled by Kysely and prepared once per column set. */
export function updater<T extends PatchableTable>(conn: Connection, table: T): (id: number, patch: Patch<T>) => void {
  const prepared = new Map<string, BetterSqlite3.Statement>();
  return (id, patch) => {
    const keys = (Object.keys(patch) as (keyof Patch<T> & string)[]).filter((k) => patch[k] !== undefined);
    if (keys.length === 0) return;
    const signature = keys.join(',');
    let stmt = prepared.get(signature);
    if (!stmt) {
      const db = conn.db as unknown as Kysely<Pick<Database, PatchableTable>>;
      stmt = conn.raw.prepare(
        db
          .updateTable(table as 'person')
          .set(patch as Patch<'person'>)
          .where('id', '=', id)
          .compile().sql,
      );
      prepared.set(signature, stmt);
    }
    stmt.run(...keys.map((k) => bindable(patch[k])), id);
  };
}

/** A statement that returns no rows (a write Kysely's builders do not express), on the same connection. */
export function run(conn: Connection, query: RawBuilder<unknown>): number {
  const { stmt, params } = prepare(conn, query);
  return stmt.run(...params).changes;
}
