// The System pages' forms: an outbox entry retried or dismissed, a backup started by hand (ADR 502).
import * as z from 'zod';
import { uuid } from './fields';

/**
 * One outbox row's form; its buttons carry the intent. Dismissing says why; a retry's note is
 * optional.
 */
export const outboxForm = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('dismiss'),
    id: uuid('outbox entry'),
    note: z.string({ error: 'say why (3+ characters)' }).trim().min(3, 'say why (3+ characters)').max(500, 'at most 500 characters'),
  }),
  z.object({ intent: z.literal('retry'), id: uuid('outbox entry'), note: z.string().trim().max(500, 'at most 500 characters').optional() }),
]);

/** "Back up now": nothing to fill in, but a request that does not say so starts no backup. */
export const backupForm = z.object({ intent: z.literal('backup', { error: 'intent must be "backup"' }) });
