// Opening the register database: one dedicated Worker (PGlite on OPFS), one tab at a time (a Web
// Lock), started as early as the POS page's code runs. Kept apart from the rest of the register so the
// POS route can start it before React hydrates without loading the register's code first.
import { connectDb, type DbEvent } from '../../sync/register/db-protocol';
import { loadedBuildVersion } from '../lib/build-version';
import { PGLITE_FILES, REGISTER_BOOT_KEY, REGISTER_LOCK, REGISTER_WORKER_NAME, registerWorkerPath, type RegisterBoot } from './register-boot';
import type { WorkerInit } from './register-db.worker';
import type { RegisterDatabase, WorkerProcedures } from './register-procedures';

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e instanceof Error ? e : new Error(String(e)))),
    );
  });
}

/** The worker script, named after the app build (infra/build-app.ts), so a new page never runs an old worker. */
export function workerUrl(): string {
  return registerWorkerPath(loadedBuildVersion());
}

export interface OpenedDatabase {
  db: RegisterDatabase;
  storage: string;
  /** Events the worker reports on its own (shape sync progress, shape requests' outcomes). */
  onEvent(l: (e: DbEvent) => void): void;
  terminate(): void;
}

/** PGlite's files, fetched by the page (which the service worker certainly controls, so this works offline). */
async function pgliteAssets(): Promise<WorkerInit['init']> {
  const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
    WebAssembly.compileStreaming(fetch(PGLITE_FILES.pgliteWasm)),
    WebAssembly.compileStreaming(fetch(PGLITE_FILES.initdbWasm)),
    fetch(PGLITE_FILES.fsBundle).then((r) => {
      if (!r.ok) throw new Error(`${PGLITE_FILES.fsBundle}: ${r.status}`);
      return r.blob();
    }),
  ]);
  return { pgliteWasmModule, initdbWasmModule, fsBundle };
}

interface SpawnedWorker {
  worker: Worker;
  db: ReturnType<typeof connectDb<WorkerProcedures>>;
  listeners: Set<(e: DbEvent) => void>;
}

/** A worker loading its script and PGlite's code; it touches no file before its `init` message. */
function spawnWorker(): SpawnedWorker {
  return connectWorker(new Worker(workerUrl(), { type: 'module', name: REGISTER_WORKER_NAME }));
}

/** The worker posts nothing before `init`, so no message is lost to a listener attached late. */
function connectWorker(worker: Worker): SpawnedWorker {
  const listeners = new Set<(e: DbEvent) => void>();
  const db = connectDb<WorkerProcedures>(worker, (e) => listeners.forEach((l) => l(e)));
  worker.addEventListener('error', (e) => db.fail(new Error(`the register database stopped: ${e.message ?? 'the worker did not load'}`)));
  return { worker, db, listeners };
}

