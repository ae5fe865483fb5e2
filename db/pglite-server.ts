// Serves one PGlite over the Postgres wire protocol to many clients (function workers, CLIs, psql).
//
// Every client signs in with SCRAM-SHA-256 (db/scram.ts) before a single byte reaches PGlite:
// there is no unauthenticated mode, so no address can expose the database without the password.
//
// PGlite is a single backend session, so clients must not interleave inside a protocol exchange:
// an extended-protocol query is Parse/Bind/Describe/Execute/Sync, and another client's Parse
// between them would replace the unnamed statement. This server runs each client's messages
// up to Sync (or a simple Query) as one exclusive group, and while a client has a transaction
// open, only that client runs. (pglite-socket queues single messages, which lets them interleave.)
// Because one open transaction stops everyone else, a client idle inside a transaction is cut
// (and rolled back) after `idleInTransactionTimeoutMs`, and nobody queues longer than `queueTimeoutMs`.
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { isPlainPassword, SCRAM_MECHANISM, ScramProtocolError, scramVerifier, startScram, unmatchableVerifier, type ScramExchange } from './scram';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages that end a group: Sync, simple Query, Flush, Terminate. */
const GROUP_END = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0), 'H'.charCodeAt(0), 'X'.charCodeAt(0)]);
const TERMINATE = 'X'.charCodeAt(0);
const PASSWORD_MESSAGE = 'p'.charCodeAt(0);
/** Nothing a client sends before it is authenticated is longer (PostgreSQL's startup packet limit). */
const MAX_PREAUTH_MESSAGE = 10_000;

class QueueTimeout extends Error {}

/** A FIFO lock on the session, held across a client's open transaction. */
class SessionLock {
  private owner: object | null = null;
  private waiters: { who: object; wake: () => void; fail: (e: Error) => void; timer: NodeJS.Timeout }[] = [];

