// PIN login on the register, offline: the PIN is checked against the synced hashes of active cashiers,
// behind the PIN pad lockout. One PIN logs the cashier into every company they belong to.
import * as z from 'zod';
import { verifyPin } from '../../core/pin-hash';
import type { RegisterDb } from '../../sync/register/db-protocol';
import { clearPinAttempts } from './pin-lockout';
import type { RegisterProcedures } from './register-procedures';

export const cashierSchema = z.object({ id: z.string(), name: z.string(), companyIds: z.array(z.string()) });
export type Cashier = z.infer<typeof cashierSchema>;

export type PinLoginResult = { kind: 'ok'; cashier: Cashier } | { kind: 'wrong'; lockedForMs: number } | { kind: 'locked'; waitMs: number };

type Db = RegisterDb<Pick<RegisterProcedures, 'beginPinAttempt'>>;

export async function loginWithPin(pg: Db, pin: string, now: () => number = Date.now): Promise<PinLoginResult> {
  const gate = await pg.call('beginPinAttempt', now());
  if (!gate.allowed) return { kind: 'locked', waitMs: gate.waitMs };
  // Every hash is a full scrypt, so this runs outside any transaction: sync keeps writing meanwhile.
  const rows = (
    await pg.query<{ id: string; name: string; pin_hash: string; company_ids: string[] }>(
      `SELECT c.id, c.name, c.pin_hash, array_agg(cc.company_id::text) AS company_ids
         FROM cashiers c JOIN cashier_companies cc ON cc.cashier_id = c.id WHERE c.active GROUP BY c.id`,
    )
  ).rows;
  for (const row of rows) {
    if (await verifyPin(pin, row.pin_hash)) {
      await clearPinAttempts(pg);
      return { kind: 'ok', cashier: { id: row.id, name: row.name, companyIds: row.company_ids } };
    }
  }
  return { kind: 'wrong', lockedForMs: gate.lockMsIfWrong };
}

/** What the PIN screen says after a refused attempt. */
export function pinLoginMessage(r: Exclude<PinLoginResult, { kind: 'ok' }>): string {
  if (r.kind === 'locked') return `Too many wrong PINs. Try again in ${Math.ceil(r.waitMs / 1000)} s.`;
  return r.lockedForMs > 0 ? `Too many wrong PINs. The PIN pad is locked for ${Math.ceil(r.lockedForMs / 1000)} s.` : 'Wrong PIN.';
}
