// GET /v1/shape as a long-lived in-process service (the edge's stand-in for the Electric sync
// service). Same protocol code as the deployable function (`handleShapeRequest`), but:
// - waiting live requests share one change notifier (one cheap poll per process, ~25 ms) instead of
//   each polling, and hold no database connection while they wait;
// - a client that goes away releases its request at once;
// - every read goes through ONE pool of fixed size, however many registers wait, and requests are
//   admitted to read as many at a time as it has connections; the others wait in line, bounded
//   (`shape-admission.ts`);
// - answers are compressed when the client accepts it.

import type http from 'node:http';
import { DomainError } from '../core/errors';
import { isPoolTimeout, type Database } from '../db/client';
import { busyError, createAdmission, type Release } from './shape-admission';
import { sendShapeResponse } from './shape-compress';
import { createChangeNotifier } from './shape-notifier';
import { handleShapeRequest, isConnectionError, type ShapeResponse } from './shape-server';
import type { ShapeScope } from './shape-tables';

/** What the device check returns (structurally `DeviceIdentity` from services/device-auth.ts). */
export interface ShapeCaller {
  companyIds: string[];
  registerId: string;
  devices: { id: string }[];
}

export interface ShapeServiceOptions {
  /** The service's one pool; its `max` bounds the connections used however many requests wait. */
  database: Database;
  /**
   * The device check (`authenticateDevice`): a rejected credential is a DomainError of kind
   * `unauthenticated` (code `token_expired`: renew) or `forbidden`; anything else thrown means the
   * check itself failed (database down) and answers 503.
   */
  authenticate: (authorization: string | undefined, headers: http.IncomingHttpHeaders) => Promise<ShapeCaller>;
  /** How long a live request waits for a change (default 20 000 ms). */
  longPollMs?: number;
  /**
   * How long a request waits in line to read when every slot is taken (default 20 000 ms); then it
   * is answered 503 busy with retry-after. A woken long-poll goes back in line first.
   */
  queueMs?: number;
  /** How often the notifier polls while someone waits (default 25 ms). */
  pollIntervalMs?: number;
  /** A register's live request waiting for less than this is left to its client's own check (default 100 ms; shape-notifier.ts). */
  groupRestMs?: number;
  chunkRows?: number;
  chunkBytes?: number;
  /** Answers at least this long are compressed when the client accepts it (default 1 KiB). */
  compressMinBytes?: number;
  /** Called for answers that failed unexpectedly (500). */
  onError?: (e: unknown) => void;
}

export interface ShapeServiceStats {
  /** Requests being handled (authenticating, reading, waiting or sending). */
  inFlight: number;
  /** Live requests waiting for a change. */
  waiting: number;
  /** Requests admitted to read (authenticating or reading), and requests waiting in line for that. */
  admission: { active: number; queued: number };
  /** Notifier polls run since start. */
  polls: number;
  /** The pool: connections open, idle, and queries queued for one. */
  pool: { total: number; idle: number; queued: number };
}

export interface ShapeService {
  handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;
  /** Ends waiting requests and stops the notifier; the database stays open (the caller owns it). */
  close(): Promise<void>;
  stats(): ShapeServiceStats;
}

// The same JSON the functions answer with (functions/lib/auth.ts, errors.ts), so a register treats
// both alike: 401 → re-pair, 401 token_expired → renew, 503 → retry later.
const problemHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

function problem(status: number, error: string, path: string, message: string, headers: Record<string, string> = {}): ShapeResponse {
  return { status, headers: { ...problemHeaders, ...headers }, body: JSON.stringify({ error, issues: [{ path, message }] }) };
}

const RETRY_AFTER_SECONDS = 5;
const unavailable = (message: string, retryAfterSeconds = RETRY_AFTER_SECONDS) =>
  problem(503, 'unavailable', 'server', message, { 'retry-after': String(retryAfterSeconds) });
const unreachable = () => unavailable('the edge cannot reach its database; retry shortly');
// Every slot (or every connection) stayed taken for the whole wait: the database is fine, the edge is loaded.
const busy = () => unavailable(busyError(RETRY_AFTER_SECONDS).message);

/** 503s, or undefined for an unexpected failure. */
function unavailableAnswer(e: unknown): ShapeResponse | undefined {
  if (e instanceof DomainError && e.kind === 'unavailable') return unavailable(e.message, e.retryAfterSeconds);
  if (isPoolTimeout(e)) return busy();
  if (isConnectionError(e)) return unreachable();
  return undefined;
}

