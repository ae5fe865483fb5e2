// The one wrapper every HTTP function uses: check the caller (before anything else), parse and
// validate input with zod, log with the request id, count and time the request, and map every
// failure to a JSON answer (never a stack).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import * as z from 'zod';
import type { Database } from '../../db/client';
import { authenticate, type AuthMode, type Principal, type PrincipalFor } from './auth';
import { getDatabase } from '../../db/process-database';
import { DomainError, fieldPath } from '../../core/errors';
import { HttpError, httpErrorOf, type Issue } from './errors';
import { logger } from './logger';
import { requestDuration, requestsTotal, scheduleFlush } from './metrics';
import { recordRejection } from './rejections';
import { withBaselineHeaders } from './response-headers';
import { unsafeText } from './text-safety';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export interface HandlerInput<Q, B, P, A extends AuthMode = AuthMode> {
  query: Q;
  body: B;
  path: P;
  event: APIGatewayProxyEventV2;
  database: Database;
  requestId: string;
  /** Who is calling, as checked against `spec.auth`. */
  principal: PrincipalFor<A>;
  /** The Lambda context, when the runtime passes one (remaining time for upstream calls). */
  context?: Context;
}

export interface HandlerSpec<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType, A extends AuthMode = AuthMode> {
  name: string;
  /** Who may call; checked before the body is read or anything is stored (functions/lib/auth.ts). */
  auth: A;
  query?: Q;
  body?: B;
  path?: P;
  /** Default 256 KiB; push batches raise it. */
  maxBodyBytes?: number;
  /** Whether text in the body is checked for NUL/invalid UTF-8 as a whole (default true). */
  checkBodyText?: boolean;
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { ...jsonHeaders, ...headers },
  body: JSON.stringify(body),
});

export function zodIssues(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((i) => ({
    path: fieldPath(prefix, ...i.path),
    message: i.message,
  }));
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string, checkText = true): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const unsafe = checkText ? unsafeText(value, prefix) : [];
  if (unsafe.length) throw new HttpError(400, 'invalid_text', unsafe);
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'invalid_request', zodIssues(r.error, prefix));
  return r.data;
}

function readBody(event: APIGatewayProxyEventV2, limit: number): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (Buffer.byteLength(raw) > limit) {
    throw new HttpError(413, 'payload_too_large', [{ path: 'body', message: `body exceeds ${limit} bytes` }]);
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new HttpError(400, 'invalid_json', [{ path: 'body', message: (e as Error).message }]);
  }
}

export function defineHandler<
  A extends AuthMode,
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(spec: HandlerSpec<Q, B, P, A>, impl: (input: HandlerInput<z.infer<Q>, z.infer<B>, z.infer<P>, A>) => Promise<HttpResult>) {
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const started = process.hrtime.bigint();
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? 'local';
    logger.appendKeys({ requestId, function: spec.name });
    let result: HttpResult;
    let database: Database | undefined;
    let principal: Principal | undefined;
    const db = () => (database ??= getDatabase());
    try {
      const who = await authenticate(spec.auth, db, event);
      principal = who;
      const body = spec.body ? readBody(event, spec.maxBodyBytes ?? 262_144) : undefined;
      const input = {
        query: parsePart(spec.query, event.queryStringParameters ?? {}, 'query'),
        body: parsePart(spec.body, body, 'body', spec.checkBodyText ?? true),
        path: parsePart(spec.path, event.pathParameters ?? {}, 'path'),
      };
      result = await impl({ ...input, event, database: db(), requestId, principal: who, context });
    } catch (caught) {
      // A rule a service enforces, not placed in the request by the handler: its field as it is.
      const e = caught instanceof DomainError ? httpErrorOf(caught) : caught;
      if (e instanceof HttpError) {
        result = json(e.status, { error: e.error, issues: e.issues }, e.headers);
        if (e.status >= 400 && e.status < 500) await recordRejection(database, spec.name, principal, event, e);
        logger.warn('request rejected', { status: e.status, error: e.error, issues: e.issues });
      } else {
        logger.error('request failed', e as Error);
        result = json(500, { error: 'internal_error', issues: [], requestId });
      }
    }
    result = withBaselineHeaders(result);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    requestsTotal.inc({ function: spec.name, status: String(result.statusCode) });
    requestDuration.observe({ function: spec.name }, seconds);
    if (database) scheduleFlush(database, spec.name);
    logger.info('request', { status: result.statusCode, ms: Math.round(seconds * 1000) });
    logger.removeKeys(['requestId', 'function']);
    return result;
  };
}