/** Waits for the worker's database to open, sending it `init` unless the page's inline script did. */
async function startWorker({ worker, db, listeners }: SpawnedWorker, init: WorkerInit['init'] | 'sent'): Promise<OpenedDatabase> {
  if (init !== 'sent') db.post({ init } satisfies WorkerInit);
  try {
    const storage = await db.call('storage');
    // Leaving the page releases the OPFS files at once, so the next page (a reload) can open them.
    const onHide = () => worker.terminate();
    addEventListener('pagehide', onHide);
    return {
      db,
      storage,
      onEvent: (l) => listeners.add(l),
      terminate: () => {
        removeEventListener('pagehide', onHide);
        worker.terminate();
      },
    };
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

/**
 * One POS per browser profile: the database's OPFS files can be open in one worker only. A Web Lock
 * held for the page's life queues a second tab instead of letting it fail: it waits (and says so)
 * and opens by itself the moment the first tab closes.
 */
function holdRegisterLock(onWaiting: () => void): Promise<void> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return Promise.resolve();
  return new Promise<void>((acquired, failed) => {
    const hold = () => {
      acquired();
      return new Promise<void>(() => undefined); // released when the page goes away
    };
    locks
      .request(REGISTER_LOCK, { ifAvailable: true }, (lock) => {
        if (lock) return hold();
        onWaiting();
        void locks.request(REGISTER_LOCK, hold).catch(failed);
        return undefined;
      })
      .catch(failed);
  });
}

/**
 * Starts the database worker and waits until it has opened; a missing asset makes PGlite hang, so it
 * is bounded. OPFS files are exclusive: right after a reload the previous page's worker may still hold
 * them for a moment, so opening is retried with a fresh worker until the deadline. While another tab
 * has the POS open, `onWaiting` is called and the wait lasts until that tab closes.
 */
export async function openRegisterDatabase(timeoutMs = 30_000, onWaiting: () => void = () => undefined): Promise<OpenedDatabase> {
  // Marks for the warm-open breakdown (bench/register-pos.ts reads them).
  performance.mark('till:open');
  // PGlite's files compile and the worker loads its code while the lock is taken (needed either way);
  // the worker opens the files only when it gets `init`, after the lock. The page's inline script
  // may have done all of that already.
  const boot = takeBoot();
  const assets = boot?.assets ?? pgliteAssets();
  assets.catch(() => undefined);
  let spawned: SpawnedWorker | undefined = boot?.spawned ?? spawnWorker();
  if (!(await boot?.locked)) {
    await holdRegisterLock(onWaiting).catch((e: unknown) => {
      spawned?.worker.terminate();
      throw e;
    });
  }
  performance.mark('till:lock');
  const deadline = Date.now() + timeoutMs;
  let initSent = (await boot?.opening) ?? false;
  const open = async () => {
    const init = await assets;
    performance.mark('till:assets');
    for (;;) {
      try {
        const worker = spawned ?? spawnWorker();
        spawned = undefined;
        const opened = await startWorker(worker, initSent ? 'sent' : init);
        performance.mark('till:db-open');
        return opened;
      } catch (e) {
        initSent = false;
        if (!/another tab/.test((e as Error).message) || Date.now() > deadline - 500) throw e;
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  };
  return withTimeout(open(), timeoutMs, `The register database did not open within ${timeoutMs / 1000} s`);
}

/**
 * What the POS page's inline script started (app/pos/register-boot.ts), taken once. A worker that
 * already failed to load is dropped (a fresh one reports why); files that failed are fetched again.
 */
function takeBoot():
  { spawned: SpawnedWorker | undefined; assets: Promise<WorkerInit['init']>; locked: Promise<boolean>; opening: Promise<boolean> } | undefined {
  const w = window as unknown as Record<string, RegisterBoot | undefined>;
  const boot = w[REGISTER_BOOT_KEY];
  delete w[REGISTER_BOOT_KEY];
  if (!boot) return undefined;
  let spawned: SpawnedWorker | undefined;
  if (boot.error === undefined) spawned = connectWorker(boot.worker);
  else boot.worker.terminate();
  const assets = boot.files.then(
    ([pgliteWasmModule, initdbWasmModule, fsBundle]) => ({ pgliteWasmModule, initdbWasmModule, fsBundle }),
    () => pgliteAssets(),
  );
  // `opening` speaks of the boot's worker: a replacement gets its own `init`.
  return { spawned, assets, locked: boot.locked, opening: spawned ? boot.opening : Promise.resolve(false) };
}

interface EarlyOpen {
  opened: Promise<OpenedDatabase>;
  /** Another tab holds the register: said as soon as the screen can say it. */
  waiting: boolean;
  onWaiting?: () => void;
}
let early: EarlyOpen | undefined;

/** Starts opening the database as soon as the page's code runs, before React mounts (app/routes/pos._index.tsx). */
export function startOpeningRegister(): void {
  if (early) return;
  const e: EarlyOpen = {
    waiting: false,
    opened: openRegisterDatabase(undefined, () => {
      e.waiting = true;
      e.onWaiting?.();
    }),
  };
  e.opened.catch(() => undefined);
  early = e;
}

/** The database opening started early, taken once (a later mount, or none started, opens its own). */
export function takeRegisterDatabase(onWaiting: () => void): Promise<OpenedDatabase> {
  const e = early;
  early = undefined;
  if (!e) return openRegisterDatabase(undefined, onWaiting);
  if (e.waiting) onWaiting();
  else e.onWaiting = onWaiting;
  return e.opened;
}
