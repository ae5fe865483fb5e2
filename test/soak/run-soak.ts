// The soak: one real edge and N registers, each in a process of its own (test/soak/register-process.ts)
// with its PGlite, live shapes and pusher, selling every few seconds while the edge changes a price
// every second. This process only drives: it changes the price, samples the edge (memory, database
// connections, threads) and collects what the registers saw, so its own event loop stays idle and
// its clock honest (its delay is measured and reported). Used by `sync/register/soak.e2e.test.ts`
// (short form, in `npm test`) and `npm run bench -- soak` (long form). No vitest here.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase, type Database } from '../../db/client';
import { seedDemo } from '../../seeds/demo';
import { createRegister } from '../../services/admin-setup';
import { issuePairingCode, type PairedDevice } from '../../services/device-auth';
import { createTestDatabase, type Backend, type TestDatabase } from '../create-database';
import { startEdge, type EdgeProcess } from '../edge-process';
import { catalogRows, type CatalogRow } from '../fixtures/register-sale';
import { soakReply, type RegisterReport, type SoakCommand, type SoakReply } from './protocol';

export interface SoakOptions {
  backend: Backend;
  registers: number;
  /** How long the registers sell while the price changes. */
  durationMs: number;
  /**
   * Items per company of the store (seeded by the soak, the edge's demo catalog off); absent: the
   * edge's full demo catalog (2,000 items per company). The soak is about the steady state, not
   * catalog size (the catalog benchmarks measure that), so the short form keeps the first sync small.
   */
  catalogItems?: number;
  priceEveryMs?: number;
  saleEveryMs?: number;
  watchEveryMs?: number;
  sampleEveryMs?: number;
  log?: (line: string) => void;
}

export interface EdgeSample {
  /** ms since the soak started */
  t: number;
  launcherMb: number;
  functionsMb: number;
  /** Threads of the function server (serverless-offline's workers among them). */
  functionThreads: number;
  /** Connections the edge's database holds open. */
  connections: number;
}

export interface SoakResult {
  backend: Backend;
  durationMs: number;
  registers: RegisterReport[];
  setupMs: { edge: number; pairing: number; initialSync: number };
  priceChanges: number;
  /** ms from a price change on the edge to its arrival in a register's table, one per change and register. */
  latencies: number[];
  /** The edge's own log lines about failures (an unreachable function server, a failed request). */
  edgeErrors: string[];
  /** Each register's slowest change (ms). */
  slowest: Record<string, number>;
  /** Event ids that reached `sales` more than once, or never. */
  bookedTwice: string[];
  neverBooked: string[];
  samples: EdgeSample[];
  /** This process's own event-loop delay during the soak (ms). */
  driverLagMs: { p50: number; p99: number; max: number };
}

const root = path.resolve(__dirname, '../..');
const pace = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Server-side TCP connections to a local port (what the embedded database's wire server holds open). */
function listeningConnections(port: number): number {
  let n = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      if (f.length < 4) continue;
      if (parseInt(f[1]!.split(':').pop()!, 16) === port && f[3] === '01') n++;
    }
  }
  return n;
}

