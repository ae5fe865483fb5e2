import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DomainError } from '../core/errors';
import { backends, useMigratedDatabase } from '../test/databases';
import {
  adminCount,
  changePassword,
  createAdmin,
  DEMO_ADMIN,
  endSession,
  ensureFirstAdmin,
  prepareAdminAccess,
  SESSION_COOKIE,
  sessionCookie,
  sessionFromCookie,
  setupFirstAdmin,
  signIn,
} from './admin-auth';
import { ACCOUNT_LIMIT, CLIENT_LIMIT } from './admin-login-limits';

const cookieOf = (token: string) => `${SESSION_COOKIE}=${token}`;
let n = 0;
/** A fresh admin per test, so tests do not depend on each other's order. */
const unique = (what: string) => `${what}-${process.pid}-${++n}-${Date.now()}@store.test`;

describe.each(backends)('admin sign-in on %s', (backend) => {
  const t = useMigratedDatabase(backend, { max: 8 });

  it('creates the first admin from env once, and refuses a second "first" admin', async () => {
    await t.database.pool.query(`DELETE FROM admins`);
    expect(await ensureFirstAdmin(t.database, { ADMIN_EMAIL: 'Boss@Store.test', ADMIN_PASSWORD: 'correct horse battery' })).toBe(true);
    expect(await ensureFirstAdmin(t.database, { ADMIN_EMAIL: 'x@y.z', ADMIN_PASSWORD: 'another long one' })).toBe(false);
    await expect(createAdmin(t.database, { email: 'late@store.test', password: 'long enough pw', role: 'admin' }, { onlyIfNone: true })).rejects.toMatchObject({
      kind: 'conflict',
    });
    const stored = (await t.database.pool.query(`SELECT password_hash FROM admins WHERE email = 'boss@store.test'`)).rows[0].password_hash;
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain('correct horse');
    const audit = (await t.database.pool.query(`SELECT after FROM audit_log WHERE action = 'admin.created' ORDER BY id DESC LIMIT 1`)).rows[0].after;
    expect(audit.password).toBe('[redacted]');
  });

  it('signs in with a server-side session that is re-checked, and refuses forged or disabled ones', async () => {
    const email = unique('boss');
    await createAdmin(t.database, { email, password: 'correct horse battery', role: 'admin' });
    const { token, session } = await signIn(t.database, email, 'correct horse battery', '10.0.0.1');
    expect(session).toMatchObject({ email, role: 'admin', mustChangePassword: false });
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const cookie = sessionCookie(token, false);
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax; Max-Age=43200$/);
    expect(sessionCookie(token, true)).toMatch(/; Secure$/);
    expect((await sessionFromCookie(t.database, `other=1; ${cookie.split(';')[0]}`))?.email).toBe(email);
    expect(await sessionFromCookie(t.database, cookieOf(`${token.slice(0, -3)}abc`))).toBeUndefined();
    // Only a hash of the token is stored.
    expect((await t.database.pool.query(`SELECT 1 FROM admin_sessions WHERE id = $1`, [token])).rowCount).toBe(0);
    await t.database.pool.query(`UPDATE admins SET active = false WHERE email = $1`, [email]);
    expect(await sessionFromCookie(t.database, cookieOf(token))).toBeUndefined();
  });

  it('sign-out ends the session: the old cookie is refused afterwards, other sessions stay', async () => {
    const email = unique('out');
    await createAdmin(t.database, { email, password: 'sign out password', role: 'manager' });
    const a = await signIn(t.database, email, 'sign out password');
    const b = await signIn(t.database, email, 'sign out password');
    await endSession(t.database, `x=1; ${cookieOf(a.token)}`);
    expect(await sessionFromCookie(t.database, cookieOf(a.token))).toBeUndefined();
    expect((await sessionFromCookie(t.database, cookieOf(b.token)))?.email).toBe(email);
  });

  it('sessions expire after 30 idle minutes and 12 hours at most', async () => {
    const email = unique('idle');
    await createAdmin(t.database, { email, password: 'idle password', role: 'manager' });
    const idle = await signIn(t.database, email, 'idle password');
    const old = await signIn(t.database, email, 'idle password');
    const fresh = await signIn(t.database, email, 'idle password');
    const ttl = (
      await t.database.pool.query(
        `SELECT extract(epoch FROM s.expires_at - s.created_at)::int AS s FROM admin_sessions s JOIN admins a ON a.id = s.admin_id WHERE a.email = $1 LIMIT 1`,
        [email],
      )
    ).rows[0].s;
    expect(ttl).toBe(12 * 3600);
    // Move the clock of two sessions instead of waiting: one idle 31 minutes, one past its absolute end.
    const id = (token: string) => createHash('sha256').update(token).digest('hex');
    await t.database.pool.query(`UPDATE admin_sessions SET last_seen_at = now() - interval '31 minutes' WHERE id = $1`, [id(idle.token)]);
    await t.database.pool.query(`UPDATE admin_sessions SET expires_at = now() - interval '1 second' WHERE id = $1`, [id(old.token)]);
    expect(await sessionFromCookie(t.database, cookieOf(idle.token))).toBeUndefined();
    expect(await sessionFromCookie(t.database, cookieOf(old.token))).toBeUndefined();
    expect((await sessionFromCookie(t.database, cookieOf(fresh.token)))?.email).toBe(email);
    // Use keeps a session alive (idle time restarts)…
    await t.database.pool.query(`UPDATE admin_sessions SET last_seen_at = now() - interval '29 minutes' WHERE id = $1`, [id(fresh.token)]);
    expect(await sessionFromCookie(t.database, cookieOf(fresh.token))).toBeDefined();
    const seen = (
      await t.database.pool.query(`SELECT now() - last_seen_at < interval '1 minute' AS recent FROM admin_sessions WHERE id = $1`, [id(fresh.token)])
    ).rows[0];
    expect(seen.recent).toBe(true);
  });

  it('a password change ends every session of that admin and clears the must-change flag', async () => {
    const email = unique('pw');
    await createAdmin(t.database, { email, password: 'first password', role: 'admin', mustChangePassword: true });
    const a = await signIn(t.database, email, 'first password');
    const b = await signIn(t.database, email, 'first password');
    expect(a.session.mustChangePassword).toBe(true);
    await expect(changePassword(t.database, a.session, { currentPassword: 'wrong one!', newPassword: 'second password' })).rejects.toMatchObject({
      kind: 'unauthenticated',
    });
    await expect(changePassword(t.database, a.session, { currentPassword: 'first password', newPassword: 'short' })).rejects.toMatchObject({ kind: 'invalid' });
    const token = await changePassword(t.database, a.session, { currentPassword: 'first password', newPassword: 'second password' });
    expect(await sessionFromCookie(t.database, cookieOf(a.token))).toBeUndefined();
    expect(await sessionFromCookie(t.database, cookieOf(b.token))).toBeUndefined();
    expect(await sessionFromCookie(t.database, cookieOf(token))).toMatchObject({ email, mustChangePassword: false });
    await expect(signIn(t.database, email, 'first password')).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect((await signIn(t.database, email, 'second password')).session.email).toBe(email);
  });

  it('counts all of 30 parallel wrong attempts atomically: only the free ones reach the password check', async () => {
    const email = unique('burst');
    await createAdmin(t.database, { email, password: 'burst password', role: 'manager' });
    const client = `burst-${n}`;
    const results = await Promise.allSettled(Array.from({ length: 30 }, () => signIn(t.database, email, 'wrong password', client)));
    const kinds = results.map((r) => (r.status === 'rejected' ? ((r.reason as DomainError).kind ?? String(r.reason)) : 'ok'));
    const tally = (list: string[]) => Object.fromEntries([...new Set(list)].map((k) => [k, list.filter((s) => s === k).length]));
    expect(tally(kinds)).toEqual({ unauthenticated: ACCOUNT_LIMIT.free, rate_limited: 30 - ACCOUNT_LIMIT.free });
    const rows = (
      await t.database.pool.query(`SELECT key, attempts FROM admin_login_limits WHERE key = ANY($1) ORDER BY key`, [[`account:${email}`, `client:${client}`]])
    ).rows;
    expect(rows).toEqual([
      { key: `account:${email}`, attempts: 30 },
      { key: `client:${client}`, attempts: 30 },
    ]);
    const checked = (await t.database.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.login_failed' AND entity_id = $1`, [email]))
      .rows[0].n;
    expect(checked).toBe(ACCOUNT_LIMIT.free);
  });

  it('delays grow exponentially up to the cap, and the right password works once the cap has passed', async () => {
    const email = unique('slow');
    await createAdmin(t.database, { email, password: 'slow password', role: 'manager' });
    // The wait each attempt set, measured from that attempt (not from now: the password check after it
    // takes its own time, more so on a loaded machine).
    const waitNow = async () =>
      Number(
        (
          await t.database.pool.query(`SELECT round(extract(epoch FROM not_before - updated_at)) AS s FROM admin_login_limits WHERE key = $1`, [
            `account:${email}`,
          ])
        ).rows[0].s,
      );
    const waits: number[] = [];
    for (let i = 0; i < 14; i++) {
      // Each round pretends the previous wait has passed, so every attempt is allowed and sets the next wait.
      await t.database.pool.query(`UPDATE admin_login_limits SET not_before = now() WHERE key = $1`, [`account:${email}`]);
      await expect(signIn(t.database, email, 'wrong password', `slow-${i}`)).rejects.toMatchObject({ kind: 'unauthenticated' });
      waits.push(Math.max(0, await waitNow()));
    }
    expect(waits.slice(0, ACCOUNT_LIMIT.free - 1)).toEqual(Array(ACCOUNT_LIMIT.free - 1).fill(0));
    expect(waits.slice(ACCOUNT_LIMIT.free - 1, ACCOUNT_LIMIT.free + 3)).toEqual([2, 4, 8, 16]);
    // Meanwhile even the right password waits, and says for how long.
    const blocked = await signIn(t.database, email, 'slow password', 'slow-y').catch((e) => e);
    expect(blocked).toMatchObject({ kind: 'rate_limited' });
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(ACCOUNT_LIMIT.capSeconds);
    expect(Math.max(...waits)).toBe(ACCOUNT_LIMIT.capSeconds);
    // Even right now, the wait is never beyond the cap…
    const wait = (
      await t.database.pool.query(`SELECT extract(epoch FROM not_before - now()) AS s FROM admin_login_limits WHERE key = $1`, [`account:${email}`])
    ).rows[0].s;
    expect(Number(wait)).toBeLessThanOrEqual(ACCOUNT_LIMIT.capSeconds);
    // …and once the cap has passed, the right password gets in and the count starts again.
    await t.database.pool.query(`UPDATE admin_login_limits SET not_before = not_before - make_interval(secs => $2) WHERE key = $1`, [
      `account:${email}`,
      ACCOUNT_LIMIT.capSeconds,
    ]);
    expect((await signIn(t.database, email, 'slow password', 'slow-x')).session.email).toBe(email);
    expect((await t.database.pool.query(`SELECT 1 FROM admin_login_limits WHERE key = $1`, [`account:${email}`])).rowCount).toBe(0);
  });

  it('limits one client address across many accounts', async () => {
    const client = `spray-${n}`;
    const kinds: string[] = [];
    for (let i = 0; i < CLIENT_LIMIT.free + 2; i++) {
      kinds.push(
        await signIn(t.database, unique('nobody'), 'guess', client).then(
          () => 'ok',
          (e: DomainError) => e.kind,
        ),
      );
    }
    expect(kinds.slice(0, CLIENT_LIMIT.free)).toEqual(Array(CLIENT_LIMIT.free).fill('unauthenticated'));
    expect(kinds.slice(CLIENT_LIMIT.free + 1)).toEqual(['rate_limited']);
  });
});

