import { describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { createAdmin, ensureFirstAdmin, sessionCookie, sessionFromCookie, signIn } from './admin-auth';

describe.each(backends)('admin sign-in on %s', (backend) => {
  const t = useMigratedDatabase(backend);

  it('creates the first admin from env once, and the setup screen path refuses a second', async () => {
    expect(await ensureFirstAdmin(t.database, { ADMIN_EMAIL: 'Boss@Store.test', ADMIN_PASSWORD: 'correct horse battery' })).toBe(true);
    expect(await ensureFirstAdmin(t.database, { ADMIN_EMAIL: 'x@y.z', ADMIN_PASSWORD: 'another long one' })).toBe(false);
    await expect(
      createAdmin(t.database, { email: 'late@store.test', password: 'long enough pw', role: 'admin' }, { onlyIfNone: true }),
    ).rejects.toMatchObject({ status: 409 });
    const stored = (await t.database.pool.query(`SELECT password_hash FROM admins`)).rows[0].password_hash;
    expect(stored).toMatch(/^scrypt\$/);
    expect(stored).not.toContain('correct horse');
    const audit = (await t.database.pool.query(`SELECT after FROM audit_log WHERE action = 'admin.created'`)).rows[0].after;
    expect(audit.password).toBe('[redacted]');
  });

  it('signs in with a session cookie that is re-checked, and rejects forged cookies', async () => {
    const { token, session } = await signIn(t.database, 'boss@store.test', 'correct horse battery');
    expect(session.role).toBe('admin');
    const cookie = sessionCookie(token, false);
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax/);
    expect((await sessionFromCookie(t.database, `other=1; ${cookie.split(';')[0]}`))?.email).toBe('boss@store.test');
    expect(await sessionFromCookie(t.database, `till_admin=${token.slice(0, -3)}abc`)).toBeUndefined();
    await t.database.pool.query(`UPDATE admins SET active = false`);
    expect(await sessionFromCookie(t.database, cookie.split(';')[0])).toBeUndefined();
    await t.database.pool.query(`UPDATE admins SET active = true`);
  });

  it('rate-limits failed sign-ins per email', async () => {
    await createAdmin(t.database, { email: 'mgr@store.test', password: 'manager password', role: 'manager' });
    for (let i = 0; i < 5; i++) {
      await expect(signIn(t.database, 'mgr@store.test', 'wrong')).rejects.toMatchObject({ status: 401 });
    }
    await expect(signIn(t.database, 'mgr@store.test', 'manager password')).rejects.toMatchObject({ status: 429 });
  });
});
