// Every call this register makes to the edge goes through here, so the status badges reflect
// what actually happened: the last call that reached the edge, and whether the latest one failed.

export interface LinkState {
  online: boolean;
  lastOkAt: number | null;
  lastError: string | null;
  unauthorized: boolean;
  /** The token is past its expiry: renew it (POST /sync/renew), the register is not revoked. */
  tokenExpired: boolean;
}

export function createEdgeLink(base: typeof fetch = (...a) => fetch(...a)) {
  const state: LinkState = { online: false, lastOkAt: null, lastError: null, unauthorized: false, tokenExpired: false };
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  const fetchTracked: typeof fetch = async (input, init) => {
    try {
      const res = await base(input, init);
      if (res.status === 401) {
        const error = await res
          .clone()
          .json()
          .then((b: { error?: string }) => b.error)
          .catch(() => undefined);
        if (error === 'token_expired') state.tokenExpired = true;
        else state.unauthorized = true;
      }
      if (res.status < 500) {
        state.online = true;
        state.lastOkAt = Date.now();
        state.lastError = null;
      } else {
        state.online = false;
        state.lastError = `edge answered ${res.status}`;
      }
      notify();
      return res;
    } catch (e) {
      // An aborted long-poll (unsubscribe, reconnect) says nothing about the edge.
      if ((e as Error).name !== 'AbortError') {
        state.online = false;
        state.lastError = (e as Error).message;
        notify();
      }
      throw e;
    }
  };
  return {
    fetch: fetchTracked,
    state,
    subscribe(l: () => void): () => void {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
  };
}

export type EdgeLink = ReturnType<typeof createEdgeLink>;
