// CLIs reach a running edge's embedded database with the password from its data folder.
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../db/embedded';
import { databasePasswordFile } from '../db/password-file';
import { openEdgeDatabase } from './edge-database';

describe('openEdgeDatabase next to a running edge', () => {
  let dir: string;
  let dataDir: string;
  let running: EmbeddedDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-edge-db-'));
    dataDir = path.join(dir, 'pglite');
    running = await startEmbeddedDatabase({ dataDir });
    env = { ...process.env, DATABASE_URL: '', TILL_DATA_DIR: dataDir, PGLITE_HOST: '127.0.0.1', PGLITE_PORT: new URL(running.url).port };
  });
  afterAll(async () => {
    await running.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs in to the edge's socket with the password file, without opening the data folder", async () => {
    const edge = await openEdgeDatabase({ env, migrate: false, pool: 1 });
    try {
      expect(edge.embedded).toBeUndefined();
      expect(edge.url).toBe(running.url);
      expect((await edge.database.pool.query('SELECT 1 AS x')).rows[0].x).toBe(1);
    } finally {
      await edge.close();
    }
  });

  it('says which file it could not read when the password is missing', async () => {
    unlinkSync(databasePasswordFile(dataDir));
    await expect(openEdgeDatabase({ env, migrate: false })).rejects.toThrow(/cannot read the database password file .*db-password/);
  });

  it('rejects a malformed time limit', async () => {
    await expect(openEdgeDatabase({ env: { ...env, PGLITE_IDLE_TX_TIMEOUT_MS: 'soon' } })).rejects.toThrow(/PGLITE_IDLE_TX_TIMEOUT_MS/);
  });
});
