// Test helpers: a fake raw (port 9100) printer on the loopback interface.
import net from 'node:net';

/** A fake raw printer on 127.0.0.1: collects each connection's bytes until the client closes. */
export async function startFakePrinter(opts: { pauseOnConnect?: boolean } = {}) {
  const jobs: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  let notify: (() => void) | undefined;
  const server = net.createServer({ pauseOnConnect: opts.pauseOnConnect ?? false }, (socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => {
      jobs.push(Buffer.concat(chunks));
      socket.end();
      notify?.();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    jobs,
    /** Resolves when `n` jobs have arrived. */
    async waitForJobs(n: number) {
      while (jobs.length < n) await new Promise<void>((resolve) => (notify = resolve));
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port with nothing listening: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
