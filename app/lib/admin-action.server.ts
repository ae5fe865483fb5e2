// The one place a DomainError (core/errors.ts) becomes an admin action's HTTP status; the admin form
// action (app/admin/form-action.server.ts) puts its message on the field it names.
import { httpStatusOf, type DomainError } from '../../core/errors';

/** The HTTP status and headers (retry-after) of a refused action. */
export function actionStatus(e: DomainError): { status: number; headers: Record<string, string> } {
  return { status: httpStatusOf(e.kind), headers: e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : {} };
}
