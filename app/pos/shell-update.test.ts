import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ShellUpdater, shellUpdateNote, type ShellUpdaterOptions } from './shell-update';

function setup(over: Partial<ShellUpdaterOptions> = {}) {
  const store = new Map<string, string>();
  const reload = vi.fn();
  let finish: (ok: boolean) => void = () => undefined;
  const prepare = vi.fn(() => new Promise<void>((resolve, reject) => (finish = (ok) => (ok ? resolve() : reject(new Error('offline'))))));
  const u = new ShellUpdater({
    shellVersion: '0.1.0',
    prepare,
    reload,
    session: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    idleGraceMs: 1000,
    ...over,
  });
  return { u, reload, prepare, store, finish: (ok = true) => finish(ok) };
}

describe('shell updater', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches a newer shell once, then reloads only when the sale is over and the grace has passed', async () => {
    const { u, reload, prepare, finish } = setup();
    u.setBusy(true);
    u.edgeVersion('0.2.0');
    u.edgeVersion('0.2.0');
    expect(prepare).toHaveBeenCalledTimes(1);
    expect(u.state).toEqual({ kind: 'downloading', to: '0.2.0' });
    finish();
    await vi.waitFor(() => expect(u.state).toEqual({ kind: 'ready', to: '0.2.0' }));
    expect(shellUpdateNote(u.state, u.busy, u.shellVersion)).toBe('Updating to 0.2.0 after this sale');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reload).not.toHaveBeenCalled();
    u.setBusy(false);
    await vi.advanceTimersByTimeAsync(500);
    u.setBusy(true); // the next customer started before the grace ran out
    await vi.advanceTimersByTimeAsync(5000);
    expect(reload).not.toHaveBeenCalled();
    u.setBusy(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not reload again for a version it already reloaded for', () => {
    const { u, reload, prepare, store } = setup();
    store.set('till.shell-update-attempt', '0.2.0');
    u.edgeVersion('0.2.0');
    expect(prepare).not.toHaveBeenCalled();
    expect(u.state.kind).toBe('failed');
    expect(reload).not.toHaveBeenCalled();
  });

  it('keeps selling when the edge is older, and never reloads', async () => {
    const { u, reload, prepare } = setup({ shellVersion: '0.3.0' });
    u.edgeVersion('0.2.0');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(u.state).toEqual({ kind: 'edge-older', edge: '0.2.0' });
    expect(shellUpdateNote(u.state, false, u.shellVersion)).toBe('This register runs 0.3.0, newer than the edge (0.2.0): selling continues.');
    expect(prepare).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('gives up on a download that failed and on an edge that went back to this version', async () => {
    const { u, reload, finish } = setup();
    u.edgeVersion('0.2.0');
    finish(false);
    await vi.waitFor(() => expect(u.state).toMatchObject({ kind: 'failed', to: '0.2.0', error: 'offline' }));
    u.edgeVersion('0.1.0');
    expect(u.state).toEqual({ kind: 'current' });
    u.edgeVersion('dev');
    expect(u.state).toEqual({ kind: 'current' });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reload).not.toHaveBeenCalled();
  });
});
