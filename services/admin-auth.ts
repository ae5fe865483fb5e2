// Back-office sign-in. Admins come from ADMIN_EMAIL/ADMIN_PASSWORD, the demo (flagged to change its
// password first), or the setup screen guarded by a one-time code the edge prints at start.
// Sessions live in `admin_sessions`: the cookie carries a random token whose SHA-256 is the row id, so
// sign-out and password changes end them, and idle/absolute expiry is checked on every request.
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { PoolClient } from 'pg';
import { DomainError } from '../core/errors';
import type { Database } from '../db/client';
import { execute, maybeOne, one, type Cols } from '../db/query';
import type { adminSessions, admins } from '../db/schema';
import type { AdminRole } from '../db/statuses';
import { withTransaction } from '../db/transaction';
import { ACCOUNT_LIMIT, claimAttempt, clearAttempts, CLIENT_LIMIT, type Claim } from './admin-login-limits';
import { hashPassword, verifyPassword } from './password';

export type { AdminRole };
export interface AdminSession {
  adminId: string;
  email: string;
  role: AdminRole;
  mustChangePassword: boolean;
  /** bound to this session; every admin mutation must echo it */
  csrfToken: string;
}

export const SESSION_COOKIE = 'till_admin';
export const SESSION_ABSOLUTE_HOURS = 12;
export const SESSION_IDLE_MINUTES = 30;
export const MIN_PASSWORD_LENGTH = 10;
export const DEMO_ADMIN = { email: 'admin@demo.till', password: 'till-demo-admin' } as const;
const SETUP_CODE_KEY = 'admin-setup-code';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

const inTransaction = <T>(database: Database, fn: (client: PoolClient) => Promise<T>): Promise<T> => withTransaction(database, fn);

export async function adminCount(database: Database): Promise<number> {
  return (await one<{ n: number }>(database.pool, 'SELECT count(*)::int AS n FROM admins')).n;
}

function checkPassword(password: string) {
  if (password.length < MIN_PASSWORD_LENGTH) throw new DomainError('invalid', 'password', `password must be at least ${MIN_PASSWORD_LENGTH} characters`);
}

async function insertAdmin(
  client: PoolClient,
  input: { email: string; passwordHash: string; role: AdminRole; mustChangePassword?: boolean },
  opts: { onlyIfNone?: boolean; actor: string },
): Promise<string> {
  await client.query('LOCK TABLE admins IN EXCLUSIVE MODE');
  if (opts.onlyIfNone && (await execute(client, 'SELECT 1 FROM admins LIMIT 1'))) {
    throw new DomainError('conflict', null, 'an admin already exists');
  }
  const created = await maybeOne<Cols<typeof admins, 'id'>>(
    client,
    `INSERT INTO admins (email, password_hash, role, must_change_password) VALUES (lower($1), $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id`,
    [input.email, input.passwordHash, input.role, input.mustChangePassword ?? false],
  );
  if (!created) throw new DomainError('conflict', null, 'an admin with this email exists');
  await client.query(`INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'admin.created', 'admin', $2, $3)`, [
    opts.actor,
    created.id,
    JSON.stringify({ email: input.email.toLowerCase(), role: input.role, password: '[redacted]' }),
  ]);
  return created.id;
}

/** Creates an admin. `onlyIfNone` refuses (409) once any admin exists. */
export async function createAdmin(
  database: Database,
  input: { email: string; password: string; role: AdminRole; mustChangePassword?: boolean },
  opts: { onlyIfNone?: boolean; actor?: string } = {},
): Promise<string> {
  checkPassword(input.password);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(database, (client) => insertAdmin(client, { ...input, passwordHash }, { onlyIfNone: opts.onlyIfNone, actor: opts.actor ?? 'setup' }));
}

// ---------------------------------------------------------------- throttling

function refuse(claims: Claim[]): void {
  const blocked = claims.filter((c) => !c.allowed);
  if (!blocked.length) return;
  const wait = Math.max(...blocked.map((c) => c.retryAfterSeconds));
  throw new DomainError('rate_limited', null, `too many sign-in attempts; try again in ${wait} s`, { retryAfterSeconds: wait });
}

const accountKey = (email: string) => `account:${email}`;
const clientKey = (client: string) => `client:${client}`;

// ---------------------------------------------------------------- sessions

async function startSession(db: Pick<PoolClient, 'query'>, adminId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(`INSERT INTO admin_sessions (id, admin_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))`, [
    sha256(token),
    adminId,
    randomBytes(24).toString('base64url'),
    SESSION_ABSOLUTE_HOURS,
  ]);
  return token;
}

