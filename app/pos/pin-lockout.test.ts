import { describe, expect, it } from 'vitest';
import { afterFailure, afterSuccess, LOCK_MS, lockedFor, MAX_FAILURES } from './pin-lockout';

describe('PIN lockout', () => {
  it('locks after repeated failures and unlocks after the wait', () => {
    let s = afterSuccess();
    for (let i = 0; i < MAX_FAILURES - 1; i++) s = afterFailure(s, 1000);
    expect(lockedFor(s, 1000)).toBe(0);
    s = afterFailure(s, 1000);
    expect(lockedFor(s, 1000)).toBe(LOCK_MS);
    expect(lockedFor(s, 1000 + LOCK_MS)).toBe(0);
    expect(afterSuccess()).toEqual({ failures: 0, lockedUntil: 0 });
  });
});
