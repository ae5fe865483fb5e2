// A subscription's first sync, done as a bulk load: every table's snapshot chunks are fetched
// (tables in parallel, the next chunk while the last one is written) and COPYed as they arrive
// into tables whose indexes are built once at the end, then ANALYZEd. pglite-sync then resumes
// from the subscription state written here, so live changes follow its usual path.
//
// Chunks are asked for as CSV (`accept: text/csv`): the edge builds them in SQL as COPY reads them
// and the body goes into COPY as it came (no JSON parse, no per-row work here). A server that
// answers Electric's JSON (Electric itself, an older edge) is read as before and turned into CSV.
//
// Why not pglite-sync's own first sync: it holds every message in memory until all shapes are up
// to date, then writes them in one transaction, COPY for the first table only (INSERTs for the
// rest), into indexed tables. For a 100k catalog that was ~4.7× a plain COPY of the same rows.
//
// Crash safety: the tables are emptied and their indexes dropped in one transaction that also
// records the index definitions (local_deferred_indexes); the last transaction recreates them and
// writes the subscription state. A load cut short leaves no subscription state, so the next start
// loads again and still finds the definitions to recreate. Until then the register has not synced.
import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import * as z from 'zod';

/** Where pglite-sync keeps its subscriptions (its default metadata schema). */
const SUBSCRIPTIONS = 'electric.subscriptions_metadata';

export interface SnapshotLoadOptions {
  baseUrl: string;
  token: string;
  fetchClient?: typeof fetch;
  /** The pglite-sync subscription key this load starts. */
  key: string;
  /** Shape name = table name (as the subscription names its shapes). */
  tables: readonly string[];
  signal?: AbortSignal;
}

/**
 * Each step of a load is a performance measure where it runs (the register's worker, or Node):
 * `till:snapshot-fetch` (request → body, detail: table, bytes, the edge's `server-timing`, ms to the
 * headers), `till:snapshot-copy` (detail: table), `till:snapshot-indexes`, `till:snapshot-analyze`.
 * Benchmarks read them (`performance.getEntriesByType('measure')`); a few dozen per first sync.
 */
function measure(name: string, start: number, detail?: Record<string, unknown>): void {
  performance.measure(`till:snapshot-${name}`, { start, end: performance.now(), detail });
}

export class SnapshotLoadError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const message = z.object({
  headers: z.object({ operation: z.string().optional(), control: z.string().optional() }).passthrough(),
  value: z.record(z.string(), z.string().nullable()).optional(),
});

/** CSV as COPY reads it: NULL is an unquoted empty field, every value is quoted. */
function csvOf(rows: Record<string, string | null>[], columns: string[]): string {
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const v = row[columns[i]!];
      if (i) line += ',';
      if (v !== null && v !== undefined) line += `"${v.includes('"') ? v.replace(/"/g, '""') : v}"`;
    }
    out += line + '\n';
  }
  return out;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** True when the subscription has state already (pglite-sync resumes it; nothing to load). */
export async function hasSubscription(pg: PGliteInterface, key: string): Promise<boolean> {
  const r = await pg.query(`SELECT 1 FROM ${SUBSCRIPTIONS} WHERE key = $1`, [key]).catch(() => ({ rows: [] as unknown[] }));
  return r.rows.length > 0;
}

/** Empties the tables and drops their indexes, remembering how to rebuild them. */
async function prepare(pg: PGliteInterface, tables: readonly string[]): Promise<void> {
  await pg.transaction(async (tx) => {
    await tx.exec(`CREATE TABLE IF NOT EXISTS local_deferred_indexes (name text PRIMARY KEY, tbl text NOT NULL, ddl text NOT NULL, is_pk boolean NOT NULL)`);
    await tx.query(
      `INSERT INTO local_deferred_indexes (name, tbl, ddl, is_pk)
       SELECT i.relname, t.relname,
              CASE WHEN c.contype = 'p' THEN 'ALTER TABLE ' || quote_ident(t.relname) || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)
                   ELSE pg_get_indexdef(i.oid) END,
              COALESCE(c.contype = 'p', false)
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_constraint c ON c.conindid = i.oid AND c.contype IN ('p', 'u')
        WHERE t.relname = ANY($1::text[])
       ON CONFLICT (name) DO NOTHING`,
      [tables],
    );
    const defs = await tx.query<{ name: string; tbl: string; is_pk: boolean }>(
      `SELECT d.name, d.tbl, d.is_pk FROM local_deferred_indexes d JOIN pg_class i ON i.relname = d.name AND i.relkind = 'i' WHERE d.tbl = ANY($1::text[])`,
      [tables],
    );
    for (const d of defs.rows) {
      await tx.exec(d.is_pk ? `ALTER TABLE ${quote(d.tbl)} DROP CONSTRAINT ${quote(d.name)}` : `DROP INDEX ${quote(d.name)}`);
    }
    await tx.exec(`TRUNCATE ${tables.map(quote).join(', ')}`);
  });
}

