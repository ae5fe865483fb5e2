import type { Database } from '../db/client';
import { maybeOne, type Cols } from '../db/query';
import type { heartbeats } from '../db/schema';
import { appliedMigrationCount, expectedMigration, expectedMigrationCount } from '../db/migrate';

const startedAt = Date.now();

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: { reachable: boolean; error?: string };
  migrations: { applied: number; expected: number; latest: string; current: boolean } | null;
  worker: { lastBeatAt: string | null; alive: boolean };
  uptimeSeconds: number;
}

/** Down when the database is unreachable; degraded when migrations lag or the worker stopped beating. */
export async function checkHealth(database: Database, opts: { workerMaxAgeMs?: number } = {}): Promise<HealthReport> {
  const uptimeSeconds = Math.round((Date.now() - startedAt) / 1000);
  try {
    const applied = await appliedMigrationCount(database);
    const beat = await maybeOne<Cols<typeof heartbeats, 'beat_at'>>(database.pool, `SELECT beat_at FROM heartbeats WHERE name = 'worker'`).catch(
      () => undefined,
    );
    const lastBeat = beat?.beat_at ?? null;
    const alive = lastBeat !== null && Date.now() - lastBeat.getTime() < (opts.workerMaxAgeMs ?? 180_000);
    const current = applied === expectedMigrationCount;
    return {
      status: current && alive ? 'ok' : 'degraded',
      database: { reachable: true },
      migrations: { applied, expected: expectedMigrationCount, latest: expectedMigration, current },
      worker: { lastBeatAt: lastBeat?.toISOString() ?? null, alive },
      uptimeSeconds,
    };
  } catch (e) {
    return {
      status: 'down',
      database: { reachable: false, error: (e as Error).message },
      migrations: null,
      worker: { lastBeatAt: null, alive: false },
      uptimeSeconds,
    };
  }
}
