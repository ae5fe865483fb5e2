// GET /v1/shape in the cloud: an auth proxy in front of the Electric sync service.
// Electric sees the whole database and trusts whoever holds its secret, so this proxy alone
// decides what a register receives: the shape (table, columns, where) is rebuilt here from the
// device's scope, exactly like the edge's own shape server does (shape-definition.ts,
// shape-tables.ts, shape-where.ts), and only the client's position in the stream (offset, handle,
// live, cursor) is passed on. A client where/columns can only narrow the shape.
//
// The scope is sent as a where clause in the subset of SQL both Electric and the edge's shape
// server accept (`col = $n`, `col IN ($n, …)`, `col IS NULL`, AND; OR only for rejected_events),
// with every value a positional parameter. Scope rules that the edge evaluates with subqueries
// (the register's store, cashiers by membership) are resolved here to explicit ids, so a change
// of store or membership changes the where, and Electric answers 409 must-refetch.

import type { Database } from '../db/client';
import { many, maybeOne } from '../db/query';
import { checkScope, resolveShape, ShapeRequestError, first, type Query, type ShapeDefinition } from './shape-definition';
import { badRequest, CACHE, EXPOSE_HEADERS, jsonResponse, unavailable, type ShapeResponse } from './shape-headers';
import type { ShapeRequest } from './shape-server';
import type { ShapeScope } from './shape-tables';
import type { Condition } from './shape-where';

export interface ElectricProxyOptions {
  /** Electric's base URL (`…/v1/shape` is appended). */
  electricUrl: string;
  /** Electric's `ELECTRIC_SECRET`, sent as the `secret` parameter. */
  secret?: string;
  /** Aborts the upstream request: the client went away or the function's time is nearly up. */
  signal?: AbortSignal;
}

/** The client parameters that say where in the stream it is; everything else is rebuilt. */
export const PASSED_THROUGH = ['offset', 'handle', 'live', 'cursor'] as const;

/** Upstream answer headers a client needs; everything else (hop-by-hop, CORS, length, encoding) is dropped. */
const KEPT_HEADERS = /^(electric-[a-z-]+|cache-control|etag|retry-after|content-type|vary)$/;

