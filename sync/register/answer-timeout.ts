// A register's requests to the edge get an answer or an error, never a wait without end. The edge
// holds a live shape request at most ~25 s; a request still unanswered long after that is lost (a
// connection that died without a reset, an edge that dropped it) and the sync client would wait on
// it forever. The timeout turns it into a network error, which the clients retry with back-off.

/** `fetch` whose answer (status and headers) must arrive within `ms`; the caller's own abort still wins. */
export function withAnswerTimeout(f: typeof fetch, ms: number): typeof fetch {
  return async (input, init) => {
    const own = new AbortController();
    const outer = init?.signal;
    const follow = () => own.abort(outer?.reason);
    if (outer?.aborted) follow();
    else outer?.addEventListener('abort', follow, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      own.abort();
    }, ms);
    try {
      return await f(input, { ...init, signal: own.signal });
    } catch (e) {
      if (timedOut && !outer?.aborted)
        throw new TypeError(`no answer from the edge within ${ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`}`, { cause: e });
      throw e;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', follow);
    }
  };
}
