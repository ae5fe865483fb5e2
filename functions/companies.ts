import * as z from 'zod';
import { listCompanies } from '../services/catalog';
import { companyScope } from './lib/auth';
import { defineHandler, json } from './lib/handler';

/** GET /api/companies: a register sees the companies it is paired in; the back office sees all. */
export const handler = defineHandler({ name: 'companies', auth: 'device-or-admin', query: z.object({}).strict() }, async ({ database, principal }) => {
  const scope = companyScope(principal);
  const companies = await listCompanies(database);
  return json(200, { companies: scope === 'all' ? companies : companies.filter((c) => scope.includes(c.id)) });
});
