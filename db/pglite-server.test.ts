import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePGlite, type PGliteServer, type PGliteServerOptions } from './pglite-server';

const PASSWORD = 'test-password-0123456789abcdef';

async function serve(db: PGlite, opts: Partial<PGliteServerOptions> = {}) {
  const server = await servePGlite(db, { user: 'postgres', password: PASSWORD, ...opts });
  /** `password` null: a URL without one. */
  const url = (user = 'postgres', password: string | null = PASSWORD) =>
    `postgres://${user}${password === null ? '' : `:${password}`}@127.0.0.1:${server.port}/postgres`;
  return { db, server, url, close: () => server.stop() };
}

/** Connects and returns the SQLSTATE the server refused with (or 'connected'). */
async function connectOutcome(connectionString: string): Promise<string> {
  const c = new pg.Client({ connectionString });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.end();
    return 'connected';
  } catch (e) {
    return (e as { code?: string }).code ?? String((e as Error).message);
  }
}

/** A raw frontend: sends `bytes` after connecting and collects everything until the server closes. */
function rawExchange(port: number, frames: Buffer[], opts: { timeoutMs?: number } = {}) {
  return new Promise<{ data: Buffer; closedByServer: boolean }>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const done = (closedByServer: boolean) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ data: Buffer.concat(chunks), closedByServer });
    };
    const timer = setTimeout(() => done(false), opts.timeoutMs ?? 5_000);
    s.on('connect', () => frames.forEach((f) => s.write(f)));
    s.on('data', (d) => chunks.push(d));
    s.on('close', () => done(true));
    s.on('error', () => undefined);
  });
}

function startupFrame(user: string) {
  const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from(`user\0${user}\0database\0postgres\0\0`)]);
  const len = Buffer.alloc(4);
  len.writeInt32BE(body.length + 4);
  return Buffer.concat([len, body]);
}

function frame(type: string, body: Buffer | string) {
  const b = Buffer.from(body);
  const head = Buffer.alloc(5);
  head.write(type);
  head.writeInt32BE(b.length + 4, 1);
  return Buffer.concat([head, b]);
}

/** Backend message types in order, with the SQLSTATE of each ErrorResponse, e.g. ['R10', 'E:08P01']. */
function backendMessages(data: Buffer): string[] {
  const out: string[] = [];
  for (let i = 0; i + 5 <= data.length; i += 1 + data.readInt32BE(i + 1)) {
    const type = String.fromCharCode(data[i]!);
    const body = data.subarray(i + 5, i + 1 + data.readInt32BE(i + 1));
    if (type === 'R') out.push(`R${body.readInt32BE(0)}`);
    else if (type === 'E') out.push(`E:${/C([0-9A-Z]{5})\0/.exec(body.toString('latin1'))?.[1]}`);
    else out.push(type);
  }
  return out;
}

describe('PGlite wire server', () => {
  let db: PGlite;
  let server: PGliteServer;
  let url: string;
  let urlFor: (user?: string, password?: string | null) => string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    db = await PGlite.create();
    ({ server, url: urlFor, close } = await serve(db, { maxConnections: 20 }));
    url = urlFor();
    await db.exec(`CREATE TABLE t (id int PRIMARY KEY, v text); CREATE TABLE secrets (name text, value text)`);
    await db.exec(`INSERT INTO secrets VALUES ('signing', 'top-secret-key')`);
  });
  afterAll(async () => {
    await close();
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

  it('sends a result larger than the socket buffers intact', async () => {
    // ~26 MB: more than loopback buffers hold, so the server must queue writes while the client reads.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const r = await c.query({ text: `SELECT g, md5(g::text) || repeat('x', 200) AS v FROM generate_series(1, 104000) g`, rowMode: 'array' });
      expect(r.rows.length).toBe(104_000);
      const bad = (r.rows as [number, string][]).filter(([g, v], i) => g !== i + 1 || v.length !== 232);
      expect(bad.length).toBe(0);
    } finally {
      await c.end();
    }
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

  it('lets a pg Pool with the right password read every table (SCRAM-SHA-256)', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const r = await pool.query(`SELECT value FROM secrets WHERE name = $1`, ['signing']);
    expect(r.rows).toEqual([{ value: 'top-secret-key' }]);
    await pool.end();
  });

  it('refuses a wrong password, a wrong user and a missing password', async () => {
    expect(await connectOutcome(urlFor('postgres', 'wrong-password-0123456789'))).toBe('28P01');
    expect(await connectOutcome(urlFor('postgres', PASSWORD.slice(0, -1)))).toBe('28P01');
    expect(await connectOutcome(urlFor('till', PASSWORD))).toBe('28P01');
    // pg refuses before sending anything without a password; the raw cases below show the server's side.
    expect(await connectOutcome(urlFor('postgres', null))).toMatch(/password must be a string/);
  });

  it('offers only SCRAM-SHA-256 and never runs a query for a client that skips it', async () => {
    const query = frame('Q', `SELECT value FROM secrets\0`);
    // Straight to a query after the startup message.
    const skipped = await rawExchange(server.port, [startupFrame('postgres'), query]);
    expect(backendMessages(skipped.data)).toEqual(['R10', 'E:08P01']);
    expect(skipped.data.toString('latin1')).toContain('SCRAM-SHA-256\0\0');
    expect(skipped.data.toString('latin1')).not.toContain('top-secret-key');
    expect(skipped.closedByServer).toBe(true);
    // A cleartext password where the SASL response belongs.
    const cleartext = await rawExchange(server.port, [startupFrame('postgres'), frame('p', `${PASSWORD}\0`), query]);
    expect(backendMessages(cleartext.data)).toEqual(['R10', 'E:08P01']);
    expect(cleartext.closedByServer).toBe(true);
    // Another mechanism.
    const plain = Buffer.concat([Buffer.from('PLAIN\0'), Buffer.from([0, 0, 0, 4]), Buffer.from('abcd')]);
    const other = await rawExchange(server.port, [startupFrame('postgres'), frame('p', plain), query]);
    expect(backendMessages(other.data)).toEqual(['R10', 'E:08P01']);
    // No user name.
    const len = Buffer.alloc(4);
    const body = Buffer.concat([Buffer.from([0, 3, 0, 0]), Buffer.from('database\0postgres\0\0')]);
    len.writeInt32BE(body.length + 4);
    const nouser = await rawExchange(server.port, [Buffer.concat([len, body]), query]);
    expect(backendMessages(nouser.data)).toEqual(['E:28000']);
    // An absurd startup length.
    const huge = Buffer.alloc(8);
    huge.writeInt32BE(1_000_000);
    huge.writeInt32BE(196608, 4);
    expect(backendMessages((await rawExchange(server.port, [huge])).data)).toEqual(['E:08P01']);
  });

  it('refuses to serve without a strong password', async () => {
    await expect(servePGlite(db, { user: 'postgres', password: '' })).rejects.toThrow(/password/);
    await expect(servePGlite(db, { user: 'postgres', password: 'short' })).rejects.toThrow(/password/);
    await expect(servePGlite(db, { user: '', password: PASSWORD })).rejects.toThrow(/user/);
  });
});

