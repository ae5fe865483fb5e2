// A register database for tests of the screens' logic: in-memory PGlite with the register's schema,
// and the same database as the screens see it, through the register database protocol.
import { PGlite } from '@electric-sql/pglite';
import { localDb } from '../../sync/register/db-protocol';
import { LOCAL_SCHEMA_SQL } from '../../sync/register/local-schema';
import { registerProcedures } from './register-procedures';

export type LocalRegisterDb = ReturnType<typeof localDb<ReturnType<typeof registerProcedures>>>;

/** Starting PGlite takes seconds: open one per test file (beforeAll) and close `pg` after it. */
export async function openLocalRegisterDb(): Promise<{ pg: PGlite; db: LocalRegisterDb }> {
  const pg = new PGlite();
  for (const sql of LOCAL_SCHEMA_SQL) await pg.exec(sql);
  return { pg, db: localDb(pg, registerProcedures(pg)) };
}
