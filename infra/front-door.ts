// The edge's one public port (ADR 602). TLS is terminated here and
// every request is forwarded to the function server on a private loopback port, with the client's
// address and protocol in x-forwarded-*. Plain HTTP on the same port is answered with a redirect to
// the https address, except the enrolment page a register needs before it trusts the store CA.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { Duplex, pipeline } from 'node:stream';
import tls from 'node:tls';

export interface FrontDoorOptions {
  host: string;
  port: number;
  key: string;
  cert: string;
  /** Where the function server listens (loopback, private). */
  upstream: { host: string; port: number };
  /** Used for the redirect when a plain-HTTP client sent no usable Host header. */
  publicHost: string;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

/** Answers a request inside the launcher instead of forwarding it; returns false to forward. */
export type LocalHandler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

export interface FrontDoor {
  port: number;
  /** Serves some requests in this process (the live shape service); set once the database is open. */
  setLocalHandler(handler: LocalHandler): void;
  /** Swaps the certificate for new connections (renewal without a restart). */
  setCertificate(key: string, cert: string): void;
  close(): Promise<void>;
}

/** Served on plain HTTP too: what a register needs before it trusts the store CA. */
const PLAIN_HTTP_PATHS = /^\/(setup(\/|$|\?)|build\/|favicon\.ico)/;

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
]);

const clientAddress = (req: http.IncomingMessage) => (req.socket?.remoteAddress ?? '').replace(/^::ffff:/, '');

function forward(req: http.IncomingMessage, res: http.ServerResponse, proto: 'https' | 'http', opts: FrontDoorOptions, agent: http.Agent) {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (HOP_BY_HOP.has(k) || k.startsWith('x-forwarded-') || v === undefined) continue;
    headers[k] = v;
  }
  const host = req.headers.host;
  if (host) headers.host = host;
  // Whatever the client claimed is replaced: functions trust these headers because only this door reaches them.
  headers['x-forwarded-for'] = clientAddress(req);
  headers['x-forwarded-proto'] = proto;
  if (host) headers['x-forwarded-host'] = host;

  const upstream = http.request({ host: opts.upstream.host, port: opts.upstream.port, method: req.method, path: req.url, headers, agent }, (up) => {
    const out: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(up.headers)) {
      // Same origin only: nothing upstream may grant another origin access.
      if (HOP_BY_HOP.has(k) || k.startsWith('access-control-') || v === undefined) continue;
      out[k] = v;
    }
    res.writeHead(up.statusCode ?? 502, out);
    pipeline(up, res, () => undefined);
  });
  upstream.on('error', (e) => {
    if (res.headersSent) return res.destroy();
    opts.log?.('function server unreachable', { error: (e as NodeJS.ErrnoException).code ?? e.message });
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ error: 'edge_starting', issues: [{ path: 'edge', message: 'the edge is starting or restarting; try again shortly' }] }));
  });
  // A client that goes away (a cancelled long-poll, a closed tab) releases the upstream request at once.
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  pipeline(req, upstream, () => undefined);
}

function redirectToHttps(req: http.IncomingMessage, res: http.ServerResponse, opts: FrontDoorOptions) {
  const given = req.headers.host ?? '';
  const host = /^[a-z0-9.\-[\]:]+$/i.test(given) ? given : `${opts.publicHost}:${opts.port}`;
  const target = `https://${host}${req.url ?? '/'}`;
  const setup = `http://${host}/setup`;
  res.writeHead(308, { location: target, 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `<!doctype html><meta charset="utf-8"><title>Use https</title><h1>This edge only serves https</h1>` +
      `<p>Open <a href="${target}">${target}</a>.</p>` +
      `<p>If the browser warns about the certificate, this device does not trust the store yet: follow <a href="${setup}">${setup}</a> once.</p>`,
  );
}

/**
 * The socket again, with the bytes already read put back in front. Node's TLS reads a net.Socket's
 * handle directly (bytes unshifted into the stream would never reach it), so the TLS side gets a
 * plain Duplex instead.
 */
function replay(socket: net.Socket, first: Buffer): Duplex {
  const d = new Duplex({
    read: () => void socket.resume(),
    // Not in object mode: every chunk written is a Buffer.
    write: (chunk: Buffer, _enc, cb) => void socket.write(chunk, cb),
    final: (cb) => {
      socket.end();
      cb();
    },
    destroy: (err, cb) => {
      socket.destroy();
      cb(err);
    },
  });
  d.push(first);
  socket.on('data', (c) => {
    if (!d.push(c)) socket.pause();
  });
  socket.on('end', () => d.push(null));
  socket.on('close', () => d.destroy());
  return d;
}

/** Below the upstream's keep-alive timeout (Node's http server default: 5 s). */
const UPSTREAM_IDLE_MS = 4_000;

export function startFrontDoor(opts: FrontDoorOptions): Promise<FrontDoor> {
  // Idle upstream sockets are dropped after 4 s, before the function server's own keep-alive
  // timeout (Node's default, 5 s) closes them: a request sent on a socket the server is closing
  // fails with ECONNRESET, which this door could only answer with a 503.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: UPSTREAM_IDLE_MS });
  let context = tls.createSecureContext({ key: opts.key, cert: opts.cert });
  let local: LocalHandler = () => false;
  // Never listens itself: the door hands it finished TLS connections.
  const secure = https.createServer({ key: opts.key, cert: opts.cert }, (req, res) => {
    if (!local(req, res)) forward(req, res, 'https', opts, agent);
  });
  const plain = http.createServer((req, res) =>
    PLAIN_HTTP_PATHS.test(req.url ?? '') ? forward(req, res, 'http', opts, agent) : redirectToHttps(req, res, opts),
  );
  // Untrusted certificates and dropped connections are the client's business, not a crash.
  plain.on('clientError', (_e, socket) => socket.destroy());

  const acceptTls = (socket: net.Socket, first: Buffer) => {
    const t = new tls.TLSSocket(replay(socket, first), { isServer: true, server: secure, secureContext: context, ALPNProtocols: ['http/1.1'] });
    Object.defineProperty(t, 'remoteAddress', { value: socket.remoteAddress });
    const handshake = setTimeout(() => t.destroy(), 30_000);
    t.on('error', () => t.destroy());
    t.once('close', () => clearTimeout(handshake));
    t.once('secure', () => {
      clearTimeout(handshake);
      secure.emit('secureConnection', t);
    });
  };

  const sockets = new Set<net.Socket>();
  const door = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // A connection that says nothing is dropped; after the first byte the servers own the timeouts.
    socket.setTimeout(30_000, () => socket.destroy());
    socket.once('data', (first) => {
      socket.setTimeout(0);
      socket.pause();
      // A TLS handshake starts with a record of type 22.
      if (first[0] === 0x16) return acceptTls(socket, first);
      socket.unshift(first);
      plain.emit('connection', socket);
      socket.resume();
    });
  });

  return new Promise((resolve, reject) => {
    door.once('error', reject);
    door.listen(opts.port, opts.host, () => {
      door.off('error', reject);
      resolve({
        port: (door.address() as net.AddressInfo).port,
        setLocalHandler: (handler) => {
          local = handler;
        },
        setCertificate: (key, cert) => {
          context = tls.createSecureContext({ key, cert });
        },
        close: () =>
          new Promise<void>((done) => {
            door.close(() => done());
            for (const s of sockets) s.destroy();
            agent.destroy();
          }),
      });
    });
  });
}
