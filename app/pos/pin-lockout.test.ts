// PIN pad lockout and PIN login against a real register database (in-memory PGlite with the register schema).
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPin } from '../../core/pin-hash';
import { loginWithPin, pinLoginMessage } from './pin-login';
import { openLocalRegisterDb, type LocalRegisterDb } from './local-register-db';
import { beginPinAttempt, clearPinAttempts, LOCK_MS, lockMsAfter, MAX_FAILURES, MAX_LOCK_MS, pinPadLockedFor } from './pin-lockout';

let pg: PGlite;
/** The database as the PIN screen sees it: through the register database protocol. */
let db: LocalRegisterDb;

// One database for the file (starting PGlite takes seconds); every test starts from an empty pad and no cashiers.
beforeAll(async () => {
  ({ pg, db } = await openLocalRegisterDb());
});
afterAll(async () => {
  await pg.close();
});
beforeEach(async () => {
  await pg.exec(`DELETE FROM pin_attempts; DELETE FROM cashier_companies; DELETE FROM cashiers;`);
});

/** Makes `n` attempts that all turn out wrong, each at `at`. */
async function failTimes(n: number, at: number) {
  for (let i = 0; i < n; i++) expect((await beginPinAttempt(pg, at)).allowed).toBe(true);
}

describe('PIN pad lockout', () => {
  it('locks for 60 s at the fifth wrong PIN in a row, then doubles with every further one, up to an hour', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9);
    await failTimes(MAX_FAILURES - 1, t0);
    expect(await pinPadLockedFor(pg, t0)).toBe(0);
    expect(await beginPinAttempt(pg, t0)).toEqual({ allowed: true, failures: MAX_FAILURES, lockMsIfWrong: LOCK_MS });
    expect(await pinPadLockedFor(pg, t0)).toBe(LOCK_MS);
    expect(await beginPinAttempt(pg, t0 + LOCK_MS - 1)).toEqual({ allowed: false, waitMs: 1 });

    const t1 = t0 + LOCK_MS;
    expect(await beginPinAttempt(pg, t1)).toEqual({ allowed: true, failures: MAX_FAILURES + 1, lockMsIfWrong: 2 * LOCK_MS });
    expect(await pinPadLockedFor(pg, t1 + LOCK_MS)).toBe(LOCK_MS);
    const t2 = t1 + 2 * LOCK_MS;
    expect(await beginPinAttempt(pg, t2)).toMatchObject({ lockMsIfWrong: 4 * LOCK_MS });

    expect([5, 6, 7, 10, 11, 12, 40].map(lockMsAfter)).toEqual([LOCK_MS, 2 * LOCK_MS, 4 * LOCK_MS, 32 * LOCK_MS, MAX_LOCK_MS, MAX_LOCK_MS, MAX_LOCK_MS]);
    expect(lockMsAfter(MAX_FAILURES - 1)).toBe(0);
  });

  it('starts counting again after a right PIN', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9);
    await failTimes(MAX_FAILURES, t0);
    await clearPinAttempts(pg);
    expect(await pinPadLockedFor(pg, t0)).toBe(0);
    await failTimes(MAX_FAILURES - 1, t0);
    expect(await pinPadLockedFor(pg, t0)).toBe(0);
  });

  it('counts an attempt before the PIN is checked, so parallel attempts cannot slip past the limit', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9);
    const gates = await Promise.all(Array.from({ length: 12 }, () => beginPinAttempt(pg, t0)));
    expect(gates.filter((g) => g.allowed)).toHaveLength(MAX_FAILURES);
    expect((await pg.query<{ failures: number }>(`SELECT failures FROM pin_attempts`)).rows).toEqual([{ failures: MAX_FAILURES }]);
  });

  it('does not let a clock set back stretch the lock beyond the longest one', async () => {
    const t0 = Date.UTC(2025, 0, 6, 9);
    await failTimes(MAX_FAILURES, t0);
    expect(await pinPadLockedFor(pg, t0 - 24 * 3600_000)).toBe(MAX_LOCK_MS);
  });
});

describe('PIN login on the register', () => {
  it('logs the cashier in with every company, refuses wrong PINs, locks the pad and clears it on success', { timeout: 90_000 }, async () => {
    const [ana, ben, gone] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const [co1, co2] = [crypto.randomUUID(), crypto.randomUUID()];
    await pg.query(`INSERT INTO cashiers (id, name, pin_hash, active) VALUES ($1, 'Ana', $4, true), ($2, 'Ben', $5, true), ($3, 'Gone', $6, false)`, [
      ana,
      ben,
      gone,
      await hashPin('1234'),
      await hashPin('567890'),
      await hashPin('1111'),
    ]);
    await pg.query(`INSERT INTO cashier_companies (cashier_id, company_id) VALUES ($1, $3), ($1, $4), ($2, $3), ($5, $3)`, [ana, ben, co1, co2, gone]);

    let clock = Date.UTC(2025, 0, 6, 9);
    const now = () => clock;
    const ok = await loginWithPin(db, '567890', now);
    expect(ok).toEqual({ kind: 'ok', cashier: { id: ben, name: 'Ben', companyIds: [co1] } });
    const anaIn = await loginWithPin(db, '1234', now);
    expect(anaIn.kind === 'ok' && anaIn.cashier.companyIds.sort()).toEqual([co1, co2].sort());

    const wrong = await loginWithPin(db, '1111', now); // a disabled cashier's PIN
    expect(wrong).toEqual({ kind: 'wrong', lockedForMs: 0 });
    expect(pinLoginMessage(wrong as Exclude<typeof wrong, { kind: 'ok' }>)).toBe('Wrong PIN.');
    for (let i = 0; i < MAX_FAILURES - 2; i++) expect((await loginWithPin(db, '0000', now)).kind).toBe('wrong');
    const fifth = await loginWithPin(db, '9999', now);
    expect(fifth).toEqual({ kind: 'wrong', lockedForMs: LOCK_MS });
    expect(pinLoginMessage(fifth as Exclude<typeof fifth, { kind: 'ok' }>)).toBe('Too many wrong PINs. The PIN pad is locked for 60 s.');

    // While locked even the right PIN is refused without being checked.
    clock += 30_000;
    const locked = await loginWithPin(db, '1234', now);
    expect(locked).toEqual({ kind: 'locked', waitMs: 30_000 });
    expect(pinLoginMessage(locked as Exclude<typeof locked, { kind: 'ok' }>)).toBe('Too many wrong PINs. Try again in 30 s.');

    clock += 30_000;
    expect((await loginWithPin(db, '1234', now)).kind).toBe('ok');
    expect((await pg.query(`SELECT failures, locked_until FROM pin_attempts`)).rows).toEqual([{ failures: 0, locked_until: null }]);
  });
});
