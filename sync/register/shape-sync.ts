// The read path: the edge's shapes into the local database through pglite-sync.
//
// A browser opens at most 6 HTTP/1.1 connections to the edge, and every live shape holds one for
// up to 20 s. So only the catalog (what a scan needs at once: items, barcodes, prices, tax rates)
// is live, committed atomically as one subscription; the small tables (companies, settings,
// devices, cashiers, the register's own sales and rejections) catch up every `pollMs` with a
// non-live pass that resumes from the stored offset. That leaves connections for pushes and APIs.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { SyncNamespaceObj } from '@electric-sql/pglite-sync';
import { withAnswerTimeout } from './answer-timeout';
import type { DurablePGlite } from './db-protocol';
import { LOCAL_SCHEMA_SQL, SYNCED_TABLES } from './local-schema';
import { hasSubscription, loadSnapshot, SnapshotLoadError } from './snapshot-load';

export type PGliteWithSync = DurablePGlite & { sync: SyncNamespaceObj };

export const LIVE_TABLES = ['items', 'barcodes', 'prices', 'tax_rates'] as const;
/** The edge holds a live request ~25 s at most; one unanswered after this is lost and is retried. */
const ANSWER_TIMEOUT_MS = 60_000;
const CATALOG_KEY = 'register-catalog';
export const POLLED_TABLES = Object.keys(SYNCED_TABLES).filter((t) => !(LIVE_TABLES as readonly string[]).includes(t));

/** A fingerprint of the schema statements: a warm open checks one row instead of re-running them all. */
export const LOCAL_SCHEMA_VERSION = (() => {
  let h = 5381;
  for (const ch of LOCAL_SCHEMA_SQL.join('\n')) h = ((h * 33) ^ ch.charCodeAt(0)) >>> 0;
  return h.toString(16);
})();

/** Creates or updates the local schema (idempotent statements, run as one batch only when they changed). */
export async function applyLocalSchema(pg: PGliteInterface): Promise<void> {
  const current = await pg
    .query<{ version: string }>(`SELECT version FROM local_schema_version`)
    .then((r) => r.rows[0]?.version)
    .catch(() => undefined);
  if (current === LOCAL_SCHEMA_VERSION) return;
  await pg.exec(
    [
      ...LOCAL_SCHEMA_SQL,
      `CREATE TABLE IF NOT EXISTS local_schema_version (id int PRIMARY KEY DEFAULT 1 CHECK (id = 1), version text NOT NULL);`,
      `INSERT INTO local_schema_version (id, version) VALUES (1, '${LOCAL_SCHEMA_VERSION}') ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;`,
    ].join('\n'),
  );
}

export interface ShapeSyncOptions {
  baseUrl: string;
  token: string;
  fetchClient?: typeof fetch;
  /** How often the small tables catch up (default 15 s). */
  pollMs?: number;
  onInitialSync?: () => void;
  /** The catalog reached the edge's state for the first time in this start (its first load ends with ANALYZE). */
  onCatalogSynced?: () => void;
  /** A catch-up pass committed changes to the small tables (companies, settings, cashiers, own sales…). */
  onConfigChanged?: () => void;
  onError?: (e: Error & { status?: number }) => void;
}

export interface ShapeSyncHandle {
  unsubscribe(): void;
  /** True once the catalog and the small tables have each reached the edge's state once. */
  readonly isUpToDate: boolean;
  /** Catch up the small tables now (Reconnect, Sync both). */
  refresh(): Promise<void>;
}

function shapesFor(tables: readonly string[], opts: ShapeSyncOptions, subscribe: boolean) {
  return Object.fromEntries(
    tables.map((table) => [
      table,
      {
        shape: {
          url: `${opts.baseUrl}/v1/shape`,
          params: { table },
          headers: { Authorization: `Bearer ${opts.token}` },
          subscribe,
          fetchClient: withAnswerTimeout(opts.fetchClient ?? fetch, ANSWER_TIMEOUT_MS),
        },
        table,
        primaryKey: SYNCED_TABLES[table]!.primaryKey,
      },
    ]),
  );
}

type Subscription = { unsubscribe(): void; readonly isUpToDate: boolean };

/**
 * One non-live pass over the small tables; resolves once they are committed up to date.
 * The finished pass is only unsubscribed when the next one starts: pglite-sync commits after the
 * stream reports up-to-date, and unsubscribing during that commit would roll it back.
 */
