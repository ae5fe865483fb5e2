// The register database in a dedicated Worker: PGlite on `opfs-ahp://` (synchronous file handles,
// which browsers offer only to workers), falling back to `idb://` where they are missing. It answers
// the page's messages (sync/register/db-protocol.ts) and runs the shape sync next to the data.
// Built by infra/build-app.ts into public/build/register-db-worker-<build version>.js.
import { PGlite } from '@electric-sql/pglite';
import { OpfsAhpFS } from '@electric-sql/pglite/opfs-ahp';
import { electricSync } from '@electric-sql/pglite-sync';
import { createDbServer, isDbRequest, type Procedures } from '../../sync/register/db-protocol';
import { dropTemplateDatabases } from '../../sync/register/own-database-only';
import { applyLocalSchema, startShapeSync, type PGliteWithSync, type ShapeSyncHandle } from '../../sync/register/shape-sync';
import { outcomeOf, type LinkOutcome } from './edge-link';
import { openMarks } from './open-marks';
import { registerProcedures, SELLING_FIRST, type ShapeSyncStart, type SyncProcedures, type WorkerProcedures } from './register-procedures';

const NAME = 'till-register';
/** Tables only this register writes: what must survive a move from `idb://` to `opfs-ahp://`. */
const OWN_TABLES = ['register_identity', 'receipt_counters', 'local_sales', 'local_shifts', 'outbox', 'pin_attempts'];

interface WorkerScope {
  postMessage(m: unknown): void;
  addEventListener(type: 'message', l: (e: { data: unknown }) => void): void;
}
const scope = self as unknown as WorkerScope;
const timing = openMarks();
// When the worker began (before its script was fetched), then when its code had run.
timing.marks['worker:origin'] = performance.timeOrigin;
timing.mark('worker:start');
const details: Record<string, unknown> = {};
const stderr: string[] = [];
const post = (m: unknown) => scope.postMessage(m);

/**
 * PGlite's wasm and data come from the page (fetched there, so the page's service worker serves them
 * offline whatever controls this worker), as the first message.
 */
export interface WorkerInit {
  init: { pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob };
}
let receiveInit: (i: WorkerInit['init']) => void;
const initReceived = new Promise<WorkerInit['init']>((resolve) => (receiveInit = resolve));

async function assets() {
  const init = await initReceived;
  timing.mark('worker:init');
  return {
    ...init,
    extensions: { sync: electricSync() },
    onStderr: (t: string) => {
      if (stderr.length < 50) stderr.push(t);
      return true;
    },
  };
}

