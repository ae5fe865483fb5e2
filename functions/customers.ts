import * as z from 'zod';
import type { CustomerSearchAnswer } from '../core/edge-api';
import { searchCustomers } from '../services/customers';
import { badRequest } from './lib/errors';
import { defineHandler, json } from './lib/handler';
import { pageQuery } from './lib/params';

/** GET /api/customers?q=&limit=&cursor=: customers are shared by both companies, so any device or admin. */
export const handler = defineHandler({ name: 'customers', auth: 'device-or-admin', query: z.object(pageQuery).strict() }, async ({ database, query }) => {
  try {
    return json(200, (await searchCustomers(database, query)) satisfies CustomerSearchAnswer);
  } catch (e) {
    if ((e as Error).message === 'invalid cursor') throw badRequest('invalid_request', [{ path: 'query.cursor', message: 'invalid cursor' }]);
    throw e;
  }
});
