// Register identity: an admin-issued pairing code is exchanged for a signed device token.
// The token names the register and a token id; every call re-checks the devices in the database,
// so revoking a device takes effect at once. Tokens expire (DEVICE_TOKEN_TTL_DAYS) and are renewed
// under the same token id while the device stays active (see ADR 003, "Device tokens").
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { DomainError } from '../core/errors';
import { registerCodeForEpoch } from '../core/receipt-number';
import type { PoolClient } from 'pg';
import type { Database } from '../db/client';
import { execute, many, one, type Cols, type SqlRow } from '../db/query';
import type { companies, devices, edgeKeys, registers } from '../db/schema';
import { serverConfig } from '../config/server-config';

const ISSUER = 'till-edge';
const AUDIENCE = 'till-register';
const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

const DAY = 86_400;
/** Lifetime of a device token, in seconds. */
export const deviceTokenTtlSeconds = () => Math.round(serverConfig().DEVICE_TOKEN_TTL_DAYS * DAY);
/** How long after expiry a token may still be exchanged at the renew endpoint (an offline register). */
export const deviceTokenRenewGraceSeconds = () => Math.round(serverConfig().DEVICE_TOKEN_RENEW_GRACE_DAYS * DAY);

let cachedKey: Uint8Array | undefined;

async function signingKey(database: Database): Promise<Uint8Array> {
  if (cachedKey) return cachedKey;
  await execute(database.pool, `INSERT INTO edge_keys (name, value) VALUES ('device-token', $1) ON CONFLICT (name) DO NOTHING`, [
    randomBytes(32).toString('base64'),
  ]);
  const { value } = await one<Cols<typeof edgeKeys, 'value'>>(database.pool, `SELECT value FROM edge_keys WHERE name = 'device-token'`);
  cachedKey = new Uint8Array(Buffer.from(value, 'base64'));
  return cachedKey;
}

const hashCode = (code: string) =>
  createHash('sha256')
    .update(code.replace(/[^A-Z0-9]/gi, '').toUpperCase())
    .digest('hex');

/**
 * A fresh 10-character code (≈50 bits), valid for `ttlMinutes`, for every company device of the register.
 * Pairing again (also after a revoke) moves the register to a new browser; the old token stops working.
 */
