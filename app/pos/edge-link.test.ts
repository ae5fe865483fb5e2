import { describe, expect, it } from 'vitest';
import { createEdgeLink } from './edge-link';

describe('edge link', () => {
  it('tracks reachability from real outcomes', async () => {
    let mode: 'ok' | 'down' | '500' | '401' = 'ok';
    const link = createEdgeLink(async () => {
      if (mode === 'down') throw new TypeError('fetch failed');
      return new Response('{}', { status: mode === 'ok' ? 200 : mode === '500' ? 500 : 401 });
    });
    let changes = 0;
    link.subscribe(() => changes++);
    await link.fetch('http://edge/x');
    expect(link.state.online).toBe(true);
    const okAt = link.state.lastOkAt;
    mode = 'down';
    await expect(link.fetch('http://edge/x')).rejects.toThrow('fetch failed');
    expect(link.state).toMatchObject({ online: false, lastError: 'fetch failed', lastOkAt: okAt });
    mode = '500';
    await link.fetch('http://edge/x');
    expect(link.state.online).toBe(false);
    mode = '401';
    await link.fetch('http://edge/x');
    expect(link.state).toMatchObject({ online: true, unauthorized: true });
    expect(changes).toBe(4);
  });

  it('tells an expired token apart from a revoked register', async () => {
    const link = createEdgeLink(async () => new Response(JSON.stringify({ error: 'token_expired', issues: [] }), { status: 401 }));
    const res = await link.fetch('http://edge/x');
    expect(await res.json()).toMatchObject({ error: 'token_expired' });
    expect(link.state).toMatchObject({ unauthorized: false, tokenExpired: true });
  });

  it('keeps the app version the edge last named', async () => {
    let version = '0.1.0';
    const link = createEdgeLink(async () => new Response('{}', { status: 200, headers: { 'x-till-edge-version': version } }));
    expect(link.state.edgeVersion).toBeNull();
    await link.fetch('http://edge/x');
    expect(link.state.edgeVersion).toBe('0.1.0');
    version = '0.2.0';
    await link.fetch('http://edge/x');
    expect(link.state.edgeVersion).toBe('0.2.0');
  });
});
