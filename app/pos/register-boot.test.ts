import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PGLITE_FILES, REGISTER_BOOT_KEY, REGISTER_LOCK, registerBootScript, type RegisterBoot } from './register-boot';

/** Runs the inline script against a stand-in page that records what it asked the browser for. */
function run(opts: { secure?: boolean; path?: string; dataStatus?: number; lock?: 'free' | 'held elsewhere' | 'no Web Locks' } = {}) {
  const created: { url: string; options: unknown; listeners: Record<string, (e: unknown) => void> }[] = [];
  const fetched: string[] = [];
  const marks: string[] = [];
  const posted: unknown[] = [];
  const lockRequests: { name: string; options: unknown; held?: boolean }[] = [];
  class Worker {
    listeners: Record<string, (e: unknown) => void> = {};
    constructor(url: string, options: unknown) {
      created.push({ url, options, listeners: this.listeners });
    }
    addEventListener(type: string, l: (e: unknown) => void) {
      this.listeners[type] = l;
    }
    postMessage(m: unknown) {
      posted.push(m);
    }
  }
  // A lock manager as the browser's: with `ifAvailable` the callback gets the lock or null, and the
  // request settles when the callback's promise does (never, for a lock held for the page's life).
  const locks = {
    request(name: string, options: unknown, callback: (lock: object | null) => unknown) {
      const request: (typeof lockRequests)[number] = { name, options };
      lockRequests.push(request);
      const result = callback(opts.lock === 'held elsewhere' ? null : { name });
      request.held = result instanceof Promise;
      return Promise.resolve(result);
    },
  };
  const window: Record<string, unknown> = { isSecureContext: opts.secure ?? true, Worker };
  runInNewContext(registerBootScript('abc123'), {
    window,
    Worker,
    location: { pathname: opts.path ?? '/pos' },
    navigator: opts.lock === 'no Web Locks' ? {} : { locks },
    performance: { mark: (n: string) => marks.push(n) },
    fetch: (url: string) => (
      fetched.push(url),
      Promise.resolve({ ok: (opts.dataStatus ?? 200) === 200, status: opts.dataStatus ?? 200, blob: () => 'blob', url })
    ),
    WebAssembly: { compileStreaming: (r: Promise<{ url: string }>) => r.then((x) => `module ${x.url}`) },
    Promise,
    Error,
  });
  return { boot: window[REGISTER_BOOT_KEY] as RegisterBoot | undefined, created, fetched, marks, posted, lockRequests };
}

describe('registerBootScript', () => {
  it('on the POS page, starts the build’s worker and PGlite’s files and leaves them for the page’s code', async () => {
    const { boot, created, fetched, marks } = run();
    expect(created).toEqual([
      { url: '/build/register-db-worker-abc123.js', options: { type: 'module', name: 'till-register-db' }, listeners: expect.anything() },
    ]);
    expect(fetched.sort()).toEqual(Object.values(PGLITE_FILES).sort());
    expect(marks[0]).toBe('till:boot');
    expect(await boot!.files).toEqual([`module ${PGLITE_FILES.pgliteWasm}`, `module ${PGLITE_FILES.initdbWasm}`, 'blob']);
  });

  it('takes the register’s lock if free, holds it, and sends the worker its files so the database opens before the page’s code runs', async () => {
    const { boot, posted, lockRequests, marks } = run();
    expect(await boot!.locked).toBe(true);
    expect(await boot!.opening).toBe(true);
    expect(lockRequests).toEqual([{ name: REGISTER_LOCK, options: { ifAvailable: true }, held: true }]);
    expect(posted).toEqual([
      { init: { pgliteWasmModule: `module ${PGLITE_FILES.pgliteWasm}`, initdbWasmModule: `module ${PGLITE_FILES.initdbWasm}`, fsBundle: 'blob' } },
    ]);
    expect(marks).toEqual(['till:boot', 'till:init']);
  });

  it('leaves the wait to the page’s code when another tab holds the register, or the browser has no Web Locks', async () => {
    for (const lock of ['held elsewhere', 'no Web Locks'] as const) {
      const { boot, posted, lockRequests } = run({ lock });
      expect(await boot!.locked).toBe(false);
      expect(await boot!.opening).toBe(false);
      expect(posted).toEqual([]);
      expect(lockRequests.every((r) => !r.held)).toBe(true);
    }
  });

  it('records a worker that failed to load before anyone listened, and sends it nothing', async () => {
    const { boot, created, posted } = run();
    created[0]!.listeners.error!({ message: '' });
    expect(boot!.error).toBe('the worker did not load');
    expect(await boot!.locked).toBe(true);
    expect(await boot!.opening).toBe(false);
    expect(posted).toEqual([]);
  });

  it('says which file failed, and leaves the opening to the page’s code', async () => {
    const { boot, posted } = run({ dataStatus: 404 });
    await expect(boot!.files).rejects.toThrow(`${PGLITE_FILES.fsBundle}: 404`);
    expect(await boot!.opening).toBe(false);
    expect(posted).toEqual([]);
  });

  it('does nothing off the POS page or outside a secure context', () => {
    for (const o of [{ path: '/pos/x' }, { path: '/admin' }, { secure: false }]) {
      const { boot, created, fetched, lockRequests } = run(o);
      expect({ boot, created, fetched, lockRequests }).toEqual({ boot: undefined, created: [], fetched: [], lockRequests: [] });
    }
  });
});