function procStatus(pid: number, field: 'VmRSS' | 'Threads'): number {
  const m = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no ${field} for pid ${pid}`);
  return Number(m[1]);
}

type WithoutId<C> = C extends unknown ? Omit<C, 'id'> : never;

/** A register process and a request/answer channel to it. */
class RegisterProcess {
  readonly child: ChildProcess;
  readonly seen: { amount: number; at: number }[] = [];
  private next = 1;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly ready: Promise<void>;
  private exited = false;

  constructor(
    readonly code: string,
    private readonly log: (line: string) => void,
  ) {
    this.child = fork(path.join(__dirname, 'register-process.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, LOG_LEVEL: 'WARN' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let onReady: () => void;
    this.ready = new Promise((r) => (onReady = r));
    this.child.on('message', (raw) => {
      const m: SoakReply = soakReply.parse(raw);
      if ('event' in m) {
        if (m.event === 'ready') onReady();
        else if (m.event === 'log') this.log(`${code} ${m.text}`);
        else this.seen.push({ amount: m.amount, at: m.at });
        return;
      }
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if (m.ok) w?.resolve(m.value);
      else w?.reject(new Error(`${code}: ${m.error}`));
    });
    this.child.on('exit', (c, sig) => {
      this.exited = true;
      for (const w of this.waiting.values()) w.reject(new Error(`${code} exited (${c ?? sig})`));
      this.waiting.clear();
    });
  }

  ask<T>(command: WithoutId<SoakCommand>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.code} has exited`));
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  /** Asks it to close its database and exit; kills it if it does not within 10 s. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ id: this.next++, cmd: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
}

export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const priceEveryMs = opts.priceEveryMs ?? 1_000;
  const sampleEveryMs = opts.sampleEveryMs ?? 1_000;
  const log = opts.log ?? (() => undefined);
  const codes = Array.from({ length: opts.registers }, (_, i) => `R${String(i + 1).padStart(2, '0')}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-soak-'));
  let edge: EdgeProcess | undefined;
  let external: TestDatabase | undefined;
  let database: Database | undefined;
  const regs: RegisterProcess[] = [];
  try {
    let t = Date.now();
    const env: Record<string, string> = { TILL_DATA_DIR: path.join(dir, 'edge'), TILL_DEMO: opts.catalogItems === undefined ? '1' : '0' };
    if (opts.backend === 'postgres') {
      external = await createTestDatabase('postgres');
      env.DATABASE_URL = external.url;
    }
    edge = await startEdge(env);
    const edgeMs = Date.now() - t;
    log(`edge ready in ${edgeMs} ms`);
    const dbUrl = edge.pgliteUrl ?? external!.url;
    database = openDatabase(dbUrl, { max: 2, applicationName: 'till-soak' });
    const q = async <R>(sql: string, params: unknown[] = []) => (await database!.pool.query(sql, params)).rows as R[];
    if (opts.catalogItems !== undefined) {
      await seedDemo(database, { itemsPerCompany: opts.catalogItems, sharedBarcodes: Math.ceil(opts.catalogItems / 10), customers: 10 });
    }

    // Registers beside the demo's R01, each paired over https as a register would be.
    t = Date.now();
    for (const code of codes.slice(1)) await createRegister(database, { code, name: `Register ${code}` }, 'soak');
    const registerRows = await q<{ id: string; code: string }>(`SELECT id, code FROM registers WHERE code = ANY($1) ORDER BY code`, [codes]);
    if (registerRows.length !== codes.length) throw new Error(`expected registers ${codes.join(', ')}, found ${registerRows.map((r) => r.code).join(', ')}`);
    const company = (await q<{ id: string }>(`SELECT id FROM companies WHERE code = 'U'`))[0]!.id;
    const cashierId = (await q<{ id: string }>(`SELECT id FROM cashiers ORDER BY name LIMIT 1`))[0]!.id;
    const sold: CatalogRow[] = await catalogRows(database, company, 3);
    // The changing price is an item no sale uses, so sales are judged against stable prices.
    const changing = (
      await q<{ id: string; amount: number }>(
        `SELECT p.id, p.amount FROM prices p JOIN items i ON i.id = p.item_id WHERE i.company_id = $1 AND i.id <> ALL($2::uuid[]) ORDER BY i.code DESC LIMIT 1`,
        [company, sold.map((r) => r.itemId)],
      )
    )[0]!;
    const paired: { token: string; identity: { registerId: string; registerCode: string; tokenId: string; devices: PairedDevice[]; companyIds: string[] } }[] =
      [];
    for (const reg of registerRows) {
      const { code } = await issuePairingCode(database, reg.id);
      const res = await fetch(`${edge.base}/sync/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pairingCode: code, appVersion: 'soak' }),
      });
      if (res.status !== 200) throw new Error(`pairing ${reg.code} answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { token: string; registerId: string; registerCode: string; devices: PairedDevice[] };
      paired.push({
        token: body.token,
        identity: {
          registerId: body.registerId,
          registerCode: body.registerCode,
          tokenId: '',
          devices: body.devices,
          companyIds: body.devices.map((d) => d.companyId),
        },
      });
    }
    const pairingMs = Date.now() - t;

    // Every register opens at once, as registers do in the morning, and syncs the catalog.
    t = Date.now();
    for (const p of paired) regs.push(new RegisterProcess(p.identity.registerCode, log));
    await Promise.all(regs.map((r) => r.ready));
    await Promise.all(
      regs.map((r, i) =>
        r.ask({
          cmd: 'start',
          base: edge!.base,
          caPem: edge!.caPem,
          token: paired[i]!.token,
          identity: paired[i]!.identity,
          companyCode: 'U',
          cashierId,
          sold,
          changing,
          saleEveryMs: opts.saleEveryMs ?? 3_000,
          watchEveryMs: opts.watchEveryMs ?? 100,
        }),
      ),
    );
    const initialSyncMs = Date.now() - t;
    log(`${regs.length} registers synced in ${initialSyncMs} ms`);

    const launcherPid = edge.child.pid!;
    const functionPid = Number(/"message":"function server ready"[^\n]*"pid":(\d+)/.exec(edge.output())?.[1]);
    if (!(functionPid > 0)) throw new Error('no function server pid in the edge output');
    const pglitePort = edge.pgliteUrl ? Number(new URL(edge.pgliteUrl).port) : undefined;
    const connections = async () =>
      pglitePort !== undefined
        ? listeningConnections(pglitePort)
        : (await q<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`))[0]!.n;

    const lag = monitorEventLoopDelay({ resolution: 20 });
    lag.enable();
    const start = Date.now();
    const end = start + opts.durationMs;
    const changes: { amount: number; at: number }[] = [];
    const samples: EdgeSample[] = [];

    const priceLoop = async () => {
      for (let k = 1; Date.now() < end; k++) {
        const amount = changing.amount + k;
        // Timed from before the commit: a register may see it before this query returns.
        changes.push({ amount, at: Date.now() });
        await q(`UPDATE prices SET amount = $1, updated_at = now() WHERE id = $2`, [amount, changing.id]);
        await pace(Math.max(0, start + k * priceEveryMs - Date.now()));
      }
    };
    const sampleLoop = async () => {
      while (Date.now() < end) {
        samples.push({
          t: Date.now() - start,
          launcherMb: Math.round(procStatus(launcherPid, 'VmRSS') / 1024),
          functionsMb: Math.round(procStatus(functionPid, 'VmRSS') / 1024),
          functionThreads: procStatus(functionPid, 'Threads'),
          connections: await connections(),
        });
        if (samples.length % 30 === 0) log(`t=${Math.round((Date.now() - start) / 1000)} s ${JSON.stringify(samples.at(-1))}`);
        await pace(sampleEveryMs);
      }
    };
    await Promise.all([priceLoop(), sampleLoop(), ...regs.map((r) => r.ask({ cmd: 'run', end }))]);
    lag.disable();

    // Drain: every queued sale pushed, the last price on every register.
    const lastAmount = changes.at(-1)!.amount;
    const drained = await Promise.all(regs.map((r) => r.ask<RegisterReport['drained']>({ cmd: 'drain', lastAmount, timeoutMs: 60_000 })));
    log(`drained ${Math.round((Date.now() - end) / 1000)} s after the soak`);
    const reports = (await Promise.all(regs.map((r) => r.ask<Omit<RegisterReport, 'drained'>>({ cmd: 'report' })))).map((r, i) => ({
      ...r,
      drained: drained[i]!,
    }));

    // Changes that arrive together count from each one's own commit.
    const latencies: number[] = [];
    const slowest: Record<string, number> = {};
    for (const r of regs) {
      let before = changing.amount;
      for (const s of r.seen) {
        for (const c of changes) {
          if (c.amount <= before || c.amount > s.amount) continue;
          latencies.push(s.at - c.at);
          slowest[r.code] = Math.max(slowest[r.code] ?? 0, s.at - c.at);
        }
        before = Math.max(before, s.amount);
      }
    }
    const allPushed = reports.flatMap((r) => r.pushed);
    const booked = await q<{ event_id: string; n: number }>(
      `SELECT event_id, count(*)::int AS n FROM sales WHERE event_id = ANY($1::uuid[]) GROUP BY event_id`,
      [allPushed],
    );
    const bookedIds = new Set(booked.map((b) => b.event_id));
    return {
      backend: opts.backend,
      durationMs: opts.durationMs,
      registers: reports,
      setupMs: { edge: edgeMs, pairing: pairingMs, initialSync: initialSyncMs },
      priceChanges: changes.length,
      latencies,
      slowest,
      edgeErrors: edge
        .output()
        .split('\n')
        .filter((l) => /unreachable|failed|"level":"ERROR"/.test(l))
        .map((l) => l.slice(0, 300)),
      bookedTwice: booked.filter((b) => b.n !== 1).map((b) => b.event_id),
      neverBooked: allPushed.filter((id) => !bookedIds.has(id)),
      samples,
      driverLagMs: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
    };
  } finally {
    await Promise.all(regs.map((r) => r.stop()));
    await database?.close();
    await edge?.stop();
    await external?.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** The largest value of `key` among the samples in [from, to) ms. */
