// A manager approves a large shift variance at the register by typing their PIN: checked offline
// against the synced hashes of active cashiers with the manager role in every company being closed,
// behind the same PIN pad lockout as sign-in. The edge checks the approver again (ADR 701).
import { verifyPin } from '../../core/pin-hash';
import type { RegisterDb } from '../../sync/register/db-protocol';
import { clearPinAttempts } from './pin-lockout';
import type { RegisterProcedures } from './register-procedures';

export type ManagerApproval =
  { kind: 'ok'; manager: { id: string; name: string } } | { kind: 'wrong'; lockedForMs: number } | { kind: 'locked'; waitMs: number };

type Db = RegisterDb<Pick<RegisterProcedures, 'beginPinAttempt'>>;

export async function approveWithManagerPin(pg: Db, pin: string, companyIds: string[], now: () => number = Date.now): Promise<ManagerApproval> {
  const gate = await pg.call('beginPinAttempt', now());
  if (!gate.allowed) return { kind: 'locked', waitMs: gate.waitMs };
  const managers = (
    await pg.query<{ id: string; name: string; pin_hash: string }>(
      `SELECT c.id, c.name, c.pin_hash FROM cashiers c
        WHERE c.active AND (SELECT count(*) FROM cashier_companies cc
                             WHERE cc.cashier_id = c.id AND cc.role = 'manager' AND cc.company_id = ANY($1::uuid[])) = cardinality($1::uuid[])`,
      [companyIds],
    )
  ).rows;
  for (const m of managers) {
    if (await verifyPin(pin, m.pin_hash)) {
      await clearPinAttempts(pg);
      return { kind: 'ok', manager: { id: m.id, name: m.name } };
    }
  }
  return { kind: 'wrong', lockedForMs: gate.lockMsIfWrong };
}

/** What the approval box says after a refused PIN. */
export function managerApprovalMessage(r: Exclude<ManagerApproval, { kind: 'ok' }>): string {
  if (r.kind === 'locked') return `Too many wrong PINs. Try again in ${Math.ceil(r.waitMs / 1000)} s.`;
  return r.lockedForMs > 0 ? `Not a manager's PIN. The PIN pad is locked for ${Math.ceil(r.lockedForMs / 1000)} s.` : "Not a manager's PIN.";
}
