import * as z from 'zod';

/** Shared zod pieces for query strings and path parameters. */
export const uuidParam = z.string().uuid({ message: 'must be a uuid' });
export const pageQuery = {
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};
