import { httpStatusOf, type DomainError, type ErrorKind } from '../../core/errors';

export interface Issue {
  path: string;
  message: string;
}

/** An error a handler may throw to answer with a given status and a JSON body naming the problem. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly issues: Issue[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(error);
  }
}

export const notFound = (what: string, path = 'path') => new HttpError(404, 'not_found', [{ path, message: `${what} not found` }]);
export const conflict = (message: string, path = 'body') => new HttpError(409, 'conflict', [{ path, message }]);
export const badRequest = (error: string, issues: Issue[]) => new HttpError(400, error, issues);
export const unauthorized = (message = 'authentication required') => new HttpError(401, 'unauthorized', [{ path: 'authorization', message }]);

/** Infrastructure trouble (database down, pool closed): the caller should retry, not re-authenticate. */
export const unavailable = (message = 'the edge cannot reach its database; retry shortly', retryAfterSeconds = 5) =>
  new HttpError(503, 'unavailable', [{ path: 'server', message }], { 'retry-after': String(retryAfterSeconds) });

// The one place a DomainError (core/errors.ts) becomes an HTTP answer for the functions; the status
// comes from core's one table, the error code from this one.
const ERROR: Record<ErrorKind, string> = {
  invalid: 'invalid_request',
  unauthenticated: 'unauthorized',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
  rate_limited: 'rate_limited',
  unavailable: 'unavailable',
};

/**
 * `{error, issues: [{path, message}]}` with the status of the error's kind. The issue's path is the
 * error's field under `prefix` (the part of the request it came from: `body`, `path`), or `path`
 * when the handler knows better; `error` replaces the kind's code (`pairing_failed`, `token_expired`).
 */
export function httpErrorOf(e: DomainError, opts: { prefix?: string; path?: string; error?: string; headers?: Record<string, string> } = {}): HttpError {
  const path = opts.path ?? (e.field ? (opts.prefix ? `${opts.prefix}.${e.field}` : e.field) : (opts.prefix ?? 'body'));
  const headers = { ...(e.retryAfterSeconds ? { 'retry-after': String(e.retryAfterSeconds) } : {}), ...opts.headers };
  return new HttpError(httpStatusOf(e.kind), opts.error ?? ERROR[e.kind], [{ path, message: e.message }], headers);
}
