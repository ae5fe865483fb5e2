// A large catalog: 100,000 extra items (with a barcode and a price each) for one company, made in
// the edge database with set-based SQL through the normal tables (so the change-capture triggers
// log every row). Then, in Node:
// - the initial sync of the catalog into a fresh register PGlite (real startShapeSync, over https
//   through the edge's shape service), against the floor: COPY of the same rows into a fresh
//   PGlite with the same local schema, in the same run;
// - the bytes on the wire for that sync, as received (still compressed);
// - the snapshot chunk time: each chunk as the register waits for it, and the edge's read and
//   encoding of one chunk alone (the shape handler in process, on the edge database).
// `npm run bench -- catalog100k`; CATALOG_ITEMS (default 100000) and CATALOG_RUNS (default 3).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import type pg from 'pg';
import { request } from 'undici';
import { openDatabase } from '../db/client';
import { waitFor } from '../infra/wait-for';
import { issuePairingCode } from '../services/device-auth';
import { SYNCED_TABLES } from '../sync/register/local-schema';
import { applyLocalSchema, LIVE_TABLES, startShapeSync, type PGliteWithSync } from '../sync/register/shape-sync';
import { handleShapeRequest } from '../sync/shape-server';
import { startEdge } from '../test/edge-process';
import { generateCatalog } from './catalog-rows';
import { snapshotTimeline, type SnapshotTimeline } from './snapshot-timeline';
import { median } from './stats';

interface Wire {
  /** Response body bytes as received, per table. */
  bytes: Record<string, number>;
  /** ms from request to the whole body, for snapshot chunks of the catalog tables. */
  chunkMs: number[];
}

/**
 * The register's fetch, counting what crosses the wire: undici's request does not decode, so the
 * body is counted compressed and then decoded here, as fetch would have done.
 */
function wireCountingFetch(wire: Wire): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    headers['accept-encoding'] ??= 'gzip, deflate'; // what Node's fetch sends
    const t0 = performance.now();
    const res = await request(url, { method: (init?.method ?? 'GET') as 'GET', headers, signal: init?.signal ?? undefined });
    const raw = Buffer.from(await res.body.arrayBuffer());
    const ms = performance.now() - t0;
    const table = url.searchParams.get('table') ?? '?';
    wire.bytes[table] = (wire.bytes[table] ?? 0) + raw.length;
    if ((LIVE_TABLES as readonly string[]).includes(table) && url.searchParams.get('live') !== 'true' && raw.length > 10_000) wire.chunkMs.push(ms);
    const enc = res.headers['content-encoding'];
    const body = enc === 'gzip' ? zlib.gunzipSync(raw) : enc === 'br' ? zlib.brotliDecompressSync(raw) : enc === 'deflate' ? zlib.inflateSync(raw) : raw;
    const out = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (v === undefined || k === 'content-encoding' || k === 'content-length' || k === 'transfer-encoding') continue;
      out.set(k, Array.isArray(v) ? v.join(', ') : v);
    }
    return new Response(res.statusCode === 204 || res.statusCode === 304 ? null : body, { status: res.statusCode, headers: out });
  };
}

const csvField = (v: string | null) => (v === null ? '' : `"${v.replace(/"/g, '""')}"`);
const columnsOf = (table: string) =>
  SYNCED_TABLES[table]!.ddl.split(',')
    .map((c) => c.trim().split(/\s+/)[0]!)
    .filter((c) => c !== 'PRIMARY');

/** The catalog tables as CSV (the floor's input): what COPY would load, in the local column order. */
export async function catalogCsv(db: { query: pg.Pool['query'] }): Promise<Record<string, { columns: string[]; text: string }>> {
  const csv: Record<string, { columns: string[]; text: string }> = {};
  for (const t of ['items', 'barcodes', 'prices', 'tax_rates']) {
    const columns = columnsOf(t);
    const r = await db.query({ text: `SELECT ${columns.map((c) => `${c}::text`).join(', ')} FROM ${t}`, rowMode: 'array' });
    csv[t] = { columns, text: (r.rows as (string | null)[][]).map((row) => row.map(csvField).join(',')).join('\n') + '\n' };
  }
  return csv;
}

