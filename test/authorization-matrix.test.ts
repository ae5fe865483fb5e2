// Who may call what. Every HTTP route in serverless.yml and every Remix route module in app/routes
// must have an entry here, so a new route without a decision about its caller fails this test.
// Functions are invoked directly with API Gateway v2 events; Remix loaders and actions are called
// with Requests, on both databases.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiNotFound } from '../functions/lib/api-not-found';
import { SESSION_COOKIE, sessionFromCookie, signIn } from '../services/admin-auth';
import { seedDemo } from '../seeds/demo';
import { backends, useMigratedDatabase } from './databases';
import { apiEvent, createPrincipals, downDatabaseUrl, type Principals } from './fixtures/principals';

const root = path.join(__dirname, '..');
const SOME_UUID = '00000000-0000-4000-8000-000000000000';

// ---------------------------------------------------------------------------------------------- functions

const WHO = ['anonymous', 'device O', 'device U', 'device O+U', 'revoked device', 'expired token', 'manager', 'admin'] as const;
type Who = (typeof WHO)[number];
type Expect = Record<Who, number>;

/** The same answer for everyone (the route does not look at the caller). */
const all = (status: number): Expect => Object.fromEntries(WHO.map((w) => [w, status])) as Expect;
/** Device token or admin session; `cross` is what a device outside the company gets. */
const deviceOrAdmin = (ok: number, cross = ok): Expect => ({
  anonymous: 401,
  'device O': ok,
  'device U': cross,
  'device O+U': ok,
  'revoked device': 401,
  'expired token': 401,
  manager: ok,
  admin: ok,
});
const deviceOnly = (ok: number): Expect => ({ ...deviceOrAdmin(ok), manager: 401, admin: 401 });

interface Ctx {
  p: Principals;
  barcodeO: string;
}

interface FunctionRoute {
  /** `functions/<file>.<export>` as in serverless.yml. */
  handler: string;
  /** What the route answers each caller, given the request below. */
  expect: Expect;
  request: (ctx: Ctx) => { path: string; pathParameters?: Record<string, string>; query?: Record<string, string>; body?: unknown };
  note: string;
}

