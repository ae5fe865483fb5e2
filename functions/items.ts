import * as z from 'zod';
import { companyExists, findItemByBarcode, searchItems } from '../services/catalog';
import { badRequest, notFound } from './lib/errors';
import { requireCompany } from './lib/auth';
import { defineHandler, json } from './lib/handler';
import { pageQuery, uuidParam } from './lib/params';

/** GET /api/companies/{companyId}/items?q=&limit=&cursor= */
export const list = defineHandler(
  { name: 'items-list', auth: 'device-or-admin', path: z.object({ companyId: uuidParam }), query: z.object(pageQuery).strict() },
  async ({ database, path, query, principal }) => {
    requireCompany(principal, path.companyId);
    if (!(await companyExists(database, path.companyId))) throw notFound('company', 'path.companyId');
    try {
      return json(200, await searchItems(database, { companyId: path.companyId, ...query }));
    } catch (e) {
      if ((e as Error).message === 'invalid cursor') throw badRequest('invalid_request', [{ path: 'query.cursor', message: 'invalid cursor' }]);
      throw e;
    }
  },
);

/** GET /api/companies/{companyId}/barcodes/{code} */
export const byBarcode = defineHandler(
  {
    name: 'items-by-barcode',
    auth: 'device-or-admin',
    path: z.object({ companyId: uuidParam, code: z.string().regex(/^[0-9A-Za-z\-.]{1,64}$/, 'must be 1–64 letters, digits, - or .') }),
  },
  async ({ database, path, principal }) => {
    requireCompany(principal, path.companyId);
    const item = await findItemByBarcode(database, path.companyId, path.code);
    if (!item) throw notFound('barcode', 'path.code');
    return json(200, { item });
  },
);
