// The store's health at a glance (Admin → Overview): registers, queues, today's sales, last backup,
// certificates. Each part says where it is fixed; the page only lays it out.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverConfig } from '../config/server-config';
import type { Database } from '../db/client';
import { many, one, type Cols } from '../db/query';
import type { companies, devices, registers as registerTable } from '../db/schema';
import type { DeviceStatus } from '../db/statuses';
import { BACKUP_STALE_MS, lastGoodBackup, listBackups, type BackupRow } from './backups';
import { readStoreCa } from './store-ca';

/** A register silent this long is shown offline (a live register polls its shapes every 20 s). */
export const OFFLINE_AFTER_MS = 5 * 60_000;
/** Certificates expiring within this are flagged. */
export const CERT_WARN_MS = 30 * 86_400_000;

export interface RegisterHealth {
  id: string;
  code: string;
  name: string;
  /** Current device codes (receipt series), e.g. R01B after a re-pair or a restore. */
  deviceCodes: string[];
  status: DeviceStatus;
  lastSeenAt: string | null;
  /** Set when the register is paired and has not been heard from for OFFLINE_AFTER_MS. */
  offlineSince: string | null;
  queueDepth: number;
  appVersion: string | null;
}

export interface CertificateHealth {
  name: 'store CA' | 'server';
  notAfter: string | null;
  /** ok, expiring within CERT_WARN_MS, expired, or missing (no TLS folder, e.g. in the cloud). */
  state: 'ok' | 'expiring' | 'expired' | 'missing';
}

export interface StoreHealth {
  registers: RegisterHealth[];
  outboxPending: number;
  adjustmentsOpen: number;
  salesToday: { companyId: string; code: string; name: string; count: number; total: number; currency: string; exponent: number }[];
  backup: { last: BackupRow | null; lastAttempt: BackupRow | null; overdue: boolean };
  certificates: CertificateHealth[];
}

function certificateState(notAfter: string | null, now: Date): CertificateHealth['state'] {
  if (!notAfter) return 'missing';
  const left = Date.parse(notAfter) - now.getTime();
  return left <= 0 ? 'expired' : left < CERT_WARN_MS ? 'expiring' : 'ok';
}

/** notAfter of the edge's server certificate (`server.crt` in the TLS folder), if there is one. */
export function readServerCertificateExpiry(tlsDir = serverConfig().TILL_TLS_DIR): string | null {
  if (!tlsDir) return null;
  try {
    return new Date(new X509Certificate(readFileSync(path.join(tlsDir, 'server.crt'))).validTo).toISOString();
  } catch {
    return null;
  }
}

export function certificateHealth(tlsDir = serverConfig().TILL_TLS_DIR, now = new Date()): CertificateHealth[] {
  const ca = readStoreCa(tlsDir)?.notAfter ?? null;
  const server = readServerCertificateExpiry(tlsDir);
  return [
    { name: 'store CA', notAfter: ca, state: certificateState(ca, now) },
    { name: 'server', notAfter: server, state: certificateState(server, now) },
  ];
}

export async function storeHealth(database: Database, opts: { tlsDir?: string; now?: Date } = {}): Promise<StoreHealth> {
  const now = opts.now ?? new Date();
  const regs = await many<
    Cols<typeof registerTable, 'id' | 'code' | 'name'> &
      Cols<typeof devices, 'status' | 'last_seen_at' | 'queue_depth' | 'app_version'> & { device_codes: string[] }
  >(
    database.pool,
    `
    SELECT g.id, g.code, g.name,
           array_agg(d.code ORDER BY c.code) AS device_codes,
           CASE WHEN bool_or(d.status = 'active') THEN 'active' WHEN bool_or(d.status = 'revoked') THEN 'revoked' ELSE 'unpaired' END AS status,
           max(d.last_seen_at) AS last_seen_at,
           COALESCE(sum(d.queue_depth) FILTER (WHERE d.status = 'active'), 0)::int AS queue_depth,
           (array_agg(d.app_version ORDER BY d.last_seen_at DESC NULLS LAST))[1] AS app_version
      FROM registers g JOIN devices d ON d.register_id = g.id JOIN companies c ON c.id = d.company_id
     GROUP BY g.id, g.code, g.name ORDER BY g.code`,
  );
  const registers: RegisterHealth[] = regs.map((r) => {
    const seen = r.last_seen_at;
    const offline = r.status === 'active' && (!seen || now.getTime() - seen.getTime() > OFFLINE_AFTER_MS);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      deviceCodes: [...new Set(r.device_codes)],
      status: r.status,
      lastSeenAt: seen?.toISOString() ?? null,
      offlineSince: offline ? (seen?.toISOString() ?? null) : null,
      queueDepth: r.queue_depth,
      appVersion: r.app_version,
    };
  });
  const counts = await one<{ outbox: number; adjustments: number }>(
    database.pool,
    `SELECT (SELECT count(*)::int FROM rejected_events WHERE status = 'pending') AS outbox,
            (SELECT count(*)::int FROM adjustment_queue WHERE status = 'open') AS adjustments`,
  );
  const sales = await many<Cols<typeof companies, 'id' | 'code' | 'name' | 'currency' | 'currency_exponent'> & { n: number; total: number }>(
    database.pool,
    `SELECT c.id, c.code, c.name, c.currency, c.currency_exponent,
            count(s.id)::int AS n, COALESCE(sum(s.total), 0)::int8 AS total
       FROM companies c LEFT JOIN sales s ON s.company_id = c.id AND s.occurred_at >= date_trunc('day', $1::timestamptz)
      GROUP BY c.id ORDER BY c.code`,
    [now],
  );
  const last = (await lastGoodBackup(database)) ?? null;
  const lastAttempt = (await listBackups(database, 1))[0] ?? null;
  return {
    registers,
    outboxPending: counts.outbox,
    adjustmentsOpen: counts.adjustments,
    salesToday: sales.map((r) => ({
      companyId: r.id,
      code: r.code,
      name: r.name,
      count: r.n,
      total: r.total,
      currency: r.currency,
      exponent: r.currency_exponent,
    })),
    backup: { last, lastAttempt, overdue: !last?.finishedAt || now.getTime() - Date.parse(last.finishedAt) > BACKUP_STALE_MS },
    certificates: certificateHealth(opts.tlsDir ?? serverConfig().TILL_TLS_DIR, now),
  };
}
