// Serves one PGlite over the Postgres wire protocol to many clients (function workers, CLIs, psql).
//
// PGlite is a single backend session, so clients must not interleave inside a protocol exchange:
// an extended-protocol query is Parse/Bind/Describe/Execute/Sync, and another client's Parse
// between them would replace the unnamed statement. This server runs each client's messages
// up to Sync (or a simple Query) as one exclusive group, and while a client has a transaction
// open, only that client runs. (pglite-socket queues single messages, which lets them interleave.)
import net from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Frontend messages that end a group: Sync, simple Query, Flush, Terminate. */
const GROUP_END = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0), 'H'.charCodeAt(0), 'X'.charCodeAt(0)]);
const TERMINATE = 'X'.charCodeAt(0);

/** A FIFO lock on the session, held across a client's open transaction. */
class SessionLock {
  private owner: object | null = null;
  private waiters: { who: object; wake: () => void }[] = [];

  async acquire(who: object): Promise<void> {
    if (this.owner === who) return;
    if (this.owner === null && this.waiters.length === 0) {
      this.owner = who;
      return;
    }
    await new Promise<void>((wake) => this.waiters.push({ who, wake }));
  }

  release(who: object) {
    if (this.owner !== who) return;
    const next = this.waiters.shift();
    this.owner = next ? next.who : null;
    next?.wake();
  }

  get held() {
    return this.owner !== null;
  }
}

export interface PGliteServer {
  host: string;
  port: number;
  connections(): number;
  stop(): Promise<void>;
}

export async function servePGlite(db: PGlite, opts: { host?: string; port?: number; maxConnections?: number } = {}): Promise<PGliteServer> {
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
    let started = false;
    let group: Uint8Array[] = [];
    let chain = Promise.resolve();
    let closed = false;

    const run = (messages: Uint8Array[]) => {
      chain = chain.then(async () => {
        if (closed) return;
        await lock.acquire(me);
        try {
          await db.runExclusive(async () => {
            for (const m of messages) {
              await db.execProtocolRawStream(m, { onRawData: (d) => socket.writable && socket.write(d) });
            }
          });
        } catch {
          socket.destroy();
        } finally {
          if (!db.isInTransaction() || closed) lock.release(me);
        }
      });
    };

    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          if (buffer.length < len) return;
          const code = buffer.readInt32BE(4);
          const msg = buffer.subarray(0, len);
          buffer = buffer.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write('N');
            continue;
          }
          if (code === CANCEL_REQUEST) {
            socket.destroy();
            return;
          }
          started = true;
          run([new Uint8Array(msg)]);
          continue;
        }
        if (buffer.length < 5) return;
        const len = 1 + buffer.readInt32BE(1);
        if (buffer.length < len) return;
        const type = buffer[0]!;
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

    const cleanup = () => {
      if (closed) return;
      closed = true;
      sockets.delete(socket);
      // A client that went away mid-transaction must not keep the session.
      chain = chain.then(async () => {
        if (db.closed) return;
        await lock.acquire(me);
        try {
          if (db.isInTransaction()) await db.exec('ROLLBACK');
        } finally {
          lock.release(me);
        }
      });
    };
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
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
