// Back-office sign-in: the first admin comes from ADMIN_EMAIL/ADMIN_PASSWORD (or the setup screen);
// sessions are signed cookies re-checked against the admins table on every request.
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Database } from '../db/client';
import { hashPassword, verifyPassword } from './password';

export type AdminRole = 'admin' | 'manager';
export interface AdminSession {
  adminId: string;
  email: string;
  role: AdminRole;
}

export const SESSION_COOKIE = 'till_admin';
const SESSION_HOURS = 12;
const MAX_FAILURES = 5;
const FAILURE_WINDOW = '15 minutes';

export class AdminAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 409 | 429,
    message: string,
  ) {
    super(message);
  }
}

let cachedKey: Uint8Array | undefined;
async function sessionKey(database: Database): Promise<Uint8Array> {
  if (cachedKey) return cachedKey;
  await database.pool.query(`INSERT INTO edge_keys (name, value) VALUES ('admin-session', $1) ON CONFLICT (name) DO NOTHING`, [
    randomBytes(32).toString('base64'),
  ]);
  const r = await database.pool.query(`SELECT value FROM edge_keys WHERE name = 'admin-session'`);
  cachedKey = new Uint8Array(Buffer.from(r.rows[0].value, 'base64'));
  return cachedKey;
}

export async function adminCount(database: Database): Promise<number> {
  return (await database.pool.query('SELECT count(*)::int AS n FROM admins')).rows[0].n;
}

/** Creates an admin. `onlyIfNone` makes it the one-time first-admin setup (409 once one exists). */
export async function createAdmin(
  database: Database,
  input: { email: string; password: string; role: AdminRole },
  opts: { onlyIfNone?: boolean; actor?: string } = {},
): Promise<string> {
  if (input.password.length < 10) throw new AdminAuthError(400, 'password must be at least 10 characters');
  const hash = await hashPassword(input.password);
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('LOCK TABLE admins IN EXCLUSIVE MODE');
    if (opts.onlyIfNone && (await client.query('SELECT 1 FROM admins LIMIT 1')).rowCount) {
      throw new AdminAuthError(409, 'an admin already exists');
    }
    const r = await client.query(
      `INSERT INTO admins (email, password_hash, role) VALUES (lower($1), $2, $3) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [input.email, hash, input.role],
    );
    if (!r.rowCount) throw new AdminAuthError(409, 'an admin with this email exists');
    await client.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'admin.created', 'admin', $2, $3)`,
      [opts.actor ?? 'setup', r.rows[0].id, JSON.stringify({ email: input.email.toLowerCase(), role: input.role, password: '[redacted]' })],
    );
    await client.query('COMMIT');
    return r.rows[0].id;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** Signs in; 429 after repeated failures for the same email within 15 minutes. Returns the cookie value. */
export async function signIn(database: Database, email: string, password: string): Promise<{ token: string; session: AdminSession }> {
  const key = email.trim().toLowerCase();
  const failures = (
    await database.pool.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.login_failed' AND entity_id = $1 AND created_at > now() - $2::interval`,
      [key, FAILURE_WINDOW],
    )
  ).rows[0].n as number;
  if (failures >= MAX_FAILURES) throw new AdminAuthError(429, 'too many failed sign-ins; try again in 15 minutes');
  const r = await database.pool.query(`SELECT id, email, role, password_hash, active FROM admins WHERE email = $1`, [key]);
  const row = r.rows[0];
  const ok = row && row.active && (await verifyPassword(password, row.password_hash));
  if (!ok) {
    await database.pool.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ('admin', $1, 'admin.login_failed', 'admin', $1)`,
      [key],
    );
    throw new AdminAuthError(401, 'email or password is wrong');
  }
  const session: AdminSession = { adminId: row.id, email: row.email, role: row.role };
  const token = await new SignJWT({ email: session.email, role: session.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(session.adminId)
    .setIssuer('till-edge')
    .setAudience('till-admin')
    .setIssuedAt()
    .setExpirationTime(`${SESSION_HOURS}h`)
    .sign(await sessionKey(database));
  await database.pool.query(
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ('admin', $1, 'admin.login', 'admin', $1)`,
    [session.adminId],
  );
  return { token, session };
}

/**
 * The session behind a cookie header, or undefined (missing, forged, expired, or admin disabled).
 * A database failure is thrown, not read as "no session": the caller answers 503, not sign-in.
 */
export async function sessionFromCookie(database: Database, cookieHeader: string | null | undefined): Promise<AdminSession | undefined> {
  const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookieHeader ?? '');
  if (!m) return undefined;
  const key = await sessionKey(database);
  let subject: string | undefined;
  try {
    const { payload } = await jwtVerify(m[1]!, key, { issuer: 'till-edge', audience: 'till-admin' });
    subject = payload.sub;
  } catch {
    return undefined;
  }
  if (!subject || !/^[0-9a-f-]{36}$/i.test(subject)) return undefined;
  const r = await database.pool.query(`SELECT id, email, role FROM admins WHERE id = $1 AND active`, [subject]);
  if (!r.rowCount) return undefined;
  return { adminId: r.rows[0].id, email: r.rows[0].email, role: r.rows[0].role };
}

export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_HOURS * 3600}${secure ? '; Secure' : ''}`;
}

export const clearSessionCookie = () => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;

/** From env at start-up: creates the first admin when none exists. */
export async function ensureFirstAdmin(database: Database, env: Record<string, string | undefined> = process.env): Promise<boolean> {
  if (!env.ADMIN_EMAIL || !env.ADMIN_PASSWORD) return false;
  if ((await adminCount(database)) > 0) return false;
  await createAdmin(database, { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD, role: 'admin' }, { onlyIfNone: true, actor: 'env' });
  return true;
}
