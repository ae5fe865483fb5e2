// The register side against the real edge process: pair, pull every shape into PGlite, see live changes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../infra/wait-for';
import { startEdge, type EdgeProcess } from '../../test/edge-process';
import { applyLocalSchema, LIVE_TABLES, startShapeSync, type PGliteWithSync, type ShapeSyncHandle } from './shape-sync';
import { hasSubscription, loadSnapshot } from './snapshot-load';

describe('register shape sync against the edge', () => {
  let edge: EdgeProcess;
  let dir: string;
  let edgeDb: pg.Client;
  let local: PGliteWithSync;
  let sync: ShapeSyncHandle | undefined;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-sync-'));
    edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge') });
    edgeDb = new pg.Client({ connectionString: edge.pgliteUrl });
    await edgeDb.connect();
    const code = /with code ([A-Z2-9]{5}-[A-Z2-9]{5})/.exec(edge.output())![1]!;
    const res = await fetch(`${edge.base}/sync/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: code, appVersion: 'test' }),
    });
    expect(res.status).toBe(200);
    token = (await res.json()).token;
    local = await PGlite.create(path.join(dir, 'register'), { extensions: { sync: electricSync() } });
    await applyLocalSchema(local);
  });

  afterAll(async () => {
    sync?.unsubscribe();
    await local?.close();
    await edgeDb?.end();
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (table: string) => (await local.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  it('pulls both companies catalogs, cashiers and settings, then live changes', { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    sync = await startShapeSync(local, { baseUrl: edge.base, token, pollMs: 1000 });
    // The catalog (bulk load) and the small tables (catch-up pass) arrive independently: wait for both.
    await waitFor(async () => ((await count('items')) === 4000 && (await count('prices')) === 4000 && sync?.isUpToDate ? true : undefined), {
      timeoutMs: 90_000,
      what: 'initial sync of 4,000 items',
    });
    const initialMs = Date.now() - t0;
    expect(await count('companies')).toBe(2);
    expect(await count('barcodes')).toBe(4000);
    expect(await count('cashiers')).toBe(2);
    expect(await count('store_settings')).toBe(1);
    const pin = (await local.query<{ pin_hash: string }>(`SELECT pin_hash FROM cashiers LIMIT 1`)).rows[0]!.pin_hash;
    expect(pin).toMatch(/^scrypt\$/);
    const dev = (await local.query<Record<string, unknown>>(`SELECT * FROM devices LIMIT 1`)).rows[0]!;
    expect(Object.keys(dev)).not.toContain('token_id');

    await edgeDb.query(`UPDATE prices SET amount = 12345, updated_at = now() WHERE item_id = (SELECT id FROM items WHERE code = 'U-00001')`);
    await waitFor(
      async () => {
        const r = await local.query<{ amount: number }>(`SELECT p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.code = 'U-00001'`);
        return r.rows[0]?.amount === 12345 ? true : undefined;
      },
      { timeoutMs: 30_000, what: 'a live price change' },
    );
    console.info(JSON.stringify({ initialSyncMs: initialMs }));
  });

  it('loads a first sync cut short again from scratch on the next start, indexes and all', { timeout: 120_000 }, async () => {
    const fresh = (await PGlite.create({ extensions: { sync: electricSync() } })) as unknown as PGliteWithSync;
    try {
      await applyLocalSchema(fresh);
      const indexes = async () =>
        (await fresh.query<{ i: string }>(`SELECT indexname AS i FROM pg_indexes WHERE tablename = ANY($1) ORDER BY 1`, [[...LIVE_TABLES]])).rows.map(
          (r) => r.i,
        );
      const before = await indexes();
      expect(before).toEqual(expect.arrayContaining(['barcodes_lookup', 'items_pkey', 'prices_item']));
      const opts = { baseUrl: edge.base, token, key: 'register-catalog', tables: LIVE_TABLES };
      // The connection drops while prices load: nothing is recorded as synced.
      const failing: typeof fetch = async (input, init) => {
        if ((input instanceof Request ? input.url : input.toString()).includes('table=prices')) throw new TypeError('fetch failed');
        return fetch(input, init);
      };
      await expect(loadSnapshot(fresh, { ...opts, fetchClient: failing })).rejects.toThrow('fetch failed');
      expect(await hasSubscription(fresh, 'register-catalog')).toBe(false);
      // The next start loads again and rebuilds every index it set aside.
      expect(await loadSnapshot(fresh, opts)).toBe(true);
      expect(await indexes()).toEqual(before);
      expect((await fresh.query(`SELECT * FROM local_deferred_indexes`)).rows).toEqual([]);
      expect(await hasSubscription(fresh, 'register-catalog')).toBe(true);
      const n = async (t: string) => (await fresh.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
      expect([await n('items'), await n('barcodes'), await n('prices')]).toEqual([await count('items'), await count('barcodes'), await count('prices')]);
      // …and pglite-sync resumes it live from where the snapshot ended (no second download).
      const resumed = await startShapeSync(fresh, { baseUrl: edge.base, token, pollMs: 60_000 });
      try {
        await edgeDb.query(`UPDATE prices SET amount = 777, updated_at = now() WHERE item_id = (SELECT id FROM items WHERE code = 'U-00002')`);
        await waitFor(
          async () => {
            const r = await fresh.query<{ amount: number }>(`SELECT p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.code = 'U-00002'`);
            return r.rows[0]?.amount === 777 ? true : undefined;
          },
          { timeoutMs: 30_000, what: 'a live price change after the bulk load' },
        );
        expect(await n('prices')).toBe(await count('prices'));
      } finally {
        resumed.unsubscribe();
      }
    } finally {
      await fresh.close();
    }
  });
});
