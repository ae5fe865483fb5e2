// The edge's background worker, fired by a `schedule` event (serverless-offline fires it natively).
import { getDatabase } from '../db/process-database';
import { logger } from './lib/logger';
import { runWorkerTick } from '../services/worker-tick';

export const handler = async () => {
  const database = getDatabase();
  const result = await runWorkerTick(database);
  logger.info('worker tick', { ...result });
  return result;
};
