import { describe, expect, it } from 'vitest';
import { waitFor } from '../infra/wait-for';
import { backends, useMigratedDatabase } from '../test/databases';
import { isEmbedded, runWorkerTick } from './worker-tick';

describe.each(backends)('worker tick upkeep on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const q = async (sql: string, params: unknown[] = []) => (await t.database.pool.query(sql, params)).rows;

  /** `n` captured changes in one transaction's lsn, `daysAgo` old. */
  const captured = async (n: number, daysAgo: number) => {
    const [{ lsn }] = await q(`UPDATE change_counter SET last_lsn = last_lsn + 1 WHERE id = 1 RETURNING last_lsn AS lsn`);
    await q(
      `INSERT INTO change_log (lsn, op_position, txid, table_name, operation, "row", created_at)
       SELECT $1, g, 0, 'items', 'update', '{}', now() - make_interval(days => $3) FROM generate_series(0, $2 - 1) g`,
      [lsn, n, daysAgo],
    );
  };

  /** A table's statistics as the tick sees them. */
  const stats = async (table: string) =>
    (
      await q(
        `SELECT s.n_mod_since_analyze::int AS mods, s.last_analyze, c.reltuples::int AS reltuples
           FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.schemaname = 'public' AND s.relname = $1`,
        [table],
      )
    )[0] as { mods: number; last_analyze: Date | null; reltuples: number };

  /** The statistics system counts changes lazily (flushed within about a second). */
  const counted = (table: string, mods: number) =>
    waitFor(async () => ((await stats(table)).mods >= mods ? true : undefined), { timeoutMs: 15_000, what: `${mods} changes counted on ${table}` });

  /** Ticks until nothing due is left for the next tick; the tables analyzed on the way. */
  const settle = async () => {
    const tables: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await runWorkerTick(t.database);
      tables.push(...r.analyzed.map((a) => a.table));
      if (r.analyzeDeferred === 0) return tables;
    }
    throw new Error('tables still due after 20 ticks');
  };

  it('vacuums the change log after compaction and checkpoints PGlite', async () => {
    expect(await isEmbedded(t.database)).toBe(backend === 'pglite');
    expect(await runWorkerTick(t.database)).toMatchObject({ vacuumed: false, checkpointed: false });

    // Changes older than the retention are compacted away; the space is vacuumed (and PGlite checkpoints).
    await captured(50, 8);
    const compacted = await runWorkerTick(t.database);
    expect(compacted).toMatchObject({ changeLogDeleted: 50, vacuumed: true, checkpointed: backend === 'pglite' });
    expect((await q(`SELECT count(*)::int AS n FROM change_log`))[0].n).toBe(0);
    expect(await runWorkerTick(t.database)).toMatchObject({ changeLogDeleted: 0, vacuumed: false, checkpointed: false });
    const beat = (await q(`SELECT detail FROM heartbeats WHERE name = 'worker'`))[0].detail;
    expect(beat).toMatchObject({ changeLogDeleted: 0, vacuumed: false, analyzed: expect.any(Array) });
  });

  it('analyzes, one statement per table, the tables changed past the threshold and those never analyzed', async () => {
    // Two tables of 5,000 rows: autovacuum's threshold for each is 50 + 10 % = 550 changed rows.
    // PostgreSQL's own autovacuum stays off them, so what the tick does is all that happens.
    const off = `WITH (autovacuum_enabled = false)`;
    await q(`CREATE TABLE tick_busy (id int PRIMARY KEY, n int) ${off}`);
    await q(`CREATE TABLE tick_quiet (id int PRIMARY KEY, n int) ${off}`);
    await q(`CREATE TABLE "Tick ""odd"" name" (id int) ${off}`);
    for (const table of ['tick_busy', 'tick_quiet']) await q(`INSERT INTO ${table} SELECT g, 0 FROM generate_series(1, 5000) g`);
    await q(`INSERT INTO "Tick ""odd"" name" VALUES (1)`);
    // Counts that arrive after an ANALYZE add to its table's count since (an over-count, harmless).
    await counted('tick_busy', 5000);
    await counted('tick_quiet', 5000);

    // Never analyzed and not empty: analyzed once, each table by its own statement; the name is quoted.
    const first = await settle();
    expect(first).toEqual(expect.arrayContaining(['public.tick_busy', 'public.tick_quiet', 'public."Tick ""odd"" name"']));
    expect(new Set(first).size).toBe(first.length);
    const quiet = await stats('tick_quiet');
    expect(quiet.last_analyze).not.toBeNull();
    expect(quiet.reltuples).toBe(5000);
    const busyBefore = await stats('tick_busy');
    expect(busyBefore.reltuples).toBe(5000);

    // Under the threshold on one table, far past it on the other (an import).
    await q(`UPDATE tick_quiet SET n = 1 WHERE id <= 100`);
    await q(`UPDATE tick_busy SET n = 1`);
    await q(`INSERT INTO tick_busy SELECT g, 0 FROM generate_series(5001, 10000) g`);
    await counted('tick_quiet', 100);
    await counted('tick_busy', 10_000);

    const tick = await runWorkerTick(t.database);
    const tables = tick.analyzed.map((a) => a.table);
    expect(tables).toContain('public.tick_busy');
    expect(tables).not.toContain('public.tick_quiet');
    for (const a of tick.analyzed) expect(a.ms).toBeGreaterThanOrEqual(0);
    const busy = await stats('tick_busy');
    expect(busy.reltuples).toBe(10_000);
    expect(busy.mods).toBe(0);
    expect(busy.last_analyze!.getTime()).toBeGreaterThan(busyBefore.last_analyze!.getTime());
    expect(await stats('tick_quiet')).toMatchObject({ last_analyze: quiet.last_analyze, reltuples: 5000 });

    // What was analyzed is on record for /health and the on-call engineer.
    const record = (await q(`SELECT detail FROM heartbeats WHERE name = 'worker.analyze'`))[0].detail;
    expect(record.tables).toEqual(tick.analyzed);
    expect((await q(`SELECT detail FROM heartbeats WHERE name = 'worker'`))[0].detail.analyzed).toEqual(tick.analyzed);

    // Once analyzed, neither table is due again.
    const after = await settle();
    expect(after).not.toContain('public.tick_busy');
    expect(after).not.toContain('public.tick_quiet');
  });
});
