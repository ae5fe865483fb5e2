// The embedded database's own credentials (PGlite only: with DATABASE_URL the server's own auth applies).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './client';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded';
import { migrateDatabase } from './migrate';
import { databasePasswordFile, DatabasePasswordError } from './password-file';

async function signIn(url: string): Promise<{ code: string; keys?: string[] }> {
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  try {
    await c.connect();
    const r = await c.query(`SELECT name FROM edge_keys ORDER BY name`);
    return { code: 'ok', keys: r.rows.map((x) => x.name) };
  } catch (e) {
    return { code: (e as { code?: string }).code ?? (e as Error).message };
  } finally {
    await c.end().catch(() => undefined);
  }
}

const withCredentials = (url: string, user: string, password: string | null) => {
  const u = new URL(url);
  u.username = user;
  u.password = password ?? '';
  return u.toString();
};

describe('embedded database credentials', () => {
  let dir: string;
  let dataDir: string;
  let embedded: EmbeddedDatabase | undefined;
  // Starting and migrating a durable PGlite is the slow part: hooks have the longer time limit.
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-embedded-'));
    dataDir = path.join(dir, 'pglite');
    embedded = await startEmbeddedDatabase({ dataDir });
    const database = openDatabase(embedded.url);
    await migrateDatabase(database);
    await database.pool.query(`INSERT INTO edge_keys (name, value) VALUES ('admin-session', 'k1'), ('device-token', 'k2')`);
    await database.close();
  });
  afterAll(async () => {
    await embedded?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a strong password in a 0600 file on first start and serves edge_keys only to it', async () => {
    const file = databasePasswordFile(dataDir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const url = new URL(embedded!.url);
    expect(url.username).toBe('postgres');
    expect(url.password).toBe(password);

    expect(await signIn(embedded!.url)).toEqual({ code: 'ok', keys: ['admin-session', 'device-token'] });
    expect(await signIn(withCredentials(embedded!.url, 'postgres', 'not-the-password-000000000'))).toEqual({ code: '28P01' });
    expect(await signIn(withCredentials(embedded!.url, 'till', password))).toEqual({ code: '28P01' });
    expect((await signIn(withCredentials(embedded!.url, 'postgres', null))).code).toMatch(/password must be a string/);
  });

  it('reuses the same password after a restart', async () => {
    const before = embedded!.url;
    await embedded!.stop();
    embedded = await startEmbeddedDatabase({ dataDir });
    expect(new URL(embedded.url).password).toBe(new URL(before).password);
    expect((await signIn(embedded.url)).keys).toEqual(['admin-session', 'device-token']);
  });

  it('gives an in-memory database its own random password', async () => {
    const memory = await startEmbeddedDatabase({});
    try {
      const other = new URL(embedded!.url).password;
      expect(new URL(memory.url).password).toHaveLength(43);
      expect(new URL(memory.url).password).not.toBe(other);
      expect((await signIn(withCredentials(memory.url, 'postgres', other))).code).toBe('28P01');
    } finally {
      await memory.stop();
    }
  });

  it('refuses to start, with one clear line, when the password file is unsafe or unusable', async () => {
    const refuses = async (dataDir: string, message: RegExp) => {
      const err = await startEmbeddedDatabase({ dataDir }).then(
        (db) => (db.stop(), null),
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(DatabasePasswordError);
      expect(err!.message).toMatch(message);
      expect(err!.stack).not.toContain('\n');
    };
    const open = path.join(dir, 'open');
    mkdirSync(path.dirname(databasePasswordFile(open)), { recursive: true });
    writeFileSync(databasePasswordFile(open), 'x'.repeat(43), { mode: 0o644 });
    chmodSync(databasePasswordFile(open), 0o644);
    await refuses(open, /readable by others.*chmod 600/);

    const empty = path.join(dir, 'empty');
    mkdirSync(path.dirname(databasePasswordFile(empty)), { recursive: true });
    writeFileSync(databasePasswordFile(empty), '', { mode: 0o600 });
    await refuses(empty, /does not hold a valid password/);

    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the data folder should be');
    await refuses(blocked, /cannot create the database password file/);
  });
});