/** Rebuilds the indexes, records the subscription and refreshes planner statistics. */
async function finish(pg: PGliteInterface, opts: SnapshotLoadOptions, handles: Record<string, string>): Promise<void> {
  const t0 = performance.now();
  await pg.transaction(async (tx: Transaction) => {
    const defs = await tx.query<{ name: string; ddl: string }>(
      `SELECT name, ddl FROM local_deferred_indexes WHERE tbl = ANY($1::text[]) ORDER BY is_pk DESC, name`,
      [opts.tables],
    );
    for (const d of defs.rows) await tx.exec(d.ddl);
    await tx.query(`DELETE FROM local_deferred_indexes WHERE tbl = ANY($1::text[])`, [opts.tables]);
    const shapes = Object.fromEntries(opts.tables.map((t) => [t, { handle: handles[t], offset: '0_inf' }]));
    // last_lsn 0: the first catch-up after the snapshot commits, which is pglite-sync's "initial sync".
    await tx.query(
      `INSERT INTO ${SUBSCRIPTIONS} (key, shape_metadata, last_lsn) VALUES ($1, $2, '0')
       ON CONFLICT (key) DO UPDATE SET shape_metadata = EXCLUDED.shape_metadata, last_lsn = EXCLUDED.last_lsn`,
      [opts.key, JSON.stringify(shapes)],
    );
  });
  measure('indexes', t0);
  const t1 = performance.now();
  await pg.exec(`ANALYZE ${opts.tables.map(quote).join(', ')}`);
  measure('analyze', t1);
}

/** A chunk ready for COPY: CSV text with its header line (the edge's format) or built here from Electric's JSON. */
interface Chunk {
  handle: string;
  offset: string;
  columns: string[];
  /** CSV (COPY's format); null when the chunk has no rows. */
  csv: Blob | null;
  /** True when the first CSV line is a header (COPY … HEADER MATCH checks it against `columns`). */
  header: boolean;
}

async function fetchChunk(opts: SnapshotLoadOptions, table: string, offset: string, handle: string | undefined): Promise<Chunk> {
  const params = new URLSearchParams({ table, offset });
  if (handle) params.set('handle', handle);
  const t0 = performance.now();
  const get = () =>
    (opts.fetchClient ?? fetch)(`${opts.baseUrl}/v1/shape?${params}`, {
      // The edge answers snapshot chunks as CSV when asked; Electric (or an older edge) answers JSON.
      headers: { Authorization: `Bearer ${opts.token}`, Accept: 'text/csv, application/json;q=0.5' },
      signal: opts.signal,
    });
  // A kept-alive connection the edge closed just then fails the request without an answer: one
  // retry of this (idempotent) chunk instead of starting the whole load again.
  const res = await get().catch((e: unknown) => {
    if (opts.signal?.aborted || (e as Error)?.name === 'AbortError') throw e;
    return get();
  });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new SnapshotLoadError(`snapshot of ${table}: HTTP ${res.status}`, res.status);
  }
  const nextHandle = res.headers.get('electric-handle');
  const nextOffset = res.headers.get('electric-offset');
  if (!nextHandle || !nextOffset) throw new SnapshotLoadError(`snapshot of ${table}: no electric-handle/offset`);
  const headersMs = performance.now() - t0;
  const trace = (bytes: number) => measure('fetch', t0, { table, bytes, headersMs, server: res.headers.get('server-timing') });
  if (/^text\/csv\b/i.test(res.headers.get('content-type') ?? '')) {
    const columns = Object.keys(JSON.parse(res.headers.get('electric-schema') ?? '{}') as object);
    if (columns.length === 0) throw new SnapshotLoadError(`snapshot of ${table}: CSV without electric-schema`);
    const csv = await res.blob();
    trace(csv.size);
    return { handle: nextHandle, offset: nextOffset, columns, csv, header: true };
  }
  const messages = z.array(message).parse(await res.json());
  const rows: Record<string, string | null>[] = [];
  for (const m of messages) {
    if (m.headers.operation === 'insert' && m.value) rows.push(m.value);
    else if (m.headers.operation) throw new SnapshotLoadError(`snapshot of ${table}: unexpected ${m.headers.operation}`);
  }
  const columns = rows.length ? Object.keys(rows[0]!) : [];
  const csv = rows.length ? new Blob([csvOf(rows, columns)]) : null;
  trace(csv?.size ?? 0);
  return { handle: nextHandle, offset: nextOffset, columns, csv, header: false };
}

/** One table's snapshot, chunk after chunk; the next chunk is on its way while one is written. */
async function loadTable(pg: PGliteInterface, opts: SnapshotLoadOptions, table: string): Promise<string> {
  let chunk = await fetchChunk(opts, table, '-1', undefined);
  const handle = chunk.handle;
  for (;;) {
    const next = chunk.offset === '0_inf' ? undefined : fetchChunk(opts, table, chunk.offset, handle);
    next?.catch(() => undefined); // observed below; a failed write must not leave it unhandled
    if (chunk.handle !== handle) throw new SnapshotLoadError(`snapshot of ${table}: the shape changed while loading`, 409);
    if (chunk.csv) {
      const t0 = performance.now();
      await pg.query(
        `COPY ${quote(table)} (${chunk.columns.map(quote).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv${chunk.header ? ', HEADER match' : ''})`,
        [],
        { blob: chunk.csv },
      );
      measure('copy', t0, { table });
    }
    if (!next) return handle;
    chunk = await next;
  }
}

/**
 * Loads the subscription's tables from a fresh snapshot, unless the subscription already has
 * state. Resolves true when it loaded. Any failure leaves no subscription state (call again).
 */
export async function loadSnapshot(pg: PGliteInterface & { sync: { initMetadataTables(): Promise<void> } }, opts: SnapshotLoadOptions): Promise<boolean> {
  await pg.sync.initMetadataTables();
  if (await hasSubscription(pg, opts.key)) return false;
  await prepare(pg, opts.tables);
  // One table failing stops the others' requests.
  const aborter = new AbortController();
  const stop = () => aborter.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  try {
    const each = { ...opts, signal: aborter.signal };
    const loaded = opts.tables.map(async (t) => [t, await loadTable(pg, each, t)] as const);
    for (const p of loaded) void p.catch(() => stop());
    const handles = Object.fromEntries(await Promise.all(loaded));
    await finish(pg, opts, handles);
    return true;
  } finally {
    opts.signal?.removeEventListener('abort', stop);
  }
}
