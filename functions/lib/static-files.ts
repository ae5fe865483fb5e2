import path from 'node:path';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves a file under `publicDir` for a URL path, or undefined when it is not a static file. */
export async function staticFile(
  publicDir: string,
  urlPath: string,
  read: (p: string) => Promise<Buffer>,
): Promise<APIGatewayProxyStructuredResultV2 | undefined> {
  if (!/^\/(build|pglite|vendor)\/|^\/(favicon\.ico|sw\.js|manifest\.webmanifest)$/.test(urlPath)) return undefined;
  const resolved = path.resolve(publicDir, `.${decodeURIComponent(urlPath)}`);
  if (!resolved.startsWith(publicDir + path.sep)) return undefined; // no ../ escapes
  let body: Buffer;
  try {
    body = await read(resolved);
  } catch {
    return {
      statusCode: 404,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"not_found","issues":[{"path":"path","message":"file not found"}]}',
    };
  }
  const ext = path.extname(resolved);
  const immutable = urlPath.startsWith('/build/') && urlPath !== '/build/manifest.json';
  return {
    statusCode: 200,
    headers: {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      // hapi would gzip multi-megabyte wasm on every request offline.
      'content-encoding': 'identity',
      ...(urlPath === '/sw.js' ? { 'service-worker-allowed': '/' } : {}),
    },
    body: body.toString('base64'),
    isBase64Encoded: true,
  };
}
