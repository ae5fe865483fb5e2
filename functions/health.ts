import { runningAppVersion } from '../services/app-version';
import { checkHealth } from '../services/health';
import { defineHandler, json } from './lib/handler';
import { logger } from './lib/logger';

/**
 * GET /health, open to anyone (load balancers, the launcher, registers' reconnect probe): the verdict,
 * yes/no per part, and the app version this edge serves.
 * The database error (host, user) and migration names stay in the log.
 */
export const handler = defineHandler({ name: 'health', auth: 'anonymous' }, async ({ database }) => {
  const report = await checkHealth(database);
  if (report.database.error) logger.warn('health: database unreachable', { error: report.database.error });
  return json(
    report.status === 'down' ? 503 : 200,
    {
      status: report.status,
      version: runningAppVersion(),
      database: { reachable: report.database.reachable },
      migrations: report.migrations ? { current: report.migrations.current } : null,
      worker: { alive: report.worker.alive },
      uptimeSeconds: report.uptimeSeconds,
    },
    report.status === 'down' ? { 'retry-after': '5' } : {},
  );
});
