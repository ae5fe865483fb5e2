import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontDoor, type FrontDoor } from './front-door';
import { ensureEdgeCertificates, type EdgeCertificates } from './tls/store-certificates';
import { waitFor } from './wait-for';

describe('front door', () => {
  let dir: string;
  let certs: EdgeCertificates;
  let upstream: http.Server;
  let door: FrontDoor;
  let agent: Agent;
  const seen: { url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  const closed: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-door-'));
    certs = await ensureEdgeCertificates({ dir: path.join(dir, 'tls'), hostname: 'till-edge.test', addresses: [] });
    upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        seen.push({ url: req.url!, headers: req.headers, body });
        if (req.url === '/hang') {
          res.once('close', () => closed.push(req.url!));
          return; // a long-poll that never answers by itself
        }
        res.writeHead(200, {
          'content-type': 'application/json',
          'access-control-allow-origin': 'https://evil.test',
          'access-control-allow-credentials': 'true',
          'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
        });
        res.end(JSON.stringify({ url: req.url }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    door = await startFrontDoor({
      host: '127.0.0.1',
      port: 0,
      key: certs.key,
      cert: certs.cert,
      upstream: { host: '127.0.0.1', port: (upstream.address() as net.AddressInfo).port },
      publicHost: 'till-edge.test',
    });
    agent = new Agent({ connect: { ca: certs.caPem } });
  });

  afterAll(async () => {
    await door?.close();
    await new Promise((r) => upstream?.close(r));
    await agent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const https = (p: string, init: Parameters<typeof undiciFetch>[1] = {}) => undiciFetch(`https://localhost:${door.port}${p}`, { dispatcher: agent, ...init });

  it('forwards https requests with the client address and protocol, replacing what the client claimed', async () => {
    const res = await https('/api/companies?x=1', { headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'http' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ url: '/api/companies?x=1' });
    const last = seen.at(-1)!;
    expect(last.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(last.headers['x-forwarded-proto']).toBe('https');
    expect(last.headers.host).toBe(`localhost:${door.port}`);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('forwards request bodies', async () => {
    const res = await https('/sync/push', { method: 'POST', body: JSON.stringify({ n: 1 }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    expect(seen.at(-1)!.body).toBe('{"n":1}');
  });

  it('redirects plain HTTP to https on the same port, but serves the enrolment page before trust', async () => {
    const get = (p: string) =>
      new Promise<http.IncomingMessage & { body: string }>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port: door.port, path: p, headers: { host: `till-edge.test:${door.port}` } }, (res) => {
            let body = '';
            res.on('data', (d) => (body += d));
            res.on('end', () => resolve(Object.assign(res, { body })));
          })
          .on('error', reject);
      });
    const pos = await get('/pos?x=1');
    expect(pos.statusCode).toBe(308);
    expect(pos.headers.location).toBe(`https://till-edge.test:${door.port}/pos?x=1`);
    expect(pos.body).toContain(`http://till-edge.test:${door.port}/setup`);
    const setup = await get('/setup');
    expect(setup.statusCode).toBe(200);
    expect(seen.at(-1)!.headers['x-forwarded-proto']).toBe('http');
    expect((await get('/setupx')).statusCode).toBe(308);
  });

  it('releases the upstream request when the client goes away', async () => {
    const ac = new AbortController();
    const pending = https('/hang', { signal: ac.signal }).catch(() => undefined);
    await waitFor(async () => (seen.some((s) => s.url === '/hang') ? true : undefined), { timeoutMs: 5000, intervalMs: 20, what: 'request upstream' });
    const t0 = Date.now();
    ac.abort();
    await pending;
    await waitFor(async () => (closed.includes('/hang') ? true : undefined), { timeoutMs: 1000, intervalMs: 10, what: 'upstream closed' });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('answers 503 with retry-after while the function server is down, and drops silent connections', async () => {
    const other = await startFrontDoor({
      host: '127.0.0.1',
      port: 0,
      key: certs.key,
      cert: certs.cert,
      upstream: { host: '127.0.0.1', port: 1 },
      publicHost: 'x',
    });
    try {
      const res = await undiciFetch(`https://127.0.0.1:${other.port}/health`, { dispatcher: agent });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(((await res.json()) as { error: string }).error).toBe('edge_starting');
    } finally {
      await other.close();
    }
  });
});