export async function issuePairingCode(
  database: Database,
  registerId: string,
  opts: { ttlMinutes?: number; actor?: string } = {},
): Promise<{ code: string; expiresAt: Date }> {
  const bytes = randomBytes(10);
  const raw = Array.from(bytes, (b) => PAIRING_ALPHABET[b % PAIRING_ALPHABET.length]).join('');
  const code = `${raw.slice(0, 5)}-${raw.slice(5)}`;
  const expiresAt = new Date(Date.now() + (opts.ttlMinutes ?? 15) * 60_000);
  const updated = await execute(database.pool, `UPDATE devices SET pairing_code_hash = $2, pairing_expires_at = $3 WHERE register_id = $1`, [
    registerId,
    hashCode(code),
    expiresAt,
  ]);
  if (!updated) throw new DomainError('not_found', 'registerId', 'register has no devices that can be paired');
  await execute(
    database.pool,
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ('admin', $1, 'register.pairing_code', 'register', $2)`,
    [opts.actor ?? 'system', registerId],
  );
  return { code, expiresAt };
}

export interface PairedDevice {
  id: string;
  companyId: string;
  companyCode: string;
  code: string;
  warehouseId: string | null;
}

export interface DeviceIdentity {
  registerId: string;
  registerCode: string;
  tokenId: string;
  devices: PairedDevice[];
  companyIds: string[];
  /** Of the token presented (seconds since the epoch); unset right after pairing. */
  tokenIssuedAt?: number;
  tokenExpiresAt?: number;
}

/** Exchanges a pairing code for a token; binds the register's device in every company to this browser. */
export async function pairRegister(
  database: Database,
  input: { pairingCode: string; appVersion: string; origin?: string },
): Promise<{ token: string; identity: DeviceIdentity; lastReceiptNumbers: Record<string, string | null> }> {
  const tokenId = randomUUID();
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const [found] = await many<Cols<typeof devices, 'id' | 'register_id'>>(
      client,
      `SELECT d.id, d.register_id FROM devices d
        WHERE d.pairing_code_hash = $1 AND d.pairing_expires_at > now() FOR UPDATE`,
      [hashCode(input.pairingCode)],
    );
    if (!found) throw new DomainError('unauthenticated', 'pairingCode', 'pairing code is invalid or has expired');
    const registerId = found.register_id;
    await refuseSecondOrigin(client, registerId, input.origin);
    // A device paired before gets the next epoch code (R01 → R01B …): the browser it leaves may have
    // printed receipts that never reached the edge, so its numbers are never handed out again (ADR 102).
    const again = await many<EpochDevice>(
      client,
      `SELECT d.id, d.company_id, d.code, g.code AS base FROM devices d JOIN registers g ON g.id = d.register_id
        WHERE d.register_id = $1 AND d.pairing_code_hash IS NOT NULL AND d.paired_at IS NOT NULL`,
      [registerId],
    );
    for (const d of again) await advanceDeviceEpoch(client, d);
    await execute(
      client,
      `UPDATE devices SET status = 'active', token_id = $2, paired_at = now(), last_seen_at = now(), app_version = $3,
              pairing_code_hash = NULL, pairing_expires_at = NULL, queue_depth = 0, paired_origin = $4
        WHERE register_id = $1 AND pairing_code_hash IS NOT NULL`,
      [registerId, tokenId, input.appVersion, input.origin ?? null],
    );
    await execute(
      client,
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('device', $1, 'register.paired', 'register', $1, $2)`,
      [registerId, JSON.stringify({ appVersion: input.appVersion, origin: input.origin ?? null })],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    const audit = (e as { audit?: { registerId: string } }).audit;
    if (audit) {
      await execute(
        database.pool,
        `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('device', $1, 'register.pair_refused', 'register', $1, $2)`,
        [audit.registerId, JSON.stringify(audit)],
      );
    }
    throw e;
  } finally {
    client.release();
  }
  const identity = await loadDeviceIdentity(database, { tokenId });
  if (!identity) throw new DomainError('unauthenticated', 'pairingCode', 'pairing failed');
  const { token } = await signDeviceToken(database, identity.registerId, tokenId);
  // Numbering resumes after the highest number the edge has seen in the device's current series only:
  // a re-paired register starts a new series (R01 → R01B), and an earlier series' last number would
  // not parse as this one's.
  const last = await many<Cols<typeof devices, 'id'> & { last: string | null }>(
    database.pool,
    `SELECT d.id, (SELECT s.receipt_number FROM sales s
                    WHERE s.device_id = d.id AND s.receipt_number LIKE c.code || '-' || d.code || '-%'
                    ORDER BY s.receipt_number DESC LIMIT 1) AS last
       FROM devices d JOIN companies c ON c.id = d.company_id WHERE d.register_id = $1`,
    [identity.registerId],
  );
  return { token, identity, lastReceiptNumbers: Object.fromEntries(last.map((r) => [r.id, r.last])) };
}

/**
 * Moves a device to its next free epoch code (R01 → R01B …) and returns it. Codes only move forward,
 * so the current one is the device's latest epoch (ADR 102). Used by pairing and by a restore.
 */
/** A device as `advanceDeviceEpoch` needs it: `base` is its register's code (the epoch-1 code). */
type EpochDevice = Cols<typeof devices, 'id' | 'company_id' | 'code'> & { base: SqlRow<typeof registers>['code'] };

export async function advanceDeviceEpoch(client: PoolClient, d: EpochDevice): Promise<string> {
  let epoch = 1;
  while (epoch < 10_000 && registerCodeForEpoch(d.base, epoch) !== d.code) epoch++;
  for (epoch++; ; epoch++) {
    const code = registerCodeForEpoch(d.base, epoch);
    const taken = await many<{ '?column?': number }>(client, `SELECT 1 FROM devices WHERE company_id = $1 AND code = $2`, [d.company_id, code]);
    if (!taken.length) {
      await execute(client, `UPDATE devices SET code = $2 WHERE id = $1`, [d.id, code]);
      return code;
    }
  }
}

/**
 * One stable origin per register: its local database, outbox and offline shell belong to the origin it
 * paired from. Pairing from another origin while the edge last heard of unsynced sales queued under the
 * current one would strand them, so it is refused (and audited) until that queue is empty or the
 * register is revoked (the admin's explicit "those sales are gone").
 */
