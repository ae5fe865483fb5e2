// The register database behind a message port (a dedicated Worker in the browser): one message per
// operation, so a scan is one round trip and a sale is one atomic transaction made durable before
// its answer. Writes outside a transaction are flushed by PGlite itself; every transaction here is
// followed by `syncToFs()`, because `idb://` does not save at COMMIT.
import type { PGlite, PGliteInterface } from '@electric-sql/pglite';

/** The register's PGlite: `syncToFs` is on PGlite itself, not on its interface type. */
export type DurablePGlite = PGliteInterface & Pick<PGlite, 'syncToFs'>;

export interface Statement {
  sql: string;
  params?: unknown[];
}

/** Named operations the database side runs in one go (a transaction with reads between writes). */
export type Procedures = Record<string, (...args: never[]) => Promise<unknown>>;

export type DbRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[] }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'transaction'; statements: Statement[] }
  | { id: number; op: 'call'; name: string; args: unknown[] };

/** A request before it is numbered (Omit over a union would merge its members). */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;
type DbRequestBody = Unnumbered<DbRequest>;

export type DbResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Something the database side reports on its own (sync progress, edge reachability), not an answer. */
export interface DbEvent {
  event: string;
  [k: string]: unknown;
}

export interface QueryResult<T> {
  rows: T[];
}

/** Reads and single-statement writes: PGlite itself, or the register database behind its port. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** What the register's screens and sync see of the database, wherever it runs. */
export interface RegisterDb<P extends Procedures = Procedures> extends Queryable {
  exec(sql: string): Promise<void>;
  /** All statements in one transaction, durable when this resolves. */
  transaction(statements: Statement[]): Promise<void>;
  call<K extends keyof P & string>(name: K, ...args: Parameters<P[K]>): Promise<Awaited<ReturnType<P[K]>>>;
}

/** Runs one request against the database (the worker's side of the protocol). */
export async function handleDbRequest(pg: DurablePGlite, procedures: Procedures, req: DbRequest): Promise<DbResponse> {
  try {
    switch (req.op) {
      case 'query': {
        // Only rows go back: fields and blobs would double what crosses the port.
        const r = await pg.query(req.sql, req.params ?? []);
        return { id: req.id, ok: true, result: { rows: r.rows } };
      }
      case 'exec':
        await pg.exec(req.sql);
        return { id: req.id, ok: true, result: null };
      case 'transaction':
        await pg.transaction(async (tx) => {
          for (const s of req.statements) await tx.query(s.sql, s.params ?? []);
        });
        await pg.syncToFs();
        return { id: req.id, ok: true, result: null };
      case 'call': {
        const fn = procedures[req.name];
        if (!fn) throw new Error(`unknown register database operation: ${req.name}`);
        return { id: req.id, ok: true, result: await (fn as (...a: unknown[]) => Promise<unknown>)(...req.args) };
      }
    }
  } catch (e) {
    return { id: req.id, ok: false, error: (e as Error).message ?? String(e) };
  }
}

/** The minimal port both `Worker`/`self` in a browser and `MessagePort` in Node provide. */
export interface PortLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

/**
 * Which requests the database side answers first, and which go straight through: the selling path
 * (a scan, a sale) goes ahead of status reads and the pusher's outbox work, and operations that
 * wait on the network (starting or refreshing sync) must not hold the line while they wait.
 */
export interface RequestOrder {
  foreground(req: DbRequest): boolean;
  bypass(req: DbRequest): boolean;
}

const FIFO: RequestOrder = { foreground: () => false, bypass: () => false };

/**
 * Answers requests one at a time, foreground first. A request already running is never
 * interrupted, so a scan waits for at most one other operation, not for every one queued before it
 * (PGlite's own queue is first come, first served). Answers go back in completion order, matched by id.
 */
export function createDbServer(pg: DurablePGlite, procedures: Procedures, reply: (res: DbResponse) => void, order: RequestOrder = FIFO) {
  const foreground: DbRequest[] = [];
  const background: DbRequest[] = [];
  let running = false;
  const pump = async () => {
    if (running) return;
    running = true;
    for (let req = foreground.shift() ?? background.shift(); req; req = foreground.shift() ?? background.shift()) await answer(req);
    running = false;
  };
  // An answer that cannot cross the port (not cloneable) still answers, with the reason.
  const answer = async (req: DbRequest) => {
    const res = await handleDbRequest(pg, procedures, req);
    try {
      reply(res);
    } catch (e) {
      reply({ id: req.id, ok: false, error: `the answer could not be sent: ${(e as Error).message}` });
    }
  };
  return (req: DbRequest) => {
    if (order.bypass(req)) return void answer(req);
    (order.foreground(req) ? foreground : background).push(req);
    void pump();
  };
}

export function isDbRequest(m: unknown): m is DbRequest {
  return !!m && typeof m === 'object' && typeof (m as { id?: unknown }).id === 'number' && 'op' in m;
}

/** Serves requests arriving on `port` (see createDbServer). */
export function serveDb(port: PortLike, pg: DurablePGlite, procedures: Procedures, order?: RequestOrder): void {
  const serve = createDbServer(pg, procedures, (res) => port.postMessage(res), order);
  port.addEventListener('message', (e) => {
    if (isDbRequest(e.data)) serve(e.data);
  });
}

export class DbClosedError extends Error {}

/** The page's side: a `RegisterDb` whose every operation is one message on `port`. */
export function connectDb<P extends Procedures>(
  port: PortLike,
  onEvent: (e: DbEvent) => void = () => {},
): RegisterDb<P> & { post(message: unknown): void; fail(error: Error): void } {
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  port.addEventListener('message', (e) => {
    const m = e.data as DbResponse | DbEvent;
    if (m && typeof m === 'object' && 'event' in m) return onEvent(m);
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve((m as { result: unknown }).result);
    else p.reject(new Error((m as { error: string }).error));
  });
  const send = <T>(req: DbRequestBody): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      port.postMessage({ ...req, id });
    });
  return {
    query: (sql, params) => send({ op: 'query', sql, ...(params ? { params } : {}) }),
    exec: (sql) => send({ op: 'exec', sql }),
    transaction: (statements) => send({ op: 'transaction', statements }),
    call: (name, ...args) => send({ op: 'call', name, args }),
    post: (message) => port.postMessage(message),
    /** The other side is gone (worker crashed): every waiting caller gets the error. */
    fail(error: Error) {
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    },
  };
}

/** The same interface in-process (Node tools and tests). */
export function localDb<P extends Procedures>(pg: DurablePGlite, procedures: P): RegisterDb<P> {
  let next = 1;
  const run = async <T>(req: DbRequestBody): Promise<T> => {
    const res = await handleDbRequest(pg, procedures, { ...req, id: next++ });
    if (!res.ok) throw new Error(res.error);
    return res.result as T;
  };
  return {
    query: (sql, params) => run({ op: 'query', sql, ...(params ? { params } : {}) }),
    exec: (sql) => run({ op: 'exec', sql }),
    transaction: (statements) => run({ op: 'transaction', statements }),
    call: (name, ...args) => run({ op: 'call', name, args }),
  };
}