const FUNCTIONS: Record<string, FunctionRoute> = {
  'GET /health': {
    handler: 'functions/health.handler',
    expect: all(200),
    request: () => ({ path: '/health' }),
    note: 'open; verdict and yes/no per part only',
  },
  'GET /metrics': {
    handler: 'functions/metrics.handler',
    // Every caller here comes from a LAN address without the scrape token; see the metrics test below.
    expect: all(401),
    request: () => ({ path: '/metrics' }),
    note: 'loopback or METRICS_TOKEN only',
  },
  'GET /api/companies': {
    handler: 'functions/companies.handler',
    expect: deviceOrAdmin(200),
    request: () => ({ path: '/api/companies' }),
    note: 'a device sees its own companies, an admin all',
  },
  'GET /api/companies/{companyId}/items': {
    handler: 'functions/items.list',
    expect: deviceOrAdmin(200, 403),
    request: ({ p }) => ({ path: `/api/companies/${p.companies.O}/items`, pathParameters: { companyId: p.companies.O } }),
    note: "company O's items: 403 for a register without a device in O",
  },
  'GET /api/companies/{companyId}/barcodes/{code}': {
    handler: 'functions/items.byBarcode',
    expect: deviceOrAdmin(200, 403),
    request: ({ p, barcodeO }) => ({
      path: `/api/companies/${p.companies.O}/barcodes/${barcodeO}`,
      pathParameters: { companyId: p.companies.O, code: barcodeO },
    }),
    note: 'as items',
  },
  'GET /api/customers': {
    handler: 'functions/customers.handler',
    expect: deviceOrAdmin(200),
    request: () => ({ path: '/api/customers', query: { q: 'a' } }),
    note: 'customers are shared by both companies',
  },
  'GET /v1/shape': {
    handler: 'functions/shape.handler',
    expect: deviceOnly(200),
    request: () => ({ path: '/v1/shape', query: { table: 'companies', offset: '-1' } }),
    note: "scoped to the register's companies and devices",
  },
  'POST /sync/push': {
    handler: 'functions/push.handler',
    expect: deviceOnly(200),
    request: () => ({ path: '/sync/push', body: { events: [{ not: 'an event' }] } }),
    note: '200 with per-event results',
  },
  'GET /api/sales/by-receipt/{receiptNumber}': {
    handler: 'functions/returns.lookup',
    expect: deviceOrAdmin(404),
    request: () => ({ path: '/api/sales/by-receipt/O-R01-000999', pathParameters: { receiptNumber: 'O-R01-000999' } }),
    note: 'no such sale: 404 once the caller is let in',
  },
  'POST /api/returns': {
    handler: 'functions/returns.create',
    expect: deviceOnly(404),
    request: () => ({
      path: '/api/returns',
      body: { returnId: SOME_UUID, receiptNumber: 'O-R01-000999', lines: [{ saleLineId: SOME_UUID, quantityMilli: 1000 }], reason: 'test', tender: 'cash' },
    }),
    note: 'no such sale: 404 once the caller is let in',
  },
  'POST /api/print': {
    handler: 'functions/print.handler',
    expect: deviceOnly(409),
    request: () => ({ path: '/api/print', body: { test: true } }),
    note: 'no printer configured: 409 once the caller is let in',
  },
  'POST /sync/pair': {
    handler: 'functions/pair.handler',
    expect: all(401),
    request: () => ({ path: '/sync/pair', body: { pairingCode: 'AAAAA-BBBBB', appVersion: 'test' } }),
    note: 'anonymous: the code is the credential (wrong here), limited per address',
  },
  'POST /sync/renew': {
    handler: 'functions/renew.handler',
    expect: { ...deviceOnly(200), 'expired token': 200 },
    request: () => ({ path: '/sync/renew' }),
    note: 'the only route that takes an expired token (within the grace period)',
  },
};

/** Routes the Remix catch-all serves; API-looking paths answer a JSON 404 there. */
const CATCH_ALL = new Set(['ANY /', 'ANY /{proxy+}']);

function httpRoutes(): { key: string; fn: string; handler: string }[] {
  const doc = parse(readFileSync(path.join(root, 'serverless.yml'), 'utf8')) as {
    functions: Record<string, { handler: string; events?: ({ httpApi?: string | { method: string; path: string } } & Record<string, unknown>)[] }>;
  };
  const out = [];
  for (const [fn, def] of Object.entries(doc.functions)) {
    for (const e of def.events ?? []) {
      if (!e.httpApi) continue;
      const key = typeof e.httpApi === 'string' ? e.httpApi : `${e.httpApi.method.toUpperCase()} ${e.httpApi.path}`;
      out.push({ key, fn, handler: def.handler });
    }
  }
  return out;
}

async function loadHandler(spec: string): Promise<(e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>> {
  const [file, name] = spec.split('.') as [string, string];
  const mod = (await import(path.join(root, `${file}.ts`))) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`${spec} is not a function`);
  return fn as never;
}

describe('every route has an entry', () => {
  it('covers every HTTP route of serverless.yml and only those', () => {
    const routes = httpRoutes();
    const keys = routes.map((r) => r.key).filter((k) => !CATCH_ALL.has(k));
    expect(keys.sort()).toEqual(Object.keys(FUNCTIONS).sort());
    for (const r of routes)
      if (!CATCH_ALL.has(r.key)) expect({ route: r.key, handler: r.handler }).toEqual({ route: r.key, handler: FUNCTIONS[r.key]!.handler });
    expect(routes.filter((r) => CATCH_ALL.has(r.key)).map((r) => r.handler)).toEqual(['functions/remix.handler', 'functions/remix.handler']);
  });

  it('covers every Remix route module', () => {
    const files = readdirSync(path.join(root, 'app/routes')).filter((f) => /\.tsx?$/.test(f));
    expect(files.sort()).toEqual(Object.keys(REMIX).sort());
  });
});

