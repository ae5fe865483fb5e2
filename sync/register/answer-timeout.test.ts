import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withAnswerTimeout } from './answer-timeout';

describe('withAnswerTimeout', () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    // /silent never answers (a lost request); /slow answers after 150 ms.
    server = http.createServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => res.end('late but fine'), 150);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('turns a request the edge never answers into a network error the clients retry', async () => {
    const t0 = performance.now();
    const err = await withAnswerTimeout(
      fetch,
      300,
    )(`${base}/silent`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('no answer from the edge within 300 ms');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('passes an answer that comes in time, and the caller’s own abort, through unchanged', async () => {
    const res = await withAnswerTimeout(fetch, 5_000)(`${base}/slow`);
    expect(await res.text()).toBe('late but fine');
    const caller = new AbortController();
    const pending = withAnswerTimeout(fetch, 5_000)(`${base}/silent`, { signal: caller.signal });
    caller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
