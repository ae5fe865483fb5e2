// Shared plumbing for back-office changes: typed errors that name the field, one transaction per
// change, and audit entries with secrets redacted.
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import type { Database } from '../db/client';
import { withTransaction } from '../db/transaction';
import { MoneyParseError, parseDecimal } from '../core/parse-decimal';

export class AdminError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** Parses input with a zod schema; the first problem becomes a 400 naming its field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.map(String).join('.') || null;
  throw new AdminError(400, field ? `${field}: ${issue.message}` : issue.message, field);
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
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export async function writeAudit(client: Pick<PoolClient, 'query'>, e: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, before, after) VALUES ('admin', $1, $2, $3, $4, $5, $6)`,
    [
      e.actor,
      e.action,
      e.entity,
      e.entityId,
      e.before === undefined ? null : JSON.stringify(redact(e.before)),
      e.after === undefined ? null : JSON.stringify(redact(e.after)),
    ],
  );
}

/** A decimal typed by a person ("12.50") as integer minor units; errors name the field. */
export function parseAmount(text: string, exponent: number, field: string, opts: { allowNegative?: boolean; allowZero?: boolean } = {}): number {
  let v: number;
  try {
    v = parseDecimal(text, { exponent });
  } catch (e) {
    if (e instanceof MoneyParseError) throw new AdminError(400, `${field}: ${e.message}`, field);
    throw e;
  }
  if (!opts.allowNegative && v < 0) throw new AdminError(400, `${field}: must not be negative`, field);
  if (opts.allowZero === false && v === 0) throw new AdminError(400, `${field}: must be more than zero`, field);
  if (Math.abs(v) > 2_147_483_647) throw new AdminError(400, `${field}: is too large`, field);
  return v;
}

/** "20", "5.5", "7.25" percent → basis points (2000, 550, 725), read as text; at most 100 %. */
export function parseRatePercent(text: string, field = 'rate'): number {
  const t = text.trim().replace(/\s*%$/, '');
  if (!/^[0-9]{1,3}(\.[0-9]{1,2})?$/.test(t)) {
    throw new AdminError(400, `${field}: enter a percentage with up to 2 decimals, like 20 or 5.5`, field);
  }
  const bp = parseDecimal(t, { exponent: 2 });
  if (bp > 10_000) throw new AdminError(400, `${field}: must be at most 100 %`, field);
  return bp;
}

/** Postgres unique violation (23505), optionally on a named constraint. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const err = e as { code?: string; constraint?: string } | null;
  return err?.code === '23505' && (!constraint || err.constraint === constraint);
}

export type ActionBody<T> = ({ ok: true } & T) | { ok: false; error: string; field: string | null };

/** For route actions: the service result, or the AdminError as a body and status. */
export async function runAdminAction<T extends object>(fn: () => Promise<T>): Promise<{ status: number; body: ActionBody<T> }> {
  try {
    return { status: 200, body: { ok: true, ...(await fn()) } };
  } catch (e) {
    if (e instanceof AdminError) return { status: e.status, body: { ok: false, error: e.message, field: e.field } };
    throw e;
  }
}

export { UUID_RE } from '../core/ids';
