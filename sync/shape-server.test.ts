// Conformance tests: the real Electric clients (@electric-sql/client ShapeStream/Shape and
// @electric-sql/pglite-sync) against handleShapeRequest behind a small node:http server.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Shape, ShapeStream } from '@electric-sql/client';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/client';
import { backends, useMigratedDatabase } from '../test/databases';
import { compactChangeLog } from '../db/change-log';
import { handleShapeRequest, type ShapeScope } from './shape-server';
import { parseWhere, WhereError } from './shape-where';

async function waitUntil(check: () => Promise<boolean> | boolean, label: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('where parser', () => {
  const cols = new Set(['id', 'name', 'code', 'disabled', 'amount']);
  it('accepts the simple forms and resolves parameters', () => {
    expect(
      parseWhere(`name = $1 AND (code IN ('a', 'b''c') AND disabled = false) AND amount >= -3 AND id IS NOT NULL`, cols, {
        '1': 'x',
      }),
    ).toEqual([
      { kind: 'cmp', column: 'name', op: '=', value: 'x' },
      { kind: 'in', column: 'code', not: false, values: ['a', "b'c"] },
      { kind: 'cmp', column: 'disabled', op: '=', value: 'false' },
      { kind: 'cmp', column: 'amount', op: '>=', value: '-3' },
      { kind: 'null', column: 'id', not: true },
    ]);
    expect(parseWhere(`"name" <> 'x' and code not in ($1)`, cols, { '1': 'y' })).toHaveLength(2);
  });
  it.each([
    `1=1; drop table items`,
    `name = 'a') or (true`,
    `name = 'a' or true`,
    `name = 'a' -- comment`,
    `name = 'a' /* c */`,
    `id IN (SELECT id FROM admins)`,
    `password_hash = 'x'`,
    `"name"" = 'x' or ""name" = 'x'`,
    `"Name" = 'x'`,
    `name = 'unterminated`,
    `name = $2`,
    `lower(name) = 'x'`,
    `name = name`,
    `name = 'a' AND`,
    `name::text = 'a'`,
    `name = E'\\x'`,
    `name = $$x$$`,
    ``,
  ])('rejects %j', (where) => {
    expect(() => parseWhere(where, cols, where === `name = $2` ? { '1': 'x' } : {})).toThrow(WhereError);
  });
});

describe.each(backends)('shape server on %s', (backend) => {
  // Ten connections on both databases: on PGlite they go through the wire server (ADR 002), so the
  // concurrent-writer and live tests exercise its per-client grouping and transaction lock.
  const migrated = useMigratedDatabase(backend, { max: 10 });
  const t = { database: undefined as unknown as Database };
  let baseUrl = '';
  let server: http.Server;
  const requests: { query: Record<string, string | string[]>; status: number; body?: string }[] = [];
  const serverErrors: unknown[] = [];
  let companyA = '';
  let companyB = '';
  let registerId = '';
  let deviceA = '';
  let scope: ShapeScope;
  const CHUNK = 400;
  const ITEMS_A = 1000;

  beforeAll(async () => {
    t.database = migrated.database;
    const { pool } = t.database;
    [companyA, companyB] = (await pool.query(`INSERT INTO companies (code, name) VALUES ('A','Alpha'),('B','Beta') RETURNING id`)).rows.map(
      (r) => r.id as string,
    ) as [string, string];
    const store = (await pool.query(`INSERT INTO stores (name) VALUES ('Main') RETURNING id`)).rows[0].id;
    registerId = (await pool.query(`INSERT INTO registers (store_id, code, name) VALUES ($1,'R01','Till 1') RETURNING id`, [store])).rows[0].id;
    deviceA = (
      await pool.query(
        `INSERT INTO devices (register_id, company_id, code, status, pairing_code_hash, token_id) VALUES ($1,$2,'R01','active','secret-hash','tok-1') RETURNING id`,
        [registerId, companyA],
      )
    ).rows[0].id;
    await pool.query(`INSERT INTO devices (register_id, company_id, code) VALUES ($1,$2,'R01')`, [registerId, companyB]);
    await pool.query(
      `INSERT INTO items (company_id, code, name, unit_precision) SELECT $1, 'A' || lpad(g::text, 5, '0'), 'Item ' || g, g % 4 FROM generate_series(1, $2) g`,
      [companyA, ITEMS_A],
    );
    await pool.query(`INSERT INTO items (company_id, code, name) SELECT $1, 'B' || g, 'Other ' || g FROM generate_series(1, 300) g`, [companyB]);
    await pool.query(
      `INSERT INTO barcodes (company_id, item_id, code) SELECT company_id, id, 'bc-' || code FROM items WHERE code LIKE 'A0000%' OR code LIKE 'B1%'`,
    );
    scope = { companyIds: [companyA], registerId, deviceIds: [deviceA] };

    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      const query: Record<string, string | string[]> = {};
      for (const [k, v] of url.searchParams) {
        const prev = query[k];
        query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      const aborter = new AbortController();
      res.on('close', () => aborter.abort());
      handleShapeRequest(t.database, { method: req.method!, query, headers: req.headers }, scope, {
        longPollMs: 4_000,
        pollIntervalMs: 40,
        chunkRows: CHUNK,
        csvChunkRows: CHUNK,
        signal: aborter.signal,
      }).then(
        (r) => {
          requests.push({ query, status: r.status, body: r.status >= 400 ? r.body : undefined });
          res.writeHead(r.status, r.headers).end(r.body);
        },
        (e) => {
          serverErrors.push(e);
          res.writeHead(500).end(String(e));
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/shape`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    expect(serverErrors).toEqual([]);
  });

  const get = async (params: Record<string, string>) => {
    const res = await fetch(`${baseUrl}?${new URLSearchParams(params)}`);
    return { status: res.status, headers: res.headers, body: await res.json() };
  };
  const serverItems = async (company: string) =>
    (await t.database.pool.query(`SELECT id, name, disabled FROM items WHERE company_id = $1 ORDER BY id`, [company])).rows as {
      id: string;
      name: string;
      disabled: boolean;
    }[];
  const lastLsn = async () => Number((await t.database.pool.query(`SELECT last_lsn FROM change_counter`)).rows[0].last_lsn);

  it('serves a chunked snapshot, catch-up and long-poll with the headers the clients require', async () => {
    const first = await get({ table: 'items', offset: '-1', log: 'full' });
    expect(first.status).toBe(200);
    const handle = first.headers.get('electric-handle')!;
    expect(handle).toMatch(/^[0-9a-f]{16}-[0-9]+$/);
    expect(first.headers.get('electric-offset')).toMatch(/^0_[0-9]+$/);
    expect(first.headers.get('cache-control')).toContain('max-age=604800');
    expect(first.headers.get('access-control-expose-headers')).toContain('electric-schema');
    const schema = JSON.parse(first.headers.get('electric-schema')!);
    expect(schema.id).toEqual({ type: 'uuid', pk_index: 0, not_null: true });
    expect(schema.unit_precision).toEqual({ type: 'int4', not_null: true });
    expect(schema.disabled.type).toBe('bool');
    expect(schema.pairing_code_hash).toBeUndefined();
    expect(first.body).toHaveLength(CHUNK);
    const row = first.body[0];
    expect(row.headers).toEqual({ operation: 'insert', relation: ['public', 'items'] });
    expect(row.key).toBe(`"public"."items"/"${row.value.id}"`);
    expect(typeof row.value.unit_precision).toBe('string');
    expect(row.value.disabled).toBe('false');
    expect(row.value.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?\+00$/);

    let offset = first.headers.get('electric-offset')!;
    let total = first.body.length;
    let last: Awaited<ReturnType<typeof get>> = first;
    while (offset !== '0_inf') {
      last = await get({ table: 'items', offset, handle, log: 'full' });
      expect(last.status).toBe(200);
      expect(last.headers.get('electric-handle')).toBe(handle);
      expect(last.headers.get('electric-schema')).toBeTruthy();
      const next = last.headers.get('electric-offset')!;
      expect(next).not.toBe(offset);
      offset = next;
      total += last.body.filter((m: { key?: string }) => m.key).length;
    }
    expect(total).toBe(ITEMS_A);
    expect(last.body.at(-1).headers.control).toBe('snapshot-end');
    expect(last.headers.get('electric-up-to-date')).toBeNull();

    const catchUp = await get({ table: 'items', offset, handle, log: 'full' });
    expect(catchUp.body).toEqual([{ headers: { control: 'up-to-date', global_last_seen_lsn: String(await lastLsn()) } }]);
    expect(catchUp.headers.get('electric-up-to-date')).toBe('');
    expect(catchUp.headers.get('electric-schema')).toBeTruthy();
    offset = catchUp.headers.get('electric-offset')!;

    // A live request with nothing to say times out with up-to-date and a cursor.
    const t0 = Date.now();
    const idle = await get({ table: 'items', offset, handle, live: 'true', cursor: '', log: 'full' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(2_950); // 4 s less its jitter (at most 25%)
    expect(idle.headers.get('electric-cursor')).toMatch(/^[0-9]+$/);
    expect(idle.headers.get('electric-schema')).toBeNull();
    expect(idle.body[0].headers.control).toBe('up-to-date');

    // A live request answers as soon as a matching change commits; other companies' changes don't wake it.
    const pending = get({ table: 'items', offset, handle, live: 'true', cursor: idle.headers.get('electric-cursor')!, log: 'full' });
    await new Promise((r) => setTimeout(r, 300));
    await t.database.pool.query(`UPDATE items SET name = name || '!' WHERE company_id = $1 AND code = 'B1'`, [companyB]);
    const c = await t.database.pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`UPDATE items SET name = 'renamed' WHERE company_id = $1 AND code = 'A00001'`, [companyA]);
      await c.query(`UPDATE items SET disabled = true WHERE company_id = $1 AND code = 'A00002'`, [companyA]);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const change = await pending;
    const lsn = await lastLsn();
    expect(change.body).toHaveLength(3);
    expect(change.body[0].headers).toMatchObject({ operation: 'update', lsn: String(lsn), op_position: 0 });
    expect(change.body[0].headers.last).toBeUndefined();
    expect(change.body[1].headers).toMatchObject({ operation: 'update', lsn: String(lsn), op_position: 1, last: true });
    expect(change.body[1].value.disabled).toBe('true');
    expect(change.body[1].headers.txids).toHaveLength(1);
    expect(change.body[2]).toEqual({ headers: { control: 'up-to-date', global_last_seen_lsn: String(lsn) } });
    expect(change.headers.get('electric-offset')).toBe(`${lsn}_inf`);

    // offset=now skips history.
    const now = await get({ table: 'items', offset: 'now', log: 'full' });
    expect(now.body).toEqual([{ headers: { control: 'up-to-date', global_last_seen_lsn: String(lsn) } }]);
    expect(now.headers.get('electric-schema')).toBeTruthy();
  }, 60_000);

  it('spreads live requests that find nothing over the last quarter of the long-poll, never beyond it', async () => {
    const now = await get({ table: 'barcodes', offset: 'now', log: 'full' });
    const handle = now.headers.get('electric-handle')!;
    const live = async (random: number) => {
      const t0 = performance.now();
      const query = { table: 'barcodes', offset: now.headers.get('electric-offset')!, handle, live: 'true', cursor: '', log: 'full' };
      const r = await handleShapeRequest(t.database, { method: 'GET', query }, scope, { longPollMs: 2_000, pollIntervalMs: 40, random: () => random });
      return { ms: performance.now() - t0, status: r.status };
    };
    const [early, late] = await Promise.all([live(0.999), live(0)]);
    expect([early.status, late.status]).toEqual([200, 200]);
    expect(early.ms).toBeGreaterThanOrEqual(1_490);
    expect(early.ms).toBeLessThan(1_950);
    expect(late.ms).toBeGreaterThanOrEqual(1_990);
  });

  it('answers bad requests with 400 in Electric format and unknown handles with 409', async () => {
    const bad = async (params: Record<string, string>, field: string) => {
      const r = await get({ log: 'full', ...params });
      expect(r.status, JSON.stringify(params)).toBe(400);
      expect(r.body.message).toBe('Invalid request');
      expect(Object.keys(r.body.errors)).toEqual([field]);
      expect(r.body.errors[field][0]).toEqual(expect.any(String));
    };
    await bad({ table: 'items', offset: '-1', live: 'true' }, 'live');
    await bad({ table: 'items', offset: '5_0' }, 'handle');
    await bad({ table: 'items', offset: 'x' }, 'offset');
    await bad({ table: 'items' }, 'offset');
    await bad({ table: 'nonexistent', offset: '-1' }, 'table');
    await bad({ table: 'admins', offset: '-1' }, 'table');
    await bad({ table: 'register_events', offset: '-1' }, 'table');
    await bad({ table: 'other.items', offset: '-1' }, 'table');
    await bad({ table: 'devices', offset: '-1', columns: 'id,token_id' }, 'columns');
    await bad({ table: 'items', offset: '-1', columns: 'name,code' }, 'columns');
    await bad({ table: 'items', offset: '-1', replica: 'weird' }, 'replica');
    for (const where of [
      `1=1; drop table items`,
      `name = 'a') or (true`,
      `name = 'a' or 1=1`,
      `name = 'x' -- `,
      `name = 'x' /* */`,
      `id IN (SELECT id FROM items)`,
      `pin_hash = 'x'`,
      `"name"" = 'x' or ""name" = 'x'`,
      `company_id = $1`,
    ]) {
      await bad({ table: 'items', offset: '-1', where }, 'where');
    }
    await bad({ table: 'items', offset: '-1', where: 'id = $1', 'params[1]': 'not-a-uuid' }, 'where');
    expect((await t.database.pool.query(`SELECT count(*)::int AS n FROM items`)).rows[0].n).toBeGreaterThan(0);

    const devices = await get({ table: 'devices', offset: '-1', log: 'full' });
    expect(devices.status).toBe(200);
    expect(devices.body.filter((m: { key?: string }) => m.key)).toHaveLength(1);
    expect(JSON.stringify(devices.body)).not.toMatch(/secret-hash|tok-1|pairing_code_hash|token_id/);

    const res = await fetch(`${baseUrl}?table=items&offset=5_0&handle=0000000000000000-1&log=full`);
    expect(res.status).toBe(409);
    expect(await res.text()).toBe('[{"headers":{"control":"must-refetch"}}]');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('electric-handle')).toMatch(/^[0-9a-f]{16}-[0-9]+$/);
    // Cashiers only with a membership in the scope's companies; pin hashes travel (offline PIN check).
    const cashiers = (await t.database.pool.query(`INSERT INTO cashiers (name, pin_hash) VALUES ('Ann','h-ann'),('Bob','h-bob') RETURNING id`)).rows.map(
      (r) => r.id as string,
    );
    await t.database.pool.query(`INSERT INTO cashier_companies (cashier_id, company_id) VALUES ($1,$2),($3,$4)`, [
      cashiers[0],
      companyA,
      cashiers[1],
      companyB,
    ]);
    const cashierRows = (await get({ table: 'cashiers', offset: '-1', log: 'full' })).body.filter((m: { key?: string }) => m.key);
    expect(cashierRows.map((m: { value: { name: string; pin_hash: string } }) => [m.value.name, m.value.pin_hash])).toEqual([['Ann', 'h-ann']]);

    // replica=full: updates carry old_value with the changed columns.
    const now = await get({ table: 'items', offset: 'now', replica: 'full', log: 'full' });
    await t.database.pool.query(`UPDATE items SET name = 'full replica' WHERE company_id = $1 AND code = 'A00003'`, [companyA]);
    const full = await get({
      table: 'items',
      offset: now.headers.get('electric-offset')!,
      handle: now.headers.get('electric-handle')!,
      replica: 'full',
      log: 'full',
    });
    expect(full.body[0].headers.operation).toBe('update');
    expect(full.body[0].value.name).toBe('full replica');
    expect(full.body[0].old_value).toEqual({ name: 'Item 3' });

    // Ignored: cache-buster, expired_handle, handle at offset=-1.
    const fresh = await get({ table: 'items', offset: '-1', handle: 'zzz', 'cache-buster': '1', expired_handle: 'h1-1', log: 'full' });
    expect(fresh.status).toBe(200);
  });

  it('syncs with ShapeStream/Shape: where + params, columns, live insert/update/delete, scoping', async () => {
    const aborter = new AbortController();
    const stream = new ShapeStream<Record<string, unknown>>({
      url: baseUrl,
      params: {
        table: 'items',
        where: 'disabled = $1 AND unit_precision IN (0, 1, 2, 3)',
        params: { '1': 'false' },
        columns: ['id', 'company_id', 'name', 'disabled', 'unit_precision'],
      },
      signal: aborter.signal,
    });
    const shape = new Shape(stream);
    try {
      const rows = await shape.rows;
      const expected = (await serverItems(companyA)).filter((r) => !r.disabled);
      expect(rows).toHaveLength(expected.length);
      expect(rows.every((r) => r.company_id === companyA && r.disabled === false && typeof r.unit_precision === 'number')).toBe(true);
      expect(Object.keys(rows[0]!).sort()).toEqual(['company_id', 'disabled', 'id', 'name', 'unit_precision']);

      const inserted = (await t.database.pool.query(`INSERT INTO items (company_id, code, name) VALUES ($1,'LIVE1','Live one') RETURNING id`, [companyA]))
        .rows[0].id;
      await t.database.pool.query(`INSERT INTO items (company_id, code, name) VALUES ($1,'LIVEB','Not mine')`, [companyB]);
      await waitUntil(() => shape.currentValue.has(`"public"."items"/"${inserted}"`), 'live insert');
      await t.database.pool.query(`UPDATE items SET name = 'Live two' WHERE id = $1`, [inserted]);
      await waitUntil(() => shape.currentValue.get(`"public"."items"/"${inserted}"`)?.name === 'Live two', 'live update');
      // Moving out of the where (disabled) removes the row; moving back inserts it again.
      await t.database.pool.query(`UPDATE items SET disabled = true WHERE id = $1`, [inserted]);
      await waitUntil(() => !shape.currentValue.has(`"public"."items"/"${inserted}"`), 'move out');
      await t.database.pool.query(`UPDATE items SET disabled = false WHERE id = $1`, [inserted]);
      await waitUntil(() => shape.currentValue.has(`"public"."items"/"${inserted}"`), 'move in');
      await t.database.pool.query(`DELETE FROM items WHERE id = $1`, [inserted]);
      await waitUntil(() => !shape.currentValue.has(`"public"."items"/"${inserted}"`), 'live delete');
      expect(shape.currentRows.some((r) => r.company_id !== companyA)).toBe(false);
      const quoted = requests.find((r) => typeof r.query.columns === 'string' && r.query.columns.includes('"'));
      expect(quoted).toBeTruthy();
    } finally {
      aborter.abort();
    }
  }, 60_000);

  it('answers snapshot chunks as CSV when asked (the bulk loader): the same rows, offsets and handle as the JSON chunks', async () => {
    const { pool } = t.database;
    // Text that needs CSV quoting, an empty string, a NULL, non-ASCII text.
    const odd = (
      await pool.query(
        `INSERT INTO items (company_id, code, name, item_group, tax_rate_id) VALUES ($1, 'ODD1', $2, '', NULL), ($1, 'ODD2', 'Crème brûlée, 1 €', '"', NULL) RETURNING id`,
        [companyA, 'say "hi",\nthen leave'],
      )
    ).rows.map((r) => r.id as string);
    let pg: PGlite | undefined;
    try {
      const walk = async (accept: string | undefined) => {
        const chunks: { offset: string; handle: string; type: string; text: string; schema: string }[] = [];
        let offset = '-1';
        let handle = '';
        while (offset !== '0_inf') {
          const params = new URLSearchParams({ table: 'items', offset, ...(handle ? { handle } : {}) });
          const res = await fetch(`${baseUrl}?${params}`, { headers: accept ? { accept } : {} });
          expect(res.status).toBe(200);
          handle = res.headers.get('electric-handle')!;
          offset = res.headers.get('electric-offset')!;
          chunks.push({ offset, handle, type: res.headers.get('content-type')!, text: await res.text(), schema: res.headers.get('electric-schema')! });
        }
        return chunks;
      };
      const json = await walk(undefined);
      const csv = await walk('text/csv, application/json;q=0.5');
      // Electric's clients send no such accept (or */*): JSON as before.
      expect(json.every((c) => c.type === 'application/json')).toBe(true);
      expect((await walk('*/*')).map((c) => c.type)).toEqual(json.map((c) => c.type));
      expect(csv.every((c) => c.type.startsWith('text/csv'))).toBe(true);
      expect(csv.map((c) => [c.offset, c.handle])).toEqual(json.map((c) => [c.offset, c.handle]));

      const columns = Object.keys(JSON.parse(csv[0]!.schema));
      pg = await PGlite.create();
      await pg.exec(`CREATE TABLE items (${columns.map((c) => `${c} text`).join(', ')})`);
      for (const c of csv) {
        expect(c.text.split('\n')[0]).toBe(columns.join(','));
        await pg.query(`COPY items (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv, HEADER match)`, [], { blob: new Blob([c.text]) });
      }
      const fromJson = json
        .flatMap((c) => JSON.parse(c.text) as { key?: string; value?: Record<string, string | null> }[])
        .filter((m) => m.key)
        .map((m) => m.value!);
      const fromCsv = (await pg.query<Record<string, string | null>>(`SELECT * FROM items`)).rows;
      const byId = (rows: Record<string, string | null>[]) => new Map(rows.map((r) => [r.id, r]));
      expect(fromCsv).toHaveLength(ITEMS_A + 2);
      expect(byId(fromCsv)).toEqual(byId(fromJson));
      expect(byId(fromCsv).get(odd[0])).toMatchObject({ name: 'say "hi",\nthen leave', item_group: '', tax_rate_id: null });
      expect(byId(fromCsv).get(odd[1])).toMatchObject({ name: 'Crème brûlée, 1 €', item_group: '"' });
    } finally {
      await pg?.close();
      await pool.query(`DELETE FROM items WHERE id = ANY($1::uuid[])`, [odd]);
    }
  }, 60_000);

  it('keeps a chunked snapshot consistent while writers change rows between chunks', async () => {
    const { pool } = t.database;
    let chunks = 0;
    const touched: string[] = [];
    const fetchClient: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const offset = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('offset');
      if (offset === '-1' || /^0_[0-9]{10,}$/.test(offset ?? '')) {
        chunks++;
        if (chunks === 1) {
          // After the first chunk: insert rows on both sides of the cursor, update and delete later rows.
          const ids = (await pool.query(`SELECT id FROM items WHERE company_id = $1 ORDER BY id`, [companyA])).rows.map((r) => r.id);
          const late = ids.slice(-5);
          await pool.query(`UPDATE items SET name = 'mid-snapshot' WHERE id = ANY($1::uuid[])`, [late.slice(0, 2)]);
          await pool.query(`DELETE FROM barcodes WHERE item_id = ANY($1::uuid[])`, [late.slice(2, 4)]);
          await pool.query(`DELETE FROM items WHERE id = ANY($1::uuid[])`, [late.slice(2, 4)]);
          const ins = await pool.query(
            `INSERT INTO items (id, company_id, code, name) VALUES ('00000000-0000-4000-8000-000000000001', $1, 'EARLY', 'early'), ('ffffffff-ffff-4fff-8fff-ffffffffffff', $1, 'LATE', 'late') RETURNING id`,
            [companyA],
          );
          touched.push(...ins.rows.map((r) => r.id));
          await pool.query(`UPDATE items SET name = 'late 2' WHERE code = 'LATE'`);
        }
      }
      return res;
    };
    const aborter = new AbortController();
    const stream = new ShapeStream<Record<string, unknown>>({ url: baseUrl, params: { table: 'items' }, signal: aborter.signal, fetchClient });
    // pglite-sync applies inserts with plain INSERT: a key must never be inserted twice.
    const present = new Set<string>();
    const duplicates: string[] = [];
    stream.subscribe((messages) => {
      for (const m of messages) {
        if (!('key' in m)) continue;
        const op = (m.headers as { operation: string }).operation;
        if (op === 'insert') {
          if (present.has(m.key)) duplicates.push(m.key);
          present.add(m.key);
        } else if (op === 'delete') present.delete(m.key);
      }
    });
    const shape = new Shape(stream);
    try {
      await shape.rows;
      expect(duplicates).toEqual([]);
      expect(chunks).toBeGreaterThan(1);
      const expected = await serverItems(companyA);
      await waitUntil(() => shape.currentRows.length === expected.length, 'all rows');
      const got = new Map(shape.currentRows.map((r) => [r.id as string, r.name]));
      expect(got).toEqual(new Map(expected.map((r) => [r.id, r.name])));
    } finally {
      aborter.abort();
    }
  }, 60_000);

  it('syncs two shapes atomically into PGlite, resumes without re-download, and resyncs after compaction', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'till-sync-'));
    const open = async () => {
      const pg = await PGlite.create(dir, { extensions: { electric: electricSync() } });
      await pg.exec(`
        CREATE TABLE IF NOT EXISTS items (id uuid PRIMARY KEY, company_id uuid NOT NULL, code text NOT NULL, name text NOT NULL,
          disabled boolean NOT NULL, unit_precision int NOT NULL, updated_at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS barcodes (id uuid PRIMARY KEY, company_id uuid NOT NULL, item_id uuid NOT NULL, code text NOT NULL, barcode_type text NOT NULL);`);
      const sub = await pg.electric.syncShapesToTables({
        key: 'catalog',
        shapes: {
          items: {
            shape: { url: baseUrl, params: { table: 'items', columns: ['id', 'company_id', 'code', 'name', 'disabled', 'unit_precision', 'updated_at'] } },
            table: 'items',
            primaryKey: ['id'],
          },
          barcodes: { shape: { url: baseUrl, params: { table: 'barcodes' } }, table: 'barcodes', primaryKey: ['id'] },
        },
      });
      return { pg, sub };
    };
    const local = async (pg: PGlite) => ({
      items: (await pg.query<{ id: string; name: string; disabled: boolean }>(`SELECT id, name, disabled FROM items ORDER BY id`)).rows,
      barcodes: (await pg.query<{ id: string; code: string }>(`SELECT id, code FROM barcodes ORDER BY id`)).rows,
    });
    const remote = async () => ({
      items: await serverItems(companyA),
      barcodes: (await t.database.pool.query(`SELECT id, code FROM barcodes WHERE company_id = $1 ORDER BY id`, [companyA])).rows,
    });
    const inSync = async (pg: PGlite) => JSON.stringify(await local(pg)) === JSON.stringify(await remote());
    const initialRequests = () => requests.filter((r) => r.query.offset === '-1').length;

    let { pg, sub } = await open();
    try {
      await waitUntil(() => inSync(pg), 'initial sync', 30_000);
      const typed = (await pg.query<{ unit_precision: number; disabled: boolean }>(`SELECT unit_precision, disabled FROM items LIMIT 1`)).rows[0]!;
      expect(typeof typed.unit_precision).toBe('number');

      // One transaction touching both tables reaches PGlite as one commit.
      const c = await t.database.pool.connect();
      try {
        await c.query('BEGIN');
        const id = (await c.query(`INSERT INTO items (company_id, code, name) VALUES ($1,'PAIR','Pair') RETURNING id`, [companyA])).rows[0].id;
        await c.query(`INSERT INTO barcodes (company_id, item_id, code) VALUES ($1,$2,'pair-bc')`, [companyA, id]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
      await waitUntil(async () => (await pg.query(`SELECT 1 FROM barcodes WHERE code = 'pair-bc'`)).rows.length === 1, 'pair');
      expect((await pg.query(`SELECT 1 FROM items WHERE code = 'PAIR'`)).rows).toHaveLength(1);

      // Restart: changes made while the client was away arrive without a new snapshot.
      sub.unsubscribe();
      await pg.close();
      await t.database.pool.query(`UPDATE items SET name = 'while offline' WHERE company_id = $1 AND code = 'A00010'`, [companyA]);
      await t.database.pool.query(`INSERT INTO barcodes (company_id, item_id, code) SELECT company_id, id, 'offline-bc' FROM items WHERE code = 'A00010'`);
      const before = initialRequests();
      ({ pg, sub } = await open());
      await waitUntil(() => inSync(pg), 'resume', 30_000);
      expect(initialRequests()).toBe(before);

      // Compaction past the client's offset: 409, then a clean resync (deleted rows disappear locally).
      sub.unsubscribe();
      await pg.close();
      const gone = (await t.database.pool.query(`SELECT id FROM items WHERE code = 'PAIR'`)).rows[0].id;
      await t.database.pool.query(`DELETE FROM barcodes WHERE item_id = $1`, [gone]);
      await t.database.pool.query(`DELETE FROM items WHERE id = $1`, [gone]);
      await t.database.pool.query(`UPDATE items SET name = 'after compaction' WHERE company_id = $1 AND code = 'A00011'`, [companyA]);
      const { compactedThrough } = await compactChangeLog(t.database, { keepLsnAfter: await lastLsn() });
      expect(compactedThrough).toBe(await lastLsn());
      const conflicts = requests.filter((r) => r.status === 409).length;
      ({ pg, sub } = await open());
      await waitUntil(() => inSync(pg), 'resync after 409', 30_000);
      expect(requests.filter((r) => r.status === 409).length).toBeGreaterThan(conflicts);
      expect((await pg.query(`SELECT 1 FROM items WHERE id = $1`, [gone])).rows).toHaveLength(0);
    } finally {
      sub.unsubscribe();
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('loses no change under concurrent writers', async () => {
    const aborter = new AbortController();
    const shape = new Shape(
      new ShapeStream<Record<string, unknown>>({ url: baseUrl, params: { table: 'items', columns: ['id', 'name'] }, signal: aborter.signal }),
    );
    try {
      await shape.rows;
      const { pool } = t.database;
      const writer = async (w: number) => {
        for (let i = 0; i < 15; i++) {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            const op = (w + i) % 3;
            if (op === 0) {
              await c.query(`INSERT INTO items (company_id, code, name) VALUES ($1, $2, $3)`, [companyA, `W${w}-${i}`, `w${w} ${i}`]);
              await c.query(`INSERT INTO items (company_id, code, name) VALUES ($1, $2, $3)`, [companyB, `W${w}-${i}`, `b${w} ${i}`]);
            } else if (op === 1) {
              await c.query(`UPDATE items SET name = $2 WHERE id = (SELECT id FROM items WHERE company_id = $1 ORDER BY random() LIMIT 1)`, [
                companyA,
                `upd ${w} ${i}`,
              ]);
            } else {
              await c.query(
                `DELETE FROM items WHERE id = (SELECT i.id FROM items i WHERE i.company_id = $1 AND NOT EXISTS (SELECT 1 FROM barcodes b WHERE b.item_id = i.id) ORDER BY random() LIMIT 1)`,
                [companyA],
              );
            }
            await new Promise((r) => setTimeout(r, Math.random() * 10));
            await c.query('COMMIT');
          } catch (e) {
            await c.query('ROLLBACK');
            throw e;
          } finally {
            c.release();
          }
        }
      };
      await Promise.all([0, 1, 2, 3, 4].map(writer));
      const expected = new Map((await serverItems(companyA)).map((r) => [r.id, r.name]));
      await waitUntil(
        () => shape.currentRows.length === expected.size && shape.currentRows.every((r) => expected.get(r.id as string) === r.name),
        'converge',
        30_000,
      );
    } finally {
      aborter.abort();
    }
  }, 90_000);
});
