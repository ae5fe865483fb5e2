// Writes a shape answer to a node response: baseline headers as the functions send them, and gzip
// or brotli (streamed through node:zlib) when the client accepts it and the body is worth it.
// A snapshot chunk of the catalog is ~1 MB of repetitive JSON and compresses about tenfold.
import type http from 'node:http';
import { pipeline, Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { ShapeResponse } from './shape-headers';

export type Encoding = 'br' | 'gzip';

/** The best encoding the client accepts (`accept-encoding`, q-values honoured), or undefined. */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): Encoding | undefined {
  const raw = Array.isArray(acceptEncoding) ? acceptEncoding.join(',') : (acceptEncoding ?? '');
  const q = new Map<string, number>();
  for (const part of raw.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    q.set(name, qp === undefined ? 1 : Number(qp));
  }
  const weight = (e: string) => q.get(e) ?? q.get('*') ?? 0;
  // gzip first on a tie: brotli's edge in size is small at the speeds a request can afford.
  const best = (['gzip', 'br'] as const).reduce<Encoding | undefined>((b, e) => (weight(e) > 0 && (!b || weight(e) > weight(b)) ? e : b), undefined);
  return best;
}

function compressor(encoding: Encoding): zlib.Gzip | zlib.BrotliCompress {
  return encoding === 'br' ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }) : zlib.createGzip({ level: 6 });
}

export async function sendShapeResponse(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  answer: ShapeResponse,
  opts: { compressMinBytes: number },
): Promise<void> {
  const headers: Record<string, string> = {};
  // Same origin only, as every function answer (functions/lib/response-headers.ts).
  for (const [k, v] of Object.entries(answer.headers)) if (!k.toLowerCase().startsWith('access-control-')) headers[k.toLowerCase()] = v;
  headers['x-content-type-options'] = 'nosniff';
  headers['cache-control'] ??= 'no-store';
  // What a register may see depends on its token; the bytes on the encoding (and a snapshot chunk's format on accept).
  headers.vary = 'authorization, accept, accept-encoding';
  const body = Buffer.from(answer.body, 'utf8');
  const head = req.method === 'HEAD';
  const encoding = body.length >= opts.compressMinBytes ? chooseEncoding(req.headers['accept-encoding']) : undefined;
  if (!encoding || head) {
    res.writeHead(answer.status, { ...headers, 'content-length': String(body.length) });
    res.end(head ? undefined : body);
    return;
  }
  res.writeHead(answer.status, { ...headers, 'content-encoding': encoding });
  await new Promise<void>((resolve) => {
    // A client gone mid-body ends the pipeline with an error: nothing more to do for it.
    pipeline(Readable.from([body]), compressor(encoding), res, () => resolve());
  });
}