function tokenFromCookie(cookieHeader: string | null | undefined): string | undefined {
  const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{43})(?:;|$)`).exec(cookieHeader ?? '');
  return m?.[1];
}

/**
 * Signs in; returns the cookie value. Every attempt is counted per account and per client address
 * before the password is checked; past the free attempts each one waits longer (capped, see limits).
 */
export async function signIn(database: Database, email: string, password: string, client = 'unknown'): Promise<{ token: string; session: AdminSession }> {
  const key = email.trim().toLowerCase();
  const keys = [accountKey(key), clientKey(client)];
  refuse([await claimAttempt(database.pool, keys[0]!, ACCOUNT_LIMIT), await claimAttempt(database.pool, keys[1]!, CLIENT_LIMIT)]);
  const row = await maybeOne<Cols<typeof admins, 'id' | 'password_hash' | 'active'>>(
    database.pool,
    `SELECT id, password_hash, active FROM admins WHERE email = $1`,
    [key],
  );
  const ok = row && row.active && (await verifyPassword(password, row.password_hash));
  if (!ok) {
    await execute(
      database.pool,
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'admin.login_failed', 'admin', $1, $2)`,
      [key, JSON.stringify({ client })],
    );
    throw new DomainError('unauthenticated', null, 'email or password is wrong');
  }
  await clearAttempts(database.pool, keys);
  await execute(database.pool, `DELETE FROM admin_sessions WHERE expires_at < now() OR last_seen_at < now() - make_interval(mins => $1)`, [
    SESSION_IDLE_MINUTES,
  ]);
  const token = await startSession(database.pool, row.id);
  await execute(
    database.pool,
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'admin.login', 'admin', $1, $2)`,
    [row.id, JSON.stringify({ client })],
  );
  const session = await sessionFromCookie(database, `${SESSION_COOKIE}=${token}`);
  return { token, session: session! };
}

/**
 * The live session behind a cookie header, or undefined (missing, unknown, ended, idle, expired, or admin disabled).
 * A database failure is thrown, not read as "no session": the caller answers 503, not sign-in.
 */
export async function sessionFromCookie(database: Database, cookieHeader: string | null | undefined): Promise<AdminSession | undefined> {
  const token = tokenFromCookie(cookieHeader);
  if (!token) return undefined;
  const x = await maybeOne<Cols<typeof admins, 'id' | 'email' | 'role' | 'must_change_password'> & Cols<typeof adminSessions, 'csrf_token'>>(
    database.pool,
    `UPDATE admin_sessions s SET last_seen_at = now() FROM admins a
      WHERE s.id = $1 AND a.id = s.admin_id AND a.active AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)
      RETURNING a.id, a.email, a.role, a.must_change_password, s.csrf_token`,
    [sha256(token), SESSION_IDLE_MINUTES],
  );
  return x ? { adminId: x.id, email: x.email, role: x.role, mustChangePassword: x.must_change_password, csrfToken: x.csrf_token } : undefined;
}

/** Sign-out: the session row goes, so the old cookie is refused even if replayed. */
export async function endSession(database: Database, cookieHeader: string | null | undefined): Promise<void> {
  const token = tokenFromCookie(cookieHeader);
  if (token) await execute(database.pool, `DELETE FROM admin_sessions WHERE id = $1`, [sha256(token)]);
}

/** Constant-time comparison of a submitted CSRF token with the session's. */
export function csrfTokenMatches(session: AdminSession, submitted: string | null | undefined): boolean {
  if (!submitted) return false;
  const a = Buffer.from(session.csrfToken);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Changes the signed-in admin's password: every session of theirs ends, and a new one is returned for
 * the browser that made the change. The current password is checked (and throttled) like a sign-in.
 */
export async function changePassword(
  database: Database,
  session: AdminSession,
  input: { currentPassword: string; newPassword: string },
  client = 'unknown',
): Promise<string> {
  checkPassword(input.newPassword);
  if (input.newPassword === input.currentPassword)
    throw new DomainError('invalid', 'newPassword', 'newPassword: choose a password different from the current one');
  if (session.mustChangePassword && input.newPassword === DEMO_ADMIN.password)
    throw new DomainError('invalid', 'newPassword', 'newPassword: choose your own password');
  const keys = [accountKey(session.email), clientKey(client)];
  refuse([await claimAttempt(database.pool, keys[0]!, ACCOUNT_LIMIT), await claimAttempt(database.pool, keys[1]!, CLIENT_LIMIT)]);
  const row = await maybeOne<Cols<typeof admins, 'password_hash'>>(database.pool, `SELECT password_hash FROM admins WHERE id = $1 AND active`, [
    session.adminId,
  ]);
  if (!row || !(await verifyPassword(input.currentPassword, row.password_hash)))
    throw new DomainError('unauthenticated', 'currentPassword', 'currentPassword: the current password is wrong');
  await clearAttempts(database.pool, keys);
  const hash = await hashPassword(input.newPassword);
  return inTransaction(database, async (c) => {
    await c.query(`UPDATE admins SET password_hash = $2, must_change_password = false WHERE id = $1`, [session.adminId, hash]);
    await c.query(`DELETE FROM admin_sessions WHERE admin_id = $1`, [session.adminId]);
    await c.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'admin.password_changed', 'admin', $2, $3)`,
      [session.email, session.adminId, JSON.stringify({ password: '[redacted]' })],
    );
    return startSession(c, session.adminId);
  });
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_ABSOLUTE_HOURS * 3600}${secure ? '; Secure' : ''}`;
}

export const clearSessionCookie = (secure = false) => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`;

