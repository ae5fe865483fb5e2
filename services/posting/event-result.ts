// What the ledger (register_events.result) keeps of each event's answer, so a replay gets the same
// one. Written by ingest.ts (accepted) and record-rejection.ts (rejected); read back on a replay.
import * as z from 'zod';
import { REGISTER_EVENT_STATUSES } from '../../db/statuses';

export const eventResult = z.object({
  /** The event's place in the batch it came in (a replay answers with its own batch's index). */
  index: z.number().int().nonnegative(),
  eventId: z.string().nullable(),
  type: z.string().nullable(),
  status: z.enum(REGISTER_EVENT_STATUSES),
  duplicate: z.boolean().optional(),
  reason: z.string().optional(),
  field: z.string().optional(),
  /** What the applier answered (sale id, receipt number, flags…). */
  detail: z.record(z.string(), z.unknown()).optional(),
});

export type EventResult = z.infer<typeof eventResult>;

/** A ledger row's result, or an error naming the event and what is wrong with the stored value. */
export function parseLedgerResult(eventId: string, stored: unknown): EventResult {
  const r = eventResult.safeParse(stored);
  if (r.success) return r.data;
  throw new Error(`register_events ${eventId}: the stored result is not an event result (${z.prettifyError(r.error).replace(/\n/g, '; ')})`);
}
