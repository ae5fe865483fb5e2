// Reads a shape's rows (snapshot chunks) and its changes (change_log). Each read is ONE SQL
// statement, so the counter, the log and the table are seen in one snapshot without an explicit
// transaction (which would also be unsafe on a shared pglite-socket session, see ADR 201).
//
// Snapshot chunks after the first are read later than the first one (requests are stateless).
// They stay consistent with the log replayed from the first chunk's lsn (the handle's base):
// a later chunk leaves out every row that the replay will insert (inserted or moved into the
// shape after the base), and everything else the replay does is idempotent (updates carry full
// rows, deletes of absent rows are no-ops).

import type { Database } from '../db/client';
import { many, maybeOne } from '../db/query';
import { Binder, buildKey, quoteIdent } from './pg-text';
import { shapePredicate, type ShapeDefinition } from './shape-definition';

export interface Counter {
  lastLsn: number;
  compactedThrough: number;
}

async function readCounter(c: Database['pool']): Promise<Counter> {
  const row = await maybeOne<{ l: string; c: string }>(c, `SELECT last_lsn::text AS l, compacted_through::text AS c FROM change_counter WHERE id = 1`);
  if (!row) throw new Error('change_counter is empty: migrations have not run');
  return { lastLsn: Number(row.l), compactedThrough: Number(row.c) };
}

/** The global counter alone: the live poll's cheap check. */
export async function readLastLsn(database: Database): Promise<Counter> {
  return readCounter(database.pool);
}

const recentPolls = new WeakMap<object, { at: number; value: Promise<Counter> }>();

/**
 * The counter for waiting live requests: concurrent waiters in one process share one query
 * per `maxAgeMs`, so the poll cost grows with processes, not with waiting requests.
 */
export function pollLastLsn(database: Database, maxAgeMs: number): Promise<Counter> {
  const now = Date.now();
  const hit = recentPolls.get(database.pool);
  if (hit && now - hit.at < maxAgeMs) return hit.value;
  const value = readCounter(database.pool);
  recentPolls.set(database.pool, { at: now, value });
  value.catch(() => recentPolls.delete(database.pool));
  return value;
}

const tableRef = (def: ShapeDefinition) => `${quoteIdent(def.schema)}.${quoteIdent(def.table.name)}`;
/**
 * Postgres text output of each selected column, independent of session settings for timestamptz
 * (always UTC, `2024-01-01 10:00:00.5+00`); dates and timestamps rely on the default ISO DateStyle.
 */
const textCols = (def: ShapeDefinition, alias: string) =>
  def.columns.map((c) => {
    const ref = `${alias}.${quoteIdent(c.name)}`;
    return c.type === 'timestamptz' && c.dims === 0 ? `(${ref} AT TIME ZONE 'UTC')::text || '+00'` : `${ref}::text`;
  });
const pkTuple = (def: ShapeDefinition, alias: string) => def.pk.map((c) => `${alias}.${quoteIdent(c.name)}`).join(', ');

// ---- keyset cursor inside snapshot offsets ------------------------------------------------
// Snapshot offsets are `0_<n>`: n is the last sent primary key (uuids) as one decimal number,
// so the offset keeps Electric's `<digits>_<digits>` grammar.

export function encodeCursor(pk: string[]): string {
  return BigInt('0x1' + pk.map((u) => u.replace(/-/g, '')).join('')).toString(10);
}