async function refuseSecondOrigin(client: PoolClient, registerId: string, origin: string | undefined) {
  const rows = await many<{ paired_origin: string; queued: number; code: SqlRow<typeof registers>['code'] }>(
    client,
    `SELECT d.paired_origin, sum(d.queue_depth)::int AS queued, g.code
       FROM devices d JOIN registers g ON g.id = d.register_id
      WHERE d.register_id = $1 AND d.status = 'active' AND d.paired_origin IS NOT NULL AND d.queue_depth > 0
      GROUP BY d.paired_origin, g.code`,
    [registerId],
  );
  const stranded = rows.find((x) => x.paired_origin !== origin);
  if (!stranded) return;
  throw Object.assign(
    new DomainError(
      'conflict',
      'pairingCode',
      `register ${stranded.code} still has ${stranded.queued} unsynced sale(s) queued at ${stranded.paired_origin}: open the POS there until its queue is empty, or revoke the register in Admin → Registers to abandon them`,
    ),
    { audit: { registerId, origin: origin ?? null, queuedAt: stranded.paired_origin, queued: stranded.queued } },
  );
}

/** A signed token for the register's current token id, valid for DEVICE_TOKEN_TTL_DAYS from `issuedAt`. */
export async function signDeviceToken(
  database: Database,
  registerId: string,
  tokenId: string,
  opts: { issuedAt?: Date; ttlSeconds?: number } = {},
): Promise<{ token: string; expiresAt: Date }> {
  const iat = Math.floor((opts.issuedAt ?? new Date()).getTime() / 1000);
  const exp = iat + (opts.ttlSeconds ?? deviceTokenTtlSeconds());
  const token = await new SignJWT({ reg: registerId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(tokenId)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(await signingKey(database));
  return { token, expiresAt: new Date(exp * 1000) };
}

type IdentityDeviceRow = Cols<typeof devices, 'id' | 'company_id' | 'code' | 'warehouse_id' | 'register_id'> & {
  company_code: SqlRow<typeof companies>['code'];
  register_code: SqlRow<typeof registers>['code'];
};

/**
 * A register's identity from its device rows, one per company: the active devices holding a token
 * (`{ tokenId }`, the device check), or every device of a register (`{ registerId, tokenId }`, for the
 * Outbox's retry, where the admin vouches for an event its register sent before a re-pair).
 */
export async function loadDeviceIdentity(
  database: Database,
  lookup: { tokenId: string; registerId?: undefined } | { registerId: string; tokenId: string },
): Promise<DeviceIdentity | undefined> {
  const byRegister = lookup.registerId !== undefined;
  const rows = await many<IdentityDeviceRow>(
    database.pool,
    `SELECT d.id, d.company_id, c.code AS company_code, d.code, d.warehouse_id, d.register_id, g.code AS register_code
       FROM devices d JOIN companies c ON c.id = d.company_id JOIN registers g ON g.id = d.register_id
      WHERE ${byRegister ? 'd.register_id = $1' : "d.token_id = $1 AND d.status = 'active'"} ORDER BY c.code`,
    [byRegister ? lookup.registerId : lookup.tokenId],
  );
  const first = rows[0];
  if (!first) return undefined;
  const paired: PairedDevice[] = rows.map((x) => ({
    id: x.id,
    companyId: x.company_id,
    companyCode: x.company_code,
    code: x.code,
    warehouseId: x.warehouse_id,
  }));
  return {
    registerId: first.register_id,
    registerCode: first.register_code,
    tokenId: lookup.tokenId,
    devices: paired,
    companyIds: paired.map((d) => d.companyId),
  };
}

type VerifiedToken = { tokenId: string; issuedAt: number; expiresAt: number };

/**
 * Checks signature, issuer and audience; expiry is reported, not thrown, so the renew endpoint can
 * accept a recently expired token. Tokens from before expiry existed (no `exp`) expire `iat` + TTL.
 * A failure to read the key (database down) propagates: it is not the token's fault.
 */
async function verifyToken(database: Database, token: string): Promise<VerifiedToken & { expired: boolean }> {
  const key = await signingKey(database);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE }));
  } catch (e) {
    // jose checks the signature before the claims, so an expired token's payload is authentic.
    if (e instanceof joseErrors.JWTExpired) payload = e.payload;
    else throw new DomainError('unauthenticated', 'authorization', 'device token is invalid');
  }
  if (typeof payload.jti !== 'string' || typeof payload.iat !== 'number') throw new DomainError('unauthenticated', 'authorization', 'device token is invalid');
  const expiresAt = typeof payload.exp === 'number' ? payload.exp : payload.iat + deviceTokenTtlSeconds();
  return { tokenId: payload.jti, issuedAt: payload.iat, expiresAt, expired: Date.now() / 1000 >= expiresAt };
}

/**
 * Verifies `Authorization: Bearer <token>` and returns the devices still active under it.
 * `allowExpired` (the renew endpoint only) accepts a token expired less than the grace period ago.
 */
