import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { backends, useMigratedDatabase } from '../../test/databases';
import { HttpError } from './errors';
import { defineHandler, json } from './handler';

function event(over: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /echo',
    rawPath: '/echo',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'r1', http: { method: 'POST', path: '/echo' } } as never,
    ...over,
  };
}

const echo = defineHandler(
  {
    name: 'echo',
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
  beforeAll(() => {
    process.env.DATABASE_URL = t.url;
  });

  const rejectedCount = async () =>
    (await t.database.pool.query(`SELECT count(*)::int AS n FROM rejected_events WHERE type = 'echo'`)).rows[0].n as number;

  it('passes valid input through', async () => {
    const r = await echo(event({ body: JSON.stringify({ qty: 2 }) }));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body as string)).toEqual({ got: 2 });
  });

  it('names the field of invalid input and keeps the input for an operator', async () => {
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
});
