// The database the edge uses: the running edge's embedded PGlite (through its socket, with the
// password from the data folder) or DATABASE_URL. The doctor never opens the PGlite folder itself:
// that would make it the database's owner, and a stopped edge is exactly what it must report.
import { existsSync } from 'node:fs';
import { openDatabase } from '../../db/client';
import { databaseConfig } from '../../db/config';
import { appliedMigrationCount, expectedMigration, expectedMigrationCount } from '../../db/migrate';
import { runningEdgeDatabaseUrl } from '../edge-database';
import { errorText, type CheckResult, type DatabaseAccess, type Env } from './check';

/** host:port/database of a URL, without the password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

function refused(e: unknown): boolean {
  if (e instanceof AggregateError) return e.errors.some(refused);
  return (e as NodeJS.ErrnoException)?.code === 'ECONNREFUSED';
}

export async function openDoctorDatabase(env: Env = process.env): Promise<DatabaseAccess> {
  const cfg = databaseConfig(env as NodeJS.ProcessEnv);
  const external = cfg.externalUrl !== undefined;
  const address = external ? describeUrl(cfg.externalUrl!) : `${cfg.host}:${cfg.port}`;
  const where = external ? `DATABASE_URL ${address}` : `embedded database at ${address}`;
  if (!external && !existsSync(cfg.passwordFile)) {
    return {
      where,
      problem: `no password file ${cfg.passwordFile}: no edge has started with this data folder`,
      cause: 'no database password file',
      fix: 'run the doctor from the edge\u2019s folder with the edge\u2019s TILL_DATA_DIR',
    };
  }
  let url: string;
  try {
    url = cfg.externalUrl ?? runningEdgeDatabaseUrl(env as NodeJS.ProcessEnv);
  } catch (e) {
    // DatabasePasswordError: its message names the file and the fix.
    return { where, problem: errorText(e), cause: 'database password file unusable' };
  }
  const database = openDatabase(url, { max: 2, applicationName: 'till-doctor' });
  try {
    await database.pool.query('SELECT 1');
    return { database, where };
  } catch (e) {
    await database.close().catch(() => undefined);
    if (refused(e)) {
      return external
        ? {
            where,
            problem: `nothing answers (ECONNREFUSED)`,
            cause: `nothing answers at ${address}`,
            fix: 'start the PostgreSQL server or correct DATABASE_URL',
          }
        : {
            where,
            problem: 'nothing answers (ECONNREFUSED): the edge is not running',
            cause: `nothing answers at ${address}, the edge is not running`,
            fix: 'start it with npm start (if it runs with another PGLITE_PORT, run the doctor with the same one)',
          };
    }
    const code = (e as { code?: string }).code;
    if (code === '28P01') {
      return {
        where,
        problem: `the password was refused (${errorText(e)})`,
        cause: 'password refused',
        fix: external
          ? 'correct the password in DATABASE_URL'
          : `the edge answering at ${address} uses another data folder: run the doctor with the edge's TILL_DATA_DIR`,
      };
    }
    return {
      where,
      problem: errorText(e),
      cause: errorText(e),
      fix: external ? 'check DATABASE_URL and the PostgreSQL server' : 'check the edge\u2019s log; restart it if its database stopped',
    };
  }
}

/** Reachable, and every migration this version knows is applied (the edge migrates at start). */
export async function checkDatabase(access: DatabaseAccess): Promise<CheckResult> {
  const name = 'database';
  if (!access.database) return { name, verdict: 'FAIL', detail: `${access.where} unreachable: ${access.problem}`, ...(access.fix ? { fix: access.fix } : {}) };
  const applied = await appliedMigrationCount(access.database);
  if (applied === expectedMigrationCount) {
    return { name, verdict: 'OK', detail: `reachable (${access.where}), ${applied} migrations current` };
  }
  if (applied < expectedMigrationCount) {
    return {
      name,
      verdict: 'FAIL',
      detail: `reachable (${access.where}), but ${applied} of ${expectedMigrationCount} migrations applied (this version ends at ${expectedMigration})`,
      fix: 'restart the edge: it backs up and migrates at start (npm run migrate with DATABASE_URL)',
    };
  }
  return {
    name,
    verdict: 'FAIL',
    detail: `reachable (${access.where}), but it has ${applied} migrations and this version knows ${expectedMigrationCount}`,
    fix: 'the database belongs to a newer version: run the doctor (and the edge) from the installed version',
  };
}
