// One change watcher per process for waiting live shape requests. Instead of every waiting request
// polling the database, a single poller reads the change counter (and which tables changed) every
// `intervalMs`, only while at least one request waits, and wakes the waiters whose table changed.
// Waiting holds no database connection: the poll borrows one for a single indexed statement.
// Works on PGlite too, where LISTEN/NOTIFY does not reach other socket clients.
//
// A register follows its catalog tables as one atomic subscription (Electric's MultiShapeStream):
// when one of its live requests gets a change, its client waits 100 ms, then asks each of the other
// tables again only to learn that nothing of theirs changed, and commits after those answers. A
// waiter may therefore name its caller (`group`): `answerGroup` tells that caller's other waiters at
// once how far nothing of their table changed, which is what those extra requests would learn. A
// waiter that began less than `groupRestMs` ago is left to the client's own check, so a burst of
// changes costs no more requests than the client's 100 ms rhythm would.

import { isPoolTimeout, type Database } from '../db/client';
import { maybeOne } from '../db/query';

/** What a waiter learns: its table changed (read the log again), or nothing did through `through`. */
export type WaitResult = { changed: true } | { changed: false; through: number };

export interface ChangeNotifier {
  /**
   * Resolves `{changed: true}` as soon as a transaction after `afterLsn` touched `table` (or the
   * log was compacted past it), else `{changed: false, through}` at `timeoutMs` or on abort, where
   * nothing of `table` was logged in (afterLsn, through]. Rejects when the database fails.
   */
  wait(this: void, table: string, afterLsn: number, timeoutMs: number, signal?: AbortSignal, group?: string): Promise<WaitResult>;
  /**
   * One of `group`'s requests is answering with changes: its other waiters (those waiting for at
   * least `groupRestMs`) answer now, each with `{changed: false, through}` as at its timeout (a
   * waiter whose table changed is woken as usual).
   */
  answerGroup(this: void, group: string): void;
  /** Requests currently waiting. */
  readonly waiting: number;
  /** Poll statements run so far. */
  readonly polls: number;
  close(): void;
}

interface Waiter {
  table: string;
  after: number;
  group?: string;
  since: number;
  resolve(r: WaitResult): void;
  reject(e: Error): void;
}

export function createChangeNotifier(database: Database, opts: { intervalMs?: number; groupRestMs?: number } = {}): ChangeNotifier {
  const intervalMs = opts.intervalMs ?? 25;
  const groupRestMs = opts.groupRestMs ?? 100;
  const waiters = new Set<Waiter>();
  // What the poller knows: for lsns in (knownFrom, lastSeen], the latest lsn per changed table.
  let knownFrom: number | undefined;
  let lastSeen = 0;
  let compacted = 0;
  const tableLast = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let polling = false;
  let polls = 0;
  let closed = false;

  // Nothing of the waiter's table after its lsn, as far as the poller has seen.
  const quietThrough = (w: Waiter) => (knownFrom !== undefined && knownFrom <= w.after ? Math.max(w.after, lastSeen) : w.after);
  const due = (w: Waiter) => knownFrom !== undefined && (w.after < knownFrom || compacted > w.after || (tableLast.get(w.table) ?? 0) > w.after);

  function settle(w: Waiter, r: WaitResult) {
    if (!waiters.delete(w)) return;
    w.resolve(r);
  }

  function schedule() {
    if (closed || timer || polling || waiters.size === 0) return;
    timer = setTimeout(() => void poll(), intervalMs); // poll() handles its own failures
  }

  async function poll() {
    timer = undefined;
    if (waiters.size === 0) return reset();
    polling = true;
    polls++;
    const since = knownFrom === undefined ? Math.min(...[...waiters].map((w) => w.after)) : lastSeen;
    try {
      // One statement: the counter and the log in one snapshot, so every table change up to the
      // counter value read is listed (log order is commit order, migration 0001).
      const row = await maybeOne<{ l: string; c: string; t: Record<string, string> | null }>(
        database.pool,
        `SELECT k.last_lsn::text AS l, k.compacted_through::text AS c,
                (SELECT json_object_agg(t.table_name, t.m::text)
                   FROM (SELECT table_name, max(lsn) AS m FROM change_log
                          WHERE lsn > $1::int8 AND lsn <= k.last_lsn GROUP BY table_name) t) AS t
           FROM change_counter k WHERE k.id = 1`,
        [since],
      );
      if (!row) throw new Error('change_counter is empty: migrations have not run');
      if (knownFrom === undefined) knownFrom = since;
      const l = Number(row.l);
      if (l > lastSeen) lastSeen = l;
      compacted = Number(row.c);
      for (const [table, m] of Object.entries(row.t ?? {})) {
        if (Number(m) > (tableLast.get(table) ?? 0)) tableLast.set(table, Number(m));
      }
      for (const w of waiters) if (due(w)) settle(w, { changed: true });
    } catch (e) {
      // Every connection stayed busy: the waiters go on waiting (each until its own deadline) and
      // the next poll tries again; a busy pool is no reason to fail them all.
      if (!isPoolTimeout(e)) {
        // The database is unreachable: every waiter answers now (503), none hangs for its timeout.
        for (const w of [...waiters]) {
          waiters.delete(w);
          w.reject(e instanceof Error ? e : new Error(String(e)));
        }
        reset();
      }
    } finally {
      polling = false;
      if (waiters.size === 0) reset();
      schedule();
    }
  }

  // Knowledge is only kept while someone waits; the next waiter starts a fresh window.
  function reset() {
    if (waiters.size > 0 || polling) return;
    knownFrom = undefined;
    tableLast.clear();
  }

  return {
    wait(table, afterLsn, timeoutMs, signal, group) {
      return new Promise<WaitResult>((resolve, reject) => {
        if (closed) return reject(new Error('change notifier closed'));
        // eslint-disable-next-line prefer-const -- done() reads it before it is set when the wait settles at once
        let timeout: ReturnType<typeof setTimeout> | undefined;
        const done = () => {
          clearTimeout(timeout);
          signal?.removeEventListener('abort', onAbort);
        };
        const w: Waiter = {
          table,
          after: afterLsn,
          group,
          since: Date.now(),
          resolve: (r) => {
            done();
            resolve(r);
          },
          reject: (e) => {
            done();
            reject(e);
          },
        };
        const quiet = () => settle(w, { changed: false, through: quietThrough(w) });
        const onAbort = () => quiet();
        if (signal?.aborted) return resolve({ changed: false, through: afterLsn });
        waiters.add(w);
        if (due(w)) return settle(w, { changed: true });
        timeout = setTimeout(quiet, Math.max(0, timeoutMs));
        signal?.addEventListener('abort', onAbort, { once: true });
        schedule();
      });
    },
    answerGroup(group) {
      const now = Date.now();
      for (const w of [...waiters]) {
        if (w.group !== group || now - w.since < groupRestMs) continue;
        if (due(w)) settle(w, { changed: true });
        else settle(w, { changed: false, through: quietThrough(w) });
      }
    },
    get waiting() {
      return waiters.size;
    },
    get polls() {
      return polls;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      for (const w of [...waiters]) settle(w, { changed: false, through: w.after });
    },
  };
}
