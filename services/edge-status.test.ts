// Admin → Overview's health: certificate expiry from the TLS folder, backup age and registers' state.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureEdgeCertificates } from '../infra/tls/store-certificates';
import { pairedDemoRegister } from '../test/fixtures/register-sale';
import { backends, useMigratedDatabase } from '../test/databases';
import { certificateHealth, OFFLINE_AFTER_MS, storeHealth } from './edge-status';

describe('certificate health', () => {
  it('reads both certificates and flags expiring, expired and missing ones', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'till-health-tls-'));
    try {
      await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: [] });
      const [ca, server] = certificateHealth(dir);
      expect([ca!.state, server!.state]).toEqual(['ok', 'ok']);
      const serverEnd = Date.parse(server!.notAfter!);
      expect(certificateHealth(dir, new Date(serverEnd - 10 * 86_400_000))[1]!.state).toBe('expiring');
      expect(certificateHealth(dir, new Date(serverEnd + 1000))[1]!.state).toBe('expired');
      expect(certificateHealth(path.join(dir, 'none')).map((c) => c.state)).toEqual(['missing', 'missing']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(backends)('store health on %s', (backend) => {
  const t = useMigratedDatabase(backend);

  it('reports backup age, registers offline with their queues, and today\u2019s sales per company', async () => {
    const { identity } = await pairedDemoRegister(t.database, { itemsPerCompany: 3, sharedBarcodes: 1, customers: 1 });
    let h = await storeHealth(t.database, { tlsDir: path.join(os.tmpdir(), 'no-such-tls') });
    expect(h.backup).toMatchObject({ last: null, overdue: true });
    expect(h.salesToday.map((s) => s.count)).toEqual([0, 0]);
    const r01 = h.registers.find((r) => r.id === identity.registerId)!;
    expect(r01).toMatchObject({ status: 'active', offlineSince: null, queueDepth: 0, appVersion: 'test' });

    await t.database.pool.query(
      `INSERT INTO backups (kind, started_at, finished_at, result, file, bytes, sha256) VALUES ('scheduled', now() - interval '49 hours', now() - interval '48 hours', 'ok', '/b/old.tar', 10, 'aa')`,
    );
    await t.database.pool.query(`UPDATE devices SET last_seen_at = now() - interval '1 hour', queue_depth = 2 WHERE register_id = $1`, [identity.registerId]);
    h = await storeHealth(t.database);
    expect(h.backup.overdue).toBe(true);
    expect(h.backup.last?.file).toBe('/b/old.tar');
    const offline = h.registers.find((r) => r.id === identity.registerId)!;
    expect(offline.queueDepth).toBe(4); // two companies' devices
    expect(Date.now() - Date.parse(offline.offlineSince!)).toBeGreaterThan(OFFLINE_AFTER_MS);

    await t.database.pool.query(`INSERT INTO backups (kind, started_at, finished_at, result, error) VALUES ('scheduled', now(), now(), 'failed', 'disk full')`);
    await t.database.pool.query(
      `INSERT INTO backups (kind, started_at, finished_at, result, file, bytes, sha256) VALUES ('manual', now() - interval '2 minutes', now() - interval '1 minute', 'ok', '/b/new.tar', 10, 'bb')`,
    );
    h = await storeHealth(t.database);
    expect(h.backup).toMatchObject({ overdue: false, last: { file: '/b/new.tar' }, lastAttempt: { result: 'failed', error: 'disk full' } });
  });
});
