import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PGLITE_FILES, REGISTER_BOOT_KEY, registerBootScript, type RegisterBoot } from './register-boot';

/** Runs the inline script against a stand-in page that records what it asked the browser for. */
function run(opts: { secure?: boolean; path?: string; dataStatus?: number } = {}) {
  const created: { url: string; options: unknown; listeners: Record<string, (e: unknown) => void> }[] = [];
  const fetched: string[] = [];
  const marks: string[] = [];
  class Worker {
    listeners: Record<string, (e: unknown) => void> = {};
    constructor(url: string, options: unknown) {
      created.push({ url, options, listeners: this.listeners });
    }
    addEventListener(type: string, l: (e: unknown) => void) {
      this.listeners[type] = l;
    }
  }
  const window: Record<string, unknown> = { isSecureContext: opts.secure ?? true, Worker };
  runInNewContext(registerBootScript('abc123'), {
    window,
    Worker,
    location: { pathname: opts.path ?? '/pos' },
    performance: { mark: (n: string) => marks.push(n) },
    fetch: (url: string) => (
      fetched.push(url),
      Promise.resolve({ ok: (opts.dataStatus ?? 200) === 200, status: opts.dataStatus ?? 200, blob: () => 'blob', url })
    ),
    WebAssembly: { compileStreaming: (r: Promise<{ url: string }>) => r.then((x) => `module ${x.url}`) },
    Promise,
    Error,
  });
  return { boot: window[REGISTER_BOOT_KEY] as RegisterBoot | undefined, created, fetched, marks };
}

describe('registerBootScript', () => {
  it('on the POS page, starts the build’s worker and PGlite’s files and leaves them for the page’s code', async () => {
    const { boot, created, fetched, marks } = run();
    expect(created).toEqual([
      { url: '/build/register-db-worker-abc123.js', options: { type: 'module', name: 'till-register-db' }, listeners: expect.anything() },
    ]);
    expect(fetched.sort()).toEqual(Object.values(PGLITE_FILES).sort());
    expect(marks).toEqual(['till:boot']);
    expect(await boot!.files).toEqual([`module ${PGLITE_FILES.pgliteWasm}`, `module ${PGLITE_FILES.initdbWasm}`, 'blob']);
  });

  it('records a worker that failed to load before anyone listened', () => {
    const { boot, created } = run();
    created[0]!.listeners.error!({ message: '' });
    expect(boot!.error).toBe('the worker did not load');
  });

  it('says which file failed', async () => {
    const { boot } = run({ dataStatus: 404 });
    await expect(boot!.files).rejects.toThrow(`${PGLITE_FILES.fsBundle}: 404`);
  });

  it('does nothing off the POS page or outside a secure context', () => {
    for (const o of [{ path: '/pos/x' }, { path: '/admin' }, { secure: false }]) {
      const { boot, created, fetched } = run(o);
      expect({ boot, created, fetched }).toEqual({ boot: undefined, created: [], fetched: [] });
    }
  });
});
