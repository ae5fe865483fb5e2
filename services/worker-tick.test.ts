import { describe, expect, it } from 'vitest';
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

  it('analyzes on its first tick and hourly after, vacuums the change log after compaction, checkpoints PGlite', async () => {
    expect(await isEmbedded(t.database)).toBe(backend === 'pglite');

    const first = await runWorkerTick(t.database);
    expect(first).toMatchObject({ analyzed: true, vacuumed: false, checkpointed: false });
    expect((await q(`SELECT detail FROM heartbeats WHERE name = 'worker.analyze'`))[0]).toBeDefined();
    // Not due again within the hour with nothing changed.
    expect(await runWorkerTick(t.database)).toMatchObject({ analyzed: false, vacuumed: false });

    // Changes older than the retention are compacted away; the space is vacuumed (and PGlite checkpoints).
    await captured(50, 8);
    const compacted = await runWorkerTick(t.database);
    expect(compacted).toMatchObject({ changeLogDeleted: 50, vacuumed: true, checkpointed: backend === 'pglite' });
    expect((await q(`SELECT count(*)::int AS n FROM change_log`))[0].n).toBe(0);

    // A bulk change (an import) is analyzed at once, not an hour later.
    await captured(10_000, 0);
    expect(await runWorkerTick(t.database)).toMatchObject({ analyzed: true, changeLogDeleted: 0 });
    expect(await runWorkerTick(t.database)).toMatchObject({ analyzed: false });

    // The hour passing is enough on its own.
    await q(`UPDATE heartbeats SET beat_at = now() - interval '61 minutes' WHERE name = 'worker.analyze'`);
    expect(await runWorkerTick(t.database)).toMatchObject({ analyzed: true });
    const beat = (await q(`SELECT detail FROM heartbeats WHERE name = 'worker'`))[0].detail;
    expect(beat).toMatchObject({ analyzed: true, vacuumed: false });
  });
});
