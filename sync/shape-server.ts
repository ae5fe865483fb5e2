// The Electric HTTP Shape API (GET /v1/shape) served from the edge database's change log.
// Framework-free: the caller maps its HTTP request to `ShapeRequest`, authenticates the device
// and passes the device's `ShapeScope`; the server alone decides which rows and columns it sees.
//
// Offsets (opaque to clients):
//   -1 / now            start a shape (snapshot / no history)
//   0_<n>               next snapshot chunk after primary key n (see shape-log.ts)
//   0_inf               end of snapshot: the log after the handle's base lsn
//   <lsn>_<op|inf>      the log after transaction <lsn>
// Handles are `<definition hash>-<base lsn>`: the base is the counter value the snapshot was
// taken at, so any worker process can serve any request without shared memory.

import { isPoolTimeout, type Database } from '../db/client';
import { Binder, buildKey, quoteIdent } from './pg-text';
import { checkScope, first, resolveShape, shapePredicate, ShapeRequestError, type Query, type ShapeDefinition } from './shape-definition';
import { badRequest, CACHE, EXPOSE_HEADERS, jsonResponse, mustRefetch, nextCursor, unavailable, type ShapeResponse } from './shape-headers';
import { csvHeader, decodeCursor, encodeCursor, pollLastLsn, readLastLsn, readLog, readSnapshotChunk, type LogEntry } from './shape-log';
import type { ChangeNotifier } from './shape-notifier';
import type { ShapeScope } from './shape-tables';

export type { ShapeScope } from './shape-tables';
export type { ShapeResponse } from './shape-headers';

export interface ShapeRequest {
  method: string;
  query: Query;
  headers?: Record<string, string | string[] | undefined>;
}

export interface ShapeOptions {
  /** How long a live request waits for a change (default 20 000 ms), before jitter. */
  longPollMs?: number;
  /**
   * Each live request waits between longPollMs × (1 − longPollJitter) and longPollMs (default 25%
   * shorter at most), so that long-polls opened together (every register after an edge restart) do
   * not all expire and come back together. Never longer than longPollMs: proxies and API Gateway
   * cut a request at 30 s. The cursor stays on the nominal interval.
   */
  longPollJitter?: number;
  /** The random source for the jitter, in [0, 1) (tests pin it). */
  random?: () => number;
  /** How often a waiting live request checks the change counter (default 150 ms). */
  pollIntervalMs?: number;
  /**
   * How a live request waits for its table to change. Default: poll the counter every
   * `pollIntervalMs` (the stateless function); a long-lived process passes its change notifier.
   */
  waitForChange?: ChangeNotifier['wait'];
  /** A live request is about to answer with changes (the service then answers its caller's other live requests). */
  onLiveChanges?: () => void;
  /** Abort a waiting live request (client went away). */
  signal?: AbortSignal;
  /** Snapshot chunk size in rows (default 5 000) and at most about in bytes (default 8 MB: rows bind first). */
  chunkRows?: number;
  chunkBytes?: number;
  /** Change-log entries read per response, whole transactions only (default 5 000). */
  maxLogOps?: number;
  /** Snapshot chunk size in rows when the client asked for CSV (default 20 000). */
  csvChunkRows?: number;
}

/**
 * The register's bulk loader asks for snapshot chunks as CSV (`accept: text/csv`): the rows as COPY
 * reads them, a header line first, the same chunks, offsets and handles. Electric's clients never
 * ask for it and get Electric's JSON messages; any other server answers JSON, which the loader reads too.
 */
function wantsCsv(headers: ShapeRequest['headers']): boolean {
  const accept = headers?.accept ?? headers?.Accept;
  return /(^|[\s,])text\/csv(?![^,]*;\s*q=0(\.0*)?\s*(,|$))/i.test(Array.isArray(accept) ? accept.join(',') : (accept ?? ''));
}

type Message = Record<string, unknown>;

const upToDate = (lsn: number): Message => ({ headers: { control: 'up-to-date', global_last_seen_lsn: String(lsn) } });

function body(messages: Message[]): string {
  return `[${messages.map((m) => JSON.stringify(m)).join(',')}]`;
}