async function catchUp(pg: PGliteWithSync, opts: ShapeSyncOptions, previous: Subscription | undefined, idleMs = 30_000): Promise<Subscription> {
  previous?.unsubscribe();
  let sub: Subscription | undefined;
  await new Promise<void>((resolve, reject) => {
    // A pass gives up when the edge has not answered for idleMs, not after a fixed total: a pass
    // that is still receiving answers from a slow edge would otherwise be abandoned and started
    // again from nothing (it commits only at the end), and a busy store's registers never finish.
    let lastAnswer = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - lastAnswer > idleMs) finish(new Error('catch-up timed out'));
    }, 1_000);
    const fetchClient: typeof fetch = async (input, init) => {
      const res = await (opts.fetchClient ?? fetch)(input, init);
      lastAnswer = Date.now();
      return res;
    };
    let settled = false;
    function finish(e?: Error) {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      clearInterval(poll);
      if (e) reject(e);
      else resolve();
    }
    // A resumed pass with nothing new never calls onInitialSync: then wait for up-to-date and
    // let any queued commit run first (PGlite runs queries in order).
    const poll = setInterval(() => {
      // A register closed meanwhile fails the pass like any other error (never an unhandled rejection).
      if (sub?.isUpToDate)
        void new Promise((r) => setTimeout(r, 0))
          .then(() => pg.query('SELECT 1'))
          .then(
            () => finish(),
            (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
          );
    }, 50);
    pg.sync
      .syncShapesToTables({
        key: 'register-config',
        shapes: shapesFor(POLLED_TABLES, { ...opts, fetchClient }, false),
        initialInsertMethod: 'csv',
        onInitialSync: () => finish(),
        onError: (e) => finish(e),
      })
      .then((s) => (sub = s), finish);
  }).catch((e) => {
    sub?.unsubscribe();
    throw e;
  });
  return sub!;
}

/** Where a subscription has got to (null before its first commit). */
async function lastLsn(pg: PGliteInterface, key: string): Promise<string | null> {
  const r = await pg
    .query<{ lsn: string }>(`SELECT last_lsn::text AS lsn FROM electric.subscriptions_metadata WHERE key = $1`, [key])
    .catch(() => ({ rows: [] as { lsn: string }[] }));
  return r.rows[0]?.lsn ?? null;
}

export async function startShapeSync(pg: PGliteWithSync, opts: ShapeSyncOptions): Promise<ShapeSyncHandle> {
  let stopped = false;
  let configDone = false;
  let catalogDone = false;
  let running: Promise<void> | undefined;
  let config: Subscription | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const report = () => catalogDone && configDone && opts.onInitialSync?.();

  const refresh = (): Promise<void> => {
    let before: string | null = null;
    running ??= lastLsn(pg, 'register-config')
      .then((lsn) => (before = lsn))
      .then(() => catchUp(pg, opts, config))
      .then(async (sub) => {
        config = sub;
        if ((await lastLsn(pg, 'register-config')) !== before) opts.onConfigChanged?.();
        if (!configDone) {
          configDone = true;
          report();
        }
      })
      .catch((e: Error) => opts.onError?.(e))
      .finally(() => {
        running = undefined;
        if (timer) clearTimeout(timer);
        if (!stopped) timer = setTimeout(() => void refresh(), opts.pollMs ?? 15_000);
      });
    return running;
  };

  // The catalog's first sync is a bulk load (snapshot-load.ts); pglite-sync then keeps it live.
  const aborter = new AbortController();
  let live: Subscription | undefined;
  const subscribeLive = async () =>
    pg.sync.syncShapesToTables({
      key: CATALOG_KEY,
      shapes: shapesFor(LIVE_TABLES, opts, true),
      initialInsertMethod: 'csv',
      onInitialSync: () => {
        catalogDone = true;
        opts.onCatalogSynced?.();
        report();
      },
      onError: (e) => opts.onError?.(e),
    });
  const startLive = async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        // Each chunk gets an answer or an error too: an unanswered one would hold the first sync forever.
        const fetchClient = withAnswerTimeout(opts.fetchClient ?? fetch, ANSWER_TIMEOUT_MS);
        await loadSnapshot(pg, { ...opts, fetchClient, key: CATALOG_KEY, tables: LIVE_TABLES, signal: aborter.signal });
        break;
      } catch (e) {
        if (stopped) return;
        opts.onError?.(e as Error & { status?: number });
        // A revoked or unknown device stops here; anything else is retried with back-off.
        if (e instanceof SnapshotLoadError && (e.status === 401 || e.status === 403)) return;
        await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
      }
    }
    if (stopped) return;
    live = await subscribeLive();
    if (stopped) live.unsubscribe();
  };
  const liveStarted = startLive().catch((e: Error) => opts.onError?.(e));
  // Resuming (not the first sync): subscribe before returning, as before.
  if (await hasSubscription(pg, CATALOG_KEY)) await liveStarted;
  void refresh();

  return {
    unsubscribe() {
      stopped = true;
      if (timer) clearTimeout(timer);
      aborter.abort();
      live?.unsubscribe();
      config?.unsubscribe();
    },
    get isUpToDate() {
      return (live?.isUpToDate ?? false) && configDone;
    },
    refresh,
  };
}
