import { describe, expect, it, vi } from 'vitest';
import { createEdgeLink } from './edge-link';

describe('edge link while the edge is away', () => {
  it('probes with one request at a time, nothing else, and reports the edge back at the first answer', async () => {
    let up = false;
    const calls: string[] = [];
    const link = createEdgeLink(
      async (input) => {
        calls.push(input instanceof Request ? input.url : input.toString());
        if (!up) throw new TypeError('fetch failed');
        return new Response('{}', { status: 200 });
      },
      { probeUrl: 'http://edge/health', probeMs: 40 },
    );
    let back = 0;
    link.onReachable(() => back++);
    await expect(link.fetch('http://edge/sync/push')).rejects.toThrow('fetch failed');
    expect(link.reachable).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    // Mean 40 ms ± 25 %: roughly 8–13 probes in 400 ms, all to /health, never overlapping.
    const probes = calls.filter((c) => c.endsWith('/health')).length;
    expect(probes).toBeGreaterThanOrEqual(6);
    expect(probes).toBeLessThanOrEqual(14);
    expect(calls.filter((c) => !c.endsWith('/health'))).toEqual(['http://edge/sync/push']);
    up = true;
    await vi.waitFor(() => expect(back).toBe(1), { timeout: 2000 });
    expect(link.reachable).toBe(true);
    expect(link.state.online).toBe(true);
    const after = calls.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(calls.length).toBe(after); // no probing while the edge answers
    link.stop();
  });

  it('settles an unknown edge with one shared probe before anything else is sent', async () => {
    const calls: string[] = [];
    const link = createEdgeLink(
      async (input) => {
        calls.push(input instanceof Request ? input.url : input.toString());
        throw new TypeError('fetch failed');
      },
      { probeUrl: 'http://edge/health', probeMs: 60_000 },
    );
    expect(link.reachable).toBe(true); // unknown counts as reachable…
    const answers = await Promise.all([link.settle(), link.settle(), link.settle()]);
    expect(answers).toEqual([false, false, false]); // …until one probe says otherwise
    expect(calls).toEqual(['http://edge/health']);
    expect(await link.settle()).toBe(false);
    expect(calls).toHaveLength(1); // known now: no new probe
    link.stop();
  });

  it('records outcomes reported from elsewhere (the database worker) like its own', () => {
    const link = createEdgeLink(async () => new Response('{}'), { probeUrl: 'http://edge/health', probeMs: 60_000 });
    let back = 0;
    link.onReachable(() => back++);
    link.record({ kind: 'failed', error: 'fetch failed' });
    expect(link.state).toMatchObject({ online: false, lastError: 'fetch failed' });
    link.record({ kind: 'answered', status: 401, error: 'token_expired' });
    expect(link.state).toMatchObject({ online: true, tokenExpired: true, unauthorized: false });
    expect(back).toBe(1);
    link.stop();
  });
});
