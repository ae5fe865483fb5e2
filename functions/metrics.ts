import { defineHandler } from './lib/handler';
import { aggregatedMetrics } from './lib/metrics';
import { storeMetrics } from './lib/store-metrics';

export const handler = defineHandler({ name: 'metrics', auth: 'metrics' }, async ({ database }) => {
  const { contentType, text } = await aggregatedMetrics(database);
  const store = await storeMetrics(database);
  return { statusCode: 200, headers: { 'content-type': contentType, 'cache-control': 'no-store' }, body: `${text.trimEnd()}\n\n${store}` };
});
