import { describe, expect, it } from 'vitest';
import { appliedMigrationCount, expectedMigrationCount, migrateDatabase } from './migrate';
import { backends, useMigratedDatabase } from '../test/databases';

describe.each(backends)('migrations on %s', (backend) => {
  const t = useMigratedDatabase(backend);

  it('applies every migration and is idempotent', async () => {
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount);
    await migrateDatabase(t.database);
    await Promise.all([migrateDatabase(t.database), migrateDatabase(t.database)]);
    expect(await appliedMigrationCount(t.database)).toBe(expectedMigrationCount);
  });

  it('keeps barcodes unique per company but allows the same code in two companies', async () => {
    const { pool } = t.database;
    const [a, b] = (await pool.query(`INSERT INTO companies (code, name) VALUES ('A','Alpha'),('B','Beta') RETURNING id`)).rows.map((r) => r.id as string);
    const item = async (company: string, code: string) =>
      (await pool.query(`INSERT INTO items (company_id, code, name) VALUES ($1,$2,$2) RETURNING id`, [company, code])).rows[0].id as string;
    const ia = await item(a!, 'X1');
    const ib = await item(b!, 'X1');
    await pool.query(`INSERT INTO barcodes (company_id, item_id, code) VALUES ($1,$2,'400')`, [a, ia]);
    await pool.query(`INSERT INTO barcodes (company_id, item_id, code) VALUES ($1,$2,'400')`, [b, ib]);
    await expect(pool.query(`INSERT INTO barcodes (company_id, item_id, code) VALUES ($1,$2,'400')`, [a, ia])).rejects.toThrow(/duplicate key/);
  });

  it('captures changes with one lsn per transaction, in commit order', async () => {
    const { pool } = t.database;
    const before = (await pool.query('SELECT last_lsn FROM change_counter')).rows[0].last_lsn as number;
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`INSERT INTO companies (code, name) VALUES ('C','Gamma')`);
      await c.query(`UPDATE companies SET name = 'Gamma 2' WHERE code = 'C'`);
      await c.query(`UPDATE companies SET name = 'Gamma 2' WHERE code = 'C'`); // no-op: not logged
      await c.query('COMMIT');
    } finally {
      c.release();
    }
    const rows = (
      await pool.query(`SELECT lsn, op_position, operation, "row"->>'name' AS name FROM change_log WHERE lsn > $1 ORDER BY lsn, op_position`, [before])
    ).rows;
    expect(rows).toEqual([
      { lsn: before + 1, op_position: 0, operation: 'insert', name: 'Gamma' },
      { lsn: before + 1, op_position: 1, operation: 'update', name: 'Gamma 2' },
    ]);
  });
});
