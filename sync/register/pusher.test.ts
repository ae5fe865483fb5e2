import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pushOnce, Pusher } from './pusher';
import { applyLocalSchema } from './shape-sync';

// The register's side of token renewal, against its real local database and an edge stand-in
// that answers as functions/push.ts and functions/renew.ts do.
describe('pusher token renewal', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = new PGlite();
    await applyLocalSchema(pg);
  });
  afterAll(async () => {
    await pg.close();
  });

  const enqueue = (id: string) =>
    pg.query(`INSERT INTO outbox (event_id, type, payload) VALUES ($1, 'sale.completed', $2)`, [id, JSON.stringify({ eventId: id })]);

  it('renews an expired token and pushes again; keeps a fresh token the edge sends', async () => {
    await enqueue('00000000-0000-4000-8000-000000000001');
    let token = 'expired';
    const seen: string[] = [];
    const stored: string[] = [];
    const outcome = await pushOnce(pg, {
      baseUrl: 'http://edge',
      token: () => token,
      fetch: async (_url, init) => {
        const auth = new Headers(init?.headers).get('authorization')!;
        seen.push(auth);
        if (auth === 'Bearer expired') return new Response(JSON.stringify({ error: 'token_expired', issues: [] }), { status: 401 });
        return new Response(JSON.stringify({ results: [{ index: 0, eventId: null, status: 'accepted' }], token: 'fresher' }), { status: 200 });
      },
      renew: async () => {
        token = 'renewed';
        return 'renewed';
      },
      onToken: async (t) => {
        stored.push(t);
      },
    });
    expect(outcome).toEqual({ kind: 'sent', accepted: 1, rejected: 0 });
    expect(seen).toEqual(['Bearer expired', 'Bearer renewed']);
    expect(stored).toEqual(['fresher']);
  });

  it('stays queued while renewal cannot reach the edge, and reports revoked when it is refused', async () => {
    await enqueue('00000000-0000-4000-8000-000000000002');
    const expired = async () => new Response(JSON.stringify({ error: 'token_expired', issues: [] }), { status: 401 });
    const offline = await pushOnce(pg, { baseUrl: 'http://edge', token: () => 'expired', fetch: expired, renew: async () => 'offline' });
    expect(offline.kind).toBe('offline');
    const refused = await pushOnce(pg, { baseUrl: 'http://edge', token: () => 'expired', fetch: expired, renew: async () => 'refused' });
    expect(refused.kind).toBe('revoked');
    const pending = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`);
    expect(pending.rows[0]!.n).toBe(1);
  });
});

describe("pusher and answers that are not the edge's", () => {
  it('keeps the events queued and retries when a 200 answer is not a push answer', async () => {
    const pg = new PGlite();
    try {
      await applyLocalSchema(pg);
      const id = '00000000-0000-4000-8000-000000000003';
      await pg.query(`INSERT INTO outbox (event_id, type, payload) VALUES ($1, 'sale.completed', $2)`, [id, JSON.stringify({ eventId: id })]);
      const answers = [
        new Response(JSON.stringify({ message: 'Service Unavailable' }), { status: 200 }),
        new Response('<html>gateway</html>', { status: 200 }),
      ];
      for (const answer of answers) {
        const outcome = await pushOnce(pg, { baseUrl: 'http://edge', token: () => 't', fetch: async () => answer });
        expect(outcome.kind).toBe('offline');
        expect((outcome as { error: string }).error).toMatch(/answer to a push could not be read \(200\)/);
      }
      const row = await pg.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM outbox WHERE event_id = $1`, [id]);
      expect(row.rows[0]).toEqual({ status: 'pending', attempts: 2 });
      const sent = await pushOnce(pg, {
        baseUrl: 'http://edge',
        token: () => 't',
        fetch: async () => new Response(JSON.stringify({ results: [{ index: 0, eventId: id, status: 'accepted' }] }), { status: 200 }),
      });
      expect(sent).toEqual({ kind: 'sent', accepted: 1, rejected: 0 });
    } finally {
      await pg.close();
    }
  });
});

describe('pusher and the edge coming back', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = new PGlite();
    await applyLocalSchema(pg);
  });
  afterAll(async () => {
    await pg.close();
  });

  it('sends nothing while the edge is known unreachable, and drains at once when kicked', async () => {
    await pg.query(`INSERT INTO outbox (event_id, type, payload) VALUES ($1, 'sale.completed', '{}')`, ['00000000-0000-4000-8000-000000000009']);
    let reachable = false;
    let requests = 0;
    const outcomes: string[] = [];
    const pusher = new Pusher(pg, {
      baseUrl: 'http://edge',
      token: () => 'token',
      reachable: () => reachable,
      fetch: async () => {
        requests++;
        return new Response(JSON.stringify({ results: [{ index: 0, eventId: null, status: 'accepted' }] }), { status: 200 });
      },
      onOutcome: (o) => outcomes.push(o.kind),
    });
    pusher.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(requests).toBe(0);
    reachable = true;
    pusher.kick();
    await vi.waitFor(() => expect(outcomes).toContain('sent'), { timeout: 5000 });
    pusher.stop();
    expect(requests).toBe(1);
    expect((await pg.query<{ status: string }>(`SELECT status FROM outbox`)).rows).toEqual([{ status: 'accepted' }]);
  });
});
