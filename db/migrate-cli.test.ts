// `npm run migrate` as the cloud runs it: a fresh database, then again (nothing to do), then a bad URL.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { appliedMigrationCount, expectedMigrationCount } from './migrate';
import { backends, createTestDatabase, type TestDatabase } from '../test/databases';

const root = path.resolve(__dirname, '..');
const run = (url: string) =>
  promisify(execFile)(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'db/migrate-cli.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url },
  }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

describe.each(backends)('npm run migrate on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  });
  afterAll(async () => t?.dispose());

  it('migrates an empty database, then has nothing to do', { timeout: 60_000 }, async () => {
    const first = await run(t.url);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain(`${expectedMigrationCount} applied, ${expectedMigrationCount}/${expectedMigrationCount}`);
    const again = await run(t.url);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`0 applied, ${expectedMigrationCount}/${expectedMigrationCount}`);
    const db = openDatabase(t.url);
    try {
      expect(await appliedMigrationCount(db)).toBe(expectedMigrationCount);
    } finally {
      await db.close();
    }
  });

  it('refuses a DATABASE_URL that is not a postgres URL', async () => {
    const r = await run('mysql://nope');
    expect(r.code).toBe(2);
    expect(r.err).toContain('DATABASE_URL must be a postgres:// URL');
  });
});
