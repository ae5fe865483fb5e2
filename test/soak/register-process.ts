// One simulated register for the soak, in a process of its own (as a real register is a machine of
// its own): its PGlite, live shapes through the official Electric client and pglite-sync, and its
// outbox pusher. A PGlite statement runs synchronously on its thread, so registers that share a
// thread stall each other (and the clock that measures them); one process each keeps every
// register's timers honest. Driven over IPC by `test/soak/run-soak.ts`.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import * as z from 'zod';
import { enqueueEvent } from '../../sync/register/outbox';
import { Pusher, type PushOutcome } from '../../sync/register/pusher';
import { applyLocalSchema, LIVE_TABLES, startShapeSync, type PGliteWithSync, type ShapeSyncHandle } from '../../sync/register/shape-sync';
import { line, saleEvent } from '../fixtures/register-sale';
import { trustEdgeCa } from '../trust-edge-ca';
import { soakCommand, type RegisterReport, type SoakReply } from './protocol';

type Start = Extract<z.infer<typeof soakCommand>, { cmd: 'start' }>;

const send = (m: SoakReply) => process.send!(m);
const pace = (ms: number) => new Promise((r) => setTimeout(r, ms));

let local: PGliteWithSync | undefined;
let sync: ShapeSyncHandle | undefined;
let pusher: Pusher | undefined;
let cfg: Start;
let token = '';
let seq = 0;
let seenAmount = 0;
/** When selling began (undefined during the first sync). */
let runStartedAt: number | undefined;
const pushed: string[] = [];
const statuses = new Map<number, number>();
const bad: string[] = [];
const badBeforeRun: string[] = [];
const networkErrors: string[] = [];
const syncErrors: string[] = [];
const outcomes: PushOutcome['kind'][] = [];
const unhandled: string[] = [];
const lag = monitorEventLoopDelay({ resolution: 20 });
/** The last shape requests of the live catalog, and those still open: what a register that fell behind was waiting on. */
const trail: { at: number; what: string; outcome?: string }[] = [];
const openShapeRequests = new Set<(typeof trail)[number]>();
const since = () => `${((Date.now() - (runStartedAt ?? Date.now())) / 1000).toFixed(1)} s`;

/** The register's fetch for both clients: the real one, with every answer's status counted. */
const countingFetch: typeof fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const q = url.searchParams;
  const entry: (typeof trail)[number] | undefined =
    url.pathname.endsWith('/v1/shape') && LIVE_TABLES.includes(q.get('table') as (typeof LIVE_TABLES)[number])
      ? { at: Date.now(), what: `${since()} ${q.get('table')} ${q.get('offset')} live=${q.get('live')}` }
      : undefined;
  if (entry) {
    openShapeRequests.add(entry);
    if (trail.push(entry) > 40) trail.shift();
  }
  try {
    const res = await fetch(input, init);
    if (entry) openShapeRequests.delete(entry);
    if (entry) entry.outcome = `${res.status} after ${Date.now() - entry.at} ms → ${res.headers.get('electric-offset')}`;
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status === 401 || res.status >= 500) {
      const when = runStartedAt === undefined ? 'before the soak' : `at +${((Date.now() - runStartedAt) / 1000).toFixed(1)} s`;
      const body = await res
        .clone()
        .text()
        .catch(() => '');
      (runStartedAt === undefined ? badBeforeRun : bad).push(
        `${init?.method ?? 'GET'} ${res.status} ${url.pathname}?${url.searchParams.get('table') ?? ''} ${when}: ${body.slice(0, 160)}`,
      );
    }
    return res;
  } catch (e) {
    // The client aborts its own requests (unsubscribing; a live shape refreshed so that the
    // catalog commits at one position): that is the client's choice, not a failure.
    if (entry) openShapeRequests.delete(entry);
    if (entry) entry.outcome = `${init?.signal?.aborted ? 'aborted' : String(e)} after ${Date.now() - entry.at} ms`;
    if (!init?.signal?.aborted) networkErrors.push(`${url.pathname}: ${String(e)} ${(e as Error).cause instanceof Error ? String((e as Error).cause) : ''}`);
    throw e;
  }
};

