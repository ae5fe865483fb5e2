import { checkHealth } from '../services/health';
import { defineHandler, json } from './lib/handler';

export const handler = defineHandler({ name: 'health' }, async ({ database }) => {
  const report = await checkHealth(database);
  return json(report.status === 'down' ? 503 : 200, report);
});