export async function authenticateDevice(
  database: Database,
  authorization: string | undefined,
  opts: { appVersion?: string; queueDepth?: number; allowExpired?: boolean } = {},
): Promise<DeviceIdentity> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw new DomainError('unauthenticated', 'authorization', 'device token required');
  const verified = await verifyToken(database, m[1]!);
  if (verified.expired) {
    const withinGrace = Date.now() / 1000 < verified.expiresAt + deviceTokenRenewGraceSeconds();
    if (!opts.allowExpired || !withinGrace) {
      throw new DomainError(
        'unauthenticated',
        'authorization',
        opts.allowExpired ? 'device token expired too long ago; pair the register again' : 'device token has expired; renew it',
        opts.allowExpired ? {} : { code: 'token_expired' },
      );
    }
  }
  const { tokenId } = verified;
  const identity = await loadDeviceIdentity(database, { tokenId });
  if (!identity) throw new DomainError('unauthenticated', 'authorization', 'device has been revoked or re-paired', { code: 'revoked' });
  // Last seen is written at most every 30 s per register: long-polls must not turn into writes.
  await execute(
    database.pool,
    `UPDATE devices SET last_seen_at = now(), app_version = COALESCE($2, app_version), queue_depth = COALESCE($3, queue_depth)
      WHERE token_id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds' OR $3::int IS NOT NULL)`,
    [tokenId, opts.appVersion ?? null, opts.queueDepth ?? null],
  );
  return { ...identity, tokenIssuedAt: verified.issuedAt, tokenExpiresAt: verified.expiresAt };
}

/** Past half its life (or expired): the register should get a fresh token. */
export function tokenNeedsRenewal(identity: DeviceIdentity, nowSeconds = Date.now() / 1000): boolean {
  if (identity.tokenIssuedAt === undefined || identity.tokenExpiresAt === undefined) return false;
  return nowSeconds >= identity.tokenIssuedAt + (identity.tokenExpiresAt - identity.tokenIssuedAt) / 2;
}

/**
 * A fresh token under the same token id: revoking still works by id, and a register that never
 * receives the answer keeps a token that is still valid (or still renewable).
 */
export async function renewDeviceToken(database: Database, identity: DeviceIdentity): Promise<{ token: string; expiresAt: Date }> {
  return signDeviceToken(database, identity.registerId, identity.tokenId);
}

/**
 * Revokes one company device of a register, or all of them. Any pairing code issued before the
 * revoke dies with it (for every device of the register): pairing again needs a new code.
 */
export async function revokeDevices(database: Database, registerId: string, opts: { companyId?: string; actor?: string } = {}) {
  const revoked = await execute(
    database.pool,
    `UPDATE devices SET status = 'revoked', revoked_at = now(), token_id = NULL
      WHERE register_id = $1 AND ($2::uuid IS NULL OR company_id = $2) AND status <> 'revoked'`,
    [registerId, opts.companyId ?? null],
  );
  await execute(database.pool, `UPDATE devices SET pairing_code_hash = NULL, pairing_expires_at = NULL WHERE register_id = $1`, [registerId]);
  await execute(
    database.pool,
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'register.revoked', 'register', $2, $3)`,
    [opts.actor ?? 'system', registerId, JSON.stringify({ companyId: opts.companyId ?? null, devices: revoked })],
  );
  return revoked;
}

const PAIRING_FAILURE_WINDOW = '15 minutes';
const maxPairingFailures = () => serverConfig().PAIRING_MAX_FAILURES;

/**
 * Pairing is anonymous (the code is the credential), so wrong codes are limited per client address:
 * true while the address may still try. Failures are kept in the audit log, at most the limit per
 * address and window, so guessing cannot fill it either.
 */
export async function pairingAllowed(database: Database, clientAddress: string): Promise<boolean> {
  const { n } = await one<{ n: number }>(
    database.pool,
    `SELECT count(*)::int AS n FROM audit_log
      WHERE action = 'register.pairing_failed' AND entity_id = $1 AND created_at > now() - $2::interval`,
    [clientAddress, PAIRING_FAILURE_WINDOW],
  );
  return n < maxPairingFailures();
}

export async function recordPairingFailure(database: Database, clientAddress: string): Promise<void> {
  await execute(
    database.pool,
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id) VALUES ('device', 'anonymous', 'register.pairing_failed', 'client', $1)`,
    [clientAddress.slice(0, 64)],
  );
}