async function start(c: Start): Promise<void> {
  cfg = c;
  token = c.token;
  seenAmount = c.changing.amount;
  trustEdgeCa(c.caPem);
  local = await PGlite.create({ extensions: { sync: electricSync() } });
  await applyLocalSchema(local);
  sync = await startShapeSync(local, { baseUrl: c.base, token, fetchClient: countingFetch, onError: (e) => syncErrors.push(String(e)) });
  pusher = new Pusher(local, {
    baseUrl: c.base,
    token: () => token,
    fetch: countingFetch,
    appVersion: 'soak',
    onToken: (t) => {
      token = t;
      return Promise.resolve();
    },
    onOutcome: (o) => outcomes.push(o.kind),
  });
  pusher.start();
  // A first sync that takes long says where it is, every 30 s.
  for (let next = Date.now() + 30_000; !sync.isUpToDate; await pace(50)) {
    if (Date.now() < next) continue;
    next += 30_000;
    send({
      event: 'log',
      text: `still syncing: answers ${JSON.stringify(Object.fromEntries(statuses))}, last errors ${JSON.stringify(syncErrors.slice(-2))} ${JSON.stringify(badBeforeRun.slice(-1))}`,
    });
  }
}

/** The price as the POS reads it, from the local table; each new amount is reported with when it was seen. */
async function watchPrice(): Promise<void> {
  const r = await local!.query<{ amount: number }>(`SELECT amount FROM prices WHERE id = $1`, [cfg.changing.id]);
  const amount = r.rows[0]?.amount ?? 0;
  if (amount <= seenAmount) return;
  seenAmount = amount;
  send({ event: 'seen', amount, at: Date.now() });
}

/** Sells now and then, as a cashier would, and watches the price, until `end`. */
async function run(end: number): Promise<void> {
  runStartedAt = Date.now();
  lag.enable();
  const sell = async () => {
    await pace(Math.random() * cfg.saleEveryMs);
    while (Date.now() < end) {
      seq++;
      const row = cfg.sold[seq % cfg.sold.length]!;
      const event = saleEvent(cfg.identity, cfg.companyCode, { seq, cashierId: cfg.cashierId, lines: [line(row, row.companyId, 1 + (seq % 3))] });
      // The sale and its event in one local transaction, then the pusher is woken.
      await local!.transaction(async (tx) => enqueueEvent(tx, event));
      pushed.push(event.eventId);
      pusher!.kick();
      await pace(cfg.saleEveryMs / 2 + Math.random() * cfg.saleEveryMs);
    }
  };
  const watch = async () => {
    while (Date.now() < end) {
      await watchPrice();
      await pace(cfg.watchEveryMs);
    }
  };
  await Promise.all([sell(), watch()]);
  lag.disable();
}

/** Until every sale is pushed and the last price is local, or the timeout: what is still missing. */
async function drain(lastAmount: number, timeoutMs: number): Promise<{ pending: number; seenAmount: number; lastAmount: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await watchPrice();
    const pending = (await local!.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n;
    if ((pending === 0 && seenAmount >= lastAmount) || Date.now() > deadline) return { pending, seenAmount, lastAmount };
    await pace(50);
  }
}

async function report(): Promise<Omit<RegisterReport, 'drained'>> {
  pusher?.stop();
  sync?.unsubscribe();
  const notAccepted = (await local!.query<{ event_id: string; reason: string | null }>(`SELECT event_id, reason FROM outbox WHERE status <> 'accepted'`)).rows;
  return {
    code: cfg.identity.registerCode,
    pushed,
    notAccepted,
    statuses: Object.fromEntries(statuses),
    bad,
    badBeforeRun,
    networkErrors,
    syncErrors,
    revoked: outcomes.filter((k) => k === 'revoked').length,
    unhandled,
    lagMs: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    shapeTrail: [...openShapeRequests, ...trail.slice(-12)].map((x) => `${x.what}: ${x.outcome ?? `open for ${Date.now() - x.at} ms`}`),
  };
}

process.on('message', (raw) => {
  const parsed = soakCommand.safeParse(raw);
  if (!parsed.success) return send({ id: -1, ok: false, error: `bad command: ${parsed.error.message}` });
  const m = parsed.data;
  const reply = (p: Promise<unknown>) =>
    p.then(
      (value) => send({ id: m.id, ok: true, value }),
      (e: Error) => send({ id: m.id, ok: false, error: e.stack ?? String(e) }),
    );
  switch (m.cmd) {
    case 'start':
      return void reply(start(m));
    case 'run':
      return void reply(run(m.end));
    case 'drain':
      return void reply(drain(m.lastAmount, m.timeoutMs));
    case 'report':
      return void reply(report());
    case 'exit':
      return void local?.close().finally(() => process.exit(0));
  }
});
// A browser page lives on after an unhandled rejection; so does a simulated register, which
// reports them (seen under heavy load with the reason `undefined`, from inside the sync clients).
process.on('unhandledRejection', (reason) => {
  unhandled.push(reason instanceof Error ? (reason.stack ?? String(reason)).slice(0, 400) : String(reason));
});
// A driver that died (a failed or timed-out test) takes its registers with it.
process.on('disconnect', () => process.exit(1));
send({ event: 'ready' });
