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
import type { Kysely, RawBuilder } from 'kysely';
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
