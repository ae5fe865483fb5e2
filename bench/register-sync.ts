// Initial sync of a register (both companies: 4,000 items, barcodes, prices) from a real edge into
// PGlite in Node, and the delay of live price changes (LIVE_CHANGES per run, each committed on the
// edge 250–750 ms after the last arrived, so none coalesce). Client side is the real pglite-sync.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import pg from 'pg';
import { waitFor } from '../infra/wait-for';
import { applyLocalSchema, startShapeSync, type PGliteWithSync } from '../sync/register/shape-sync';
import { startEdge } from '../test/edge-process';
import { median, percentile } from './stats';

const LIVE_CHANGES = 20;

export async function benchRegisterSync(runs = 3) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-sync-'));
  const edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge'), LOG_LEVEL: 'WARN' });
  const db = new pg.Client({ connectionString: edge.pgliteUrl });
  await db.connect();
  const initial: number[] = [];
  const live: number[][] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const reg = (await db.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id;
      await db.query(`UPDATE devices SET pairing_code_hash = NULL`);
      const { issuePairingCode } = await import('../services/device-auth');
      const { openDatabase } = await import('../db/client');
      const database = openDatabase(edge.pgliteUrl!, { max: 1 });
      const { code } = await issuePairingCode(database, reg);
      await database.close();
      const res = await fetch(`${edge.base}/sync/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pairingCode: code, appVersion: 'bench' }),
      });
      const token = (await res.json()).token as string;
      const local = (await PGlite.create({ extensions: { sync: electricSync() } })) as unknown as PGliteWithSync;
      await applyLocalSchema(local);
      const t0 = Date.now();
      const sync = await startShapeSync(local, { baseUrl: edge.base, token });
      const count = async () => (await local.query<{ n: number }>(`SELECT count(*)::int AS n FROM prices`)).rows[0]!.n;
      await waitFor(async () => ((await count()) === 4000 ? true : undefined), { timeoutMs: 120_000, intervalMs: 20, what: 'initial sync' });
      initial.push(Date.now() - t0);
      const run: number[] = [];
      for (let c = 0; c < LIVE_CHANGES; c++) {
        await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
        const price = 50_000 + i * 100 + c;
        const t1 = performance.now();
        await db.query(`UPDATE prices SET amount = $1 WHERE item_id = (SELECT id FROM items WHERE code = 'U-00002')`, [price]);
        await waitFor(
          async () =>
            (await local.query<{ n: number }>(`SELECT count(*)::int AS n FROM prices WHERE amount = $1`, [price])).rows[0]!.n === 1 ? true : undefined,
          { timeoutMs: 30_000, intervalMs: 5, what: 'live change' },
        );
        run.push(Math.round(performance.now() - t1));
      }
      live.push(run);
      sync.unsubscribe();
      await local.close();
    }
  } finally {
    await db.end();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const p50 = live.map((r) => percentile(r, 50));
  const p95 = live.map((r) => percentile(r, 95));
  return {
    initialMsMedian: median(initial),
    initial,
    changesPerRun: LIVE_CHANGES,
    liveP50: p50,
    liveP95: p95,
    liveP95Median: median(p95),
    liveP50Median: median(p50),
  };
}
