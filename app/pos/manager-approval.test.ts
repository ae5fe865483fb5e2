// Manager approval at the register against a real register database: only an active manager of every
// company being closed approves, and wrong PINs count towards the PIN pad lockout.
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPin } from '../../core/pin-hash';
import { approveWithManagerPin, managerApprovalMessage } from './manager-approval';
import { openLocalRegisterDb, type LocalRegisterDb } from './local-register-db';
import { MAX_FAILURES } from './pin-lockout';

let pg: PGlite;
let db: LocalRegisterDb;
beforeAll(async () => {
  ({ pg, db } = await openLocalRegisterDb());
});
afterAll(() => pg.close());

describe('manager approval at the register', () => {
  it('approves with an active manager of every company closed; refuses cashiers, disabled and partial managers', async () => {
    const [co1, co2] = [crypto.randomUUID(), crypto.randomUUID()];
    const [maria, carl, dora, pat] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await pg.query(
      `INSERT INTO cashiers (id, name, pin_hash, active) VALUES ($1, 'Maria', $5, true), ($2, 'Carl', $6, true), ($3, 'Dora', $7, false), ($4, 'Pat', $8, true)`,
      [maria, carl, dora, pat, await hashPin('9999'), await hashPin('1234'), await hashPin('5555'), await hashPin('7777')],
    );
    await pg.query(
      `INSERT INTO cashier_companies (cashier_id, company_id, role) VALUES ($1, $5, 'manager'), ($1, $6, 'manager'), ($2, $5, 'cashier'), ($3, $5, 'manager'), ($4, $5, 'manager'), ($4, $6, 'cashier')`,
      [maria, carl, dora, pat, co1, co2],
    );
    let clock = Date.UTC(2026, 10, 30, 17);
    const now = () => clock;
    expect(await approveWithManagerPin(db, '9999', [co1, co2], now)).toEqual({ kind: 'ok', manager: { id: maria, name: 'Maria' } });
    expect(await approveWithManagerPin(db, '7777', [co1], now)).toEqual({ kind: 'ok', manager: { id: pat, name: 'Pat' } });
    const partial = await approveWithManagerPin(db, '7777', [co1, co2], now); // manager of co1 only
    expect(partial).toEqual({ kind: 'wrong', lockedForMs: 0 });
    expect(managerApprovalMessage(partial as Exclude<typeof partial, { kind: 'ok' }>)).toBe("Not a manager's PIN.");
    expect((await approveWithManagerPin(db, '1234', [co1], now)).kind).toBe('wrong'); // a cashier
    expect((await approveWithManagerPin(db, '5555', [co1], now)).kind).toBe('wrong'); // disabled
    for (let i = 0; i < MAX_FAILURES - 3; i++) await approveWithManagerPin(db, '0000', [co1], now);
    const locked = await approveWithManagerPin(db, '9999', [co1], now);
    expect(locked.kind).toBe('locked');
    clock += 60_000;
    expect((await approveWithManagerPin(db, '9999', [co1], now)).kind).toBe('ok');
  });
});
