// The ERPNext import form (ADR 502). The files are checked by the route, which streams them to disk.
import * as z from 'zod';
import { checkbox } from './fields';

export const importForm = z.object({
  /** "ERPNext company = Till company", comma separated; the importer reads it. */
  companyMap: z.string().trim().max(2000, 'at most 2000 characters').optional().default(''),
  dryRun: checkbox,
  createCompanies: checkbox,
});
