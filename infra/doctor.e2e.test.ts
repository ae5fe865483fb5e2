// `npm run doctor` against the real edge: every line OK on a healthy fresh edge (backups WARN: its
// first backup is 5 minutes away), then the database and edge lines FAIL once the edge is stopped.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairOverHttps, startEdge, STORE_HOSTNAME, type EdgeProcess } from '../test/edge-process';
import { diskVerdict } from './doctor/disk';

const root = path.resolve(__dirname, '..');

/** The CLI as `npm run doctor` runs it, in its own process, with the edge's environment. */
function doctor(env: Record<string, string>): Promise<{ code: number; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/doctor.ts'], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, lines: stdout.trim().split('\n') });
    });
  });
}

const line = (lines: string[], name: string) => lines.find((l) => l.slice(5).startsWith(`${name} `)) ?? `(no ${name} line)`;

describe('npm run doctor on the edge machine', () => {
  let dir: string;
  let edge: EdgeProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'till-doctor-e2e-'));
    const edgeEnv = { TILL_DATA_DIR: path.join(dir, 'pglite'), TILL_TLS_DIR: path.join(dir, 'tls') };
    edge = await startEdge(edgeEnv);
    // The settings startEdge gave the launcher: what the on-call engineer's shell would hold.
    env = { ...edgeEnv, HOST: '127.0.0.1', PORT: String(edge.port), PGLITE_PORT: new URL(edge.pgliteUrl!).port, EDGE_HOSTNAME: STORE_HOSTNAME };
    // One paired register, as a store has.
    await pairOverHttps(edge, edge.pgliteUrl!);
  });

  afterAll(async () => {
    await edge?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a healthy fresh edge, with a warning that its first backup is still to come', async () => {
    const { code, lines } = await doctor(env);
    expect(lines.map((l) => l.slice(5).split(' ')[0])).toEqual([
      'database',
      'edge',
      'certificate',
      'disk',
      'backups',
      'registers',
      'clock',
      'rejections',
      'worker',
    ]);
    expect(line(lines, 'database')).toMatch(/^OK {3}database {4}reachable \(embedded database at 127\.0\.0\.1:\d+\), \d+ migrations current$/);
    expect(line(lines, 'edge')).toMatch(
      new RegExp(`^OK   edge {8}https://${STORE_HOSTNAME}:${edge.port}/health answers ok: database reachable, migrations current, worker alive`),
    );
    expect(line(lines, 'certificate')).toMatch(new RegExp(`^OK   certificate server certificate covers ${STORE_HOSTNAME}, expires`));
    // A fresh edge has no backup: WARN (the scheduler takes the first 5 minutes after start), not FAIL.
    expect(line(lines, 'backups')).toMatch(/^WARN backups {5}no backup yet \(the store's first records are \d+ (s|min) old\)/);
    expect(line(lines, 'registers')).toMatch(/^OK {3}registers {3}1 active: R01 queue 0, seen \d+ s ago$/);
    expect(line(lines, 'clock')).toMatch(/^OK {3}clock {7}edge vs database/);
    expect(line(lines, 'rejections')).toBe('OK   rejections  no rejected events in the last 24 h');
    expect(line(lines, 'worker')).toMatch(/^OK {3}worker {6}last heartbeat \d+ s ago/);
    // Disk depends on this machine: the line says what the filesystem says.
    const s = statfsSync(dir);
    expect(line(lines, 'disk').slice(0, 4).trim()).toBe(diskVerdict(s.bavail * s.bsize, s.blocks * s.bsize));
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
    expect(code).toBe(0);
  });

  it('FAILs the database and edge lines once the edge is stopped, naming why, and exits 1', async () => {
    expect(await edge.stop()).toBe(0);
    const { code, lines } = await doctor(env);
    expect(code).toBe(1);
    expect(line(lines, 'database')).toMatch(
      /^FAIL database {4}embedded database at 127\.0\.0\.1:\d+ unreachable: nothing answers \(ECONNREFUSED\): the edge is not running: start it with npm start/,
    );
    expect(line(lines, 'edge')).toMatch(
      new RegExp(
        `^FAIL edge {8}nothing answers on https://${STORE_HOSTNAME}:${edge.port} \\(reached at 127\\.0\\.0\\.1:${edge.port}, ECONNREFUSED\\): the edge is not running`,
      ),
    );
    for (const name of ['registers', 'clock', 'rejections', 'worker']) {
      expect(line(lines, name)).toMatch(
        /^FAIL .* not checked: database unreachable \(nothing answers at 127\.0\.0\.1:\d+, the edge is not running\): see the database line$/,
      );
    }
    // What does not need the edge still reports.
    expect(line(lines, 'certificate')).toMatch(/^OK /);
  });
});