  /** Resolves once `who` owns the session; rejects with QueueTimeout after `timeoutMs` in the queue. */
  acquire(who: object, timeoutMs: number): Promise<void> {
    if (this.owner === who) return Promise.resolve();
    if (this.owner === null && this.waiters.length === 0) {
      this.owner = who;
      return Promise.resolve();
    }
    return new Promise<void>((wake, fail) => {
      const waiter = {
        who,
        wake,
        fail,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          fail(new QueueTimeout());
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** Drops `who` from the queue (its connection is gone). */
  cancel(who: object) {
    for (const w of this.waiters.filter((x) => x.who === who)) {
      clearTimeout(w.timer);
      w.fail(new Error('connection closed'));
    }
    this.waiters = this.waiters.filter((w) => w.who !== who);
  }

  release(who: object) {
    if (this.owner !== who) return;
    const next = this.waiters.shift();
    if (next) clearTimeout(next.timer);
    this.owner = next ? next.who : null;
    next?.wake();
  }

  owns(who: object) {
    return this.owner === who;
  }
}

function backendMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

const authentication = (code: number, data: Buffer = Buffer.alloc(0)) => backendMessage('R', Buffer.concat([int32(code), data]));
const AUTH_SASL = 10;
const AUTH_SASL_CONTINUE = 11;
const AUTH_SASL_FINAL = 12;

function errorResponse(code: string, message: string): Buffer {
  const field = (t: string, v: string) => Buffer.from(`${t}${v}\0`, 'utf8');
  return backendMessage('E', Buffer.concat([field('S', 'FATAL'), field('V', 'FATAL'), field('C', code), field('M', message), Buffer.from([0])]));
}

/** Null-terminated strings from `at`; returns them and the offset after the last. */
function cstrings(buf: Buffer, at: number, count: number): { values: string[]; end: number } | null {
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const nul = buf.indexOf(0, at);
    if (nul < 0) return null;
    values.push(buf.toString('utf8', at, nul));
    at = nul + 1;
  }
  return { values, end: at };
}

/** The key/value pairs of a StartupMessage (after length and protocol version). */
function startupParameters(msg: Buffer): Map<string, string> | null {
  const params = new Map<string, string>();
  let at = 8;
  while (at < msg.length && msg[at] !== 0) {
    const kv = cstrings(msg, at, 2);
    if (!kv) return null;
    params.set(kv.values[0]!, kv.values[1]!);
    at = kv.end;
  }
  return params;
}

export interface PGliteServerOptions {
  host?: string;
  port?: number;
  maxConnections?: number;
  /** The one role clients sign in as. */
  user: string;
  /** Its password (printable ASCII); every connection must prove it with SCRAM-SHA-256. */
  password: string;
  /** A client idle inside an open transaction longer than this is disconnected and rolled back. */
  idleInTransactionTimeoutMs?: number;
  /** A client waiting longer than this for another client's transaction to end is disconnected. */
  queueTimeoutMs?: number;
  /** A client that has not signed in within this time is disconnected. */
  authTimeoutMs?: number;
}

export interface PGliteServer {
  host: string;
  port: number;
  connections(): number;
  /**
   * Runs `fn` once no client has a transaction open, holding every client off until it returns:
   * what `fn` reads of PGlite (e.g. its data folder) has no half-written transaction in it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export const PGLITE_SERVER_DEFAULTS = { idleInTransactionTimeoutMs: 10_000, queueTimeoutMs: 30_000, authTimeoutMs: 10_000 };

export async function servePGlite(db: PGlite, opts: PGliteServerOptions): Promise<PGliteServer> {
  if (!opts.user || typeof opts.password !== 'string' || opts.password.length < 16 || !isPlainPassword(opts.password)) {
    throw new Error('servePGlite needs a user and a password of at least 16 printable ASCII characters');
  }
  const verifier = scramVerifier(opts.password);
  const nobody = unmatchableVerifier();
  const idleTxMs = opts.idleInTransactionTimeoutMs ?? PGLITE_SERVER_DEFAULTS.idleInTransactionTimeoutMs;
  const queueMs = opts.queueTimeoutMs ?? PGLITE_SERVER_DEFAULTS.queueTimeoutMs;
  const authMs = opts.authTimeoutMs ?? PGLITE_SERVER_DEFAULTS.authTimeoutMs;
  const lock = new SessionLock();
  const sockets = new Set<net.Socket>();

  const server = net.createServer((socket) => {
    if (sockets.size >= (opts.maxConnections ?? 64)) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.setNoDelay(true);
    const me = {};
    let buffer = Buffer.alloc(0);
    let phase: 'startup' | 'sasl-initial' | 'sasl-final' | 'ready' = 'startup';
    let startup: Uint8Array | undefined;
    let user = '';
    let scram: ScramExchange | undefined;
    let group: Uint8Array[] = [];
    let chain = Promise.resolve();
    let pending = 0;
    let closed = false;
    let idleTimer: NodeJS.Timeout | undefined;
    const clearIdle = () => {
      clearTimeout(idleTimer);
      idleTimer = undefined;
    };
    const authTimer = setTimeout(() => fatal('57014', 'canceling authentication due to timeout'), authMs);

    /** Gives the session back, rolling back what a departed client left open. */
    const settle = async () => {
      if (!lock.owns(me)) return;
      if (closed || db.closed) {
        try {
          if (!db.closed && db.isInTransaction()) await db.exec('ROLLBACK');
        } finally {
          lock.release(me);
        }
        return;
      }
      if (!db.isInTransaction()) lock.release(me);
      else if (pending === 0) {
        idleTimer = setTimeout(() => fatal('25P03', `terminating connection due to idle-in-transaction timeout (${idleTxMs} ms)`), idleTxMs);
      }
    };

    const cleanup = () => {
      if (closed) return;
      closed = true;
      clearIdle();
      clearTimeout(authTimer);
      sockets.delete(socket);
      lock.cancel(me);
      chain = chain.then(settle);
    };

    function fatal(code: string, message: string) {
      if (closed) return;
      cleanup();
      socket.end(errorResponse(code, message), () => socket.destroy());
    }

    const run = (messages: Uint8Array[]) => {
      clearIdle();
      pending++;
      chain = chain.then(async () => {
        pending--;
        clearIdle();
        if (closed) return;
        try {
          await lock.acquire(me, queueMs);
        } catch (e) {
          if (e instanceof QueueTimeout) {
            fatal('55P03', `terminating connection: another client's transaction held the database for more than ${queueMs} ms`);
          }
          return;
        }
        try {
          if (!closed) {
            await db.runExclusive(async () => {
              for (const m of messages) {
                // onRawData hands out a view of PGlite's memory, reused for the next rows: a write the socket
                // must queue (client slower than PGlite) would send overwritten bytes, so copy it.
                await db.execProtocolRawStream(m, { onRawData: (d) => socket.writable && socket.write(Buffer.from(d)) });
              }
            });
          }
        } catch {
          cleanup();
          socket.destroy();
        } finally {
          await settle();
        }
      });
    };

    /** Handles one message of the sign-in; returns false once the connection is being closed. */
    const authenticate = (type: number, body: Buffer): boolean => {
      if (type === TERMINATE) {
        cleanup();
        socket.destroy();
        return false;
      }
      if (type !== PASSWORD_MESSAGE) {
        fatal('08P01', `expected SASL response, got message type ${String.fromCharCode(type)}`);
        return false;
      }
      try {
        if (phase === 'sasl-initial') {
          const head = cstrings(body, 0, 1);
          if (!head || body.length < head.end + 4) throw new ScramProtocolError('malformed SASLInitialResponse');
          if (head.values[0] !== SCRAM_MECHANISM) {
            fatal('08P01', 'client selected an invalid SASL authentication mechanism');
            return false;
          }
          const len = body.readInt32BE(head.end);
          if (len < 0 || head.end + 4 + len !== body.length) throw new ScramProtocolError('malformed SASLInitialResponse');
          scram = startScram(user === opts.user ? verifier : nobody, body.toString('utf8', head.end + 4));
          socket.write(authentication(AUTH_SASL_CONTINUE, Buffer.from(scram.serverFirst, 'utf8')));
          phase = 'sasl-final';
          return true;
        }
        const serverFinal = scram!.finish(body.toString('utf8'));
        if (serverFinal === null || user !== opts.user) {
          fatal('28P01', `password authentication failed for user "${user}"`);
          return false;
        }
        clearTimeout(authTimer);
        phase = 'ready';
        socket.write(authentication(AUTH_SASL_FINAL, Buffer.from(serverFinal, 'utf8')));
        // PGlite answers the startup message with AuthenticationOk, parameters and ReadyForQuery.
        run([startup!]);
        return true;
      } catch (e) {
        fatal('08P01', e instanceof ScramProtocolError ? e.message : 'malformed authentication message');
        return false;
      }
    };

    socket.on('data', (chunk) => {
      if (closed) return;
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (phase === 'startup') {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          if (len < 8 || len > MAX_PREAUTH_MESSAGE) return fatal('08P01', 'invalid length of startup packet');
          if (buffer.length < len) return;
          const code = buffer.readInt32BE(4);
          const msg = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) {
            cleanup();
            socket.destroy();
            return;
          }
          if (code >>> 16 !== 3) return fatal('0A000', `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}`);
          const params = startupParameters(msg);
          if (!params?.get('user')) return fatal('28000', 'no PostgreSQL user name specified in startup packet');
          user = params.get('user')!;
          startup = new Uint8Array(msg);
          socket.write(authentication(AUTH_SASL, Buffer.from(`${SCRAM_MECHANISM}\0\0`, 'latin1')));
          phase = 'sasl-initial';
          continue;
        }
        if (buffer.length < 5) return;
        const declared = buffer.readInt32BE(1);
        if (declared < 4 || (phase !== 'ready' && declared > MAX_PREAUTH_MESSAGE)) return fatal('08P01', 'invalid message length');
        const len = 1 + declared;
        if (buffer.length < len) return;
        const type = buffer[0]!;
        if (phase !== 'ready') {
          const body = Buffer.from(buffer.subarray(5, len));
          buffer = buffer.subarray(len);
          if (!authenticate(type, body)) return;
          continue;
        }
        const msg = new Uint8Array(buffer.subarray(0, len));
        buffer = buffer.subarray(len);
        if (type === TERMINATE) {
          socket.end();
          return;
        }
        group.push(msg);
        if (GROUP_END.has(type)) {
          run(group);
          group = [];
        }
      }
    });

    socket.on('close', cleanup);
    socket.on('error', cleanup);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as net.AddressInfo;
  return {
    host: addr.address,
    port: addr.port,
    connections: () => sockets.size,
    async exclusive(fn) {
      const me = {};
      await lock.acquire(me, queueMs);
      try {
        return await fn();
      } finally {
        lock.release(me);
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
