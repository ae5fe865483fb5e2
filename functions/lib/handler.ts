// The one wrapper every HTTP function uses: parse and validate input with zod, log with the
// request id, count and time the request, and map every failure to a JSON answer (never a stack).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { rejectedEvents } from '../../db/schema';
import type { Database } from '../../db/client';
import { getDatabase } from './database';
import { HttpError, type Issue } from './errors';
import { logger } from './logger';
import { requestDuration, requestsTotal, scheduleFlush } from './metrics';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

export interface HandlerInput<Q, B, P> {
  query: Q;
  body: B;
  path: P;
  event: APIGatewayProxyEventV2;
  database: Database;
  requestId: string;
}

export interface HandlerSpec<Q extends z.ZodType, B extends z.ZodType, P extends z.ZodType> {
  name: string;
  query?: Q;
  body?: B;
  path?: P;
  /** Default 256 KiB; push batches raise it. */
  maxBodyBytes?: number;
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { ...jsonHeaders, ...headers },
  body: JSON.stringify(body),
});

export function zodIssues(error: z.ZodError, prefix: string): Issue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
}

function parsePart<T extends z.ZodType>(schema: T | undefined, value: unknown, prefix: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
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

/** Bad input is kept for an operator (System → Outbox), truncated so a flood cannot fill the disk. */
async function keepRejectedInput(database: Database, name: string, event: APIGatewayProxyEventV2, err: HttpError) {
  const body = typeof event.body === 'string' ? event.body.slice(0, 16_384) : null;
  await database.db.insert(rejectedEvents).values({
    source: 'api',
    type: name,
    payload: { method: event.requestContext?.http?.method, path: event.rawPath, query: event.queryStringParameters ?? {}, body },
    reason: `${err.error}: ${err.issues.map((i) => `${i.path} ${i.message}`).join('; ')}`.slice(0, 2000),
    field: err.issues[0]?.path ?? null,
  });
}

export function defineHandler<
  Q extends z.ZodType = z.ZodUndefined,
  B extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(
  spec: HandlerSpec<Q, B, P>,
  impl: (input: HandlerInput<z.infer<Q>, z.infer<B>, z.infer<P>>) => Promise<HttpResult>,
) {
  return async (event: APIGatewayProxyEventV2, context?: Context): Promise<HttpResult> => {
    const started = process.hrtime.bigint();
    const requestId = context?.awsRequestId ?? event.requestContext?.requestId ?? 'local';
    logger.appendKeys({ requestId, function: spec.name });
    let result: HttpResult;
    let database: Database | undefined;
    try {
      database = getDatabase();
      const body = spec.body ? readBody(event, spec.maxBodyBytes ?? 262_144) : undefined;
      result = await impl({
        query: parsePart(spec.query, event.queryStringParameters ?? {}, 'query'),
        body: parsePart(spec.body, body, 'body'),
        path: parsePart(spec.path, event.pathParameters ?? {}, 'path'),
        event,
        database,
        requestId,
      });
    } catch (e) {
      if (e instanceof HttpError) {
        result = json(e.status, { error: e.error, issues: e.issues }, e.headers);
        if (database && (e.status === 400 || e.status === 413)) {
          await keepRejectedInput(database, spec.name, event, e).catch((err) =>
            logger.error('could not keep rejected input', { err }),
          );
        }
        logger.warn('request rejected', { status: e.status, error: e.error, issues: e.issues });
      } else {
        logger.error('request failed', e as Error);
        result = json(500, { error: 'internal_error', issues: [], requestId });
      }
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    requestsTotal.inc({ function: spec.name, status: String(result.statusCode) });
    requestDuration.observe({ function: spec.name }, seconds);
    if (database) scheduleFlush(database, spec.name);
    logger.info('request', { status: result.statusCode, ms: Math.round(seconds * 1000) });
    logger.removeKeys(['requestId', 'function']);
    return result;
  };
}
