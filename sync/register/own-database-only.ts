// The register's PGlite keeps only the database it uses. initdb leaves template0 and template1 beside
// it: 600 of a fresh data directory's 1,056 files, and on `opfs-ahp://` every file is one OPFS access
// handle opened on every start (ADR 003). Nothing here creates databases, so the templates only cost.
import type { PGliteInterface } from '@electric-sql/pglite';

/** Drops template0 and template1 if they are still there (one catalog read when they are not). */
export async function dropTemplateDatabases(pg: PGliteInterface): Promise<string[]> {
  const { rows } = await pg.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname IN ('template0', 'template1') ORDER BY datname`);
  for (const { datname } of rows) {
    await pg.exec(`ALTER DATABASE ${datname} IS_TEMPLATE false`);
    await pg.exec(`DROP DATABASE ${datname}`);
  }
  return rows.map((r) => r.datname);
}
