// The one place a DomainError (core/errors.ts) becomes a Remix action answer: a status and the
// `{ok: false, error, field}` body the admin forms show beside the field.
import { DomainError, httpStatusOf } from '../../core/errors';

export type ActionBody<T> = ({ ok: true } & T) | { ok: false; error: string; field: string | null };

/** The HTTP status and headers (retry-after) of a refused action. */
export function actionStatus(e: DomainError): { status: number; headers: Record<string, string> } {
  return { status: httpStatusOf(e.kind), headers: e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : {} };
}

/** For route actions: the service result, or the DomainError as a body and status; anything else is thrown on. */
export async function runAdminAction<T extends object>(fn: () => Promise<T>): Promise<{ status: number; body: ActionBody<T> }> {
  try {
    return { status: 200, body: { ok: true, ...(await fn()) } };
  } catch (e) {
    if (e instanceof DomainError) return { status: actionStatus(e).status, body: { ok: false, error: e.message, field: e.field } };
    throw e;
  }
}
