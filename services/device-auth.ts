// Register identity: an admin-issued pairing code is exchanged for a signed device token.
// The token names the register and a token id; every call re-checks the devices in the database,
// so revoking a device takes effect at once.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { registerCodeForEpoch } from '../core/receipt-number';
import type { Database } from '../db/client';

const ISSUER = 'till-edge';
const AUDIENCE = 'till-register';
const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'; // no 0/O, 1/I

export class DeviceAuthError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

let cachedKey: Uint8Array | undefined;

async function signingKey(database: Database): Promise<Uint8Array> {
  if (cachedKey) return cachedKey;
  await database.pool.query(
    `INSERT INTO edge_keys (name, value) VALUES ('device-token', $1) ON CONFLICT (name) DO NOTHING`,
    [randomBytes(32).toString('base64')],
  );
  const r = await database.pool.query(`SELECT value FROM edge_keys WHERE name = 'device-token'`);
  cachedKey = new Uint8Array(Buffer.from(r.rows[0].value, 'base64'));
  return cachedKey;
}

const hashCode = (code: string) => createHash('sha256').update(code.replace(/[^A-Z0-9]/gi, '').toUpperCase()).digest('hex');

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
  const r = await database.pool.query(
    `UPDATE devices SET pairing_code_hash = $2, pairing_expires_at = $3 WHERE register_id = $1`,
    [registerId, hashCode(code), expiresAt],
  );
  if (!r.rowCount) throw new DeviceAuthError(404, 'register has no devices that can be paired');
  await database.pool.query(
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
}

/** Exchanges a pairing code for a token; binds the register's device in every company to this browser. */
export async function pairRegister(
  database: Database,
  input: { pairingCode: string; appVersion: string },
): Promise<{ token: string; identity: DeviceIdentity; lastReceiptNumbers: Record<string, string | null> }> {
  const tokenId = randomUUID();
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    const found = await client.query(
      `SELECT d.id, d.register_id FROM devices d
        WHERE d.pairing_code_hash = $1 AND d.pairing_expires_at > now() FOR UPDATE`,
      [hashCode(input.pairingCode)],
    );
    if (found.rowCount === 0) throw new DeviceAuthError(401, 'pairing code is invalid or has expired');
    const registerId = found.rows[0].register_id as string;
    // A device paired before gets the next epoch code (R01 → R01B …): the browser it leaves may have
    // printed receipts that never reached the edge, so its numbers are never handed out again (ADR 102).
    const again = await client.query(
      `SELECT d.id, d.company_id, d.code, g.code AS base FROM devices d JOIN registers g ON g.id = d.register_id
        WHERE d.register_id = $1 AND d.pairing_code_hash IS NOT NULL AND d.paired_at IS NOT NULL`,
      [registerId],
    );
    for (const d of again.rows) {
      // Codes only move forward, so the current one is the device's latest epoch.
      let epoch = 1;
      while (epoch < 10_000 && registerCodeForEpoch(d.base, epoch) !== d.code) epoch++;
      for (epoch++; ; epoch++) {
        const code = registerCodeForEpoch(d.base, epoch);
        const taken = await client.query(`SELECT 1 FROM devices WHERE company_id = $1 AND code = $2`, [d.company_id, code]);
        if (!taken.rowCount) {
          await client.query(`UPDATE devices SET code = $2 WHERE id = $1`, [d.id, code]);
          break;
        }
      }
    }
    await client.query(
      `UPDATE devices SET status = 'active', token_id = $2, paired_at = now(), last_seen_at = now(), app_version = $3,
              pairing_code_hash = NULL, pairing_expires_at = NULL
        WHERE register_id = $1 AND pairing_code_hash IS NOT NULL`,
      [registerId, tokenId, input.appVersion],
    );
    await client.query(
      `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('device', $1, 'register.paired', 'register', $1, $2)`,
      [registerId, JSON.stringify({ appVersion: input.appVersion })],
    );
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  const identity = await loadIdentityByToken(database, tokenId);
  if (!identity) throw new DeviceAuthError(401, 'pairing failed');
  const token = await new SignJWT({ reg: identity.registerId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setJti(tokenId)
    .setIssuedAt()
    .sign(await signingKey(database));
  // A re-paired or wiped register resumes numbering after the highest number the edge has seen.
  const last = await database.pool.query(
    `SELECT d.id, (SELECT s.receipt_number FROM sales s WHERE s.device_id = d.id ORDER BY s.receipt_number DESC LIMIT 1) AS last
       FROM devices d WHERE d.register_id = $1`,
    [identity.registerId],
  );
  return { token, identity, lastReceiptNumbers: Object.fromEntries(last.rows.map((r) => [r.id, r.last])) };
}

async function loadIdentityByToken(database: Database, tokenId: string): Promise<DeviceIdentity | undefined> {
  const r = await database.pool.query(
    `SELECT d.id, d.company_id, c.code AS company_code, d.code, d.warehouse_id, d.register_id, g.code AS register_code
       FROM devices d JOIN companies c ON c.id = d.company_id JOIN registers g ON g.id = d.register_id
      WHERE d.token_id = $1 AND d.status = 'active' ORDER BY c.code`,
    [tokenId],
  );
  if (r.rowCount === 0) return undefined;
  const devices: PairedDevice[] = r.rows.map((x) => ({
    id: x.id,
    companyId: x.company_id,
    companyCode: x.company_code,
    code: x.code,
    warehouseId: x.warehouse_id,
  }));
  return {
    registerId: r.rows[0].register_id,
    registerCode: r.rows[0].register_code,
    tokenId,
    devices,
    companyIds: devices.map((d) => d.companyId),
  };
}

/** Verifies `Authorization: Bearer <token>` and returns the devices still active under it. */
export async function authenticateDevice(
  database: Database,
  authorization: string | undefined,
  opts: { appVersion?: string; queueDepth?: number } = {},
): Promise<DeviceIdentity> {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m) throw new DeviceAuthError(401, 'device token required');
  let tokenId: string;
  try {
    const { payload } = await jwtVerify(m[1]!, await signingKey(database), { issuer: ISSUER, audience: AUDIENCE });
    tokenId = String(payload.jti);
  } catch {
    throw new DeviceAuthError(401, 'device token is invalid');
  }
  const identity = await loadIdentityByToken(database, tokenId);
  if (!identity) throw new DeviceAuthError(401, 'device has been revoked or re-paired');
  // Last seen is written at most every 30 s per register: long-polls must not turn into writes.
  await database.pool.query(
    `UPDATE devices SET last_seen_at = now(), app_version = COALESCE($2, app_version), queue_depth = COALESCE($3, queue_depth)
      WHERE token_id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '30 seconds' OR $3::int IS NOT NULL)`,
    [tokenId, opts.appVersion ?? null, opts.queueDepth ?? null],
  );
  return identity;
}

/** Revokes one company device of a register, or all of them. */
export async function revokeDevices(database: Database, registerId: string, opts: { companyId?: string; actor?: string } = {}) {
  const r = await database.pool.query(
    `UPDATE devices SET status = 'revoked', revoked_at = now(), token_id = NULL
      WHERE register_id = $1 AND ($2::uuid IS NULL OR company_id = $2) AND status <> 'revoked'`,
    [registerId, opts.companyId ?? null],
  );
  await database.pool.query(
    `INSERT INTO audit_log (actor_type, actor_id, action, entity, entity_id, after) VALUES ('admin', $1, 'register.revoked', 'register', $2, $3)`,
    [opts.actor ?? 'system', registerId, JSON.stringify({ companyId: opts.companyId ?? null, devices: r.rowCount })],
  );
  return r.rowCount ?? 0;
}
