import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readEdgeConfig } from './edge-config';

const root = path.resolve(__dirname, '..');

describe('edge configuration', () => {
  it('defaults to the store name till-edge.local, port 3000, certificates beside the database folder', () => {
    const c = readEdgeConfig({}, '/srv/till');
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      edgeHostname: 'till-edge.local',
      dataDir: '/srv/till/data/pglite',
      tlsDir: '/srv/till/data/tls',
      demo: true,
      shapePoolMax: 4,
      shapeQueueMs: 20_000,
    });
  });

  it('bounds the shape queue so a live request ends before the register gives up', () => {
    expect(readEdgeConfig({ SHAPE_QUEUE_MS: '5000' }).shapeQueueMs).toBe(5_000);
    expect(() => readEdgeConfig({ SHAPE_QUEUE_MS: '500' })).toThrow(/^SHAPE_QUEUE_MS: SHAPE_QUEUE_MS must be at least 1000$/);
    expect(() => readEdgeConfig({ SHAPE_QUEUE_MS: 'long' })).toThrow(/^SHAPE_QUEUE_MS: /);
    expect(() => readEdgeConfig({ SHAPE_QUEUE_MS: '30000', SHAPE_LONG_POLL_MS: '20000' })).toThrow(
      /^SHAPE_QUEUE_MS \(30000\) plus SHAPE_LONG_POLL_MS \(20000\) must stay under 45000 .*lower one of them$/,
    );
  });

  it('names the variable and the fix for a bad value', () => {
    expect(() => readEdgeConfig({ EDGE_HOSTNAME: 'till_edge' })).toThrow(ConfigError);
    expect(() => readEdgeConfig({ EDGE_HOSTNAME: 'till_edge' })).toThrow(
      /^EDGE_HOSTNAME "till_edge" is not a host name registers can use: .*e\.g\. till-edge\.local$/,
    );
    expect(() => readEdgeConfig({ PORT: 'eighty' })).toThrow(/^PORT: PORT must be a port number/);
    expect(() => readEdgeConfig({ PORT: '70000' })).toThrow(/^PORT: PORT must be 0–65535/);
    expect(() => readEdgeConfig({ TILL_DEMO: 'yes' })).toThrow(/^TILL_DEMO: /);
  });

  it('stops `npm start` with one line when the name or a setting is invalid or the certificate folder cannot be written', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'till-cfg-'));
    try {
      const run = (env: Record<string, string>) =>
        spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['infra/edge.ts'], {
          cwd: root,
          env: { ...process.env, TILL_SKIP_BUILD: '1', PORT: '0', TILL_DATA_DIR: path.join(dir, 'db'), ...env },
          encoding: 'utf8',
          timeout: 50_000,
        });
      const bad = run({ EDGE_HOSTNAME: 'https://till-edge.local' });
      expect(bad.status).toBe(1);
      expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^till-edge: EDGE_HOSTNAME "https:\/\/till-edge\.local" is not a host name/)]);

      // The functions' settings are checked before anything starts, too.
      const pool = run({ DB_POOL_MAX: 'lots' });
      expect(pool.status).toBe(1);
      expect(pool.stderr.trim().split('\n')).toEqual(['till-edge: DB_POOL_MAX must be a number (got "lots")']);

      writeFileSync(path.join(dir, 'file'), '');
      const unwritable = run({ TILL_TLS_DIR: path.join(dir, 'file', 'tls') });
      expect(unwritable.status).toBe(1);
      expect(unwritable.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^till-edge: cannot write the edge's certificates to .*: set TILL_TLS_DIR/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
