// The shape service's admission: at most `slots` requests read the database at once (as many as
// its pool has connections), the others wait in line, first come first served, for at most
// `timeoutMs`. A request holds its slot while it authenticates and reads, and gives it back while
// it waits for a change and while its answer is sent.
//
// Why a line of requests rather than the pool's own queue: a request makes several queries (device
// check, shape, log), and in the pool's queue each one would wait its turn behind every other
// request's, so a request's total wait grew with the queue times the number of its queries, and the
// change notifier's one poll waited behind them all. Admitted, a request's queries find a
// connection (or wait for one query at most), and the notifier keeps polling every 25 ms.

import { DomainError } from '../core/errors';

/** Gives the slot back; calling it again does nothing. */
export type Release = () => void;

export interface Admission {
  /**
   * Resolves once the request may read. Rejects with a DomainError `unavailable` (code `busy`) when
   * no slot frees up within `timeoutMs`, or when `signal` aborts while it waits. `first` puts it at
   * the head of the line: a woken long-poll has waited already and only needs to read what changed.
   */
  enter(timeoutMs: number, opts?: { signal?: AbortSignal; first?: boolean }): Promise<Release>;
  /** Requests holding a slot. */
  readonly active: number;
  /** Requests waiting for one. */
  readonly queued: number;
}

interface Waiter {
  admit(): void;
}

export const busyError = (retryAfterSeconds: number) =>
  new DomainError('unavailable', 'server', 'the edge is busy; retry shortly', { code: 'busy', retryAfterSeconds });

export function createAdmission(slots: number, opts: { retryAfterSeconds?: number } = {}): Admission {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`admission needs at least one slot, got ${slots}`);
  const retryAfter = opts.retryAfterSeconds ?? 5;
  const line: Waiter[] = [];
  let active = 0;

  function grant(): Release {
    active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      // Invariant: someone waits only while every slot is taken, so one release admits one waiter.
      line.shift()?.admit();
    };
  }

  return {
    enter(timeoutMs, { signal, first = false } = {}) {
      if (signal?.aborted) return Promise.reject(busyError(retryAfter));
      if (active < slots) return Promise.resolve(grant());
      return new Promise<Release>((resolve, reject) => {
        const leave = (e: Error) => {
          const i = line.indexOf(w);
          if (i >= 0) line.splice(i, 1);
          done();
          reject(e);
        };
        const onAbort = () => leave(busyError(retryAfter));
        const timer = setTimeout(() => leave(busyError(retryAfter)), Math.max(0, timeoutMs));
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const w: Waiter = {
          admit() {
            done();
            resolve(grant());
          },
        };
        if (first) line.unshift(w);
        else line.push(w);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    get active() {
      return active;
    },
    get queued() {
      return line.length;
    },
  };
}
