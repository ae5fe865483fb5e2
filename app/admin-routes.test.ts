// The admin route modules themselves, called with real Requests against a real database: CSRF on every
// action (including `?_data=` fetcher calls), sign-in redirects, sign-out, forced password change.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdmin, SESSION_COOKIE, signIn } from '../services/admin-auth';
import { backends, useMigratedDatabase } from '../test/databases';
import { getDatabase } from './lib/db.server';

const ROUTES = path.join(__dirname, 'routes');
const ADMIN_FILES = readdirSync(ROUTES).filter((f) => /^admin(\..+)?\.tsx$/.test(f));
const ORIGIN = 'http://127.0.0.1:3000';

/** The source of a route's `action`: from its export to the closing brace at column 0. */
function actionSource(src: string): string | undefined {
  const start = src.search(/^export (async function action\b|const action\b)/m);
  if (start < 0) return undefined;
  const end = src.indexOf('\n}\n', start);
  return src.slice(start, end < 0 ? undefined : end);
}

describe('every admin action starts with the CSRF-checked path', () => {
  const withActions = ADMIN_FILES.filter((f) => actionSource(readFileSync(path.join(ROUTES, f), 'utf8')));

  it('finds the route files', () => {
    expect(withActions).toEqual(expect.arrayContaining(['admin.registers.tsx', 'admin.logout.tsx', 'admin.login.tsx', 'admin.import.tsx']));
  });

  it.each(ADMIN_FILES)('%s', (file) => {
    const src = readFileSync(path.join(ROUTES, file), 'utf8');
    // Re-exports or other shapes would dodge this check.
    expect(src).not.toMatch(/export\s*\{[^}]*\baction\b/);
    const action = actionSource(src);
    if (!action) return;
    const firstStatement = action
      .split('\n')
      .slice(1)
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('//'));
    if (file === 'admin.login.tsx') expect(firstStatement).toBe('requireSameOrigin(request);');
    else expect(firstStatement).toMatch(/^(const \w+ = )?await requireAdmin\(request[,)]/);
  });
});

type RouteModule = {
  action?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;
  loader?: (args: { request: Request; params: Record<string, string>; context: unknown }) => Promise<Response>;
};
const load = (file: string) => import(`./routes/${file}`) as Promise<RouteModule>;
const routeId = (file: string) => `routes/${file.replace(/\.tsx$/, '')}`;
const routePath = (file: string) =>
  `/${file
    .replace(/\.tsx$/, '')
    .split('.')
    .map((s) => s.replace(/_$/, ''))
    .filter((s) => s !== '_index')
    .map((s) => (s.startsWith('$') ? '00000000-0000-4000-8000-000000000000' : s))
    .join('/')}`;

