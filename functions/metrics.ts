import { defineHandler } from './lib/handler';
import { aggregatedMetrics } from './lib/metrics';

export const handler = defineHandler({ name: 'metrics', auth: 'metrics' }, async ({ database }) => {
  const { contentType, text } = await aggregatedMetrics(database);
  return { statusCode: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body: text };
});
