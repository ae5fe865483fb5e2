// The doctor's database checks against a real migrated database on each backend: migrations, backup
// age, registers' queues, clocks, rejected events and the worker's heartbeat.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedMigrationCount } from '../../db/migrate';
import { pairedDemoRegister } from '../../test/fixtures/register-sale';
import { insertSale } from '../../test/fixtures/sales';
import { backends, useMigratedDatabase } from '../../test/databases';
import { checkBackups } from './backups';
import { formatLine } from './check';
import { checkClock } from './clock';
import { checkDatabase, openDoctorDatabase } from './database';
import { checkRegisters } from './registers';
import { checkRejections } from './rejections';
import { runDoctor } from './run';
import { checkWorker } from './worker';

const HOUR = 3_600_000;

describe.each(backends)('doctor database checks on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const q = (sql: string, params: unknown[] = []) => t.database.pool.query(sql, params);
  let root: string;
  let registerId: string;
  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'till-doctor-db-'));
    ({
      identity: { registerId },
    } = await pairedDemoRegister(t.database, { itemsPerCompany: 3, sharedBarcodes: 1, customers: 1 }));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reaches DATABASE_URL and finds every migration applied, or FAILs when one is missing', async () => {
    const access = await openDoctorDatabase({ DATABASE_URL: t.url });
    try {
      expect(formatLine(await checkDatabase(access))).toMatch(
        new RegExp(`^OK   database    reachable \\(DATABASE_URL .+\\), ${expectedMigrationCount} migrations current$`),
      );
      const last = (await q(`SELECT id, hash, created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`)).rows[0];
      await q(`DELETE FROM drizzle.__drizzle_migrations WHERE id = $1`, [last.id]);
      try {
        expect(await checkDatabase(access)).toMatchObject({
          verdict: 'FAIL',
          detail: expect.stringContaining(`${expectedMigrationCount - 1} of ${expectedMigrationCount} migrations applied`),
          fix: expect.stringContaining('restart the edge'),
        });
      } finally {
        await q(`INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES ($1, $2, $3)`, [last.id, last.hash, last.created_at]);
      }
    } finally {
      await access.database?.close();
    }
  });

  it('judges the last good backup: none yet on a new store, none ever, stale, old, fresh, and a failed attempt', async () => {
    const settings = { dir: path.join(root, 'backups'), intervalMs: 24 * HOUR, dataDir: path.join(root, 'pglite') };
    const check = () => checkBackups({ access: { database: t.database, where: 'test' }, settings, explicitDir: false });
    await q(`DELETE FROM backups`);
    // The demo store was just set up: its first backup is minutes away.
    let r = await check();
    expect(r).toMatchObject({
      verdict: 'WARN',
      detail: expect.stringMatching(/^no backup yet \(the store's first records are \d+ s old\); BACKUP_DIR .* will be created by the first backup$/),
    });
    const old = (
      await q(
        `INSERT INTO audit_log (actor_type, actor_id, action, entity, created_at) VALUES ('system', 'test', 'test.old', 'test', now() - interval '3 days') RETURNING id`,
      )
    ).rows[0].id;
    try {
      r = await check();
      expect(r).toMatchObject({
        verdict: 'FAIL',
        detail: expect.stringContaining("no good backup ever recorded (the store's first records are 3 d old)"),
        fix: expect.stringContaining('npm run backup'),
      });

      const good = (
        await q(
          `INSERT INTO backups (kind, started_at, finished_at, result, file, bytes, sha256) VALUES ('scheduled', now() - interval '31 hours', now() - interval '30 hours', 'ok', '/b/a.tar', 10, 'aa') RETURNING id`,
        )
      ).rows[0].id;
      expect(await check()).toMatchObject({ verdict: 'WARN', detail: expect.stringContaining('last good backup 30 h ago (scheduled, /b/a.tar)') });
      await q(`UPDATE backups SET finished_at = now() - interval '8 days' WHERE id = $1`, [good]);
      expect((await check()).verdict).toBe('FAIL');
      await q(`UPDATE backups SET finished_at = now() - interval '1 hour' WHERE id = $1`, [good]);
      expect(await check()).toMatchObject({ verdict: 'OK', detail: expect.stringContaining('last good backup 60 min ago') });
      await q(`INSERT INTO backups (kind, requested_at, started_at, finished_at, result, error) VALUES ('manual', now(), now(), now(), 'failed', 'disk full')`);
      expect(await check()).toMatchObject({ verdict: 'WARN', detail: expect.stringContaining('the last attempt failed 0 s ago: disk full') });
      // Scheduled backups off: the fix says so.
      await q(`DELETE FROM backups`);
      const off = await checkBackups({ access: { database: t.database, where: 'test' }, settings: { ...settings, intervalMs: 0 }, explicitDir: false });
      expect(off.fix).toContain('BACKUP_INTERVAL_HOURS=0');
    } finally {
      await q(`DELETE FROM audit_log WHERE id = $1`, [old]);
      await q(`DELETE FROM backups`);
    }
  });

  it('WARNs about a register with queued sales that has been silent for more than 15 minutes', async () => {
    const check = () => checkRegisters(t.database, { publicUrl: 'https://till-edge.test:3000' });
    await q(`UPDATE devices SET queue_depth = 0, last_seen_at = now() - interval '30 seconds' WHERE register_id = $1`, [registerId]);
    expect(await check()).toMatchObject({ verdict: 'OK', detail: expect.stringMatching(/^1 active: R01 queue 0, seen 3\d s ago$/) });
    // Quiet with an empty queue is a register switched off for the night.
    await q(`UPDATE devices SET last_seen_at = now() - interval '2 hours' WHERE register_id = $1`, [registerId]);
    expect((await check()).verdict).toBe('OK');
    await q(`UPDATE devices SET queue_depth = 3, last_seen_at = now() - interval '20 minutes' WHERE register_id = $1`, [registerId]);
    expect(await check()).toMatchObject({
      verdict: 'WARN',
      detail: 'R01 silent for more than 15 min with sales queued (1 active: R01 queue 3, seen 20 min ago)',
      fix: expect.stringContaining('https://till-edge.test:3000/pos'),
    });
    await q(`UPDATE devices SET queue_depth = 3, last_seen_at = now() - interval '1 minute' WHERE register_id = $1`, [registerId]);
    expect((await check()).verdict).toBe('OK');
  });

  it('compares clocks: edge with database, and registers\u2019 sale stamps with their arrival', async () => {
    await insertSale(t.database, { registerCode: 'R01', crossCompany: false, occurredAt: new Date(Date.now() - 2000) });
    let r = await checkClock(t.database);
    expect(r.verdict).toBe('OK');
    expect(r.detail).toMatch(
      /^edge vs database -?\d+\.\d s \(±\d+\.\d s\); registers: R01 not ahead \(latest 20 sales per register in 24 h, occurred_at on the register vs received_at on the edge\)$/,
    );
    await insertSale(t.database, { registerCode: 'R01', crossCompany: false, occurredAt: new Date(Date.now() + 10 * 60_000) });
    r = await checkClock(t.database);
    expect(r).toMatchObject({
      verdict: 'WARN',
      detail: expect.stringMatching(/^R01 stamps sales up to (9|10) min in the future — /),
      fix: expect.stringContaining('automatic time'),
    });
  });

  it('WARNs about rejected events of the last 24 h and says where to look', async () => {
    await q(`DELETE FROM rejected_events`);
    expect(await checkRejections(t.database)).toEqual({ name: 'rejections', verdict: 'OK', detail: 'no rejected events in the last 24 h' });
    const add = (age: string, status = 'pending') =>
      q(
        `INSERT INTO rejected_events (source, type, payload, reason, status, created_at) VALUES ('push', 'sale.completed', '{}', 'test', $1, now() - $2::interval)`,
        [status, age],
      );
    await add('2 days');
    expect((await checkRejections(t.database)).detail).toBe('no rejected events in the last 24 h; 1 older still pending');
    await add('1 hour');
    await add('2 hours', 'dismissed');
    expect(formatLine(await checkRejections(t.database))).toBe(
      'WARN rejections  2 rejected events in the last 24 h (1 still pending); 1 older still pending: look at Admin → System → Outbox: each says why; retry or dismiss it there',
    );
    await q(`DELETE FROM rejected_events`);
  });

  it('reads the worker heartbeat: fresh, late, stopped, never', async () => {
    const beat = (age: string) =>
      q(`INSERT INTO heartbeats (name, beat_at) VALUES ('worker', now() - $1::interval) ON CONFLICT (name) DO UPDATE SET beat_at = EXCLUDED.beat_at`, [age]);
    await beat('20 seconds');
    expect(await checkWorker(t.database)).toMatchObject({ verdict: 'OK', detail: expect.stringMatching(/^last heartbeat \d+ s ago/) });
    await beat('5 minutes');
    expect((await checkWorker(t.database)).verdict).toBe('WARN');
    await beat('20 minutes');
    expect((await checkWorker(t.database)).verdict).toBe('FAIL');
    await q(`DELETE FROM heartbeats WHERE name = 'worker'`);
    expect(await checkWorker(t.database)).toMatchObject({ verdict: 'FAIL', detail: 'the worker has never run (no heartbeat)' });
  });

  it('runs every check with DATABASE_URL while no edge answers: the database lines run, the edge line FAILs', async () => {
    const results = await runDoctor({
      DATABASE_URL: t.url,
      TILL_DATA_DIR: path.join(root, 'pglite'),
      TILL_TLS_DIR: path.join(root, 'no-tls'),
      PORT: '1',
      EDGE_HOSTNAME: 'till-edge.test',
    });
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    expect(by.database!.verdict).toBe('OK');
    expect(by.edge!.verdict).toBe('FAIL');
    expect(by.certificate!.verdict).toBe('FAIL');
    for (const name of ['registers', 'clock', 'rejections', 'worker']) expect(by[name]!.detail).not.toContain('not checked');
  });
});