class Params {
  readonly values: string[] = [];
  bind(value: string): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The scope facts the edge reads with subqueries, resolved for this request. */
interface Lookups {
  storeId: () => Promise<string | undefined>;
  cashierIds: () => Promise<string[]>;
}

/** Most clauses need only the scope; the few that look rows up are async. */
type ScopeClause = (scope: ShapeScope, p: Params, look: Lookups, pk: string) => string | Promise<string>;

const sorted = (ids: readonly string[] | undefined) => [...(ids ?? [])].sort();

/** `col IN (…)`, or a predicate no row matches when the list is empty (primary keys are never null). */
function inList(column: string, ids: readonly string[], p: Params, pk: string): string {
  if (ids.length === 0) return `${q(pk)} IS NULL`;
  return `${q(column)} IN (${sorted(ids)
    .map((id) => p.bind(id))
    .join(', ')})`;
}

function needRegister(scope: ShapeScope): string {
  if (!scope.registerId) throw new ShapeRequestError('table', 'Table is not available to this device');
  return scope.registerId;
}

const byCompany =
  (column = 'company_id'): ScopeClause =>
  (scope, p, _look, pk) =>
    inList(column, scope.companyIds, p, pk);

const byRegisterStore =
  (column: string): ScopeClause =>
  async (scope, p, look, pk) => {
    needRegister(scope);
    const store = await look.storeId();
    return store ? `${q(column)} = ${p.bind(store)}` : `${q(pk)} IS NULL`;
  };

const byCompanyAndRegister =
  (opts: { companyMayBeNull?: boolean } = {}): ScopeClause =>
  (scope, p, _look, pk) => {
    if (!scope.deviceIds?.length && !scope.registerId) throw new ShapeRequestError('table', 'Table is not available to this device');
    const companies = inList('company_id', scope.companyIds, p, pk);
    const company = opts.companyMayBeNull ? `(${q('company_id')} IS NULL OR ${companies})` : companies;
    if (scope.deviceIds?.length) return `${company} AND ${inList('device_id', scope.deviceIds, p, pk)}`;
    return `${company} AND ${q('register_id')} = ${p.bind(scope.registerId!)}`;
  };

/** Mirrors shape-tables.ts rule by rule; a table missing here is refused, never sent unscoped. */
const SCOPE_CLAUSES: Record<string, ScopeClause> = {
  companies: byCompany('id'),
  stores: byRegisterStore('id'),
  store_settings: byRegisterStore('store_id'),
  registers: (scope, p) => `${q('id')} = ${p.bind(needRegister(scope))}`,
  devices: (scope, p, _look, pk) => `${q('register_id')} = ${p.bind(needRegister(scope))} AND ${inList('company_id', scope.companyIds, p, pk)}`,
  cashiers: async (_scope, p, look, pk) => inList('id', await look.cashierIds(), p, pk),
  cashier_companies: byCompany(),
  tax_rates: byCompany(),
  items: byCompany(),
  barcodes: byCompany(),
  prices: byCompany(),
  customers: () => '',
  customer_credit: byCompany(),
  sales: byCompanyAndRegister(),
  rejected_events: byCompanyAndRegister({ companyMayBeNull: true }),
  shifts: byCompanyAndRegister(),
  adjustment_queue: byCompany(),
};

export const proxiedTables = (): string[] => Object.keys(SCOPE_CLAUSES);

/** The client's parsed where, re-serialised with every value a parameter. */
function conditionsSql(conds: Condition[], p: Params): string[] {
  return conds.map((c) => {
    if (c.kind === 'cmp') return `${q(c.column)} ${c.op} ${p.bind(c.value)}`;
    if (c.kind === 'in') return `${q(c.column)} ${c.not ? 'NOT IN' : 'IN'} (${c.values.map((v) => p.bind(v)).join(', ')})`;
    return `${q(c.column)} IS ${c.not ? 'NOT ' : ''}NULL`;
  });
}

function lookups(database: Database, scope: ShapeScope): Lookups {
  return {
    async storeId() {
      return (await maybeOne<{ id: string }>(database.pool, `SELECT store_id::text AS id FROM registers WHERE id = $1`, [scope.registerId]))?.id;
    },
    async cashierIds() {
      const rows = await many<{ id: string }>(
        database.pool,
        `SELECT DISTINCT cashier_id::text AS id FROM cashier_companies WHERE company_id = ANY($1::uuid[]) ORDER BY 1`,
        [scope.companyIds],
      );
      return rows.map((x) => x.id);
    },
  };
}

/**
 * The upstream query: the server-built shape (table, columns, where, params, replica, log) plus
 * the client's offset/handle/live/cursor. Nothing else the client sent is forwarded.
 */
export async function upstreamQuery(database: Database, query: Query, scope: ShapeScope): Promise<URLSearchParams> {
  checkScope(scope);
  const def: ShapeDefinition = await resolveShape(database, query, scope);
  const clause = SCOPE_CLAUSES[def.table.name];
  if (!clause) throw new ShapeRequestError('table', `Table ${JSON.stringify(def.table.name)} is not available to this device`);
  const p = new Params();
  const scopeSql = await clause(scope, p, lookups(database, scope), def.pk[0]!.name);
  const parts = [scopeSql, ...conditionsSql(def.conditions, p)].filter((s) => s !== '');
  const out = new URLSearchParams();
  out.set('table', def.table.name);
  out.set('columns', def.columns.map((c) => q(c.name)).join(','));
  if (parts.length) out.set('where', parts.map((s) => (parts.length > 1 ? `(${s})` : s)).join(' AND '));
  p.values.forEach((v, i) => out.set(`params[${i + 1}]`, v));
  out.set('replica', def.replica);
  out.set('log', def.log);
  for (const name of PASSED_THROUGH) {
    const v = first(query, name);
    if (v !== undefined) out.set(name, v);
  }
  return out;
}

function relayHeaders(upstream: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  upstream.forEach((value, name) => {
    if (KEPT_HEADERS.test(name)) out[name] = value;
  });
  // The answer depends on the caller's token: a shared cache must never reuse it (ADR 201).
  if (out['cache-control']) out['cache-control'] = out['cache-control'].replace(/\bpublic\b/g, 'private');
  out['access-control-expose-headers'] = EXPOSE_HEADERS;
  return out;
}

/**
 * Lambda answers are capped at 6 MB. Electric cuts snapshot chunks at
 * ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD (10 MB by default): run it with 1 MB (docs/deploy-aws.md).
 */
export const MAX_ANSWER_BYTES = 5_500_000;

const isAbort = (e: unknown) => (e as { name?: string })?.name === 'AbortError' || (e as { name?: string })?.name === 'TimeoutError';

/**
 * Answers one shape request through Electric. The caller has already authenticated the device;
 * `scope` comes from its token, never from the request.
 */
export async function proxyShapeRequest(database: Database, req: ShapeRequest, scope: ShapeScope, opts: ElectricProxyOptions): Promise<ShapeResponse> {
  const method = req.method.toUpperCase();
  if (method === 'OPTIONS') {
    return { status: 204, headers: { 'access-control-allow-methods': 'GET, HEAD, OPTIONS', 'access-control-expose-headers': EXPOSE_HEADERS }, body: '' };
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return jsonResponse(405, { message: `Method ${method} is not allowed` }, { allow: 'GET, HEAD, OPTIONS', 'cache-control': CACHE.error });
  }
  // A buffered function answer cannot stream server-sent events; the clients fall back to long polls.
  if (first(req.query, 'live_sse') === 'true' || first(req.query, 'experimental_live_sse') === 'true')
    return badRequest('live_sse', 'server-sent events are not supported by this server; use long polling');

  let params: URLSearchParams;
  try {
    params = await upstreamQuery(database, req.query, scope);
  } catch (e) {
    if (e instanceof ShapeRequestError) return badRequest(e.field, e.message);
    throw e;
  }
  if (opts.secret) params.set('secret', opts.secret);
  const url = `${opts.electricUrl.replace(/\/+$/, '')}/v1/shape?${params}`;

  let res: Response;
  let body: string;
  try {
    res = await fetch(url, { method, signal: opts.signal, headers: { accept: 'application/json' }, redirect: 'manual' });
    body = method === 'HEAD' ? '' : await res.text();
  } catch (e) {
    if (isAbort(e)) {
      return jsonResponse(
        504,
        { message: 'The sync service did not answer in time; retry' },
        {
          'retry-after': '0',
          'cache-control': CACHE.error,
        },
      );
    }
    return unavailable('The sync service is not reachable; retry shortly', 5);
  }
  // Electric's own answers (200, 204, 304, 400, 409, 429, 503) go back as they are; anything
  // else from upstream (a misconfigured proxy, 401 for a wrong secret) is our failure, not the client's.
  if (Buffer.byteLength(body) > MAX_ANSWER_BYTES) {
    return jsonResponse(
      502,
      { message: 'The sync service answered more than a function may return; lower ELECTRIC_SHAPE_CHUNK_BYTES_THRESHOLD' },
      {
        'cache-control': CACHE.error,
      },
    );
  }
  if ([200, 204, 304, 400, 409, 429, 503].includes(res.status)) {
    return { status: res.status, headers: relayHeaders(res.headers), body };
  }
  if (res.status >= 500) return unavailable('The sync service failed; retry shortly', 5);
  return jsonResponse(502, { message: `The sync service answered ${res.status}` }, { 'cache-control': CACHE.error });
}
