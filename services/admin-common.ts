// Shared plumbing for back-office changes: input errors that name the field (DomainError), one
// transaction per change, and audit entries with secrets redacted.
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import type { Database } from '../db/client';
import { withTransaction } from '../db/transaction';
import { DomainError, invalidInput } from '../core/errors';
import { MoneyParseError, parseDecimal } from '../core/parse-decimal';
import { percentToBp } from './forms/fields';

/** Parses input with a zod schema; the first problem becomes an `invalid` DomainError naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  throw invalidInput(r.error.issues, { fieldInMessage: true });
}

/** Runs `fn` in one transaction (db/transaction.ts). */
export const inTransaction = <T>(database: Database, fn: (client: PoolClient) => Promise<T>): Promise<T> => withTransaction(database, fn);

const SECRET_KEYS = new Set(['pin_hash', 'pinHash', 'password_hash', 'passwordHash', 'pin', 'password', 'pairing_code_hash', 'token_id']);

/** A deep copy with every secret-bearing field replaced by "[redacted]". */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.has(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

export interface AuditEntry {
  /** Who did it: a back-office user (the default) or a register device. */
  actorType?: 'admin' | 'device';
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(client: Pick<PoolClient, 'query'>, e: AuditEntry): Promise<void> {
  await client.query(`INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, before, after) VALUES ($7, $1, $2, $3, $4, $5, $6)`, [
    e.actor,
    e.action,
    e.entity,
    e.entityId,
    e.before === undefined ? null : JSON.stringify(redact(e.before)),
    e.after === undefined ? null : JSON.stringify(redact(e.after)),
    e.actorType ?? 'admin',
  ]);
}

/** A decimal typed by a person ("12.50") as integer minor units; errors name the field. */
export function parseAmount(text: string, exponent: number, field: string, opts: { allowNegative?: boolean; allowZero?: boolean } = {}): number {
  let v: number;
  try {
    v = parseDecimal(text, { exponent });
  } catch (e) {
    if (e instanceof MoneyParseError) throw new DomainError('invalid', field, `${field}: ${e.message}`);
    throw e;
  }
  if (!opts.allowNegative && v < 0) throw new DomainError('invalid', field, `${field}: must not be negative`);
  if (opts.allowZero === false && v === 0) throw new DomainError('invalid', field, `${field}: must be more than zero`);
  if (Math.abs(v) > 2_147_483_647) throw new DomainError('invalid', field, `${field}: is too large`);
  return v;
}

/** "20", "5.5", "7.25" percent → basis points (2000, 550, 725), read as text; at most 100 %. */
export function parseRatePercent(text: string, field = 'rate'): number {
  const r = percentToBp(text);
  if ('problem' in r) throw new DomainError('invalid', field, `${field}: ${r.problem}`);
  return r.bp;
}

/** Postgres unique violation (23505), optionally on a named constraint. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && (!constraint || err.constraint === constraint);
}

export { UUID_RE } from '../core/ids';