const opfsAvailable = () =>
  typeof (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle !== 'undefined' &&
  typeof navigator.storage?.getDirectory === 'function';

/** The IndexedDB database PGlite's idb:// keeps `till-register` in, if this browser has one. */
async function idbDatabaseName(): Promise<string | undefined> {
  const dbs = await indexedDB.databases?.().catch(() => []);
  return dbs?.find((d) => d.name?.endsWith(`/${NAME}`))?.name;
}

/**
 * A register that stored its data in `idb://` before keeps its identity, receipt numbers, sales and
 * unsent queue: copied in one transaction, then the old database is removed. Synced tables re-sync.
 */
async function moveFromIdb(pg: PGlite, opts: Awaited<ReturnType<typeof assets>>, idbName: string | undefined) {
  if (!idbName) return;
  const paired = await pg.query(`SELECT 1 FROM register_identity`);
  if (paired.rows.length === 0) {
    const old = await PGlite.create(`idb://${NAME}`, opts);
    try {
      await applyLocalSchema(old);
      const copies: { table: string; rows: unknown[] }[] = [];
      for (const table of OWN_TABLES) copies.push({ table, rows: (await old.query(`SELECT * FROM ${table}`)).rows });
      await pg.transaction(async (tx) => {
        for (const { table, rows } of copies) {
          if (rows.length) await tx.query(`INSERT INTO ${table} SELECT * FROM jsonb_populate_recordset(NULL::${table}, $1)`, [JSON.stringify(rows)]);
        }
        await tx.query(`SELECT setval(pg_get_serial_sequence('outbox', 'seq'), GREATEST((SELECT max(seq) FROM outbox), 1))`);
      });
      await pg.syncToFs();
    } finally {
      await old.close();
    }
  }
  await new Promise<void>((resolve) => {
    const r = indexedDB.deleteDatabase(idbName);
    r.onsuccess = r.onerror = r.onblocked = () => resolve();
  });
}

async function open(): Promise<{ pg: PGliteWithSync; storage: string }> {
  // Asking IndexedDB for an old database needs no PGlite: it runs while PGlite starts.
  const idbName = idbDatabaseName().catch(() => undefined);
  const opts = await assets();
  if (opfsAvailable()) {
    // A failure here is reported, not papered over with idb://: an empty database would restart receipt numbers.
    const fs = new OpfsAhpFS(NAME);
    const fsInit = fs.init.bind(fs);
    fs.init = async (pg, o) => {
      timing.mark('worker:fs-start');
      const r = await fsInit(pg, o);
      timing.mark('worker:fs-handles');
      type Node = { type: string; children?: Record<string, Node> };
      const files = (n: Node): number => (n.children ? Object.values(n.children).reduce((a, c) => a + files(c), 0) : 1);
      details.files = files(fs.state.root);
      details.pool = fs.state.pool.length;
      return r;
    };
    const initialSyncFs = fs.initialSyncFs.bind(fs);
    fs.initialSyncFs = () => {
      timing.mark('worker:wasm-ready');
      return initialSyncFs();
    };
    const pg = (await PGlite.create({ ...opts, fs }).catch((e: Error) => {
      throw new Error(`${e.message} (is the POS already open in another tab or window?)`);
    })) as unknown as PGliteWithSync;
    timing.mark('worker:created');
    await applyLocalSchema(pg);
    timing.mark('worker:schema');
    // Once per register: half the files (and access handles opened at every start) go with the templates.
    if ((await dropTemplateDatabases(pg)).length) await pg.syncToFs();
    timing.mark('worker:templates');
    await moveFromIdb(pg as unknown as PGlite, opts, await idbName);
    timing.mark('worker:idb-check');
    return { pg, storage: 'opfs-ahp' };
  }
  const pg = (await PGlite.create(`idb://${NAME}`, opts)) as unknown as PGliteWithSync;
  await applyLocalSchema(pg);
  return { pg, storage: 'idb' };
}

// --- shape sync, gated by the page's view of the edge -------------------------------------------

let reachable = true;
let waiting: (() => void)[] = [];
let shapes: ShapeSyncHandle | undefined;

const report = (outcome: LinkOutcome) => post({ event: 'link', outcome });

/** Shape requests wait while the edge is unreachable instead of retrying; the page's probe reopens the gate. */
const gatedFetch: typeof fetch = async (input, init) => {
  if (!reachable) {
    await new Promise<void>((resolve, reject) => {
      const signal = init?.signal;
      if (signal?.aborted) return reject(new DOMException('aborted', 'AbortError'));
      waiting.push(resolve);
      signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')), { once: true });
    });
  }
  try {
    const res = await fetch(input, init);
    report(await outcomeOf(res));
    return res;
  } catch (e) {
    if ((e as Error).name !== 'AbortError') {
      reachable = false;
      report({ kind: 'failed', error: (e as Error).message });
    }
    throw e;
  }
};

function syncProcedures(pg: PGliteWithSync, storage: string): SyncProcedures {
  return {
    async startSync(o: ShapeSyncStart) {
      shapes?.unsubscribe();
      shapes = await startShapeSync(pg, {
        ...o,
        fetchClient: gatedFetch,
        // No ANALYZE here: the first sync's bulk load ends with one, and a warm start need not pay ~1 s for another.
        onCatalogSynced: () => {
          post({ event: 'catalog-synced' });
          // Postgres here checkpoints only when its WAL fills, and a start replays the WAL since the
          // last one: after a first 100k load that was ~1 s more on the next open. Done once the
          // register is ready rather than in the load (~0.3 s); with nothing to write it takes ~10 ms.
          void pg.exec('CHECKPOINT').catch(() => undefined);
        },
        onConfigChanged: () => post({ event: 'config-changed' }),
        onInitialSync: () => post({ event: 'initial-sync' }),
        onError: (e) => post({ event: 'sync-error', message: e.message }),
      });
    },
    stopSync() {
      shapes?.unsubscribe();
      shapes = undefined;
      return Promise.resolve();
    },
    async refreshSync() {
      await shapes?.refresh();
    },
    setReachable(r: boolean) {
      reachable = r;
      if (r) {
        const w = waiting;
        waiting = [];
        w.forEach((resolve) => resolve());
      }
      return Promise.resolve();
    },
    storage() {
      return Promise.resolve(storage);
    },
    openMarks() {
      return Promise.resolve({ marks: timing.marks, details: { ...details, stderr } });
    },
  };
}

const ready = open().then(({ pg, storage }) => {
  const procedures: WorkerProcedures = { ...registerProcedures(pg), ...syncProcedures(pg, storage) };
  return { pg, procedures: procedures as unknown as Procedures };
});
// Requests that arrive while the database opens wait for it (in order); a failed open answers each with the reason.
ready.catch(() => undefined);

const serve = ready.then(({ pg, procedures }) => createDbServer(pg, procedures, post, SELLING_FIRST));
serve.catch(() => undefined);

scope.addEventListener('message', (e) => {
  if (e.data && typeof e.data === 'object' && 'init' in e.data) return receiveInit((e.data as WorkerInit).init);
  const req = e.data;
  if (!isDbRequest(req)) return;
  serve.then(
    (answer) => answer(req),
    (err: Error) => post({ id: req.id, ok: false, error: `The register database did not open: ${err.message}` }),
  );
});
