// The one place a DomainError (core/errors.ts) becomes an admin action's HTTP status; the admin form
// action (app/admin/form-action.server.ts) puts its message on the field it names.
import type { DomainError, ErrorKind } from '../../core/errors';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** The HTTP status and headers (retry-after) of a refused action. */
export function actionStatus(e: DomainError): { status: number; headers: Record<string, string> } {
  return { status: STATUS[e.kind], headers: e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : {} };
}
