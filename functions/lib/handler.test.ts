import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { seedDemo } from '../../seeds/demo';
import { backends, useMigratedDatabase } from '../../test/databases';
import { downDatabaseUrl } from '../../test/fixtures/principals';
import { createPrincipals, type Principals } from '../../test/fixtures/principals';
import { HttpError } from './errors';
import { defineHandler, json } from './handler';
import { registry } from './metrics';

let token = '';

function event(over: Partial<APIGatewayProxyEventV2> = {}, auth: 'device' | 'anonymous' = 'device'): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /echo',
    rawPath: '/echo',
    rawQueryString: '',
    headers: auth === 'device' ? { authorization: `Bearer ${token}` } : {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'POST', path: '/echo' } } as never,
    ...over,
  };
}

const echo = defineHandler(
  {
    name: 'echo',
    auth: 'device',
    body: z.object({ qty: z.number().int().positive(), note: z.string().max(10).optional() }),
    query: z.object({ dry: z.enum(['1', '0']).optional() }).strict(),
    maxBodyBytes: 1024,
  },
  async ({ body }) => {
    if (body.qty === 13) throw new HttpError(409, 'conflict', [{ path: 'body.qty', message: 'unlucky' }]);
    if (body.qty === 500) throw new Error('secret internal detail');
    return json(200, { got: body.qty });
  },
);

