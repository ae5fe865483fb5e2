import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePGlite, type PGliteServer } from './pglite-server';

describe('PGlite wire server', () => {
  let db: PGlite;
  let server: PGliteServer;
  let url: string;
  beforeAll(async () => {
    db = await PGlite.create();
    server = await servePGlite(db, { maxConnections: 20 });
    url = `postgres://postgres@127.0.0.1:${server.port}/postgres`;
    await db.exec('CREATE TABLE t (id int PRIMARY KEY, v text)');
  });
  afterAll(async () => {
    await server.stop();
    await db.close();
  });

  it('never mixes concurrent parameterised queries of different clients', async () => {
    const pools = Array.from({ length: 4 }, () => new pg.Pool({ connectionString: url, max: 3 }));
    let wrong = 0;
    await Promise.all(
      Array.from({ length: 600 }, async (_, i) => {
        const p = pools[i % pools.length]!;
        // Different statement texts per query: an interleaved Parse would bind the wrong one.
        const r = await p.query(`SELECT $1::int * ${i % 7} AS a, $2::text AS b${i % 5}`, [i, `s${i}`]);
        if (r.rows[0].a !== i * (i % 7) || r.rows[0][`b${i % 5}`] !== `s${i}`) wrong++;
      }),
    );
    await Promise.all(pools.map((p) => p.end()));
    expect(wrong).toBe(0);
  });

  it('isolates transactions: other clients wait, a dropped client is rolled back', async () => {
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    a.on('error', () => undefined); // a's connection is cut below on purpose
    await a.connect();
    await b.connect();
    await a.query('BEGIN');
    await a.query(`INSERT INTO t VALUES (1, 'a')`);
    let bDone = false;
    const bQuery = b.query('SELECT count(*)::int AS n FROM t').then((r) => ((bDone = true), r.rows[0].n));
    await new Promise((r) => setImmediate(r));
    expect(bDone).toBe(false);
    await a.query('COMMIT');
    expect(await bQuery).toBe(1);

    await a.query('BEGIN');
    await a.query(`INSERT INTO t VALUES (2, 'lost')`);
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const r = await b.query('SELECT count(*)::int AS n FROM t');
    expect(r.rows[0].n).toBe(1);
    await b.end();
  });

  it('refuses connections beyond the limit', async () => {
    const clients = Array.from({ length: 21 }, () => new pg.Client({ connectionString: url }));
    const results = await Promise.allSettled(clients.map((c) => c.connect()));
    expect(results.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  });
});
