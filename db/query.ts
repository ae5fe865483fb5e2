// Typed rows for the SQL that stays hand-written (ADR 001, "Data access"). pg's own `query` returns
// `any` rows unless told otherwise; these helpers make the row type a required part of every call,
// and `SqlRow<typeof table>` derives that type from db/schema.ts under the database's own column
// names, so renaming a column there breaks every query that still names the old one.
import type { Table } from 'drizzle-orm';
import type { QueryResult, QueryResultRow } from 'pg';

/** A pool, a transaction's client, or anything else that runs one statement. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

type Columns<T extends Table> = T['_']['columns'];

/**
 * A table's row as `SELECT *` returns it through pg: snake_case keys, timestamps as Date, int8 as
 * number (db/client.ts), jsonb as `unknown` (validate it before use).
 */
export type SqlRow<T extends Table> = {
  [K in keyof Columns<T> as Columns<T>[K]['_']['name']]: T['$inferSelect'][K & keyof T['$inferSelect']];
};

/** Some of a table's columns, by their database names: `Cols<typeof items, 'id' | 'code'>`. */
export type Cols<T extends Table, K extends keyof SqlRow<T>> = Pick<SqlRow<T>, K>;

/** Every row the statement returns. */
export async function many<Row extends QueryResultRow>(db: Queryable, text: string, values?: unknown[]): Promise<Row[]> {
  return (await db.query<Row>(text, values)).rows;
}

/** The first row, or undefined when there is none. */
export async function maybeOne<Row extends QueryResultRow>(db: Queryable, text: string, values?: unknown[]): Promise<Row | undefined> {
  return (await db.query<Row>(text, values)).rows[0];
}

/** The first row of a statement that always returns one (an aggregate, `INSERT … RETURNING`). */
export async function one<Row extends QueryResultRow>(db: Queryable, text: string, values?: unknown[]): Promise<Row> {
  const row = (await db.query<Row>(text, values)).rows[0];
  if (!row) throw new Error(`expected a row from: ${text.slice(0, 80)}`);
  return row;
}

/** A statement run for its effect: how many rows it touched. */
export async function execute(db: Queryable, text: string, values?: unknown[]): Promise<number> {
  return (await db.query(text, values)).rowCount ?? 0;
}