/** Runs a loader or action; thrown Responses (redirects, 403s) are returned like returned ones. */
async function call(fn: RouteModule['action'], request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await fn!({ request, params, context: {} });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

function post(url: string, body: Record<string, string>, headers: Record<string, string>): Request {
  return new Request(`${ORIGIN}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(body),
  });
}

describe.each(backends)('admin routes on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let cookie = '';
  let csrf = '';

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    await createAdmin(t.database, { email: 'owner@store.test', password: 'owner password', role: 'admin' });
    const { token, session } = await signIn(t.database, 'owner@store.test', 'owner password');
    cookie = `${SESSION_COOKIE}=${token}`;
    csrf = session.csrfToken;
  });
  afterAll(async () => {
    await getDatabase().close(); // before the test database is dropped
  });

  it('refuses every admin action from another origin, without a token, or with no origin at all (also via ?_data=)', async () => {
    for (const file of ADMIN_FILES.filter((f) => f !== 'admin.login.tsx')) {
      const mod = await load(file);
      if (!mod.action) continue;
      const url = `${routePath(file)}?_data=${encodeURIComponent(routeId(file))}`;
      const cases = {
        foreignOrigin: post(url, { _csrf: csrf, intent: 'create' }, { cookie, origin: 'http://127.0.0.1:3001' }),
        foreignReferer: post(url, { _csrf: csrf, intent: 'create' }, { cookie, referer: 'http://evil.example/admin' }),
        noOrigin: post(url, { _csrf: csrf, intent: 'create' }, { cookie }),
        nullOrigin: post(url, { _csrf: csrf, intent: 'create' }, { cookie, origin: 'null' }),
        httpsMismatch: post(url, { _csrf: csrf, intent: 'create' }, { cookie, origin: ORIGIN, 'x-forwarded-proto': 'https' }),
        noToken: post(url, { intent: 'create' }, { cookie, origin: ORIGIN }),
        wrongToken: post(url, { _csrf: `${csrf.slice(1)}x`, intent: 'create' }, { cookie, origin: ORIGIN }),
      };
      for (const [name, request] of Object.entries(cases)) {
        const r = await call(mod.action, request, { itemId: '00000000-0000-4000-8000-000000000000', shiftId: '00000000-0000-4000-8000-000000000000' });
        expect({ file, name, status: r.status }).toEqual({ file, name, status: 403 });
      }
    }
    // The session is still alive: sign-out was refused too.
    const overview = await load('admin._index.tsx');
    expect((await call(overview.loader, new Request(`${ORIGIN}/admin`, { headers: { cookie } }))).status).toBe(200);
  });

  it('runs an admin action from its own origin with the token, in the body or the header', async () => {
    const mod = await load('admin.warehouses.tsx');
    const url = `/admin/warehouses?_data=${encodeURIComponent('routes/admin.warehouses')}`;
    // 400 "intent" means the request got past the checks into the action's own validation.
    const body = await call(mod.action, post(url, { _csrf: csrf, intent: 'nope' }, { cookie, origin: ORIGIN }));
    expect(body.status).toBe(400);
    expect(JSON.stringify(await body.json())).toContain('intent: unknown action');
    const header = await call(mod.action, post(url, { intent: 'nope' }, { cookie, referer: `${ORIGIN}/admin/warehouses`, 'x-csrf-token': csrf }));
    expect(header.status).toBe(400);
    // Behind the TLS front door the origin is https.
    const tls = await call(
      mod.action,
      post(url, { _csrf: csrf, intent: 'nope' }, { cookie, origin: 'https://till.store:8443', host: 'till.store:8443', 'x-forwarded-proto': 'https' }),
    );
    expect(tls.status).toBe(400);
  });

  it('answers a refused form with its status and the message on the field it names, or above the form (ADR 502)', async () => {
    const none = '00000000-0000-4000-8000-000000000000';
    const cases: [file: string, body: Record<string, string>, status: number, error: Record<string, string[]>][] = [
      ['admin.customers_.new.tsx', { name: 'Karim', email: 'karim at example' }, 400, { email: ['enter an email address like name@example.com'] }],
      ['admin.customers_.$customerId.tsx', { name: 'Karim' }, 404, { '': ['no such customer'] }],
      [
        'admin.customers.tsx',
        { intent: 'credit-limit', customerId: none, companyId: none, creditLimit: '1,5' },
        400,
        { creditLimit: [expect.stringContaining('thousands separator')] },
      ],
      [
        'admin.settings.tsx',
        { intent: 'settings', defaultCompanyId: none, printerAddress: 'printer' },
        400,
        { printerAddress: ['use host:port, like 192.168.1.50:9100, or leave empty'] },
      ],
      [
        'admin.setup.tsx',
        { name: 'Corner', timeZone: 'Europe/Atlantis', currency: 'EUR' },
        400,
        { timeZone: [expect.stringMatching(/^not a time zone name/)] },
      ],
      ['admin.shifts.tsx', { deviceId: none, openingFloat: '100.00' }, 400, { deviceId: ['no such register device'] }],
      ['admin.shifts_.$shiftId.tsx', { intent: 'close', countedCash: '1' }, 404, { '': ['no such shift'] }],
      ['admin.shifts_.$shiftId.tsx', { intent: 'cash', kind: 'in', amount: '20' }, 400, { reason: ['give a reason'] }],
      ['admin.adjustments.tsx', { id: none, resolutionAction: 'no_action', note: '' }, 400, { note: ['write a note'] }],
      ['admin.outbox.tsx', { intent: 'dismiss', id: none, note: 'x' }, 400, { note: ['say why (3+ characters)'] }],
      [
        'admin.password.tsx',
        { currentPassword: 'x', newPassword: 'a new password', confirmPassword: 'another' },
        400,
        { confirmPassword: ['the two new passwords differ'] },
      ],
    ];
    for (const [file, body, status, error] of cases) {
      const mod = await load(file);
      const r = await call(mod.action, post(routePath(file), { _csrf: csrf, ...body }, { cookie, origin: ORIGIN }), { customerId: none, shiftId: none });
      expect({ file, body, status: r.status, error: ((await r.json()) as { result: { error: unknown } }).result.error }).toEqual({ file, body, status, error });
    }
    const login = await load('admin.login.tsx');
    const refused = await call(login.action, post('/admin/login', { email: 'owner', password: '' }, { origin: ORIGIN }));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { result: { error: unknown } }).result.error).toEqual({
      email: ['enter an email address'],
      password: ['enter the password'],
    });
    const wrong = await call(login.action, post('/admin/login', { email: 'owner@store.test', password: 'not it' }, { origin: ORIGIN }));
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { result: { error: unknown } }).result.error).toEqual({ '': ['email or password is wrong'] });
  });

  it('signs in only from its own origin, never redirects off the back office, and marks the cookie Secure over TLS', async () => {
    const login = await load('admin.login.tsx');
    const form = { email: 'owner@store.test', password: 'owner password' };
    expect((await call(login.action, post('/admin/login', { ...form, next: '/admin' }, { origin: 'http://evil.example' }))).status).toBe(403);

    const evil = await call(login.action, post('/admin/login', { ...form, next: '/admin/../\\evil.example' }, { origin: ORIGIN }));
    expect(evil.status).toBe(302);
    expect(evil.headers.get('location')).toBe('/admin');
    expect(evil.headers.get('set-cookie')).not.toMatch(/Secure/);

    const fine = await call(
      login.action,
      post('/admin/login', { ...form, next: '/admin/sales?flagged=on' }, { origin: 'https://till.store', host: 'till.store', 'x-forwarded-proto': 'https' }),
    );
    expect(fine.headers.get('location')).toBe('/admin/sales?flagged=on');
    expect(fine.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax; Max-Age=43200; Secure$/);
  });

  it('sign-out ends the session on the server: the old cookie is refused afterwards', async () => {
    const { token, session } = await signIn(t.database, 'owner@store.test', 'owner password');
    const mine = `${SESSION_COOKIE}=${token}`;
    const overview = await load('admin._index.tsx');
    expect((await call(overview.loader, new Request(`${ORIGIN}/admin`, { headers: { cookie: mine } }))).status).toBe(200);
    const logout = await load('admin.logout.tsx');
    const r = await call(logout.action, post('/admin/logout', { _csrf: session.csrfToken }, { cookie: mine, origin: ORIGIN }));
    expect(r.status).toBe(302);
    expect(r.headers.get('set-cookie')).toMatch(/^till_admin=; .*Max-Age=0/);
    const replay = await call(overview.loader, new Request(`${ORIGIN}/admin`, { headers: { cookie: mine } }));
    expect(replay.status).toBe(302);
    expect(replay.headers.get('location')).toMatch(/^\/admin\/login\?next=/);
  });

  it('sends an admin who must change the password there first, and lets them in after', async () => {
    await createAdmin(t.database, { email: 'demo@store.test', password: 'first password', role: 'admin', mustChangePassword: true });
    const { token, session } = await signIn(t.database, 'demo@store.test', 'first password');
    const registers = await load('admin.registers.tsx');
    const blocked = await call(registers.loader, new Request(`${ORIGIN}/admin/registers`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }));
    expect(blocked.status).toBe(302);
    expect(blocked.headers.get('location')).toBe('/admin/password?next=%2Fadmin%2Fregisters');
    const password = await load('admin.password.tsx');
    const changed = await call(
      password.action,
      post(
        '/admin/password',
        {
          _csrf: session.csrfToken,
          currentPassword: 'first password',
          newPassword: 'my own password',
          confirmPassword: 'my own password',
          next: '/admin/registers',
        },
        { cookie: `${SESSION_COOKIE}=${token}`, origin: ORIGIN },
      ),
    );
    expect(changed.status).toBe(302);
    expect(changed.headers.get('location')).toBe('/admin/registers');
    const fresh = /till_admin=([^;]+)/.exec(changed.headers.get('set-cookie') ?? '')![1]!;
    expect((await call(registers.loader, new Request(`${ORIGIN}/admin/registers`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } }))).status).toBe(302);
    expect((await call(registers.loader, new Request(`${ORIGIN}/admin/registers`, { headers: { cookie: `${SESSION_COOKIE}=${fresh}` } }))).status).toBe(200);
  });
});

describe.each(backends)('first-admin setup screen on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  beforeAll(() => {
    process.env.DATABASE_URL = t.url;
  });
  afterAll(async () => {
    await getDatabase().close();
  });

  it('refuses setup without the one-time code and accepts it once with the code', async () => {
    const { prepareAdminAccess } = await import('../services/admin-auth');
    const lines = await prepareAdminAccess(t.database, { demoSeeded: false, env: {} });
    const code = /setup code (\S+)/.exec(lines.join('\n'))![1]!;
    const login = await load('admin.login.tsx');
    expect(await (await call(login.loader, new Request(`${ORIGIN}/admin/login`))).json()).toEqual({ setup: true });
    const form = { email: 'first@store.test', password: 'first admin pw', setup: '1', next: '/admin' };
    expect((await call(login.action, post('/admin/login', form, { origin: ORIGIN }))).status).toBe(403);
    expect((await call(login.action, post('/admin/login', { ...form, setupCode: 'WRNG-CODE-XXXX' }, { origin: ORIGIN }))).status).toBe(403);
    const ok = await call(login.action, post('/admin/login', { ...form, setupCode: code }, { origin: ORIGIN }));
    expect(ok.status).toBe(302);
    expect(ok.headers.get('set-cookie')).toMatch(/^till_admin=/);
    // A store with no company yet: the first admin goes on to the setup walkthrough.
    expect(ok.headers.get('location')).toBe('/admin/setup');
    const again = await call(login.action, post('/admin/login', { ...form, email: 'second@store.test', setupCode: code }, { origin: ORIGIN }));
    expect(again.status).toBe(409);
  });
});
