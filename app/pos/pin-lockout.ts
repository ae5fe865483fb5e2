// Wrong PINs lock this register's PIN pad, progressively: the 5th wrong PIN in a row locks it for 60 s,
// every further wrong PIN doubles the wait (capped at an hour); a right PIN clears it. The state lives in
// the register database (`pin_attempts`), so it survives reloads and restarts.
// An attempt is charged *before* the PIN is checked, so closing the page during the check, or firing
// attempts in parallel, cannot get a guess past the counter.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { Queryable } from '../../sync/register/db-protocol';

export const MAX_FAILURES = 5;
export const LOCK_MS = 60_000;
export const MAX_LOCK_MS = 60 * 60_000;

type Db = Pick<PGliteInterface, 'query' | 'transaction'>;

/** How long the pad locks once `failures` wrong PINs in a row have been made (0: not locked). */
export function lockMsAfter(failures: number): number {
  if (failures < MAX_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, LOCK_MS * 2 ** Math.min(failures - MAX_FAILURES, 30));
}

export type AttemptGate =
  /** Go ahead and check the PIN; if it is wrong, the pad is now locked for `lockMsIfWrong`. */
  { allowed: true; failures: number; lockMsIfWrong: number } | { allowed: false; waitMs: number };

// A clock set back must not stretch a lock beyond the longest one.
const remaining = (lockedUntil: Date | null, now: number) => (lockedUntil ? Math.min(MAX_LOCK_MS, Math.max(0, lockedUntil.getTime() - now)) : 0);

/** Refuses while the pad is locked; otherwise counts this attempt as a failure until `clearPinAttempts`. */
export async function beginPinAttempt(pg: Db, now: number): Promise<AttemptGate> {
  return pg.transaction(async (tx) => {
    await tx.query(`INSERT INTO pin_attempts (id) VALUES (1) ON CONFLICT (id) DO NOTHING`);
    const row = (await tx.query<{ failures: number; locked_until: Date | null }>(`SELECT failures, locked_until FROM pin_attempts WHERE id = 1`)).rows[0]!;
    const waitMs = remaining(row.locked_until, now);
    if (waitMs > 0) return { allowed: false, waitMs };
    const failures = row.failures + 1;
    const lockMs = lockMsAfter(failures);
    await tx.query(`UPDATE pin_attempts SET failures = $1, locked_until = $2, updated_at = now() WHERE id = 1`, [
      failures,
      lockMs > 0 ? new Date(now + lockMs) : null,
    ]);
    return { allowed: true, failures, lockMsIfWrong: lockMs };
  });
}

/** A right PIN: the count starts again. */
export async function clearPinAttempts(pg: Queryable): Promise<void> {
  await pg.query(`UPDATE pin_attempts SET failures = 0, locked_until = NULL, updated_at = now() WHERE id = 1`);
}

/** How long the pad stays locked from `now` (0: open). */
export async function pinPadLockedFor(pg: Queryable, now: number): Promise<number> {
  const row = (await pg.query<{ locked_until: Date | null }>(`SELECT locked_until FROM pin_attempts WHERE id = 1`)).rows[0];
  return remaining(row?.locked_until ?? null, now);
}
