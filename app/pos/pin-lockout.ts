// Repeated wrong PINs lock the PIN pad for a while, per register (kept across reloads).
export interface LockoutState {
  failures: number;
  lockedUntil: number;
}

export const MAX_FAILURES = 5;
export const LOCK_MS = 60_000;

export function afterFailure(s: LockoutState, now: number): LockoutState {
  const failures = s.failures + 1;
  return failures >= MAX_FAILURES ? { failures: 0, lockedUntil: now + LOCK_MS } : { failures, lockedUntil: s.lockedUntil };
}

export const afterSuccess = (): LockoutState => ({ failures: 0, lockedUntil: 0 });

export function lockedFor(s: LockoutState, now: number): number {
  return Math.max(0, s.lockedUntil - now);
}