describe.each(backends)('first admin and demo admin on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const reset = async () => {
    await t.database.pool.query(`DELETE FROM admins`);
    await t.database.pool.query(`DELETE FROM edge_keys WHERE name = 'admin-setup-code'`);
    await t.database.pool.query(`DELETE FROM admin_login_limits`);
  };

  it('creates no admin and no demo admin without demo mode; prints a one-time setup code instead', async () => {
    await reset();
    const lines = await prepareAdminAccess(t.database, { demoSeeded: false, env: {} });
    expect(await adminCount(t.database)).toBe(0);
    expect(lines.join('\n')).not.toContain(DEMO_ADMIN.password);
    const code = /setup code ([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(lines.join('\n'))?.[1];
    expect(code).toBeDefined();
    const stored = (await t.database.pool.query(`SELECT value FROM edge_keys WHERE name = 'admin-setup-code'`)).rows[0].value;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(code!.replace(/-/g, ''));

    const input = { email: 'first@store.test', password: 'first admin pw' };
    await expect(setupFirstAdmin(t.database, { ...input, setupCode: '' })).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(setupFirstAdmin(t.database, { ...input, setupCode: 'AAAA-BBBB-CCCC' })).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await adminCount(t.database)).toBe(0);
    await setupFirstAdmin(t.database, { ...input, setupCode: code!.toLowerCase() });
    expect(await adminCount(t.database)).toBe(1);
    // Used up: the row is gone, and a second setup is refused.
    expect((await t.database.pool.query(`SELECT 1 FROM edge_keys WHERE name = 'admin-setup-code'`)).rowCount).toBe(0);
    await expect(setupFirstAdmin(t.database, { email: 'second@store.test', password: 'second admin', setupCode: code! })).rejects.toMatchObject({
      kind: 'conflict',
    });
    // With an admin, a restart prints no setup code.
    expect((await prepareAdminAccess(t.database, { demoSeeded: false, env: {} })).join('\n')).not.toContain('setup code');
  });

  it('creates the demo admin only on a freshly seeded demo database with no admin, flagged to change its password', async () => {
    await reset();
    await createAdmin(t.database, { email: 'real@store.test', password: 'real admin pw', role: 'admin' });
    await prepareAdminAccess(t.database, { demoSeeded: true, env: {} });
    expect((await t.database.pool.query(`SELECT 1 FROM admins WHERE email = $1`, [DEMO_ADMIN.email])).rowCount).toBe(0);

    await reset();
    await prepareAdminAccess(t.database, { demoSeeded: true, env: { ADMIN_EMAIL: 'env@store.test', ADMIN_PASSWORD: 'env admin pw' } });
    expect((await t.database.pool.query(`SELECT email FROM admins`)).rows).toEqual([{ email: 'env@store.test' }]);

    await reset();
    const lines = await prepareAdminAccess(t.database, { demoSeeded: true, env: {} });
    expect(lines.join('\n')).toContain(DEMO_ADMIN.email);
    const demo = (await t.database.pool.query(`SELECT must_change_password FROM admins WHERE email = $1`, [DEMO_ADMIN.email])).rows[0];
    expect(demo.must_change_password).toBe(true);
    const { session } = await signIn(t.database, DEMO_ADMIN.email, DEMO_ADMIN.password);
    expect(session.mustChangePassword).toBe(true);
    await expect(changePassword(t.database, session, { currentPassword: DEMO_ADMIN.password, newPassword: DEMO_ADMIN.password })).rejects.toMatchObject({
      kind: 'invalid',
    });
    await changePassword(t.database, session, { currentPassword: DEMO_ADMIN.password, newPassword: 'store owner password' });
    // Once changed, restarts no longer print the demo sign-in.
    expect((await prepareAdminAccess(t.database, { demoSeeded: false, env: {} })).join('\n')).not.toContain(DEMO_ADMIN.password);
  });
});