function ok(
  def: ShapeDefinition,
  handle: string,
  offset: string,
  messages: Message[],
  opts: { live: boolean; cursor?: string; cache: string; upToDate: boolean; hasData: boolean },
): ShapeResponse {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'access-control-expose-headers': EXPOSE_HEADERS,
    'electric-handle': handle,
    'electric-offset': offset,
    'electric-has-data': String(opts.hasData),
    'cache-control': opts.cache,
  };
  if (opts.live) headers['electric-cursor'] = opts.cursor ?? nextCursor(undefined);
  else headers['electric-schema'] = def.schemaHeader;
  if (opts.upToDate) headers['electric-up-to-date'] = '';
  return { status: 200, headers, body: body(messages) };
}

/** Change messages for log entries, with `last` on each transaction's last message. */
function changeMessages(def: ShapeDefinition, entries: LogEntry[]): Message[] {
  const relation = [def.schema, def.table.name];
  const pkIdx = def.pk.map((p) => def.columns.findIndex((c) => c.name === p.name));
  const key = (vals: (string | null)[]) =>
    buildKey(
      def.schema,
      def.table.name,
      pkIdx.map((i) => vals[i] ?? null),
    );
  const value = (vals: (string | null)[]) => Object.fromEntries(def.columns.map((c, i) => [c.name, vals[i] ?? null]));
  const out: { lsn: number; msg: Message }[] = [];
  for (const e of entries) {
    const headers = (operation: string, extra: Record<string, unknown> = {}) => ({
      operation,
      relation,
      lsn: String(e.lsn),
      op_position: e.op,
      txids: [e.txid],
      ...extra,
    });
    const push = (msg: Message) => out.push({ lsn: e.lsn, msg });
    if (e.operation === 'insert') {
      if (e.matchRow) push({ headers: headers('insert'), key: key(e.row), value: value(e.row) });
    } else if (e.operation === 'delete') {
      if (e.matchRow) push({ headers: headers('delete'), key: key(e.row), value: value(e.row) });
    } else {
      const old = e.old ?? e.row;
      const newKey = key(e.row);
      const oldKey = key(old);
      if (oldKey !== newKey) {
        if (e.matchOld)
          push({
            headers: headers('delete', e.matchRow ? { key_change_to: newKey } : {}),
            key: oldKey,
            value: value(old),
          });
        if (e.matchRow)
          push({
            headers: headers('insert', e.matchOld ? { key_change_from: oldKey } : {}),
            key: newKey,
            value: value(e.row),
          });
      } else if (e.matchRow && e.matchOld) {
        const msg: Message = { headers: headers('update'), key: newKey, value: value(e.row) };
        if (def.replica === 'full') {
          msg.old_value = Object.fromEntries(def.columns.flatMap((c, i) => (old[i] !== e.row[i] ? [[c.name, old[i] ?? null]] : [])));
        }
        push(msg);
      } else if (e.matchRow) push({ headers: headers('insert'), key: newKey, value: value(e.row) });
      else if (e.matchOld) push({ headers: headers('delete'), key: oldKey, value: value(old) });
    }
  }
  return out.map(({ lsn, msg }, i) => {
    if (out[i + 1]?.lsn !== lsn) (msg.headers as Record<string, unknown>).last = true;
    return msg;
  });
}

type Offset = { kind: 'initial' } | { kind: 'now' } | { kind: 'snapshot-end' } | { kind: 'chunk'; cursor: string } | { kind: 'log'; lsn: number };

function parseOffset(raw: string): Offset | null {
  if (raw === '-1') return { kind: 'initial' };
  if (raw === 'now') return { kind: 'now' };
  const m = /^([0-9]{1,19})_([0-9]{1,200}|inf)$/.exec(raw);
  if (!m) return null;
  const lsn = Number(m[1]);
  if (!Number.isSafeInteger(lsn)) return null;
  if (lsn === 0) return m[2] === 'inf' ? { kind: 'snapshot-end' } : { kind: 'chunk', cursor: m[2]! };
  return { kind: 'log', lsn };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The stateless wait: poll the global counter (shared per pool and interval) until it moves. */
function pollingWait(database: Database, pollIntervalMs: number): ChangeNotifier['wait'] {
  return async (_table, afterLsn, timeoutMs, signal) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      await sleep(Math.min(pollIntervalMs, Math.max(0, deadline - Date.now())), signal);
      const c = await pollLastLsn(database, Math.max(1, pollIntervalMs - 10));
      if (c.lastLsn > afterLsn || c.compactedThrough > afterLsn) return { changed: true };
    }
    return { changed: false, through: afterLsn };
  };
}

