// The real edge, end to end: launcher, embedded or external database, serverless-offline, functions.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { waitFor } from './wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/databases';
import { pairOverHttps, startEdge, type EdgeProcess } from '../test/edge-process';

const backends = process.env.TEST_DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);

describe.each(backends)('edge on %s', (backend) => {
  let edge: EdgeProcess;
  let dataDir: string;
  let external: TestDatabase | undefined;
  let env: Record<string, string>;
  let dbUrl: string;
  let token: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'till-edge-'));
    env = { TILL_DATA_DIR: dataDir };
    if (backend === 'postgres') {
      external = await createTestDatabase('postgres');
      env.DATABASE_URL = external.url;
    }
    edge = await startEdge(env);
    dbUrl = edge.pgliteUrl ?? external!.url;
    // The APIs answer paired registers (and admins) only: pair R01 as a register would.
    token = await pairOverHttps(edge, dbUrl);
  });

  afterAll(async () => {
    await edge?.stop();
    await external?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const get = async (p: string, auth = true) => {
    const r = await fetch(`${edge.base}${p}`, auth ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
  };

  it('reports health with migrations current', async () => {
    const h = await get('/health');
    expect(h.status).toBe(200);
    expect(h.body.database.reachable).toBe(true);
    expect(h.body.migrations.current).toBe(true);
  });

  it('serves the demo store: two companies, Unofficial by default', async () => {
    const { body } = await get('/api/companies');
    expect(body.companies.map((c: { name: string }) => c.name)).toEqual(['Official', 'Unofficial']);
    expect(body.companies.find((c: { isDefault: boolean }) => c.isDefault).name).toBe('Unofficial');
  });

  it('pages through every item of a company and finds shared barcodes in both with different prices', async () => {
    const { body } = await get('/api/companies');
    const [official, unofficial] = body.companies;
    const codes = new Set<string>();
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const r = await get(`/api/companies/${official.id}/items?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      for (const it of r.body.items) codes.add(it.code);
      cursor = r.body.nextCursor;
      pages++;
    }
    expect(codes.size).toBe(2000);
    expect(pages).toBe(10);

    const first = (await get(`/api/companies/${official.id}/items?q=O-00007`)).body.items[0];
    const shared = first.barcodes[0];
    const a = await get(`/api/companies/${official.id}/barcodes/${shared}`);
    const b = await get(`/api/companies/${unofficial.id}/barcodes/${shared}`);
    expect(a.body.item.companyId).toBe(official.id);
    expect(b.body.item.companyId).toBe(unofficial.id);
    expect(a.body.item.price).not.toBe(b.body.item.price);
    expect(Number.isInteger(a.body.item.price)).toBe(true);
  });

  it('lists shared customers with a credit line per company', async () => {
    const r = await get('/api/customers?limit=200');
    expect(r.body.customers).toHaveLength(200);
    expect(r.body.customers[0].credit).toHaveLength(2);
  });

  it('answers bad input with a 4xx JSON naming the field, and keeps it for an operator', async () => {
    const { body } = await get('/api/companies');
    const cases: [string, number, string][] = [
      ['/api/companies/not-a-uuid/items', 400, 'path.companyId'],
      [`/api/companies/${body.companies[0].id}/items?limit=abc`, 400, 'query.limit'],
      [`/api/companies/${body.companies[0].id}/items?limit=5000`, 400, 'query.limit'],
      [`/api/companies/${body.companies[0].id}/items?cursor=%%%`, 400, 'query.cursor'],
      [`/api/companies/${body.companies[0].id}/barcodes/x%20y`, 400, 'path.code'],
      ['/api/companies/00000000-0000-4000-8000-000000000000/items', 403, 'path.companyId'],
      ['/api/customers?sort=name', 400, 'query'],
      ['/api/companies?x=1', 400, 'query'],
    ];
    for (const [p, status, field] of cases) {
      const r = await get(p);
      expect({ p, status: r.status }).toEqual({ p, status });
      expect(r.body.issues[0].path).toBe(field);
    }
    const post = async (p: string, body: string, auth: boolean) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${token}` } : {}) };
      const r = await fetch(`${edge.base}${p}`, { method: 'POST', headers, body });
      return { status: r.status, body: await r.json() };
    };
    // The caller is checked before the body: without a token only pairing reads it.
    const posts: [string, string, boolean, number, string][] = [
      ['/sync/push', '{"events": [', true, 400, 'body'],
      ['/sync/push', '{}', true, 400, 'body.events'],
      ['/sync/push', '{"events": [', false, 401, 'authorization'],
      ['/sync/push', JSON.stringify({ events: [{}] }), false, 401, 'authorization'],
      ['/sync/pair', JSON.stringify({ pairingCode: 'nope', appVersion: '1' }), false, 400, 'body.pairingCode'],
      ['/api/returns', JSON.stringify({ returnId: 'x' }), true, 400, 'body.returnId'],
      ['/api/print', JSON.stringify({ test: true }), false, 401, 'authorization'],
      ['/sync/push', JSON.stringify({ events: [{ pad: 'x'.repeat(5 * 1024 * 1024) }] }), true, 413, 'body'],
    ];
    for (const [p, body, auth, status, field] of posts) {
      const r = await post(p, body, auth);
      expect({ p, status: r.status }).toEqual({ p, status });
      expect(r.body.issues[0].path).toBe(field);
    }
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    const kept = await c.query(`SELECT count(*)::int AS n FROM rejected_events WHERE source = 'api'`);
    await c.end();
    expect(kept.rows[0].n).toBeGreaterThanOrEqual(7);
    expect((await get('/health')).status).toBe(200);
  });

  it('serves the POS, the admin and their static files on the same port', async () => {
    const root = await fetch(`${edge.base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/pos');
    const pos = await fetch(`${edge.base}/pos`);
    expect(pos.status).toBe(200);
    const html = await pos.text();
    expect(html).toContain('Till POS');
    const script = /href="(\/build\/[^"]+\.js)"/.exec(html)![1]!;
    const js = await fetch(`${edge.base}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toContain('javascript');
    const wasm = await fetch(`${edge.base}/pglite/pglite.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect((await wasm.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    expect((await fetch(`${edge.base}/build/../../package.json`)).status).not.toBe(200);
    expect((await fetch(`${edge.base}/admin`)).status).toBe(200);
  });

  it('exposes Prometheus metrics per function', async () => {
    const deadline = Date.now() + 10_000;
    let text = '';
    while (Date.now() < deadline) {
      text = (await get('/metrics')).body;
      if (text.includes('function="items-list"')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(text).toMatch(/till_http_requests_total\{[^}]*function="items-list"[^}]*\} \d+/);
    expect(text).toContain('till_http_request_duration_seconds_bucket');
    expect(text).toContain('till_db_pool_connections');
  });

  it('keeps every row across SIGTERM and restart', { timeout: 180_000 }, async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(`INSERT INTO customers (code, name) VALUES ('DURABLE-1', 'Durable Customer')`);
    const before = (await c.query('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM customers) AS customers')).rows[0];
    await c.end();
    expect(await edge.stop()).toBe(0);
    edge = await startEdge(env);
    const r = await get('/api/customers?q=Durable');
    expect(r.body.customers.map((x: { code: string }) => x.code)).toEqual(['DURABLE-1']);
    const c2 = new pg.Client({ connectionString: edge.pgliteUrl ?? external!.url });
    await c2.connect();
    const after = (await c2.query('SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM customers) AS customers')).rows[0];
    await c2.end();
    expect(after).toEqual(before);
  });

  it('comes back after a hard kill: no function server survives holding a port, and the same public port is served again', { timeout: 240_000 }, async () => {
    const functionPid = Number(/"message":"function server ready"[^\n]*"pid":(\d+)/.exec(edge.output())![1]);
    const functionPort = Number(/"message":"function server ready"[^\n]*"port":(\d+)/.exec(edge.output())![1]);
    expect(isAlive(functionPid)).toBe(true);
    await edge.kill();
    await waitFor(async () => (isAlive(functionPid) ? undefined : true), { timeoutMs: 5_000, intervalMs: 100, what: 'the orphaned function server to exit' });
    // Its private port is free again; the public port is taken over by the restarted edge.
    await waitFor(async () => ((await portFree(functionPort)) ? true : undefined), { timeoutMs: 5_000, intervalMs: 100, what: 'the private port' });
    edge = await startEdge({ ...env, PORT: String(edge.port) });
    expect((await get('/health')).status).toBe(200);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}
