import type { Database } from '../db/client';
import { compactChangeLog } from '../db/change-log';
import { execute, many, one } from '../db/query';

/** Registers offline longer than this resync from a snapshot (409 must-refetch). */
const CHANGE_LOG_DAYS = 7;
/**
 * A table's planner statistics are refreshed once more rows changed since its last ANALYZE than
 * this base plus this share of its rows: autovacuum's defaults (autovacuum_analyze_threshold,
 * autovacuum_analyze_scale_factor).
 */
const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE_FACTOR = 0.1;
/**
 * The tick starts no further ANALYZE once this much time went on them (it always runs the first,
 * so every tick makes progress); what is left is still due at the next tick, a minute later. Each
 * table's ANALYZE is one statement and the embedded database serves the other clients between
 * them, so their wait is bounded by one table, not by this budget: it keeps the tick short, and
 * statistics a small share of each minute, when many tables are due at once (after a restart,
 * an import).
 */
const ANALYZE_BUDGET_MS = 3_000;

/** One pass of background housekeeping; records a heartbeat that /health reports. */
export async function runWorkerTick(database: Database) {
  const started = Date.now();
  const pruned = await execute(database.pool, `DELETE FROM metrics_snapshots WHERE updated_at < now() - interval '7 days'`);
  const cutoff = await one<{ lsn: string }>(
    database.pool,
    `SELECT COALESCE(max(lsn), 0) AS lsn FROM change_log WHERE created_at < now() - make_interval(days => $1)`,
    [CHANGE_LOG_DAYS],
  );
  const compacted = await compactChangeLog(database, { keepLsnAfter: Number(cutoff.lsn) });
  const upkeep = await keepDatabaseFit(database, compacted.deleted);
  const result = { prunedMetricSnapshots: pruned, changeLogDeleted: compacted.deleted, ...upkeep, ms: 0 };
  result.ms = Date.now() - started;
  await execute(
    database.pool,
    `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker', now(), $1)
     ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
    [JSON.stringify(result)],
  );
  return result;
}

/** A table the tick analyzed: its qualified name and how long its ANALYZE took. */
export interface AnalyzedTable {
  table: string;
  ms: number;
}

/**
 * What autovacuum does on a PostgreSQL server, for the embedded PGlite that has none (and harmless
 * on PostgreSQL): VACUUM the change log once compaction deleted rows, so new changes reuse the
 * space; ANALYZE each table whose rows changed enough, or lookups stop using their indexes as
 * tables grow; on PGlite a CHECKPOINT after compaction, so its WAL does not grow without bound.
 * The last tables analyzed are kept in `heartbeats` row `worker.analyze`.
 */
async function keepDatabaseFit(database: Database, changeLogDeleted: number) {
  const q = (sql: string, params?: unknown[]) => execute(database.pool, sql, params);
  let vacuumed = false;
  let checkpointed = false;
  if (changeLogDeleted > 0) {
    await q('VACUUM (ANALYZE) change_log');
    vacuumed = true;
  }
  const { analyzed, analyzeDeferred } = await analyzeDueTables(database);
  if (changeLogDeleted > 0 && (await isEmbedded(database))) {
    await q('CHECKPOINT');
    checkpointed = true;
  }
  return { vacuumed, analyzed, analyzeDeferred, checkpointed };
}

/**
 * ANALYZE, one table per statement, the tables autovacuum would: more rows changed since the
 * last ANALYZE than ANALYZE_THRESHOLD + ANALYZE_SCALE_FACTOR × rows, or never analyzed and not
 * empty. The counters live in the statistics system, which PGlite starts empty on every open
 * (PostgreSQL after a crash): every table then counts as never analyzed and is analyzed once
 * more, which covers the changes whose counts were lost, so no hourly sweep is needed. "Not
 * empty" is the table's size on disk: a table never analyzed has no row estimate in pg_class,
 * and after a reset pg_stat_user_tables counts no rows either.
 */
async function analyzeDueTables(database: Database): Promise<{ analyzed: AnalyzedTable[]; analyzeDeferred: number }> {
  // format('%I.%I') quotes the names where they need it, so they read plainly in the report too.
  const due = await many<{ name: string }>(
    database.pool,
    `SELECT format('%I.%I', s.schemaname, s.relname) AS name
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      CROSS JOIN LATERAL (SELECT $1::float8 + $2::float8 * greatest(c.reltuples, 0) AS threshold) t
      WHERE c.relkind = 'r' AND c.relpersistence <> 't'
        AND (s.n_mod_since_analyze > t.threshold
             OR (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AND pg_relation_size(c.oid) > 0))
      ORDER BY s.last_analyze IS NULL AND s.last_autoanalyze IS NULL DESC, s.n_mod_since_analyze / t.threshold DESC`,
    [ANALYZE_THRESHOLD, ANALYZE_SCALE_FACTOR],
  );
  const analyzed: AnalyzedTable[] = [];
  const started = Date.now();
  for (const { name: table } of due) {
    if (analyzed.length > 0 && Date.now() - started >= ANALYZE_BUDGET_MS) break;
    const at = Date.now();
    await execute(database.pool, `ANALYZE ${table}`);
    analyzed.push({ table, ms: Date.now() - at });
  }
  const analyzeDeferred = due.length - analyzed.length;
  if (analyzed.length > 0) {
    await execute(
      database.pool,
      `INSERT INTO heartbeats (name, beat_at, detail) VALUES ('worker.analyze', now(), $1)
       ON CONFLICT (name) DO UPDATE SET beat_at = now(), detail = EXCLUDED.detail`,
      [JSON.stringify({ tables: analyzed, deferred: analyzeDeferred })],
    );
  }
  return { analyzed, analyzeDeferred };
}

const embedded = new WeakMap<Database, boolean>();

/** The embedded PGlite says so in its version string. */
export async function isEmbedded(database: Database): Promise<boolean> {
  let known = embedded.get(database);
  if (known === undefined) {
    known = /PGlite/i.test((await database.pool.query<{ v: string }>(`SELECT version() AS v`)).rows[0]!.v);
    embedded.set(database, known);
  }
  return known;
}