function credentialProblem(e: unknown): ShapeResponse {
  if (!(e instanceof DomainError)) return unavailableAnswer(e) ?? unreachable();
  if (e.kind === 'forbidden') return problem(403, 'forbidden', 'authorization', e.message);
  if (e.kind !== 'unauthenticated') return unavailableAnswer(e) ?? unreachable();
  return problem(401, e.code === 'token_expired' ? 'token_expired' : 'unauthorized', 'authorization', e.message, {
    'www-authenticate': 'Bearer realm="till"',
  });
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return query;
}

export function createShapeService(opts: ShapeServiceOptions): ShapeService {
  const { database } = opts;
  const notifier = createChangeNotifier(database, { intervalMs: opts.pollIntervalMs ?? 25, groupRestMs: opts.groupRestMs });
  const queueMs = opts.queueMs ?? 20_000;
  // As many read at once as the pool has connections: an admitted request finds one (or waits for
  // one query, the notifier's poll, at most).
  const admission = createAdmission(database.pool.options.max ?? 10, { retryAfterSeconds: RETRY_AFTER_SECONDS });
  const inFlight = new Map<Promise<void>, AbortController>();
  let closed = false;

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, aborter: AbortController): Promise<void> {
    let answer: ShapeResponse;
    let release: Release | undefined;
    try {
      if (closed) answer = unavailable('the edge is stopping; retry shortly');
      else {
        release = await admission.enter(queueMs, { signal: aborter.signal });
        let caller: ShapeCaller | undefined;
        try {
          caller = await opts.authenticate(req.headers.authorization, req.headers);
        } catch (e) {
          answer = credentialProblem(e);
        }
        if (caller) {
          const group = caller.registerId;
          const scope: ShapeScope = { companyIds: caller.companyIds, registerId: caller.registerId, deviceIds: caller.devices.map((d) => d.id) };
          answer = await handleShapeRequest(
            database,
            { method: req.method ?? 'GET', query: queryOf(new URL(req.url ?? '/', 'http://edge')), headers: req.headers },
            scope,
            {
              longPollMs: opts.longPollMs,
              // Waiting holds no slot; once woken, the request goes back in line first to read.
              // A register's live requests wait as one group: when one answers with changes, the
              // others answer at once (shape-notifier.ts) instead of after its client asks again.
              waitForChange: async (table, afterLsn, timeoutMs, signal) => {
                release?.();
                release = undefined;
                try {
                  return await notifier.wait(table, afterLsn, timeoutMs, signal, group);
                } finally {
                  release = await admission.enter(queueMs, { signal, first: true });
                }
              },
              onLiveChanges: () => notifier.answerGroup(group),
              signal: aborter.signal,
              chunkRows: opts.chunkRows,
              chunkBytes: opts.chunkBytes,
            },
          );
        }
      }
    } catch (e) {
      const refusal = aborter.signal.aborted ? undefined : unavailableAnswer(e);
      if (refusal) answer = refusal;
      else if (aborter.signal.aborted) return;
      else {
        opts.onError?.(e);
        answer = { status: 500, headers: problemHeaders, body: JSON.stringify({ error: 'internal_error', issues: [] }) };
      }
    } finally {
      // Sending (and compressing) the answer needs no connection.
      release?.();
    }
    if (aborter.signal.aborted || res.destroyed) return;
    await sendShapeResponse(req, res, answer!, { compressMinBytes: opts.compressMinBytes ?? 1024 });
  }

  return {
    handle(req, res) {
      const aborter = new AbortController();
      // 'close' on the response: the client went away (or the answer finished). The request's own
      // 'close' fires once its (empty) body is read, so it says nothing about the client.
      res.once('close', () => {
        if (!res.writableFinished) aborter.abort();
      });
      const p: Promise<void> = serve(req, res, aborter)
        .catch((e) => {
          opts.onError?.(e);
          if (!res.headersSent) res.writeHead(500, problemHeaders).end(JSON.stringify({ error: 'internal_error', issues: [] }));
          else res.destroy();
        })
        .finally(() => inFlight.delete(p));
      inFlight.set(p, aborter);
      return p;
    },
    async close() {
      closed = true;
      notifier.close();
      await Promise.allSettled([...inFlight.keys()]);
    },
    stats() {
      const pool = database.pool;
      return {
        inFlight: inFlight.size,
        waiting: notifier.waiting,
        admission: { active: admission.active, queued: admission.queued },
        polls: notifier.polls,
        pool: { total: pool.totalCount, idle: pool.idleCount, queued: pool.waitingCount },
      };
    },
  };
}
