// GET /v1/shape as a long-lived in-process service (the edge's stand-in for the Electric sync
// service). Same protocol code as the deployable function (`handleShapeRequest`), but:
// - waiting live requests share one change notifier (one cheap poll per process, ~25 ms) instead of
//   each polling, and hold no database connection while they wait;
// - a client that goes away releases its request at once;
// - every read goes through ONE pool of fixed size, however many registers wait;
// - answers are compressed when the client accepts it.

import type http from 'node:http';
import { DomainError } from '../core/errors';
import type { Database } from '../db/client';
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
  /** How often the notifier polls while someone waits (default 25 ms). */
  pollIntervalMs?: number;
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

const unavailable = () => problem(503, 'unavailable', 'server', 'the edge cannot reach its database; retry shortly', { 'retry-after': '5' });

function credentialProblem(e: unknown): ShapeResponse {
  if (!(e instanceof DomainError)) return unavailable();
  if (e.kind === 'forbidden') return problem(403, 'forbidden', 'authorization', e.message);
  if (e.kind !== 'unauthenticated') return unavailable();
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
  const notifier = createChangeNotifier(database, { intervalMs: opts.pollIntervalMs ?? 25 });
  const inFlight = new Map<Promise<void>, AbortController>();
  let closed = false;

  async function serve(req: http.IncomingMessage, res: http.ServerResponse, aborter: AbortController): Promise<void> {
    let answer: ShapeResponse;
    try {
      if (closed) answer = unavailable();
      else {
        let caller: ShapeCaller | undefined;
        try {
          caller = await opts.authenticate(req.headers.authorization, req.headers);
        } catch (e) {
          answer = credentialProblem(e);
        }
        if (caller) {
          const scope: ShapeScope = { companyIds: caller.companyIds, registerId: caller.registerId, deviceIds: caller.devices.map((d) => d.id) };
          answer = await handleShapeRequest(
            database,
            { method: req.method ?? 'GET', query: queryOf(new URL(req.url ?? '/', 'http://edge')), headers: req.headers },
            scope,
            {
              longPollMs: opts.longPollMs,
              waitForChange: notifier.wait,
              signal: aborter.signal,
              chunkRows: opts.chunkRows,
              chunkBytes: opts.chunkBytes,
            },
          );
        }
      }
    } catch (e) {
      if (isConnectionError(e)) answer = unavailable();
      else {
        opts.onError?.(e);
        answer = { status: 500, headers: problemHeaders, body: JSON.stringify({ error: 'internal_error', issues: [] }) };
      }
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
        polls: notifier.polls,
        pool: { total: pool.totalCount, idle: pool.idleCount, queued: pool.waitingCount },
      };
    },
  };
}