export const windowMax = (samples: EdgeSample[], key: Exclude<keyof EdgeSample, 't'>, from: number, to: number) =>
  Math.max(...samples.filter((x) => x.t >= from && x.t < to).map((x) => x[key]));

/** The figures a person reads: latency, edge growth between the first and the last window, errors. */
export function summarize(r: SoakResult, windowMs = Math.min(60_000, r.durationMs / 2)) {
  const first = (k: Exclude<keyof EdgeSample, 't'>) => windowMax(r.samples, k, 0, windowMs);
  const last = (k: Exclude<keyof EdgeSample, 't'>) => windowMax(r.samples, k, r.durationMs - windowMs, Infinity);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    backend: r.backend,
    durationS: r.durationMs / 1000,
    registers: r.registers.length,
    setupMs: r.setupMs,
    salesPushed: r.registers.reduce((n, x) => n + x.pushed.length, 0),
    priceChanges: r.priceChanges,
    changeLatencyMs: {
      p50: percentile(r.latencies, 50),
      p95: percentile(r.latencies, 95),
      max: Math.max(...r.latencies),
      n: r.latencies.length,
      slowestByRegister: r.slowest,
    },
    connections: { first: first('connections'), last: last('connections') },
    launcherRssMb: { first: first('launcherMb'), last: last('launcherMb') },
    functionsRssMb: { first: first('functionsMb'), last: last('functionsMb') },
    functionThreads: { first: first('functionThreads'), last: last('functionThreads') },
    driverLagMs: { p99: round(r.driverLagMs.p99), max: round(r.driverLagMs.max) },
    registerLagMs: { p99Max: round(Math.max(...r.registers.map((x) => x.lagMs.p99))), max: round(Math.max(...r.registers.map((x) => x.lagMs.max))) },
    registerRssMb: Math.max(...r.registers.map((x) => x.rssMb)),
    bad: r.registers.flatMap((x) => x.bad.map((b) => `${x.code} ${b}`)),
    badBeforeRun: r.registers.flatMap((x) => x.badBeforeRun.map((b) => `${x.code} ${b}`)),
    networkErrors: r.registers.flatMap((x) => x.networkErrors.map((b) => `${x.code} ${b}`)),
    syncErrors: r.registers.flatMap((x) => x.syncErrors.map((b) => `${x.code} ${b}`)),
    unhandled: r.registers.flatMap((x) => x.unhandled.map((b) => `${x.code} ${b}`)),
    edgeErrors: r.edgeErrors.slice(0, 20),
    notDrained: r.registers
      .filter((x) => x.drained.pending > 0 || x.drained.seenAmount < x.drained.lastAmount)
      .map((x) => `${x.code} ${JSON.stringify(x.drained)} last live requests: ${x.shapeTrail.join(' | ')}`),
    samples: r.samples.length,
  };
}
