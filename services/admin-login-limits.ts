// Sign-in throttling with progressive delay. Each attempt is counted by one atomic upsert on its key
// (so parallel attempts cannot all read "0 failures" and slip through), and after a few free attempts
// the next one must wait base·2^n seconds, capped at a few minutes: a guesser is slowed to a crawl while
// the real admin is never locked out for longer than the cap.
import { one, type Cols, type Queryable } from '../db/query';
import type { adminLoginLimits } from '../db/schema';

export interface LimitPolicy {
  /** attempts allowed back to back before any delay */
  free: number;
  baseSeconds: number;
  capSeconds: number;
  /** a key with no attempt for this long starts again from zero */
  resetAfterSeconds: number;
}

export const ACCOUNT_LIMIT: LimitPolicy = { free: 5, baseSeconds: 2, capSeconds: 300, resetAfterSeconds: 3600 };
export const CLIENT_LIMIT: LimitPolicy = { free: 20, baseSeconds: 2, capSeconds: 300, resetAfterSeconds: 3600 };

export interface Claim {
  key: string;
  allowed: boolean;
  attempts: number;
  /** seconds until the next attempt on this key is allowed (0 when it may go now) */
  retryAfterSeconds: number;
}

// The wait after the n-th attempt: none for the first free-1, then base·2^k; the exponent is capped so
// power() cannot overflow. clock_timestamp(), not now(): attempts queued on the row lock started earlier
// than the one they wait for, and must be judged by when they actually run.
const delay = (n: string) => `CASE WHEN ${n} < $2 THEN 0 ELSE LEAST($4::float8, $3::float8 * power(2, LEAST(${n} - $2, 30))) END`;

/**
 * Counts one attempt on `key` and says whether it may proceed. The delay for the *next* attempt is set
 * here, before the password is checked, so a burst is throttled however fast it arrives; a success
 * calls `clearAttempts`. Attempts refused while waiting are counted but do not push the wait further.
 */
export async function claimAttempt(db: Queryable, key: string, policy: LimitPolicy): Promise<Claim> {
  const next = `CASE WHEN l.updated_at < clock_timestamp() - make_interval(secs => $5) THEN 1 ELSE l.attempts + 1 END`;
  const row = await one<Cols<typeof adminLoginLimits, 'attempts' | 'allowed'> & { wait: number }>(
    db,
    `INSERT INTO admin_login_limits AS l (key, attempts, allowed, not_before, updated_at)
     VALUES ($1, 1, true, clock_timestamp() + make_interval(secs => ${delay('1')}), clock_timestamp())
     ON CONFLICT (key) DO UPDATE SET
       attempts = ${next},
       allowed = l.not_before <= clock_timestamp(),
       not_before = CASE WHEN l.not_before <= clock_timestamp() THEN clock_timestamp() + make_interval(secs => ${delay(next)}) ELSE l.not_before END,
       updated_at = clock_timestamp()
     RETURNING attempts, allowed, GREATEST(0, ceil(extract(epoch FROM not_before - clock_timestamp())))::int AS wait`,
    [key, policy.free, policy.baseSeconds, policy.capSeconds, policy.resetAfterSeconds],
  );
  return { key, allowed: row.allowed, attempts: row.attempts, retryAfterSeconds: row.allowed ? 0 : Math.max(1, row.wait) };
}

/** After a success: these keys start from zero again. Old rows are dropped on the way. */
export async function clearAttempts(db: Queryable, keys: string[]): Promise<void> {
  await db.query(`DELETE FROM admin_login_limits WHERE key = ANY($1::text[]) OR updated_at < now() - interval '1 day'`, [keys]);
}