/** The database cannot be reached or refused the session. A pool with every connection busy is not this (`isPoolTimeout`). */
export function isConnectionError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && (/^(08|57P|53)/.test(code) || /^E[A-Z]+$/.test(code))) return true;
  const msg = e instanceof Error ? e.message : '';
  return /Connection terminated|connect ECONNREFUSED/i.test(msg);
}

/** Rejects where values that do not parse as their column's type (e.g. a bad uuid) up front. */
async function checkWhereValues(database: Database, def: ShapeDefinition): Promise<void> {
  if (def.conditions.length === 0) return;
  const b = new Binder();
  const pred = shapePredicate(def, b);
  await database.pool.query(`SELECT ${pred('x')} FROM jsonb_populate_record(NULL::public.${quoteIdent(def.table.name)}, '{}'::jsonb) x`, b.values);
}

export async function handleShapeRequest(database: Database, req: ShapeRequest, scope: ShapeScope, opts: ShapeOptions = {}): Promise<ShapeResponse> {
  const method = req.method.toUpperCase();
  if (method === 'OPTIONS') {
    return {
      status: 204,
      headers: {
        'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        'access-control-expose-headers': EXPOSE_HEADERS,
      },
      body: '',
    };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return jsonResponse(405, { message: `Method ${method} is not allowed` }, { allow: 'GET, HEAD, OPTIONS', 'cache-control': CACHE.error });
  }
  checkScope(scope);
  try {
    const res = await serve(database, req.query, req.headers, scope, opts);
    return method === 'HEAD' ? { ...res, body: '' } : res;
  } catch (e) {
    if (e instanceof ShapeRequestError) return badRequest(e.field, e.message);
    const code = (e as { code?: unknown })?.code;
    if (typeof code === 'string' && code.startsWith('22')) return badRequest('where', (e as Error).message);
    if (isPoolTimeout(e)) return unavailable('The server is busy; retry shortly', 5);
    if (isConnectionError(e)) return unavailable('The database is not reachable; retry shortly');
    throw e;
  }
}

