// The Remix app (POS at /pos, admin at /admin) and its static files, as one function on `ANY /{proxy+}`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequestHandler } from '@remix-run/architect';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as build from '../build/index.js';
import { apiNotFound } from './lib/api-not-found';
import { staticFile } from './lib/static-files';

process.env.ARC_SANDBOX ??= process.env.IS_OFFLINE ? '1' : undefined;
const remix = createRequestHandler({
  build: build as never,
  mode: process.env.NODE_ENV ?? 'production',
  // The socket's address, for when no front door sets x-forwarded-for (app/lib/client.server.ts).
  getLoadContext: (event) => ({ sourceIp: event.requestContext?.http?.sourceIp }),
});
// Offline sets LAMBDA_TASK_ROOT=/var/task; the project folder is the working directory there.
const publicDir = path.join(process.env.IS_OFFLINE ? process.cwd() : (process.env.LAMBDA_TASK_ROOT ?? process.cwd()), 'public');

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const missing = apiNotFound(event);
  if (missing) return missing;
  // In the cloud, public/ is on S3 behind CloudFront and this function serves documents only.
  if (process.env.TILL_STATIC_ASSETS !== 'cdn') {
    const file = await staticFile(publicDir, event.rawPath, (p) => readFile(p));
    if (file) return file;
  }
  // serverless-offline passes cookies both ways; keep one copy.
  if (event.cookies?.length) {
    delete event.headers.cookie;
    delete event.headers.Cookie;
  }
  return (remix as unknown as (e: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>)(event);
};
