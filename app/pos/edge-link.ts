// Every call this register makes to the edge goes through here (or is reported here, for the shape
// requests the database worker makes), so the status badges reflect what actually happened: the last
// call that reached the edge, and whether the latest one failed.
//
// While the edge is unreachable, ONE cheap request (`probeUrl`, every `probeMs` with jitter) finds out
// when it is back; nothing else retries on its own. The moment any request succeeds, `onReachable`
// listeners run (the pusher drains, the shapes resume).
//
// Every answer names the edge's app version (a header); the latest one is kept in `state.edgeVersion`
// for the shell updater (app/pos/shell-update.ts).
import { EDGE_VERSION_HEADER } from '../../core/app-version';

export interface LinkState {
  online: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  unauthorized: boolean;
  /** The token is past its expiry: renew it (POST /sync/renew), the register is not revoked. */
  tokenExpired: boolean;
  /** The app version the edge last said it runs; null until an answer carried one. */
  edgeVersion: string | null;
}

/** What one request told us about the edge. */
export type LinkOutcome = { kind: 'answered'; status: number; error?: string } | { kind: 'failed'; error: string };

/** Classifies a response; a 401 body says whether the token merely expired. */
export async function outcomeOf(res: Response): Promise<LinkOutcome> {
  if (res.status !== 401) return { kind: 'answered', status: res.status };
  const error = await res
    .clone()
    .json()
    .then((b: { error?: string }) => b.error)
    .catch(() => undefined);
  return { kind: 'answered', status: 401, ...(error ? { error } : {}) };
}

export interface EdgeLinkOptions {
  /** Where the probe goes while the edge is unreachable (e.g. `${base}/health`); no probing without it. */
  probeUrl?: string;
  /** Mean probe interval (default 3 s); each wait is ±25 % so registers do not probe in step. */
  probeMs?: number;
}

export function createEdgeLink(base: typeof fetch = (...a) => fetch(...a), opts: EdgeLinkOptions = {}) {
  const state: LinkState = { online: false, lastOkAt: null, lastError: null, unauthorized: false, tokenExpired: false, edgeVersion: null };
  /** False only after a failure was seen, until a request succeeds: "unknown" counts as reachable. */
  let reachable = true;
  /** Nothing has answered or failed yet (a fresh page): `settle()` finds out with one probe. */
  let known = false;
  let settling: Promise<boolean> | undefined;
  let probeTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const listeners = new Set<() => void>();
  const reachableListeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());

  const scheduleProbe = () => {
    if (!opts.probeUrl || probeTimer || stopped || reachable) return;
    const mean = opts.probeMs ?? 3000;
    probeTimer = setTimeout(
      () => {
        probeTimer = undefined;
        void probe();
      },
      mean * (0.75 + Math.random() * 0.5),
    );
  };

  const record = (o: LinkOutcome) => {
    const wasReachable = reachable;
    known = true;
    if (o.kind === 'answered') {
      if (o.status === 401) {
        if (o.error === 'token_expired') state.tokenExpired = true;
        else state.unauthorized = true;
      }
      if (o.status < 500) {
        state.online = true;
        state.lastOkAt = Date.now();
        state.lastError = null;
        reachable = true;
      } else {
        state.online = false;
        state.lastError = `edge answered ${o.status}`;
        reachable = false;
      }
    } else {
      state.online = false;
      state.lastError = o.error;
      reachable = false;
    }
    if (!reachable) scheduleProbe();
    else if (probeTimer) {
      clearTimeout(probeTimer);
      probeTimer = undefined;
    }
    notify();
    if (reachable && !wasReachable) reachableListeners.forEach((l) => l());
  };

  const fetchTracked: typeof fetch = async (input, init) => {
    try {
      const res = await base(input, init);
      const version = res.headers.get(EDGE_VERSION_HEADER);
      if (version) state.edgeVersion = version.slice(0, 40);
      record(await outcomeOf(res));
      return res;
    } catch (e) {
      // An aborted request (unsubscribe, reconnect, timeout we set) says nothing about the edge.
      if ((e as Error).name !== 'AbortError') record({ kind: 'failed', error: (e as Error).message });
      throw e;
    }
  };

  /** One probe now; true when the edge answered. */
  const probe = async (): Promise<boolean> => {
    if (!opts.probeUrl) return state.online;
    try {
      const res = await fetchTracked(opts.probeUrl, { cache: 'no-store', signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      return res.status < 500;
    } catch {
      return false; // recorded by fetchTracked (a timeout is a TimeoutError, not an abort)
    }
  };

  /**
   * Before a fresh page starts its requests (shapes, push, renew): one probe when nothing is known
   * yet, shared by every caller, so an offline reload sends one request instead of a burst.
   */
  const settle = (): Promise<boolean> => {
    if (known || !opts.probeUrl) return Promise.resolve(reachable);
    settling ??= probe().finally(() => (settling = undefined));
    return settling.then(() => reachable);
  };

  return {
    fetch: fetchTracked,
    settle,
    state,
    /** False while the edge is known to be unreachable (then only the probe talks to it). */
    get reachable() {
      return reachable;
    },
    /** For requests made elsewhere (the database worker's shape requests). */
    record,
    probe,
    subscribe(l: () => void): () => void {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    /** Runs every time the edge answers again after being unreachable. */
    onReachable(l: () => void): () => void {
      reachableListeners.add(l);
      return () => {
        reachableListeners.delete(l);
      };
    },
    stop() {
      stopped = true;
      if (probeTimer) clearTimeout(probeTimer);
    },
  };
}

export type EdgeLink = ReturnType<typeof createEdgeLink>;
