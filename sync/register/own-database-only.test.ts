// Dropping the template databases of the register's PGlite (a folder, as the browser's OPFS holds it):
// half the files go, the register's data stays, and the database starts again and keeps working.
// PGlite only: this is the register's own database, never a server's.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { dropTemplateDatabases } from './own-database-only';
import { applyLocalSchema } from './shape-sync';

const files = (d: string): number => readdirSync(d).reduce((n, f) => n + (statSync(path.join(d, f)).isDirectory() ? files(path.join(d, f)) : 1), 0);

describe('dropTemplateDatabases', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('drops template0 and template1 once, keeps the data, and the database starts again', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'till-own-db-'));
    dirs.push(dir);
    const pg = await PGlite.create(dir);
    await applyLocalSchema(pg);
    await pg.query(`INSERT INTO receipt_counters (device_id, last_number) VALUES ('00000000-0000-4000-8000-0000000000d1', 'R01-000042')`);
    const before = files(dir);

    expect(await dropTemplateDatabases(pg)).toEqual(['template0', 'template1']);
    expect(await dropTemplateDatabases(pg)).toEqual([]);
    await pg.close();
    expect(files(dir)).toBeLessThan(before - 500);

    const again = await PGlite.create(dir);
    try {
      expect((await again.query(`SELECT datname FROM pg_database`)).rows).toEqual([{ datname: 'postgres' }]);
      expect((await again.query(`SELECT last_number FROM receipt_counters`)).rows).toEqual([{ last_number: 'R01-000042' }]);
      for (const sql of [`CREATE TABLE later_table (id int PRIMARY KEY)`, `VACUUM`, `ANALYZE`]) await again.exec(sql);
      await applyLocalSchema(again);
    } finally {
      await again.close();
    }
  });
});
