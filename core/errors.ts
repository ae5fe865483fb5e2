// One error for "this request breaks a rule", thrown by core and services alike. It says what kind
// of refusal it is, which field is at fault and why, and nothing about transport beyond the one
// table of HTTP statuses below, which every place that answers over HTTP (the functions, the admin
// actions, the shape service) reads instead of keeping its own. ADR 005.

/** What kind of refusal; each transport maps a kind to its own answer (HTTP: 400 401 403 404 409 429 503). */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited' | 'unavailable';

const HTTP_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

/** The HTTP status a refusal of this kind is answered with, wherever the system speaks HTTP. */
export function httpStatusOf(kind: ErrorKind): number {
  return HTTP_STATUS[kind];
}

export interface DomainErrorOptions {
  /** A finer reason a client acts on (`token_expired`: renew, not re-pair) or a metric counts (`revoked`). */
  code?: string;
  /** For `rate_limited` and `unavailable`: when to try again. */
  retryAfterSeconds?: number;
}

export class DomainError extends Error {
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    /** The field at fault, in `fieldPath` notation (`sale.tenders.0.amount`), or null for the request as a whole. */
    readonly field: string | null,
    message: string,
    opts: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = opts.code;
    this.retryAfterSeconds = opts.retryAfterSeconds;
  }
}

/**
 * The one notation for a field path: the segments zod reports, joined by dots, so an index is a
 * segment like any other (`sale.tenders.0.amount`, never `sale.tenders[0].amount`).
 * `fieldPath(...issue.path)` for a zod issue, `fieldPath('sale', 'lines', i, 'itemId')` by hand.
 */
export function fieldPath(...segments: readonly PropertyKey[]): string {
  return segments.map((s) => (typeof s === 'symbol' ? (s.description ?? '') : String(s))).join('.');
}

/** A zod failure as the DomainError of its first issue (`invalid`; the message names the field when there is one). */
export function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[], opts: { fieldInMessage?: boolean } = {}): DomainError {
  const issue = issues[0];
  const field = issue ? fieldPath(...issue.path) || null : null;
  const message = issue?.message ?? 'invalid input';
  return new DomainError('invalid', field, opts.fieldInMessage && field ? `${field}: ${message}` : message);
}
