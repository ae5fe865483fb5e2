import * as z from 'zod';
import type { ReturnableSaleAnswer, ReturnAnswer } from '../core/edge-api';
import { DomainError } from '../core/errors';
import { createReturn, findReturnableSale } from '../services/returns';
import { companyScope } from './lib/auth';
import { httpErrorOf } from './lib/errors';
import { defineHandler, json } from './lib/handler';
import { many } from '../db/query';

const receiptNumber = z
  .string()
  .trim()
  .regex(/^[A-Z0-9]{1,16}-[A-Z0-9]{1,16}-[0-9]{6,16}$/, 'must look like U-R01-000123');

/** The service names fields of its input; the answer places them in the request part they came from. */
const mapError = (e: unknown, prefix: string): never => {
  if (e instanceof DomainError) throw httpErrorOf(e, { prefix });
  throw e;
};

/** GET /api/sales/by-receipt/{receiptNumber}: what can still be returned from a sale of this register's companies (any, for an admin). */
export const lookup = defineHandler(
  { name: 'sale-by-receipt', auth: 'device-or-admin', path: z.object({ receiptNumber }) },
  async ({ database, path, principal }) => {
    const scope = companyScope(principal);
    const companyIds = scope === 'all' ? (await many<{ id: string }>(database.pool, `SELECT id FROM companies`)).map((r) => r.id) : scope;
    try {
      return json(200, { sale: await findReturnableSale(database, companyIds, path.receiptNumber) } satisfies ReturnableSaleAnswer);
    } catch (e) {
      return mapError(e, 'path');
    }
  },
);

/** POST /api/returns: refund lines of an earlier sale (online only; idempotent on returnId). */
export const create = defineHandler(
  {
    name: 'returns',
    auth: 'device',
    body: z.object({
      returnId: z.uuid(),
      receiptNumber,
      lines: z
        .array(z.object({ saleLineId: z.uuid(), quantityMilli: z.number().int().positive() }))
        .min(1)
        .max(500),
      reason: z.string().trim().min(1).max(500),
      tender: z.enum(['cash', 'card']),
      cashierId: z.uuid().optional(),
    }),
  },
  async ({ database, body, principal: { device } }) => {
    const saleCompany = body.receiptNumber.split('-')[0];
    const dev = device.devices.find((d) => d.companyCode === saleCompany);
    try {
      const r = await createReturn(database, device.companyIds, { ...body, ...(dev ? { deviceId: dev.id } : {}) });
      return json(r.duplicate ? 200 : 201, r satisfies ReturnAnswer);
    } catch (e) {
      return mapError(e, 'body');
    }
  },
);
