// The read path: every synced table through the edge's shape API into the local database,
// committed atomically across tables by pglite-sync. One subscription for the register.
import type { PGliteInterface } from '@electric-sql/pglite';
import type { SyncNamespaceObj, SyncShapesToTablesResult } from '@electric-sql/pglite-sync';
import { LOCAL_SCHEMA_SQL, SYNCED_TABLES } from './local-schema';

export type PGliteWithSync = PGliteInterface & { sync: SyncNamespaceObj };

export async function applyLocalSchema(pg: PGliteInterface): Promise<void> {
  for (const sql of LOCAL_SCHEMA_SQL) await pg.exec(sql);
}

export interface ShapeSyncHandle {
  unsubscribe(): void;
  readonly isUpToDate: boolean;
}

export async function startShapeSync(
  pg: PGliteWithSync,
  opts: {
    baseUrl: string;
    token: string;
    key?: string;
    fetchClient?: typeof fetch;
    onInitialSync?: () => void;
    onError?: (e: Error & { status?: number }) => void;
  },
): Promise<ShapeSyncHandle> {
  const shapes = Object.fromEntries(
    Object.entries(SYNCED_TABLES).map(([table, t]) => [
      table,
      {
        shape: {
          url: `${opts.baseUrl}/v1/shape`,
          params: { table },
          headers: { Authorization: `Bearer ${opts.token}` },
          ...(opts.fetchClient ? { fetchClient: opts.fetchClient } : {}),
        },
        table,
        primaryKey: t.primaryKey,
      },
    ]),
  );
  const result: SyncShapesToTablesResult = await pg.sync.syncShapesToTables({
    key: opts.key ?? 'register',
    shapes,
    initialInsertMethod: 'csv',
    onInitialSync: opts.onInitialSync,
    onError: (e) => opts.onError?.(e as Error & { status?: number }),
  });
  return {
    unsubscribe: () => result.unsubscribe(),
    get isUpToDate() {
      return result.isUpToDate;
    },
  };
}
