// The cloud's /v1/shape: functions/shape.ts with ELECTRIC_URL set, in front of an Electric-protocol
// upstream. The upstream is the edge's own shape service (which the official clients pass against)
// on an ephemeral loopback port, given Electric's trust model: it checks only a secret and sees
// every company and device, so anything the proxy failed to scope would reach the client. (It has
// no unscoped mode for register-bound tables: those it scopes to `upstreamRegister`.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShapeStream, type Message, type Row } from '@electric-sql/client';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/client';
import { handler as shapeHandler } from '../functions/shape';
import { seedDemo } from '../seeds/demo';
import { handleShapeRequest } from './shape-server';
import { authenticateDevice } from '../services/device-auth';
import { backends, useMigratedDatabase } from '../test/databases';
import { apiEvent, createPrincipals, type Principals } from '../test/fixtures/principals';
import { proxiedTables, proxyShapeRequest, upstreamQuery } from './electric-proxy';
import { createShapeService, type ShapeService } from './shape-service';
import { shapeTables, type ShapeScope } from './shape-tables';

const SECRET = 'electric-secret-for-tests';

async function waitUntil(check: () => Promise<boolean> | boolean, label: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${label}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function listen(handle: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>): Promise<{ server: http.Server; url: string }> {
  // A failing handler drops its connection (the client sees it) instead of an unhandled rejection.
  const server = http.createServer((req, res) => void Promise.resolve(handle(req, res)).catch((e: Error) => res.destroy(e)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stop(server: http.Server | undefined) {
  server?.closeAllConnections();
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
}

/** A Lambda context with the given time left. */
const lambdaContext = (remainingMs: number): Context => {
  const end = Date.now() + remainingMs;
  return { awsRequestId: 'test', getRemainingTimeInMillis: () => end - Date.now() } as unknown as Context;
};

type Msg = { headers: Record<string, unknown>; key?: string; value?: Record<string, string | null> };

describe('the proxy scope rules', () => {
  it('cover every shape table, and nothing else', () => {
    expect(proxiedTables().sort()).toEqual([...shapeTables.keys()].sort());
  });
});

describe.each(backends)('Electric proxy on %s', (backend) => {
  const migrated = useMigratedDatabase(backend, { max: 6 });
  let p: Principals;
  let upstreamDb: Database;
  let service: ShapeService;
  let upstream: http.Server;
  let proxy: http.Server;
  let upstreamUrl = '';
  let proxyUrl = '';
  /** Every query string the upstream received, newest last. */
  const seen: URLSearchParams[] = [];
  let upstreamRegister = '';
  const errors: unknown[] = [];
  const saved = { DATABASE_URL: process.env.DATABASE_URL, ELECTRIC_URL: process.env.ELECTRIC_URL, ELECTRIC_SECRET: process.env.ELECTRIC_SECRET };

  const registerOf = async (token: string) => (await authenticateDevice(migrated.database, `Bearer ${token}`)).registerId;
  const scopeOf = async (token: string): Promise<ShapeScope> => {
    const d = await authenticateDevice(migrated.database, `Bearer ${token}`);
    return { companyIds: d.companyIds, registerId: d.registerId, deviceIds: d.devices.map((x) => x.id) };
  };
  const call = async (token: string, query: Record<string, string>, ctx = lambdaContext(29_000)) => {
    const r = await shapeHandler(apiEvent('GET', '/v1/shape', { token, query }), ctx);
    return { status: r.statusCode, headers: (r.headers ?? {}) as Record<string, string>, body: String(r.body ?? '') };
  };
  /** Reads a shape to up-to-date through `get`, returning the row keys. */
  const drain = async (get: (q: Record<string, string>) => Promise<{ status: number; headers: Record<string, string>; body: string }>, table: string) => {
    const keys = new Set<string>();
    let q: Record<string, string> = { table, offset: '-1' };
    for (let i = 0; i < 100; i++) {
      const r = await get(q);
      expect(r.status, r.body).toBe(200);
      const msgs = JSON.parse(r.body) as Msg[];
      for (const m of msgs) {
        if (!m.key) continue;
        if (m.headers.operation === 'delete') keys.delete(m.key);
        else keys.add(m.key);
      }
      if (msgs.some((m) => m.headers.control === 'up-to-date')) return keys;
      q = { table, offset: r.headers['electric-offset']!, handle: r.headers['electric-handle']! };
    }
    throw new Error('no up-to-date');
  };

  beforeAll(async () => {
    await seedDemo(migrated.database, { itemsPerCompany: 120, sharedBarcodes: 10, customers: 8 });
    p = await createPrincipals(migrated.database);
    upstreamRegister = await registerOf(p.official);
    upstreamDb = openDatabase(migrated.url, { max: 4, applicationName: 'till-electric-standin' });
    service = createShapeService({
      database: upstreamDb,
      longPollMs: 4_000,
      // Electric's trust model: the secret is the credential, and the whole database is visible.
      authenticate: async () => {
        const db = upstreamDb.pool;
        return {
          companyIds: (await db.query(`SELECT id FROM companies`)).rows.map((r) => r.id),
          devices: (await db.query(`SELECT id FROM devices`)).rows,
          registerId: upstreamRegister,
        };
      },
      onError: (e) => errors.push(e),
    });
    ({ server: upstream, url: upstreamUrl } = await listen((req, res) => {
      const u = new URL(req.url ?? '/', 'http://upstream');
      seen.push(u.searchParams);
      if (u.searchParams.get('secret') !== SECRET) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"Unauthorized - Invalid API secret"}');
        return;
      }
      // Electric's CORS and hop-by-hop headers, which the proxy must not relay.
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('connection', 'keep-alive');
      void service.handle(req, res);
    }));
    process.env.DATABASE_URL = migrated.url;
    process.env.ELECTRIC_URL = upstreamUrl;
    process.env.ELECTRIC_SECRET = SECRET;
    // The function behind a plain HTTP server, as API Gateway would invoke it, for the real client.
    ({ server: proxy, url: proxyUrl } = await listen(async (req, res) => {
      const u = new URL(req.url ?? '/', 'http://proxy');
      const event = apiEvent(req.method ?? 'GET', u.pathname, {
        query: Object.fromEntries(u.searchParams),
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      });
      const r = await shapeHandler(event, lambdaContext(29_000));
      res.writeHead(r.statusCode, r.headers as Record<string, string>).end(r.body ?? '');
    }));
  });

  afterAll(async () => {
    await stop(proxy);
    await service?.close();
    await stop(upstream);
    await upstreamDb?.close();
    Object.assign(process.env, saved);
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    expect(errors).toEqual([]);
  });

  it('serves each table through Electric with exactly the rows the edge serves that device', { timeout: 120_000 }, async () => {
    for (const token of [p.official, p.both]) {
      upstreamRegister = await registerOf(token);
      const scope = await scopeOf(token);
      for (const table of shapeTables.keys()) {
        if (table === 'rejected_events') continue; // needs OR, which the stand-in's where grammar lacks (below)
        const direct = await drain(async (q) => {
          const r = await handleShapeRequest(migrated.database, { method: 'GET', query: q }, scope);
          return { status: r.status, headers: r.headers, body: r.body };
        }, table);
        const proxied = await drain((q) => call(token, q), table);
        expect([...proxied].sort(), table).toEqual([...direct].sort());
      }
    }
    // The official register sees O's items only, though the upstream would have given it U's too.
    upstreamRegister = await registerOf(p.official);
    const items = await drain((q) => call(p.official, q), 'items');
    const o = (await migrated.database.pool.query(`SELECT count(*)::int AS n FROM items WHERE company_id = $1`, [p.companies.O])).rows[0].n;
    expect(items.size).toBe(o);
    expect(o).toBeGreaterThan(0);
  });

  it('sends rejected_events scoped by company (or none) and by the register devices', async () => {
    const scope = await scopeOf(p.official);
    const q = await upstreamQuery(migrated.database, { table: 'rejected_events', offset: '-1' }, scope);
    expect(q.get('where')).toBe('("company_id" IS NULL OR "company_id" IN ($1)) AND "device_id" IN ($2)');
    expect(q.get('params[1]')).toBe(p.companies.O);
    expect(q.get('params[2]')).toBe(scope.deviceIds![0]);
  });

  it('cannot be widened by the client: where and columns only narrow, other tables are refused', async () => {
    // A where naming the other company is ANDed with the scope: nothing comes back.
    const widened = await drain((q) => call(p.official, { ...q, where: `company_id = '${p.companies.U}'` }), 'items');
    expect(widened.size).toBe(0);
    const sent = seen.at(-1)!;
    expect(sent.get('where')).toBe('("company_id" IN ($1)) AND ("company_id" = $2)');
    expect([sent.get('params[1]'), sent.get('params[2]')]).toEqual([p.companies.O, p.companies.U]);

    // Injection and OR are not in the grammar: refused before anything goes upstream.
    const before = seen.length;
    for (const where of [`company_id = '${p.companies.O}' OR true`, `1=1`, `company_id IN (SELECT id FROM companies)`, `pairing_code_hash IS NULL`]) {
      const r = await call(p.official, { table: 'items', offset: '-1', where });
      expect(r.status, where).toBe(400);
      expect(JSON.parse(r.body).errors.where).toBeDefined();
    }
    for (const [query, field] of [
      [{ table: 'admins', offset: '-1' }, 'table'],
      [{ table: 'public.audit_log', offset: '-1' }, 'table'],
      [{ table: 'devices', offset: '-1', columns: 'id,pairing_code_hash' }, 'columns'],
      [{ table: 'items', offset: '-1', columns: 'name' }, 'columns'],
      [{ table: 'items', offset: '-1', live_sse: 'true', live: 'true' }, 'live_sse'],
    ] as const) {
      const r = await call(p.official, query);
      expect(r.status, JSON.stringify(query)).toBe(400);
      expect(Object.keys(JSON.parse(r.body).errors)).toEqual([field]);
    }
    expect(seen.length).toBe(before);

    // A narrower column list is kept; its where and scope still come from the server.
    const r = await call(p.official, { table: 'items', offset: '-1', columns: 'id,name' });
    expect(r.status).toBe(200);
    expect(Object.keys(JSON.parse(r.headers['electric-schema']!))).toEqual(['id', 'name']);
    expect(seen.at(-1)!.get('columns')).toBe('"id","name"');
    // Without a device token nothing reaches Electric.
    const anon = await shapeHandler(apiEvent('GET', '/v1/shape', { query: { table: 'items', offset: '-1' } }), lambdaContext(29_000));
    expect(anon.statusCode).toBe(401);
    expect(seen.length).toBe(before + 1);
  });

  it('passes offset, handle, live and cursor through and nothing else the client sent', async () => {
    const query = {
      table: 'items',
      offset: '123_4',
      handle: 'some-handle',
      live: 'true',
      cursor: '99',
      secret: 'client-guess',
      api_secret: 'x',
      'cache-buster': 'cb',
      expired_handle: 'old',
      subset__where: 'true',
      replica: 'full',
      log: 'full',
      foo: 'bar',
    };
    const r = await call(p.official, query);
    const sent = seen.at(-1)!;
    expect([...new Set(sent.keys())].sort()).toEqual(
      ['columns', 'cursor', 'handle', 'live', 'log', 'offset', 'params[1]', 'replica', 'secret', 'table', 'where'].sort(),
    );
    expect(sent.get('offset')).toBe('123_4');
    expect(sent.get('handle')).toBe('some-handle');
    expect(sent.get('live')).toBe('true');
    expect(sent.get('cursor')).toBe('99');
    expect(sent.get('secret')).toBe(SECRET);
    expect(sent.get('replica')).toBe('full');
    // That handle names no shape: Electric's 409 comes back as it is, with the new handle.
    expect(r.status).toBe(409);
    expect(JSON.parse(r.body)).toEqual([{ headers: { control: 'must-refetch' } }]);
    expect(r.headers['content-type']).toMatch(/application\/json/);
    expect(r.headers['electric-handle']).toMatch(/^[0-9a-f]{16}-[0-9]+$/);
  });

  it('relays 400 from Electric and keeps only the headers a client needs', async () => {
    const bad = await call(p.official, { table: 'items', offset: 'not-an-offset' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toEqual({ message: 'Invalid request', errors: { offset: ['has invalid format'] } });

    const ok = await call(p.official, { table: 'items', offset: '-1' });
    expect(ok.status).toBe(200);
    for (const h of ['electric-handle', 'electric-offset', 'electric-schema', 'cache-control', 'content-type']) expect(ok.headers[h], h).toBeDefined();
    // Same origin (functions/lib/response-headers.ts): no CORS header at all.
    for (const h of [
      'access-control-allow-origin',
      'access-control-expose-headers',
      'connection',
      'keep-alive',
      'transfer-encoding',
      'content-length',
      'content-encoding',
    ])
      expect(ok.headers[h], h).toBeUndefined();
    expect(ok.headers['cache-control']).not.toMatch(/public/);
  });

  it('answers 503 when Electric is unreachable and 502 when it refuses the secret', async () => {
    const scope = await scopeOf(p.official);
    const { server, url } = await listen(() => undefined);
    await stop(server); // a port that was just closed
    const down = await proxyShapeRequest(migrated.database, { method: 'GET', query: { table: 'items', offset: '-1' } }, scope, { electricUrl: url });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBeDefined();
    const wrong = await proxyShapeRequest(migrated.database, { method: 'GET', query: { table: 'items', offset: '-1' } }, scope, {
      electricUrl: upstreamUrl,
      secret: 'wrong',
    });
    expect(wrong.status).toBe(502);
  });

  it('cancels the upstream long poll when the client goes away or the function runs out of time', async () => {
    upstreamRegister = await registerOf(p.official);
    const start = await call(p.official, { table: 'items', offset: 'now' });
    const live = { table: 'items', offset: start.headers['electric-offset']!, handle: start.headers['electric-handle']!, live: 'true', cursor: '' };

    // The caller's signal (a client that went away).
    const aborter = new AbortController();
    const pending = proxyShapeRequest(migrated.database, { method: 'GET', query: live }, await scopeOf(p.official), {
      electricUrl: upstreamUrl,
      secret: SECRET,
      signal: aborter.signal,
    });
    await waitUntil(() => service.stats().waiting === 1, 'upstream waiting');
    const t0 = Date.now();
    aborter.abort();
    expect((await pending).status).toBe(504);
    await waitUntil(() => service.stats().waiting === 0 && service.stats().inFlight === 0, 'upstream released', 2_000);
    expect(Date.now() - t0).toBeLessThan(2_000);

    // The function's own deadline: 2.5 s left, so the upstream request is cut after ~1 s.
    const t1 = Date.now();
    const r = await call(p.official, live, lambdaContext(2_500));
    expect(r.status).toBe(504);
    expect(Date.now() - t1).toBeLessThan(2_500);
    await waitUntil(() => service.stats().waiting === 0 && service.stats().inFlight === 0, 'upstream released', 2_000);
  });

  it('lets the real ShapeStream sync through the function, then receive a live change', { timeout: 60_000 }, async () => {
    upstreamRegister = await registerOf(p.both);
    const aborter = new AbortController();
    const rows = new Map<string, Record<string, unknown>>();
    let upToDate = false;
    const stream = new ShapeStream<Row>({
      url: `${proxyUrl}/v1/shape`,
      params: { table: 'prices' },
      headers: { authorization: `Bearer ${p.both}` },
      signal: aborter.signal,
    });
    stream.subscribe((messages: Message<Row>[]) => {
      for (const m of messages) {
        if ('key' in m) {
          if (m.headers.operation === 'delete') rows.delete(m.key);
          else rows.set(m.key, { ...rows.get(m.key), ...m.value });
        } else if (m.headers.control === 'up-to-date') upToDate = true;
      }
    });
    try {
      const total = (await migrated.database.pool.query(`SELECT count(*)::int AS n FROM prices`)).rows[0].n;
      await waitUntil(() => upToDate && rows.size === total, 'initial sync through the proxy', 30_000);
      await waitUntil(() => service.stats().waiting >= 1, 'live request waiting upstream');
      const { rows: changed } = await migrated.database.pool.query(
        `UPDATE prices SET amount = 919191, updated_at = now() WHERE id = (SELECT id FROM prices ORDER BY id LIMIT 1) RETURNING id`,
      );
      await waitUntil(() => [...rows.values()].some((v) => v.id === changed[0].id && Number(v.amount) === 919191), 'live change through the proxy');
      // The live requests went upstream with the client's cursor and the server's where.
      const lives = seen.filter((s) => s.get('live') === 'true' && s.get('table') === 'prices');
      expect(lives.length).toBeGreaterThan(0);
      for (const s of lives) {
        expect(s.has('cursor')).toBe(true);
        expect(s.get('where')).toMatch(/^"company_id" IN \(\$1, \$2\)$/);
      }
    } finally {
      aborter.abort();
      // The function cannot see the client go away: its last long poll ends upstream on its own.
      await waitUntil(() => service.stats().inFlight === 0, 'upstream idle', 10_000);
    }
  });
});