// ---------------------------------------------------------------- first admin

/** From env at start-up: creates the first admin when none exists. */
export async function ensureFirstAdmin(database: Database, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return false;
  if ((await adminCount(database)) > 0) return false;
  await createAdmin(database, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: 'admin' }, { onlyIfNone: true, actor: 'env' });
  return true;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const normalizeCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** A new one-time setup code (12 characters, ~60 bits); only its hash is stored, replacing any earlier code. */
export async function issueSetupCode(database: Database): Promise<string> {
  const raw = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  await execute(
    database.pool,
    `INSERT INTO edge_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, created_at = now()`,
    [SETUP_CODE_KEY, sha256(raw)],
  );
  return raw.match(/.{4}/g)!.join('-');
}

/**
 * The setup screen: creates the first admin when none exists and the one-time code printed by the edge
 * matches. The code is consumed in the same transaction; attempts are throttled per client address.
 */
export async function setupFirstAdmin(database: Database, input: { email: string; password: string; setupCode: string }, client = 'unknown'): Promise<string> {
  checkPassword(input.password);
  refuse([await claimAttempt(database.pool, `setup:${client}`, ACCOUNT_LIMIT), await claimAttempt(database.pool, 'setup', CLIENT_LIMIT)]);
  const passwordHash = await hashPassword(input.password);
  return inTransaction(database, async (c) => {
    if (await execute(c, 'SELECT 1 FROM admins LIMIT 1')) throw new DomainError('conflict', null, 'an admin already exists');
    const used = await execute(c, `DELETE FROM edge_keys WHERE name = $1 AND value = $2`, [SETUP_CODE_KEY, sha256(normalizeCode(input.setupCode))]);
    if (!used) throw new DomainError('forbidden', 'setupCode', 'setupCode: the setup code is wrong or already used; the edge prints a new one when it starts');
    return insertAdmin(c, { email: input.email, passwordHash, role: 'admin' }, { onlyIfNone: true, actor: 'setup' });
  });
}

/**
 * Start-up: the admin from ADMIN_EMAIL/ADMIN_PASSWORD; the demo admin only on a database the demo has
 * just seeded and that has no admin (it must choose a new password at its first sign-in); otherwise, with
 * no admin at all, a one-time setup code. Returns the console lines to print.
 */
export async function prepareAdminAccess(database: Database, opts: { demoSeeded: boolean; env?: Record<string, string | undefined> }): Promise<string[]> {
  const lines: string[] = [];
  if (await ensureFirstAdmin(database, opts.env ?? process.env)) lines.push('  Admin     created from ADMIN_EMAIL');
  if (opts.demoSeeded && (await adminCount(database)) === 0) {
    await createAdmin(database, { ...DEMO_ADMIN, role: 'admin', mustChangePassword: true }, { onlyIfNone: true, actor: 'demo' });
  }
  const demo = await execute(database.pool, `SELECT 1 FROM admins WHERE email = $1 AND must_change_password AND active`, [DEMO_ADMIN.email]);
  if (demo) lines.push(`  Admin     ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password} (demo; choose a new password at the first sign-in)`);
  if ((await adminCount(database)) === 0) {
    lines.push(`  Setup     no admin yet: open /admin/login and enter setup code ${await issueSetupCode(database)} (one use)`);
  }
  return lines;
}
