/** An error a handler may throw to answer with a given status and a JSON body naming the problem. */
export interface Issue {
  path: string;
  message: string;
}

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

export const notFound = (what: string, path = 'path') =>
  new HttpError(404, 'not_found', [{ path, message: `${what} not found` }]);
export const conflict = (message: string, path = 'body') => new HttpError(409, 'conflict', [{ path, message }]);
export const badRequest = (error: string, issues: Issue[]) => new HttpError(400, error, issues);
export const unauthorized = (message = 'authentication required') =>
  new HttpError(401, 'unauthorized', [{ path: 'authorization', message }]);

/** Infrastructure trouble (database down, pool closed): the caller should retry, not re-authenticate. */
export const unavailable = (message = 'the edge cannot reach its database; retry shortly', retryAfterSeconds = 5) =>
  new HttpError(503, 'unavailable', [{ path: 'server', message }], { 'retry-after': String(retryAfterSeconds) });
