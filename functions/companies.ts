import { z } from 'zod';
import { listCompanies } from '../services/catalog';
import { defineHandler, json } from './lib/handler';

export const handler = defineHandler({ name: 'companies', query: z.object({}).strict() }, async ({ database }) =>
  json(200, { companies: await listCompanies(database) }),
);
