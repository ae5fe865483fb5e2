// Response headers and bodies the Electric clients require (see the protocol notes §1.2, §1.7–1.9).

export interface ShapeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export const EXPOSE_HEADERS =
  'electric-cursor,electric-handle,electric-has-data,electric-offset,electric-schema,electric-up-to-date,electric-internal-known-error,retry-after';

/**
 * Responses depend on the caller's device token, so a shared cache (CDN) must never reuse them:
 * Electric's `public` becomes `private`, with the same lifetimes.
 */
export const CACHE = {
  initialSnapshot: 'private, max-age=604800, s-maxage=3600, stale-while-revalidate=2629746',
  nonLive: 'private, max-age=60, stale-while-revalidate=300',
  live: 'private, max-age=5, stale-while-revalidate=5',
  mustRefetch: 'private, max-age=60, must-revalidate',
  error: 'no-store',
} as const;

const baseHeaders = (): Record<string, string> => ({
  'content-type': 'application/json',
  'access-control-expose-headers': EXPOSE_HEADERS,
});

export function jsonResponse(status: number, body: unknown, headers: Record<string, string>): ShapeResponse {
  return { status, headers: { ...baseHeaders(), ...headers }, body: JSON.stringify(body) };
}

/** 400 in Electric's format. */
export function badRequest(field: string, message: string): ShapeResponse {
  return jsonResponse(400, { message: 'Invalid request', errors: { [field]: [message] } }, { 'cache-control': CACHE.error, 'surrogate-control': 'no-store' });
}

/** 409 with the exact body client 1.0.14 publishes to its subscribers. */
export function mustRefetch(newHandle: string): ShapeResponse {
  return jsonResponse(409, [{ headers: { control: 'must-refetch' } }], {
    'electric-handle': newHandle,
    'cache-control': CACHE.mustRefetch,
  });
}

export function unavailable(message: string, retryAfterSeconds = 1): ShapeResponse {
  return jsonResponse(503, { message }, { 'retry-after': String(retryAfterSeconds), 'cache-control': CACHE.error, 'surrogate-control': 'no-store' });
}

const CURSOR_EPOCH_MS = Date.UTC(2024, 9, 9);

/** Electric's live cursor: seconds since 2024-10-09 rounded up to the long-poll interval. */
export function nextCursor(previous: string | undefined, longPollSeconds = 20, now = Date.now()): string {
  const secs = Math.ceil((now - CURSOR_EPOCH_MS) / 1000);
  const interval = Math.max(1, Math.round(longPollSeconds));
  const cursor = Math.ceil(secs / interval) * interval;
  const prev = previous && /^[0-9]+$/.test(previous) ? Number(previous) : 0;
  if (cursor > prev) return String(cursor);
  return String(prev + 1 + Math.floor(Math.random() * 3600));
}
