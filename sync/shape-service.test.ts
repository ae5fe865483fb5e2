// The in-process shape service behind a plain node:http server, with the real clients
// (ShapeStream 1.5.28, pglite-sync 0.6.1 through the register's own shape sync) and the real device
// check: live latency, cancellation, many waiting registers on one small pool, compression, and
// the error answers a register relies on (401 / 401 token_expired / 503).
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ShapeStream, type Message, type Row } from '@electric-sql/client';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { freePort } from '../infra/free-port';
import { seedDemo } from '../seeds/demo';
import { authenticateDevice, issuePairingCode, pairRegister, signDeviceToken } from '../services/device-auth';
import { backends, useMigratedDatabase } from '../test/databases';
import { applyLocalSchema, startShapeSync, type PGliteWithSync } from './register/shape-sync';
import { createShapeService, type ShapeService } from './shape-service';

async function waitUntil(check: () => Promise<boolean> | boolean, label: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const POOL = 4;
const APP = 'till-shape-svc-test';

async function serve(service: ShapeService): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((req, res) => void service.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: http.Server | undefined) {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
}

describe.each(backends)('shape service on %s', (backend) => {
  const migrated = useMigratedDatabase(backend, { max: 6 });
  let shapeDb: Database;
  let service: ShapeService;
  let server: http.Server;
  let base = '';
  let token = '';
  let tokenId = '';
  let registerId = '';
  const errors: unknown[] = [];

  beforeAll(async () => {
    await seedDemo(migrated.database, { itemsPerCompany: 600, sharedBarcodes: 50, customers: 20 });
    registerId = (await migrated.database.pool.query(`SELECT id FROM registers LIMIT 1`)).rows[0].id;
    const { code } = await issuePairingCode(migrated.database, registerId);
    const paired = await pairRegister(migrated.database, { pairingCode: code, appVersion: 'test' });
    token = paired.token;
    tokenId = paired.identity.tokenId;
    // The service's one pool: device checks and shape reads both go through it.
    shapeDb = openDatabase(migrated.url, { max: POOL, applicationName: APP });
    service = createShapeService({
      database: shapeDb,
      // Long enough that all 200 long-polls below still wait when the last one arrives on a loaded
      // machine: each waits 22.5–30 s (the jitter), and a change wakes them long before.
      longPollMs: 30_000,
      // The requests below start waiting moments before their change: none is left to a client's own check.
      groupRestMs: 0,
      authenticate: (authorization) => authenticateDevice(shapeDb, authorization),
      onError: (e) => errors.push(e),
    });
    ({ server, url: base } = await serve(service));
  });

  afterAll(async () => {
    await service?.close();
    await stop(server);
    await shapeDb?.close();
    expect(errors).toEqual([]);
  });

  const auth = () => ({ authorization: `Bearer ${token}` });
  const shapeUrl = (params: Record<string, string>) => `${base}/v1/shape?${new URLSearchParams({ log: 'full', ...params })}`;
  /** A live request's starting point: the shape's handle and current offset. */
  const liveStart = async (table: string) => {
    const r = await fetch(shapeUrl({ table, offset: 'now' }), { headers: auth() });
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    return { handle: r.headers.get('electric-handle')!, offset: r.headers.get('electric-offset')! };
  };

  it('syncs a register (pglite-sync, every shape) with compressed snapshots, then live changes', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'till-svc-'));
    const encodings = new Set<string>();
    const fetchClient: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const u = new URL(String(input instanceof Request ? input.url : input));
      if (u.searchParams.get('offset') === '-1' && res.status === 200) encodings.add(res.headers.get('content-encoding') ?? 'none');
      return res;
    };
    const local = (await PGlite.create(dir, { extensions: { sync: electricSync() } })) as unknown as PGliteWithSync;
    await applyLocalSchema(local);
    const sync = await startShapeSync(local, { baseUrl: base, token, fetchClient, pollMs: 60_000 });
    try {
      const count = async (t: string) => (await local.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
      const items = (await migrated.database.pool.query(`SELECT count(*)::int AS n FROM items`)).rows[0].n;
      await waitUntil(async () => (await count('items')) === items && (await count('prices')) > 0 && (await count('cashiers')) === 2, 'initial sync', 90_000);
      // The catalog's first chunks are larger than 1 KiB: sent gzip, decoded by the client.
      expect(encodings.has('gzip')).toBe(true);

      await migrated.database.pool.query(`UPDATE prices SET amount = 424242, updated_at = now() WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1)`);
      await waitUntil(async () => (await local.query(`SELECT 1 FROM prices WHERE amount = 424242`)).rows.length === 1, 'live price change');
    } finally {
      sync.unsubscribe();
      await local.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers a committed change to a waiting ShapeStream within tens of milliseconds', { timeout: 60_000 }, async () => {
    const aborter = new AbortController();
    const arrivals = new Map<string, number>();
    let upToDate = false;
    const stream = new ShapeStream<Row>({
      url: `${base}/v1/shape`,
      params: { table: 'prices', columns: ['id', 'amount'] },
      headers: auth(),
      signal: aborter.signal,
    });
    stream.subscribe((messages: Message<Row>[]) => {
      for (const m of messages) {
        if ('key' in m && m.headers.operation === 'update' && typeof m.value.amount === 'number') arrivals.set(String(m.value.amount), Date.now());
        else if (!('key' in m) && m.headers.control === 'up-to-date') upToDate = true;
      }
    });
    try {
      await waitUntil(() => upToDate, 'up to date');
      const latencies: number[] = [];
      for (let i = 0; i < 9; i++) {
        // Let the stream's next live request reach the waiting state first.
        await waitUntil(() => service.stats().waiting >= 1, 'live request waiting');
        const amount = 700_000 + i;
        await migrated.database.pool.query(`UPDATE prices SET amount = $1 WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1 OFFSET 1)`, [amount]);
        const committed = Date.now();
        await waitUntil(() => arrivals.has(String(amount)), `change ${i}`, 5_000);
        latencies.push(arrivals.get(String(amount))! - committed);
      }
      latencies.sort((a, b) => a - b);
      const median = latencies[Math.floor(latencies.length / 2)]!;
      console.info(JSON.stringify({ backend, liveLatencyMs: { median, max: latencies.at(-1), all: latencies } }));
      expect(median).toBeLessThan(500);
    } finally {
      aborter.abort();
    }
  });

  it('answers a register’s other live requests as soon as one of them answers with a change', { timeout: 60_000 }, async () => {
    const live = async (table: string) => {
      const at = await liveStart(table);
      return { at, answer: fetch(shapeUrl({ table, handle: at.handle, offset: at.offset, live: 'true' }), { headers: auth() }) };
    };
    const items = await live('items');
    const prices = await live('prices');
    await waitUntil(() => service.stats().waiting >= 2, 'both requests waiting');
    await migrated.database.pool.query(`UPDATE prices SET amount = amount + 1 WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1 OFFSET 2)`);
    const committed = Date.now();
    const [p, i] = await Promise.all([prices.answer, items.answer]);
    // Without the group, the items request would wait out its long-poll (22.5–30 s here).
    expect(Date.now() - committed).toBeLessThan(10_000);
    type Msg = { headers: { operation?: string; lsn?: string; control?: string; global_last_seen_lsn?: string } };
    const priceMessages = (await p.json()) as Msg[];
    const itemMessages = (await i.json()) as Msg[];
    const change = priceMessages.find((m) => m.headers.operation === 'update')!;
    expect(change).toBeDefined();
    // Items: no change, up to date through the price change, so the register can commit it.
    expect(itemMessages.map((m) => m.headers.control)).toEqual(['up-to-date']);
    expect(BigInt(itemMessages[0]!.headers.global_last_seen_lsn!)).toBeGreaterThanOrEqual(BigInt(change.headers.lsn!));
    expect(i.headers.get('electric-offset')).not.toBe(items.at.offset);
  });

  it('releases a cancelled long-poll at once', async () => {
    const { handle, offset } = await liveStart('items');
    const aborter = new AbortController();
    const pending = fetch(shapeUrl({ table: 'items', handle, offset, live: 'true', cursor: '' }), { headers: auth(), signal: aborter.signal }).catch(
      (e: Error) => e,
    );
    await waitUntil(() => service.stats().waiting === 1, 'waiting');
    const t0 = Date.now();
    aborter.abort();
    expect(await pending).toBeInstanceOf(Error);
    await waitUntil(() => service.stats().waiting === 0 && service.stats().inFlight === 0, 'released', 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('holds 200 waiting long-polls on a pool of 4 and wakes them all with one change', { timeout: 90_000 }, async () => {
    const { handle, offset } = await liveStart('items');
    const aborter = new AbortController();
    const polls = Array.from({ length: 200 }, () =>
      fetch(shapeUrl({ table: 'items', handle, offset, live: 'true', cursor: '' }), { headers: auth(), signal: aborter.signal }).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { headers: Record<string, unknown>; value?: Record<string, string> }[],
      })),
    );
    try {
      await waitUntil(() => service.stats().waiting === 200, '200 waiting', 60_000);
      const sessions = async () =>
        backend === 'postgres'
          ? (await migrated.database.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1`, [APP])).rows[0].n
          : shapeDb.pool.totalCount;
      expect(shapeDb.pool.totalCount).toBeLessThanOrEqual(POOL);
      expect(await sessions()).toBeLessThanOrEqual(POOL);

      const t0 = Date.now();
      await migrated.database.pool.query(`UPDATE items SET name = 'woken' WHERE id = (SELECT id FROM items ORDER BY id LIMIT 1)`);
      const answers = await Promise.all(polls);
      console.info(JSON.stringify({ backend, wake200Ms: Date.now() - t0 }));
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.body[0]!.value!.name).toBe('woken');
      }
      expect(shapeDb.pool.totalCount).toBeLessThanOrEqual(POOL);
      expect(await sessions()).toBeLessThanOrEqual(POOL);
      await waitUntil(() => service.stats().inFlight === 0, 'all answered');
    } finally {
      aborter.abort();
    }
  });

  it('compresses large answers when asked, with cache and vary headers', async () => {
    const get = (encoding: string) => fetch(shapeUrl({ table: 'items', offset: '-1' }), { headers: { ...auth(), 'accept-encoding': encoding } });
    const gz = await get('gzip');
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toBe('authorization, accept, accept-encoding');
    expect(gz.headers.get('cache-control')).toContain('max-age=604800');
    expect(gz.headers.get('electric-handle')).toMatch(/^[0-9a-f]{16}-[0-9]+$/);
    expect(gz.headers.get('electric-schema')).toBeTruthy();
    // The same rows each time (snapshot-end carries the transaction snapshot of each read).
    const rows = async (r: Response) => JSON.stringify(((await r.json()) as { key?: string }[]).filter((m) => m.key));
    const body = await rows(gz);
    expect(body.length).toBeGreaterThan(100_000);
    const plain = await get('identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await rows(plain)) === body).toBe(true);
    const br = await get('br;q=1, gzip;q=0.5');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect((await rows(br)) === body).toBe(true);
    // A small answer is sent as is.
    const { handle, offset } = await liveStart('items');
    const small = await fetch(shapeUrl({ table: 'items', handle, offset }), { headers: { ...auth(), 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(small.headers.get('cache-control')).toContain('max-age=60');
  });

  it('makes a request wait in line while every connection is busy, then answers it', { timeout: 30_000 }, async () => {
    // A pool of one whose connection the test holds: the first request is admitted and waits for
    // the connection, the second waits in line; neither is refused while the hold lasts.
    const small = openDatabase(migrated.url, { max: 1, applicationName: `${APP}-small` });
    const svc = createShapeService({ database: small, queueMs: 10_000, authenticate: (h) => authenticateDevice(small, h), onError: (e) => errors.push(e) });
    const { server: srv, url } = await serve(svc);
    const held = await small.pool.connect();
    let released = false;
    try {
      const get = () => fetch(`${url}/v1/shape?table=items&offset=now`, { headers: auth() }).then(async (r) => ({ status: r.status, body: await r.text() }));
      const first = get();
      const second = get();
      await waitUntil(() => svc.stats().pool.queued >= 1 && svc.stats().admission.queued >= 1, 'one request waiting for the connection, one in line');
      expect(svc.stats().admission).toEqual({ active: 1, queued: 1 });
      held.release();
      released = true;
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      await waitUntil(() => svc.stats().inFlight === 0, 'answered');
      expect(svc.stats()).toMatchObject({ admission: { active: 0, queued: 0 }, pool: { queued: 0 } });
    } finally {
      if (!released) held.release();
      await svc.close();
      await stop(srv);
      await small.close();
    }
  });

  it('answers 503 "busy" with retry-after when the wait in line (or for a connection) runs out', { timeout: 30_000 }, async () => {
    const small = openDatabase(migrated.url, { max: 1, applicationName: `${APP}-small` });
    const svc = createShapeService({ database: small, queueMs: 1_000, authenticate: (h) => authenticateDevice(small, h), onError: (e) => errors.push(e) });
    // A pool whose own connection timeout is short: the device check gives up waiting for a connection.
    const tight = openDatabase(migrated.url, { max: 1, connectionTimeoutMs: 300, applicationName: `${APP}-small` });
    const tightSvc = createShapeService({ database: tight, authenticate: (h) => authenticateDevice(tight, h), onError: (e) => errors.push(e) });
    const a = await serve(svc);
    const b = await serve(tightSvc);
    const held = await small.pool.connect();
    const heldTight = await tight.pool.connect();
    const release = { small: true, tight: true };
    const get = (base: string) => fetch(`${base}/v1/shape?table=items&offset=now`, { headers: auth() });
    const busyProblem = { error: 'unavailable', issues: [{ path: 'server', message: 'the edge is busy; retry shortly' }] };
    try {
      const first = get(a.url).then(async (r) => ({ status: r.status, body: await r.text() }));
      await waitUntil(() => svc.stats().pool.queued >= 1, 'first request waiting for the connection');
      // In line behind it for longer than the queue time.
      const refused = await get(a.url);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toEqual(busyProblem);
      expect(svc.stats().admission.queued).toBe(0);
      held.release();
      release.small = false;
      expect((await first).status).toBe(200);

      const poolBusy = await get(b.url);
      expect(poolBusy.status).toBe(503);
      expect(poolBusy.headers.get('retry-after')).toBe('5');
      expect(await poolBusy.json()).toEqual(busyProblem);
      expect(tightSvc.stats().pool.queued).toBe(0);
    } finally {
      if (release.small) held.release();
      if (release.tight) heldTight.release();
      await svc.close();
      await tightSvc.close();
      await stop(a.server);
      await stop(b.server);
      await small.close();
      await tight.close();
    }
  });

  it('answers 401, 401 token_expired and 503 as the functions do', async () => {
    const none = await fetch(shapeUrl({ table: 'items', offset: '-1' }));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="till"');
    expect(await none.json()).toEqual({ error: 'unauthorized', issues: [{ path: 'authorization', message: expect.any(String) }] });

    const { token: expired } = await signDeviceToken(migrated.database, registerId, tokenId, { issuedAt: new Date(Date.now() - 3_600_000), ttlSeconds: 60 });
    const old = await fetch(shapeUrl({ table: 'items', offset: '-1' }), { headers: { authorization: `Bearer ${expired}` } });
    expect(old.status).toBe(401);
    expect((await old.json()).error).toBe('token_expired');

    // The database is down (nothing listens): 503 with retry-after at once, never 401, and it says so.
    const dead = openDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1 });
    const down = createShapeService({ database: dead, authenticate: (h) => authenticateDevice(dead, h) });
    const downShapes = createShapeService({ database: dead, authenticate: (h) => authenticateDevice(shapeDb, h) });
    const a = await serve(down);
    const b = await serve(downShapes);
    try {
      for (const url of [a.url, b.url]) {
        const t0 = Date.now();
        const r = await fetch(`${url}/v1/shape?table=items&offset=-1`, { headers: auth() });
        expect(r.status).toBe(503);
        expect(Date.now() - t0).toBeLessThan(5_000);
        expect(r.headers.get('retry-after')).toMatch(/^[0-9]+$/);
        // The device check's answer is the functions' problem; the shape read's is Electric's.
        const body = (await r.json()) as { issues?: { message: string }[]; message?: string };
        expect(body.issues?.[0]?.message ?? body.message).toMatch(/cannot reach its database|database is not reachable/);
      }
    } finally {
      await down.close();
      await downShapes.close();
      await stop(a.server);
      await stop(b.server);
      await dead.close();
    }
  });
});