export function decodeCursor(n: string, pkCount: number): string[] | null {
  if (!/^[0-9]{1,200}$/.test(n)) return null;
  const hex = BigInt(n).toString(16);
  if (hex.length !== 1 + 32 * pkCount || hex[0] !== '1') return null;
  const out: string[] = [];
  for (let i = 0; i < pkCount; i++) {
    const h = hex.slice(1 + 32 * i, 33 + 32 * i);
    out.push(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
  }
  return out;
}

// ---- snapshot ---------------------------------------------------------------------------

export type SnapshotRead =
  | { kind: 'must-refetch'; counter: Counter }
  | {
      kind: 'rows';
      counter: Counter;
      /** The lsn the log replay starts after (the handle's base). */
      baseLsn: number;
      /** The chunk's insert messages as JSON text, comma-separated (no brackets), or CSV lines; '' when none. */
      messages: string;
      /** How many messages `messages` holds. */
      count: number;
      /** The primary key of the last message (the next chunk's cursor). */
      lastPk: string[] | null;
      /** True when this chunk holds the last rows of the shape. */
      exhausted: boolean;
      xmin: string;
      xmax: string;
      xip: string[];
    };

/**
 * One insert message per row, built as JSON text by the database: a chunk leaves it as one text
 * value instead of thousands of rows of text columns, which the wire protocol, the driver and a
 * per-row JSON.stringify each paid for again (about 3× the time per megabyte on a 100k catalog).
 */
function insertMessageSql(def: ShapeDefinition, alias: string, b: Binder): string {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const texts = textCols(def, alias);
  const value = def.columns.map((c, i) => `${lit(`${i ? ',' : ''}${JSON.stringify(c.name)}:`)} || COALESCE(to_json(${texts[i]})::text, 'null')`).join(' || ');
  // Electric's key: "schema"."table"/"pk"… (primary keys are uuids: nothing inside them to escape).
  const key = def.pk.map((p) => `'/"' || ${alias}.${quoteIdent(p.name)}::text || '"'`).join(' || ');
  const head = b.bind(`{"headers":{"operation":"insert","relation":${JSON.stringify([def.schema, def.table.name])}},"key":`, 'text');
  const rel = b.bind(buildKey(def.schema, def.table.name, []), 'text');
  return `${head} || to_json(${rel} || ${key})::text || ',"value":{' || ${value} || '}}'`;
}

/** Types whose text output never holds a quote, comma, newline or an empty string: sent unquoted in CSV. */
const BARE_CSV_TYPES = new Set(['uuid', 'int2', 'int4', 'int8', 'numeric', 'float4', 'float8', 'bool', 'date', 'timestamp', 'timestamptz', 'time', 'oid']);

/**
 * One CSV line per row (the columns in `def.columns` order), as COPY … (FORMAT csv) reads it: NULL is
 * an empty unquoted field, text is always quoted (so '' stays an empty string), quotes doubled.
 */
function csvLineSql(def: ShapeDefinition, alias: string): string {
  const texts = textCols(def, alias);
  // concat() writes NULL as nothing: the unquoted empty field COPY reads as NULL. One call per row
  // instead of a chain of || (each of which copies the line so far).
  const fields = def.columns.map((c, i) => (BARE_CSV_TYPES.has(c.type) && c.dims === 0 ? texts[i] : `'"' || replace(${texts[i]}, '"', '""') || '"'`));
  return `concat(${fields.join(`, ',', `)})`;
}

/** The CSV header line of a shape's snapshot chunks (COPY … HEADER MATCH checks it against its column list). */
export function csvHeader(def: ShapeDefinition): string {
  return def.columns.map((c) => (/^[a-z_][a-z0-9_]*$/.test(c.name) ? c.name : `"${c.name.replace(/"/g, '""')}"`)).join(',');
}

/**
 * The next chunk of a shape's rows after `after` (primary key order): at most `limit` rows and
 * about `maxBytes` of message text (always at least one row). `format: 'csv'` returns CSV lines
 * (newline-separated, no header) in `messages` instead of Electric insert messages.
 */
export async function readSnapshotChunk(
  database: Database,
  def: ShapeDefinition,
  opts: { baseLsn?: number; after?: string[]; limit: number; maxBytes: number; format?: 'json' | 'csv' },
): Promise<SnapshotRead> {
  const b = new Binder();
  const pred = shapePredicate(def, b);
  const conds = [pred('r'), `k.base_lsn >= k.compacted_through`, `k.base_lsn <= k.last_lsn`];
  if (def.log === 'changes_only') conds.push('false');
  if (opts.after) {
    const after = opts.after.map((v) => b.bind(v, 'uuid')).join(', ');
    conds.push(`(${pkTuple(def, 'r')}) > (${after})`);
  }
  // Rows the replay from the base will insert are left to the replay.
  const pkEq = def.pk.map((p) => `e.${quoteIdent(p.name)} = r.${quoteIdent(p.name)}`).join(' AND ');
  const pkChanged = def.pk.map((p) => `o.${quoteIdent(p.name)} IS DISTINCT FROM n.${quoteIdent(p.name)}`).join(' OR ');
  conds.push(`NOT EXISTS (SELECT 1 FROM replay_inserts e WHERE ${pkEq})`);
  const csv = opts.format === 'csv';
  // Every step keeps primary key order (the index scan's), so no step sorts or spills: the window
  // and the ordered aggregates read their input presorted.
  const keyCols = (alias: string) => def.pk.map((_, i) => `${alias}.k${i}`).join(', ');
  const keyOrder = keyCols;
  const message = csv ? csvLineSql(def, 'r') : insertMessageSql(def, 'r', b);
  const sql = `WITH k AS (
      SELECT last_lsn, compacted_through, COALESCE(${b.bind(opts.baseLsn ?? null, 'int8')}, last_lsn) AS base_lsn,
             pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
             ARRAY(SELECT pg_snapshot_xip(pg_current_snapshot())::text) AS xip
        FROM change_counter WHERE id = 1
    ), replay_inserts AS (
      SELECT DISTINCT ${pkTuple(def, 'n')}
        FROM k, change_log cl
        CROSS JOIN LATERAL jsonb_populate_record(NULL::${tableRef(def)}, cl."row") n
        CROSS JOIN LATERAL jsonb_populate_record(NULL::${tableRef(def)}, cl.old_row) o
       WHERE cl.table_name = ${b.bind(def.table.name, 'text')}
         AND cl.lsn > k.base_lsn AND cl.lsn <= k.last_lsn
         AND cl.operation <> 'delete'
         AND ${pred('n')}
         AND (cl.operation = 'insert' OR NOT (cl.old_row IS NOT NULL AND ${pred('o')}) OR ${pkChanged})
    )
    SELECT k.last_lsn::text, k.compacted_through::text, k.base_lsn::text, k.xmin, k.xmax, k.xip, s.fetched, s.n, s.body,
           s.pks[array_length(s.pks, 1)] AS last_pk
      FROM k LEFT JOIN LATERAL (
        SELECT count(*)::int AS fetched, count(*) FILTER (WHERE y.keep)::int AS n,
               string_agg(y.j, ${csv ? `E'\\n'` : `','`} ORDER BY ${keyOrder('y')}) FILTER (WHERE y.keep) AS body,
               array_agg(y.pk ORDER BY ${keyOrder('y')}) FILTER (WHERE y.keep) AS pks
          FROM (
            SELECT x.j, x.pk, ${keyCols('x')},
                   sum(length(x.j) + 1) OVER w <= ${b.bind(opts.maxBytes, 'int8')} OR row_number() OVER w = 1 AS keep
              FROM (
                SELECT ${message} AS j, ${def.pk.map((p) => `r.${quoteIdent(p.name)}::text`).join(` || ',' || `)} AS pk,
                       ${def.pk.map((p, i) => `r.${quoteIdent(p.name)} AS k${i}`).join(', ')}
                  FROM ${tableRef(def)} r
                 WHERE ${conds.join(' AND ')}
                 ORDER BY ${pkTuple(def, 'r')}
                 LIMIT ${b.bind(opts.limit, 'int8')}
              ) x
            WINDOW w AS (ORDER BY ${keyOrder('x')} ROWS UNBOUNDED PRECEDING)
          ) y
      ) s ON true`;
  const r = await database.pool.query({ text: sql, values: b.values, rowMode: 'array' });
  const head = r.rows[0] as unknown[] | undefined;
  if (!head) throw new Error('change_counter is empty: migrations have not run');
  const counter = { lastLsn: Number(head[0]), compactedThrough: Number(head[1]) };
  const baseLsn = Number(head[2]);
  if (baseLsn < counter.compactedThrough || baseLsn > counter.lastLsn) return { kind: 'must-refetch', counter };
  const fetched = (head[6] as number | null) ?? 0;
  const count = (head[7] as number | null) ?? 0;
  return {
    kind: 'rows',
    counter,
    baseLsn,
    messages: (head[8] as string | null) ?? '',
    count,
    lastPk: typeof head[9] === 'string' ? head[9].split(',') : null, // uuids: no commas inside
    exhausted: fetched < opts.limit && count === fetched,
    xmin: head[3] as string,
    xmax: head[4] as string,
    xip: head[5] as string[],
  };
}

// ---- change log -------------------------------------------------------------------------

export interface LogEntry {
  lsn: number;
  op: number;
  txid: number;
  operation: 'insert' | 'update' | 'delete';
  /** The row the entry logged (new row; old row for deletes) is in the shape. */
  matchRow: boolean;
  /** The update's old row was in the shape. */
  matchOld: boolean;
  row: (string | null)[];
  old: (string | null)[] | null;
}

export type LogRead =
  | { kind: 'must-refetch'; counter: Counter }
  | {
      kind: 'entries';
      counter: Counter;
      /** Every entry of this shape with lsn in (from, readThrough] is in `entries`. */
      readThrough: number;
      entries: LogEntry[];
    };

/**
 * This shape's changes after `fromLsn`, whole transactions only; at most about `maxOps` log
 * entries of the table (one transaction is never split, however large).
 */
export async function readLog(database: Database, def: ShapeDefinition, fromLsn: number, opts: { maxOps: number }): Promise<LogRead> {
  const b = new Binder();
  const pred = shapePredicate(def, b);
  const table = b.bind(def.table.name, 'text');
  const from = b.bind(fromLsn, 'int8');
  const sql = `WITH k AS (SELECT last_lsn, compacted_through FROM change_counter WHERE id = 1),
    cap AS (
      SELECT cl.lsn FROM k, change_log cl
       WHERE cl.table_name = ${table} AND cl.lsn > ${from} AND cl.lsn <= k.last_lsn
       ORDER BY cl.lsn, cl.op_position OFFSET ${b.bind(opts.maxOps, 'int8')} LIMIT 1
    ),
    w AS (
      SELECT k.last_lsn, k.compacted_through,
             CASE WHEN ${from} < k.compacted_through OR ${from} >= k.last_lsn THEN ${from}
                  WHEN NOT EXISTS (SELECT 1 FROM cap) THEN k.last_lsn
                  WHEN (SELECT lsn FROM cap) - 1 > ${from} THEN (SELECT lsn FROM cap) - 1
                  ELSE (SELECT lsn FROM cap) END AS upto
        FROM k
    )
    SELECT w.last_lsn::text AS last_lsn, w.compacted_through::text AS compacted_through, w.upto::text AS upto, x.*
      FROM w LEFT JOIN LATERAL (
        SELECT * FROM (
          SELECT cl.lsn::text AS lsn, cl.op_position AS op, cl.txid::text AS txid, cl.operation,
                 ${pred('n')} AS match_row,
                 (cl.old_row IS NOT NULL AND ${pred('o')}) AS match_old,
                 json_build_array(${textCols(def, 'n').join(', ')}) AS row,
                 CASE WHEN cl.old_row IS NULL THEN NULL ELSE json_build_array(${textCols(def, 'o').join(', ')}) END AS old
            FROM change_log cl
            CROSS JOIN LATERAL jsonb_populate_record(NULL::${tableRef(def)}, cl."row") n
            CROSS JOIN LATERAL jsonb_populate_record(NULL::${tableRef(def)}, cl.old_row) o
           WHERE cl.table_name = ${table} AND cl.lsn > ${from} AND cl.lsn <= w.upto
        ) y WHERE y.match_row OR y.match_old
      ) x ON true
     ORDER BY x.lsn::int8, x.op`;
  // lsn, txid and upto as text (int8); the first row always carries the counter, entry columns null when none.
  const rows = await many<{
    last_lsn: string;
    compacted_through: string;
    upto: string;
    lsn: string | null;
    op: number;
    txid: string;
    operation: LogEntry['operation'];
    match_row: boolean;
    match_old: boolean;
    row: LogEntry['row'];
    old: LogEntry['old'];
  }>(database.pool, sql, b.values);
  const head = rows[0];
  if (!head) throw new Error('change_counter is empty: migrations have not run');
  const counter = { lastLsn: Number(head.last_lsn), compactedThrough: Number(head.compacted_through) };
  if (fromLsn < counter.compactedThrough || fromLsn > counter.lastLsn) return { kind: 'must-refetch', counter };
  const entries: LogEntry[] = rows
    .filter((row) => row.lsn !== null)
    .map((row) => ({
      lsn: Number(row.lsn),
      op: row.op,
      txid: Number(row.txid),
      operation: row.operation,
      matchRow: row.match_row,
      matchOld: row.match_old,
      row: row.row,
      old: row.old,
    }));
  return { kind: 'entries', counter, readThrough: Math.max(fromLsn, Number(head.upto)), entries };
}