describe('PGlite wire server time limits', () => {
  // One PGlite for all, a server with the limits under test per test.
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(() => db.close());

  it('cuts a client idle inside a transaction and rolls it back, so others proceed', async () => {
    const idleMs = 400;
    const s = await serve(db, { idleInTransactionTimeoutMs: idleMs });
    try {
      await s.db.exec('CREATE TABLE idle_t (id int)');
      const a = new pg.Client({ connectionString: s.url() });
      const b = new pg.Client({ connectionString: s.url() });
      const aError = new Promise<{ code?: string }>((resolve) => a.on('error', (e) => resolve(e as { code?: string })));
      await a.connect();
      await b.connect();
      await a.query('BEGIN');
      await a.query('INSERT INTO idle_t VALUES (1)');
      await a.query('SELECT 1');
      // a now idles with its transaction open; b waits for it, then gets through.
      const t0 = Date.now();
      const r = await b.query('SELECT count(*)::int AS n FROM idle_t');
      const waited = Date.now() - t0;
      expect(r.rows[0].n).toBe(0); // a's insert was rolled back
      expect(waited).toBeGreaterThanOrEqual(idleMs / 2); // it did wait for a
      expect(waited).toBeLessThan(idleMs + 3_000);
      expect((await aError).code).toBe('25P03');
      await expect(a.query('SELECT 1')).rejects.toThrow();
      expect(s.db.isInTransaction()).toBe(false);
      await b.end();
    } finally {
      await s.close();
    }
  });

  it('keeps a busy transaction that is not idle, and lets an idle client outside a transaction be', async () => {
    const s = await serve(db, { idleInTransactionTimeoutMs: 1_000 });
    try {
      const a = new pg.Client({ connectionString: s.url() });
      const idle = new pg.Client({ connectionString: s.url() });
      await a.connect();
      await idle.connect();
      await a.query('BEGIN');
      // Each pause is shorter than the limit, the whole transaction is longer.
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await a.query('SELECT 1');
      }
      await a.query('COMMIT');
      expect((await idle.query('SELECT 2 AS x')).rows[0].x).toBe(2);
      await a.end();
      await idle.end();
    } finally {
      await s.close();
    }
  });

  it('does not let a client queue behind another transaction forever', async () => {
    const queueMs = 300;
    const s = await serve(db, { idleInTransactionTimeoutMs: 60_000, queueTimeoutMs: queueMs });
    try {
      const a = new pg.Client({ connectionString: s.url() });
      const b = new pg.Client({ connectionString: s.url() });
      b.on('error', () => undefined);
      await a.connect();
      await b.connect();
      await a.query('BEGIN');
      const t0 = Date.now();
      const err = await b.query('SELECT 1').then(
        () => null,
        (e: { code?: string }) => e,
      );
      expect(err?.code).toBe('55P03');
      expect(Date.now() - t0).toBeLessThan(queueMs + 3_000);
      // The transaction's owner is unaffected.
      expect((await a.query('SELECT 3 AS x')).rows[0].x).toBe(3);
      await a.query('COMMIT');
      await a.end();
    } finally {
      await s.close();
    }
  });

  it('disconnects a client that does not sign in in time', async () => {
    const s = await serve(db, { authTimeoutMs: 200 });
    try {
      const r = await rawExchange(s.server.port, [startupFrame('postgres')]);
      expect(r.closedByServer).toBe(true);
      expect(backendMessages(r.data)).toEqual(['R10', 'E:57014']);
      expect(s.server.connections()).toBe(0);
    } finally {
      await s.close();
    }
  });
});