export async function benchCatalog100k(opts: { items?: number; runs?: number } = {}) {
  const items = opts.items ?? Number(process.env.CATALOG_ITEMS ?? 100_000);
  const runs = opts.runs ?? Number(process.env.CATALOG_RUNS ?? 3);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-catalog-'));
  const edge = await startEdge({ TILL_DATA_DIR: path.join(dir, 'edge'), LOG_LEVEL: 'WARN', TILL_SKIP_BUILD: '1' });
  const database = openDatabase(edge.pgliteUrl!, { max: 2, applicationName: 'till-bench' });
  const sync: number[] = [];
  const floor: number[] = [];
  const wireMb: number[] = [];
  const chunkMs: number[] = [];
  const timelines: SnapshotTimeline[] = [];
  let chunks = 0;
  try {
    // ---- the catalog, set-based, through the normal tables and their triggers ----
    const { ms: generateMs } = await generateCatalog(database, items);
    const logged = (await database.pool.query(`SELECT count(*)::int AS n FROM change_log WHERE table_name IN ('items', 'barcodes', 'prices')`)).rows[0]
      .n as number;
    const expected = { items: 0, barcodes: 0, prices: 0, tax_rates: 0 };
    for (const t of Object.keys(expected) as (keyof typeof expected)[])
      expected[t] = (await database.pool.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
    console.log(JSON.stringify({ bench: 'catalog100k', generated: items, generateMs, changeLogRows: logged, expected }));

    // ---- the floor's input: the same rows, as CSV, built once ----
    const csv = await catalogCsv(database.pool);

    // ---- a paired register ----
    const registerId = (await database.pool.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id;
    const { code } = await issuePairingCode(database, registerId);
    const paired = await fetch(`${edge.base}/sync/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: code, appVersion: 'bench' }),
    });
    const { token, devices } = (await paired.json()) as { token: string; devices: { id: string; companyId: string }[] };

    const count = async (pg: PGlite | PGliteWithSync, t: string) => (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
    for (let i = 0; i < runs; i++) {
      // Floor: the same rows loaded with COPY into a fresh local database.
      const bare = await PGlite.create();
      await applyLocalSchema(bare);
      const tf = performance.now();
      for (const [t, { columns, text }] of Object.entries(csv)) {
        await bare.query(`COPY ${t} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([text]) });
      }
      floor.push(Math.round(performance.now() - tf));
      if ((await count(bare, 'prices')) !== expected.prices) throw new Error('floor did not load every price');
      await bare.close();

      // The register: real pglite-sync over https until the whole catalog is local.
      const local = (await PGlite.create({ extensions: { sync: electricSync() } })) as unknown as PGliteWithSync;
      await applyLocalSchema(local);
      const wire: Wire = { bytes: {}, chunkMs: [] };
      performance.clearMeasures();
      const t0 = performance.now();
      const handle = await startShapeSync(local, { baseUrl: edge.base, token, fetchClient: wireCountingFetch(wire) });
      await waitFor(
        async () => {
          for (const t of ['items', 'barcodes', 'prices'] as const) if ((await count(local, t)) !== expected[t]) return undefined;
          return true;
        },
        { timeoutMs: 900_000, intervalMs: 100, what: 'the catalog on the register' },
      );
      sync.push(Math.round(performance.now() - t0));
      timelines.push(snapshotTimeline(performance.getEntriesByType('measure'), t0));
      performance.clearMeasures();
      handle.unsubscribe();
      await local.close();
      const catalogBytes = ['items', 'barcodes', 'prices', 'tax_rates'].reduce((n, t) => n + (wire.bytes[t] ?? 0), 0);
      wireMb.push(Math.round(catalogBytes / 1e4) / 100);
      chunkMs.push(median(wire.chunkMs));
      chunks = wire.chunkMs.length;
      console.log(
        JSON.stringify({
          bench: 'catalog100k',
          run: i + 1,
          syncMs: sync.at(-1),
          floorMs: floor.at(-1),
          wireBytes: wire.bytes,
          chunks: wire.chunkMs.length,
          timeline: timelines.at(-1),
          load: os.loadavg().map((x) => Math.round(x * 10) / 10),
        }),
      );
    }

    // The edge's part of one snapshot chunk: read and encode, no HTTP, no compression.
    const scope = { companyIds: devices.map((d) => d.companyId), registerId, deviceIds: devices.map((d) => d.id) };
    // The loader's CSV chunk (20,000 rows) and Electric's JSON chunk (5,000 rows or 8 MB), first chunk of the items.
    const edgeChunk = async (headers: Record<string, string>) => {
      const ms: number[] = [];
      let bytes = 0;
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        const r = await handleShapeRequest(database, { method: 'GET', query: { table: 'items', offset: '-1', log: 'full' }, headers }, scope, {});
        if (i >= 2) ms.push(performance.now() - t0);
        bytes = r.body.length;
      }
      return { ms: Math.round(median(ms)), kb: Math.round(bytes / 1024) };
    };
    const edgeJson = await edgeChunk({});
    const edgeCsv = await edgeChunk({ accept: 'text/csv' });

    const syncMs = median(sync);
    const floorMs = median(floor);
    return {
      items,
      rows: expected,
      generateMs,
      sync,
      floor,
      syncMs,
      floorMs,
      ratio: Math.round((syncMs / floorMs) * 10) / 10,
      wireMb,
      wireMbMedian: median(wireMb),
      rawMb: Math.round(Object.values(csv).reduce((n, c) => n + c.text.length, 0) / 1e4) / 100,
      chunkMs: chunkMs.map((x) => Math.round(x)),
      chunkMsMedian: Math.round(median(chunkMs)),
      chunks,
      edgeChunkMs: edgeJson.ms,
      edgeChunkKb: edgeJson.kb,
      edgeCsvChunkMs: edgeCsv.ms,
      edgeCsvChunkKb: edgeCsv.kb,
      timelines,
    };
  } finally {
    await database.close();
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
