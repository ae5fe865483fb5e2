// The change notifier against a real change log: which waiters wake, what a quiet one learns,
// that waiting costs one poll per interval whatever the number of waiters, and failure handling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { freePort } from '../infra/free-port';
import { backends, useMigratedDatabase } from '../test/databases';
import { createChangeNotifier, type ChangeNotifier } from './shape-notifier';

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.each(backends)('change notifier on %s', (backend) => {
  const migrated = useMigratedDatabase(backend);
  let notifier: ChangeNotifier;
  let n = 0;
  const lastLsn = async () => Number((await migrated.database.pool.query(`SELECT last_lsn FROM change_counter`)).rows[0].last_lsn);
  const touchCompanies = () => migrated.database.pool.query(`INSERT INTO companies (code, name) VALUES ($1, $1)`, [`N${n++}`]);

  beforeAll(() => {
    notifier = createChangeNotifier(migrated.database, { intervalMs: 10, groupRestMs: 0 });
  });
  afterAll(() => notifier.close());

  it('wakes the waiters of the changed table only; the others learn how far nothing changed', async () => {
    const from = await lastLsn();
    const companies = notifier.wait('companies', from, 10_000);
    const items = notifier.wait('items', from, 400);
    expect(notifier.waiting).toBe(2);
    const t0 = Date.now();
    await touchCompanies();
    const changedAt = await lastLsn();
    expect(await companies).toEqual({ changed: true });
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await items).toEqual({ changed: false, through: changedAt });
    expect(notifier.waiting).toBe(0);
  });

  it('answers a caller’s other waiters at once when one of its requests answers with changes, as at their timeout', async () => {
    const from = await lastLsn();
    const companies = notifier.wait('companies', from, 20_000, undefined, 'register-a');
    const items = notifier.wait('items', from, 20_000, undefined, 'register-a');
    const barcodes = notifier.wait('barcodes', from, 20_000, undefined, 'register-a');
    const otherRegister = notifier.wait('items', from, 20_000, undefined, 'register-b');
    await touchCompanies();
    const changedAt = await lastLsn();
    expect(await companies).toEqual({ changed: true });
    expect(notifier.waiting).toBe(3);
    // register-a's companies request answers with the change: its other waiters learn at once.
    notifier.answerGroup('register-a');
    expect(notifier.waiting).toBe(1);
    expect(await items).toEqual({ changed: false, through: changedAt });
    expect(await barcodes).toEqual({ changed: false, through: changedAt });
    notifier.answerGroup('register-b');
    expect(await otherRegister).toEqual({ changed: false, through: changedAt });
    expect(notifier.waiting).toBe(0);
  });

  it('leaves a caller’s waiter that has only just begun to its client’s own check (bursts cost no extra requests)', async () => {
    const resting = createChangeNotifier(migrated.database, { intervalMs: 10, groupRestMs: 60_000 });
    try {
      const from = await lastLsn();
      const items = resting.wait('items', from, 300, undefined, 'register-a');
      resting.answerGroup('register-a');
      expect(resting.waiting).toBe(1);
      expect(await items).toEqual({ changed: false, through: expect.any(Number) as number });
    } finally {
      resting.close();
    }
  });

  it('answers at once for a change made before the wait began', async () => {
    const from = await lastLsn();
    await touchCompanies();
    expect(await notifier.wait('companies', from, 5_000)).toEqual({ changed: true });
  });

  it('releases an aborted waiter at once', async () => {
    const aborter = new AbortController();
    const p = notifier.wait('items', await lastLsn(), 10_000, aborter.signal);
    expect(notifier.waiting).toBe(1);
    aborter.abort();
    expect((await p).changed).toBe(false);
    expect(notifier.waiting).toBe(0);
  });

  it('polls once per interval however many wait, and not at all when nobody waits', async () => {
    const from = await lastLsn();
    const polls0 = notifier.polls;
    const waits = Array.from({ length: 100 }, () => notifier.wait('items', from, 300));
    await Promise.all(waits);
    const polled = notifier.polls - polls0;
    expect(polled).toBeGreaterThan(0);
    expect(polled).toBeLessThanOrEqual(31);
    const idle = notifier.polls;
    await new Promise((r) => setTimeout(r, 100));
    expect(notifier.polls).toBe(idle);
  });

  it('keeps its waiters while every connection is busy, and wakes them once one frees up', async () => {
    const small = openDatabase(migrated.url, { max: 1, connectionTimeoutMs: 100 });
    const held = await small.pool.connect();
    const busy = createChangeNotifier(small, { intervalMs: 10 });
    try {
      const from = await lastLsn();
      const woken = busy.wait('companies', from, 30_000);
      // Two polls started: the first gave up waiting for the held connection.
      await waitFor(() => busy.polls >= 2);
      expect(busy.waiting).toBe(1);
      await touchCompanies();
      held.release();
      expect(await woken).toEqual({ changed: true });
    } finally {
      busy.close();
      await small.close();
    }
  });

  it('rejects waiters when the database cannot be reached', async () => {
    const dead = openDatabase(`postgres://postgres@127.0.0.1:${await freePort()}/none`, { max: 1 });
    const broken = createChangeNotifier(dead, { intervalMs: 10 });
    try {
      await expect(broken.wait('items', 0, 5_000)).rejects.toThrow();
      expect(broken.waiting).toBe(0);
    } finally {
      broken.close();
      await dead.close();
    }
  });
});