describe.each(backends)('handler wrapper on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let p: Principals;
  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    await seedDemo(t.database, { itemsPerCompany: 2, sharedBarcodes: 1, customers: 1 });
    p = await createPrincipals(t.database);
    token = p.both;
  });
  afterEach(() => {
    process.env.DATABASE_URL = t.url;
    delete process.env.REJECTED_PER_REGISTER;
  });

  const rejectedCount = async () => (await t.database.pool.query(`SELECT count(*)::int AS n FROM rejected_events WHERE type = 'echo'`)).rows[0].n as number;

  it('passes valid input through', async () => {
    const r = await echo(event({ body: JSON.stringify({ qty: 2 }) }));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body as string)).toEqual({ got: 2 });
  });

  it("names the field of invalid input and keeps a device's input for an operator", async () => {
    const before = await rejectedCount();
    const r = await echo(event({ body: JSON.stringify({ qty: -1, note: 'x'.repeat(20) }) }));
    expect(r.statusCode).toBe(400);
    const body = JSON.parse(r.body as string);
    expect(body.error).toBe('invalid_request');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.note', 'body.qty']);
    expect(await rejectedCount()).toBe(before + 1);
    const kept = (await t.database.pool.query(`SELECT payload, reason, field FROM rejected_events WHERE type='echo' ORDER BY created_at DESC LIMIT 1`)).rows[0];
    expect(kept.payload.body).toContain('"qty":-1');
    expect(kept.field).toMatch(/^body\./);
  });

  it('rejects malformed JSON, unknown query keys and oversized bodies', async () => {
    const bad = await echo(event({ body: '{"qty": 1,' }));
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body as string)).toMatchObject({ error: 'invalid_json', issues: [{ path: 'body' }] });

    const q = await echo(event({ body: '{"qty":1}', queryStringParameters: { evil: '1' } }));
    expect(q.statusCode).toBe(400);
    expect(JSON.parse(q.body as string).issues[0].path).toBe('query');

    const big = await echo(event({ body: JSON.stringify({ qty: 1, pad: 'x'.repeat(5000) }) }));
    expect(big.statusCode).toBe(413);
    expect(JSON.parse(big.body as string)).toMatchObject({ error: 'payload_too_large', issues: [{ path: 'body' }] });
  });

  it('maps thrown HttpErrors and hides internal errors', async () => {
    const c = await echo(event({ body: '{"qty":13}' }));
    expect(c.statusCode).toBe(409);
    const e = await echo(event({ body: '{"qty":500}' }));
    expect(e.statusCode).toBe(500);
    expect(e.body).not.toContain('secret internal detail');
    expect(e.body).not.toContain('at ');
    expect(JSON.parse(e.body as string).error).toBe('internal_error');
  });

  it('decodes base64 bodies', async () => {
    const r = await echo(event({ body: Buffer.from('{"qty":3}').toString('base64'), isBase64Encoded: true }));
    expect(JSON.parse(r.body as string)).toEqual({ got: 3 });
  });

  const anonymousCount = async (reason: string) => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === 'till_rejected_anonymous_requests_total');
    return (m?.values ?? []).filter((v) => v.labels.function === 'echo' && v.labels.reason === reason).reduce((a, v) => a + v.value, 0);
  };

  it('checks the caller before the body: anonymous garbage is counted, never stored', async () => {
    const before = await rejectedCount();
    const counted = await anonymousCount('unauthorized');
    const bodies = ['{"qty": -1}', '{not json', JSON.stringify({ qty: 1, pad: 'x'.repeat(5000) }), '\u0000'];
    for (let i = 0; i < 1000; i++) {
      const r = await echo(event({ body: bodies[i % bodies.length] }, 'anonymous'));
      expect(r.statusCode).toBe(401);
    }
    const forged = await echo(event({ body: '{"qty":-1}', headers: { authorization: 'Bearer abc.def.ghi' } }));
    expect(forged.statusCode).toBe(401);
    expect(JSON.parse(forged.body as string)).toMatchObject({ error: 'unauthorized', issues: [{ path: 'authorization' }] });
    expect(await rejectedCount()).toBe(before);
    expect(await anonymousCount('unauthorized')).toBe(counted + 1001);
  });

  it("caps what one register's bad input may store per window; the rest is only counted", async () => {
    process.env.REJECTED_PER_REGISTER = '5';
    const other = (
      await t.database.pool.query(
        `SELECT count(*)::int AS n FROM rejected_events WHERE type = 'echo' AND register_id IS NOT NULL AND created_at > now() - interval '10 minutes'`,
      )
    ).rows[0].n as number;
    for (let i = 0; i < 30; i++) expect((await echo(event({ body: '{"qty":-1}' }))).statusCode).toBe(400);
    const kept = (
      await t.database.pool.query(
        `SELECT count(*)::int AS n FROM rejected_events WHERE type = 'echo' AND register_id IS NOT NULL AND created_at > now() - interval '10 minutes'`,
      )
    ).rows[0].n as number;
    expect(kept).toBe(Math.max(5, other));
    const dropped = (await registry.getMetricsAsJSON()).find((x) => x.name === 'till_rejected_device_requests_dropped_total');
    expect(dropped?.values.find((v) => v.labels.function === 'echo')?.value).toBeGreaterThanOrEqual(25);
  });

  it('refuses NUL and invalid UTF-8 with the field named, and stores it safely', async () => {
    const q = await echo(event({ body: '{"qty":1}', queryStringParameters: { dry: '1\u0000' } }));
    expect(q.statusCode).toBe(400);
    expect(JSON.parse(q.body as string)).toMatchObject({ error: 'invalid_text', issues: [{ path: 'query.dry' }] });
    const b = await echo(event({ body: JSON.stringify({ qty: 1, note: 'a\u0000b' }) }));
    expect(b.statusCode).toBe(400);
    expect(JSON.parse(b.body as string).issues[0].path).toBe('body.note');
    const lone = await echo(event({ body: JSON.stringify({ qty: 1, note: 'a\ud800' }) }));
    expect(JSON.parse(lone.body as string).issues[0].path).toBe('body.note');
  });

  it('answers same-origin only, with baseline headers', async () => {
    const r = await echo(event({ body: '{"qty":2}', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example' } }));
    expect(r.statusCode).toBe(200);
    expect(Object.keys(r.headers ?? {}).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
  });

  it('answers 503 with retry-after, never 401, when the database fails during the token check', async () => {
    process.env.DATABASE_URL = await downDatabaseUrl(backend);
    const r = await echo(event({ body: '{"qty":2}' }));
    expect(r.statusCode).toBe(503);
    expect(r.headers?.['retry-after']).toBeDefined();
    expect(JSON.parse(r.body as string).error).toBe('unavailable');
  });
});
