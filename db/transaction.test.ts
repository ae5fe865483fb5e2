import { describe, expect, it } from 'vitest';
import { backends, useMigratedDatabase } from '../test/databases';
import { withTransaction } from './transaction';

describe.each(backends)('withTransaction on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  const count = async () => Number((await t.database.pool.query(`SELECT count(*) AS n FROM heartbeats WHERE name LIKE 'tx-%'`)).rows[0].n);

  it('commits, rolls back on a throw, rolls back a dry run, and always gives the client back', async () => {
    await withTransaction(t.database, (c) => c.query(`INSERT INTO heartbeats (name, beat_at) VALUES ('tx-commit', now())`));
    await expect(
      withTransaction(t.database, async (c) => {
        await c.query(`INSERT INTO heartbeats (name, beat_at) VALUES ('tx-throw', now())`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const seen = await withTransaction(
      t.database,
      async (c) => {
        await c.query(`INSERT INTO heartbeats (name, beat_at) VALUES ('tx-dry', now())`);
        return Number((await c.query(`SELECT count(*) AS n FROM heartbeats WHERE name LIKE 'tx-%'`)).rows[0].n);
      },
      { rollback: true },
    );
    expect(seen).toBe(2);
    expect(await count()).toBe(1);
    expect(t.database.pool.idleCount + t.database.pool.waitingCount).toBe(t.database.pool.totalCount);
  });
});