describe.each(backends)('authorization matrix on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const ctx = {} as Ctx;

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    await seedDemo(t.database, { itemsPerCompany: 3, sharedBarcodes: 1, customers: 3 });
    ctx.p = await createPrincipals(t.database);
    ctx.barcodeO = (
      await t.database.pool.query(
        `SELECT b.code FROM barcodes b JOIN items i ON i.id = b.item_id JOIN companies c ON c.id = i.company_id WHERE c.code = 'O' LIMIT 1`,
      )
    ).rows[0].code;
  });
  afterEach(() => {
    delete process.env.METRICS_TOKEN;
    process.env.DATABASE_URL = t.url;
  });

  const credentials = (who: Who): { token?: string; cookie?: string } => {
    const { p } = ctx;
    switch (who) {
      case 'anonymous':
        return {};
      case 'device O':
        return { token: p.official };
      case 'device U':
        return { token: p.unofficial };
      case 'device O+U':
        return { token: p.both };
      case 'revoked device':
        return { token: p.revoked };
      case 'expired token':
        return { token: p.expired };
      case 'manager':
        return { cookie: p.managerCookie };
      case 'admin':
        return { cookie: p.adminCookie };
    }
  };

  const method = (key: string) => key.split(' ')[0]!;

  it.each(Object.entries(FUNCTIONS))('%s answers each caller as the matrix says, without CORS grants', async (key, route) => {
    const handler = await loadHandler(route.handler);
    const req = route.request(ctx);
    const got: Record<string, number> = {};
    for (const [i, who] of WHO.entries()) {
      const r = await handler(
        apiEvent(method(key), req.path, {
          ...credentials(who),
          ...(req.query ? { query: req.query } : {}),
          ...(req.pathParameters ? { pathParameters: req.pathParameters } : {}),
          ...(req.body !== undefined ? { body: req.body } : {}),
          // A foreign page calling with the caller's credentials.
          headers: { origin: 'https://evil.example' },
          sourceIp: `192.0.2.${20 + i}`,
        }),
      );
      got[who] = r.statusCode!;
      const headers = Object.keys(r.headers ?? {}).map((h) => h.toLowerCase());
      expect({ key, who, cors: headers.filter((h) => h.startsWith('access-control-')) }).toEqual({ key, who, cors: [] });
      expect(r.headers?.['x-content-type-options']).toBe('nosniff');
      // Where a valid token gets in, an expired one is told so (the register renews instead of giving up).
      if (r.statusCode === 401 && who === 'expired token' && route.expect['device O+U'] !== 401) {
        expect(JSON.parse(r.body as string).error).toBe('token_expired');
      }
    }
    expect(got).toEqual(route.expect);
  });

  it('scopes what a device reads to its companies', async () => {
    const { handler } = await import('../functions/companies');
    const codes = async (token: string) =>
      (JSON.parse((await handler(apiEvent('GET', '/api/companies', { token }))).body as string).companies as { code: string }[]).map((c) => c.code);
    expect(await codes(ctx.p.official)).toEqual(['O']);
    expect(await codes(ctx.p.unofficial)).toEqual(['U']);
    expect((await codes(ctx.p.both)).sort()).toEqual(['O', 'U']);
  });

  it('serves metrics to loopback and to the scrape token only', async () => {
    const { handler } = await import('../functions/metrics');
    expect((await handler(apiEvent('GET', '/metrics', { sourceIp: '127.0.0.1' }))).statusCode).toBe(200);
    expect((await handler(apiEvent('GET', '/metrics', { sourceIp: '::1' }))).statusCode).toBe(200);
    // The front door's x-forwarded-for names the real client even when it connects from loopback.
    expect((await handler(apiEvent('GET', '/metrics', { sourceIp: '127.0.0.1', headers: { 'x-forwarded-for': '192.0.2.9' } }))).statusCode).toBe(401);
    // In the cloud nothing is "this machine", whatever a client writes into x-forwarded-for.
    process.env.TILL_FORWARDER = 'platform';
    try {
      expect((await handler(apiEvent('GET', '/metrics', { sourceIp: '127.0.0.1' }))).statusCode).toBe(401);
      expect(
        (await handler(apiEvent('GET', '/metrics', { sourceIp: '198.51.100.7', headers: { 'x-forwarded-for': '127.0.0.1, 198.51.100.7' } }))).statusCode,
      ).toBe(401);
    } finally {
      delete process.env.TILL_FORWARDER;
    }
    process.env.METRICS_TOKEN = 'scrape-secret-123';
    expect((await handler(apiEvent('GET', '/metrics', { token: 'scrape-secret-123' }))).statusCode).toBe(200);
    expect((await handler(apiEvent('GET', '/metrics', { token: 'scrape-secret-124' }))).statusCode).toBe(401);
  });

  it('keeps health free of details', async () => {
    const { handler } = await import('../functions/health');
    const res = await handler(apiEvent('GET', '/health'));
    const body = JSON.parse(res.body as string);
    expect(Object.keys(body).sort()).toEqual(['database', 'migrations', 'status', 'uptimeSeconds', 'version', 'worker']);
    // The app version (registers follow a newer edge, ADR 003), in the body and on every answer.
    expect(body.version).toBe(process.env.TILL_APP_VERSION || 'dev');
    expect(res.headers?.['x-till-edge-version']).toBe(body.version);
    expect(body.migrations).toEqual({ current: true });
    expect(JSON.stringify(body)).not.toMatch(/postgres:|127\.0\.0\.1|\.sql/);
  });

  it('limits wrong pairing codes per client address', async () => {
    const { handler } = await import('../functions/pair');
    const attempt = (ip: string) => handler(apiEvent('POST', '/sync/pair', { body: { pairingCode: 'CCCCC-DDDDD', appVersion: 't' }, sourceIp: ip }));
    for (let i = 0; i < 10; i++) expect((await attempt('198.51.100.7')).statusCode).toBe(401);
    const limited = await attempt('198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('900');
    expect((await attempt('198.51.100.8')).statusCode).toBe(401);
  });

  it('refuses NUL and invalid UTF-8 in query values with the field named, never 500', async () => {
    const customers = (await import('../functions/customers')).handler;
    const items = (await import('../functions/items')).list;
    for (const q of ['a\u0000b', 'a\uFFFDb', 'a\uD800']) {
      const r = await customers(apiEvent('GET', '/api/customers', { token: ctx.p.both, query: { q } }));
      expect(r.statusCode).toBe(400);
      expect(JSON.parse(r.body as string)).toMatchObject({ error: 'invalid_text', issues: [{ path: 'query.q' }] });
      const i = await items(
        apiEvent('GET', `/api/companies/${ctx.p.companies.O}/items`, { token: ctx.p.both, query: { q }, pathParameters: { companyId: ctx.p.companies.O } }),
      );
      expect(i.statusCode).toBe(400);
    }
  });

  it('answers unknown API paths with a JSON 404 in the catch-all, and leaves pages to Remix', () => {
    for (const p of ['/api/nope', '/sync/nope', '/v1/nope', '/api', '/metrics/']) {
      const r = apiNotFound(apiEvent('GET', p));
      expect({ p, status: r?.statusCode }).toEqual({ p, status: 404 });
      expect(JSON.parse(r!.body as string)).toMatchObject({ error: 'not_found', issues: [{ path: 'path' }] });
      expect(r!.headers).toMatchObject({ 'content-type': expect.stringContaining('json'), 'x-content-type-options': 'nosniff' });
    }
    for (const p of ['/', '/pos', '/admin', '/apiary', '/favicon.ico']) expect(apiNotFound(apiEvent('GET', p))).toBeUndefined();
  });

  // -------------------------------------------------------------------------------------------- Remix

  const params = { itemId: SOME_UUID, saleId: SOME_UUID, shiftId: SOME_UUID, customerId: SOME_UUID };

  /** The status a loader or action answers (thrown Responses included). */
  async function outcome(fn: (args: never) => unknown, request: Request): Promise<{ status: number; location: string | null }> {
    try {
      const r = await fn({ request, params, context: {} } as never);
      return r instanceof Response ? { status: r.status, location: r.headers.get('location') } : { status: 200, location: null };
    } catch (e) {
      if (e instanceof Response) return { status: e.status, location: e.headers.get('location') };
      throw e;
    }
  }

  const freshCookie = async (email: string) => `${SESSION_COOKIE}=${(await signIn(t.database, email, 'correct horse battery')).token}`;

  /**
   * A request as the admin's own browser page sends it: same origin, and for a mutation the session's
   * CSRF token, so what is measured here is who the caller is (cross-origin refusals: app/admin-routes.test.ts).
   */
  const request = async (file: string, method: 'GET' | 'POST', cookie?: string) => {
    const csrf = method === 'POST' && cookie ? (await sessionFromCookie(t.database, cookie))?.csrfToken : undefined;
    return new Request(`http://till.test/${file.replace(/\.tsx?$/, '')}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://till.test' } : {}),
        ...(csrf ? { 'x-csrf-token': csrf } : {}),
      },
      ...(method === 'POST' ? { body: '' } : {}),
    });
  };

  /** What each caller gets: 302 → sign-in, 403, or let in (any other answer). */
  const access = (o: { status: number; location: string | null }) =>
    o.status === 302 && o.location?.startsWith('/admin/login?next=')
      ? 'sign-in'
      : o.status === 403
        ? 'forbidden'
        : o.status === 401
          ? 'unauthorized'
          : 'let in';

  it.each(Object.entries(REMIX))('Remix %s asks for the right caller', async (file, spec) => {
    const mod = (await import(path.join(root, 'app/routes', file))) as { loader?: (a: never) => unknown; action?: (a: never) => unknown };
    for (const kind of ['loader', 'action'] as const) {
      const fn = mod[kind];
      const want = spec[kind];
      expect({ file, kind, exported: Boolean(fn) }).toEqual({ file, kind, exported: want !== undefined });
      if (!fn || !want) continue;
      const m = kind === 'loader' ? 'GET' : 'POST';
      // Fresh sessions per route: an action (sign-out above all) may end the session it was called with.
      const manager = await freshCookie('manager@example.test');
      const admin = await freshCookie('admin@example.test');
      const got = {
        anonymous: access(await outcome(fn, await request(file, m))),
        manager: access(await outcome(fn, await request(file, m, manager))),
        admin: access(await outcome(fn, await request(file, m, admin))),
      };
      const expected =
        want === 'public'
          ? { anonymous: 'let in', manager: 'let in', admin: 'let in' }
          : want === 'manager'
            ? { anonymous: 'sign-in', manager: 'let in', admin: 'let in' }
            : { anonymous: 'sign-in', manager: 'forbidden', admin: 'let in' };
      expect({ file, kind, ...got }).toEqual({ file, kind, ...expected });
    }
  });

  it('answers 503 with retry-after, never 401 or sign-in, when the database fails during a token or session check', async () => {
    const customers = (await import('../functions/customers')).handler;
    const registers = await import('../app/routes/admin.registers');
    process.env.DATABASE_URL = await downDatabaseUrl(backend);
    for (const creds of [{ token: ctx.p.both }, { cookie: ctx.p.adminCookie }]) {
      const r = await customers(apiEvent('GET', '/api/customers', creds));
      expect({ creds: Object.keys(creds), status: r.statusCode }).toEqual({ creds: Object.keys(creds), status: 503 });
      expect(Number(r.headers?.['retry-after'])).toBeGreaterThan(0);
    }
    const page = await outcome(registers.loader, await request('admin.registers.tsx', 'GET', ctx.p.adminCookie));
    expect(page.status).toBe(503);
  });

  it('gives an anonymous caller of the admin layout nothing but the sign-in shell', async () => {
    const mod = await import('../app/routes/admin');
    const r = (await mod.loader({ request: new Request('http://till.test/admin'), params: {}, context: {} })) as Response;
    expect(await r.json()).toEqual({ email: null, pending: 0, csrf: null });
  });
});

// ------------------------------------------------------------------------------------------------- Remix

type Access = 'public' | 'manager' | 'admin';
/** Per route module: who its loader and action let in (`undefined`: not exported). */
const REMIX: Record<string, { loader?: Access; action?: Access }> = {
  '_index.tsx': { loader: 'public' }, // redirect to /pos
  'pos._index.tsx': { loader: 'public' }, // the POS shell and the https address; everything else is the register's token
  'setup.tsx': { loader: 'public' }, // register enrolment: the store CA's fingerprint, before trust
  'setup.ca[.]crt.tsx': { loader: 'public' }, // the store CA certificate (public by nature)
  'admin.tsx': { loader: 'public' }, // layout: the signed-in email and outbox count only with a session
  'admin.login.tsx': { loader: 'public', action: 'public' },
  'admin.logout.tsx': { loader: 'public', action: 'manager' }, // sign-out is a CSRF-checked mutation of the session
  'admin.password.tsx': { loader: 'manager', action: 'manager' }, // also where a must-change-password admin is sent
  'admin._index.tsx': { loader: 'manager' },
  'admin.adjustments.tsx': { loader: 'manager', action: 'admin' },
  'admin.audit.tsx': { loader: 'manager' },
  'admin.cashiers.tsx': { loader: 'manager', action: 'admin' },
  'admin.companies.tsx': { loader: 'manager', action: 'admin' },
  'admin.customers.tsx': { loader: 'manager', action: 'admin' },
  'admin.customers_.$customerId.tsx': { loader: 'manager', action: 'admin' },
  'admin.customers_.new.tsx': { loader: 'manager', action: 'admin' },
  'admin.import.tsx': { loader: 'admin', action: 'admin' },
  'admin.item-groups.tsx': { loader: 'manager', action: 'admin' },
  'admin.items.tsx': { loader: 'manager' },
  'admin.items_.new.tsx': { loader: 'manager', action: 'admin' },
  'admin.items_.$itemId.tsx': { loader: 'manager', action: 'admin' },
  'admin.outbox.tsx': { loader: 'manager', action: 'manager' },
  'admin.backups.tsx': { loader: 'manager', action: 'admin' },
  'admin.registers.tsx': { loader: 'manager', action: 'admin' },
  'admin.registers_.new.tsx': { loader: 'manager', action: 'admin' },
  'admin.sales.tsx': { loader: 'manager' },
  'admin.sales_.$saleId.tsx': { loader: 'manager' },
  'admin.settings.tsx': { loader: 'manager', action: 'admin' },
  'admin.setup.tsx': { loader: 'manager', action: 'admin' },
  'admin.shifts.tsx': { loader: 'manager', action: 'manager' },
  'admin.shifts_.$shiftId.tsx': { loader: 'manager', action: 'manager' },
  'admin.shifts_.$shiftId_.csv.tsx': { loader: 'manager' },
  'admin.tax-rates.tsx': { loader: 'manager', action: 'admin' },
  'admin.warehouses.tsx': { loader: 'manager', action: 'admin' },
};