async function serve(database: Database, query: Query, headers: ShapeRequest['headers'], scope: ShapeScope, opts: ShapeOptions): Promise<ShapeResponse> {
  const longPollMs = opts.longPollMs ?? 20_000;
  const wait = opts.waitForChange ?? pollingWait(database, opts.pollIntervalMs ?? 150);
  const chunkRows = opts.chunkRows ?? 5_000;
  const chunkBytes = opts.chunkBytes ?? 8_000_000;
  const maxLogOps = opts.maxLogOps ?? 5_000;

  const rawOffset = first(query, 'offset');
  if (rawOffset === undefined || rawOffset === '') throw new ShapeRequestError('offset', "can't be blank");
  const offset = parseOffset(rawOffset);
  if (!offset) throw new ShapeRequestError('offset', 'has invalid format');
  const live = first(query, 'live') === 'true';
  const liveParam = first(query, 'live');
  if (liveParam !== undefined && liveParam !== 'true' && liveParam !== 'false') throw new ShapeRequestError('live', 'must be true or false');
  if (first(query, 'live_sse') === 'true' || first(query, 'experimental_live_sse') === 'true')
    throw new ShapeRequestError('live_sse', 'server-sent events are not supported by this server; use long polling');
  if (live && (offset.kind === 'initial' || offset.kind === 'now')) throw new ShapeRequestError('live', "can't be true unless offset is neither -1 nor now");
  if (live && offset.kind === 'chunk') throw new ShapeRequestError('live', "can't be true during the initial snapshot");
  const rawHandle = first(query, 'handle');
  if (offset.kind !== 'initial' && offset.kind !== 'now' && !rawHandle) throw new ShapeRequestError('handle', "can't be blank when offset != -1");

  const def = await resolveShape(database, query, scope);
  await checkWhereValues(database, def);
  const fresh = async () => `${def.hash}-${(await readLastLsn(database)).lastLsn}`;

  if (offset.kind === 'now') {
    const { lastLsn } = await readLastLsn(database);
    return ok(def, `${def.hash}-${lastLsn}`, '0_inf', [upToDate(lastLsn)], {
      live: false,
      cache: CACHE.nonLive,
      upToDate: true,
      hasData: false,
    });
  }

  let handle: string;
  let baseLsn: number | undefined;
  if (offset.kind !== 'initial') {
    const m = /^([0-9a-f]{16})-([0-9]{1,19})$/.exec(rawHandle!);
    if (!m || m[1] !== def.hash || !Number.isSafeInteger(Number(m[2]))) return mustRefetch(await fresh());
    handle = rawHandle!;
    baseLsn = Number(m[2]);
  }

  // ---- snapshot chunks ----
  if (offset.kind === 'initial' || offset.kind === 'chunk') {
    let after: string[] | undefined;
    if (offset.kind === 'chunk') {
      after = decodeCursor(offset.cursor, def.pk.length) ?? undefined;
      if (!after) throw new ShapeRequestError('offset', 'out of bounds for this shape');
    }
    const csv = wantsCsv(headers);
    const t0 = performance.now();
    const read = await readSnapshotChunk(database, def, {
      baseLsn,
      after,
      limit: csv ? (opts.csvChunkRows ?? 20_000) : chunkRows,
      maxBytes: chunkBytes,
      format: csv ? 'csv' : 'json',
    });
    if (read.kind === 'must-refetch') return mustRefetch(`${def.hash}-${read.counter.lastLsn}`);
    handle = `${def.hash}-${read.baseLsn}`;
    const done = read.exhausted || !read.lastPk;
    const nextOffset = done ? '0_inf' : `0_${encodeCursor(read.lastPk!)}`;
    let text: string;
    if (csv) {
      // The end of the snapshot is the 0_inf offset alone (the bulk loader needs no snapshot-end).
      text = `${csvHeader(def)}\n${read.messages ? `${read.messages}\n` : ''}`;
    } else {
      const parts = read.messages ? [read.messages] : [];
      if (done) {
        parts.push(JSON.stringify({ headers: { control: 'snapshot-end', xmin: read.xmin, xmax: read.xmax, xip_list: read.xip } }));
      }
      text = `[${parts.join(',')}]`;
    }
    return {
      status: 200,
      headers: {
        'content-type': csv ? 'text/csv; charset=utf-8' : 'application/json',
        'access-control-expose-headers': EXPOSE_HEADERS,
        'electric-handle': handle,
        'electric-offset': nextOffset,
        'electric-schema': def.schemaHeader,
        'electric-has-data': String(read.count > 0),
        'cache-control': offset.kind === 'initial' ? CACHE.initialSnapshot : CACHE.nonLive,
        // The database's part of the chunk (read and encode), for the register's timings.
        'server-timing': `db;dur=${Math.round(performance.now() - t0)}`,
      },
      body: text,
    };
  }

  // ---- change log: catch-up and live ----
  const start = offset.kind === 'snapshot-end' ? baseLsn! : offset.lsn;
  const offsetAfter = (lsn: number) => (lsn === start ? rawOffset : `${lsn}_inf`);
  const cursor = live ? nextCursor(first(query, 'cursor'), longPollMs / 1000) : undefined;
  const jitter = Math.min(1, Math.max(0, opts.longPollJitter ?? 0.25));
  const deadline = Date.now() + Math.round(longPollMs * (1 - jitter * (opts.random ?? Math.random)()));
  let from = start;
  for (;;) {
    const read = await readLog(database, def, from, { maxOps: maxLogOps });
    if (read.kind === 'must-refetch') return mustRefetch(`${def.hash}-${read.counter.lastLsn}`);
    const messages = changeMessages(def, read.entries);
    const complete = read.readThrough >= read.counter.lastLsn;
    if (!live) {
      // A non-live answer either reaches the counter (up-to-date) or advances the offset.
      if (complete) messages.push(upToDate(read.readThrough));
      return ok(def, handle!, offsetAfter(read.readThrough), messages, {
        live: false,
        cache: CACHE.nonLive,
        upToDate: complete,
        hasData: messages.length > (complete ? 1 : 0),
      });
    }
    if (messages.length > 0) {
      messages.push(upToDate(read.readThrough));
      opts.onLiveChanges?.();
      return ok(def, handle!, offsetAfter(read.readThrough), messages, {
        live: true,
        cursor,
        cache: CACHE.live,
        upToDate: true,
        hasData: true,
      });
    }
    from = read.readThrough;
    if (!complete) continue;
    // Wait for this table to change (or the log to be compacted past us).
    const waited = await wait(def.table.name, from, Math.max(0, deadline - Date.now()), opts.signal);
    if (!waited.changed) {
      from = Math.max(from, waited.through);
      return ok(def, handle!, offsetAfter(from), [upToDate(from)], {
        live: true,
        cursor,
        cache: CACHE.live,
        upToDate: true,
        hasData: false,
      });
    }
  }
}
