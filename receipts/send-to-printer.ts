// Raw TCP printing ("port 9100", JetDirect style): open a socket, write the ESC/POS bytes, close.
// Node only (the edge); the browser prints the SVG instead.
import net from 'node:net';

export type PrinterErrorCode = 'bad_address' | 'refused' | 'timeout' | 'unreachable' | 'io';

/** A printing failure with a message a store admin can act on. */
export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    readonly address: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PrinterError';
  }
}

export const DEFAULT_PRINTER_PORT = 9100;

/** "host:port", "host" (port 9100) or "[ipv6]:port" → host and port. */
export function parsePrinterAddress(address: string): { host: string; port: number } {
  const trimmed = address.trim();
  const m = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(trimmed) ?? /^([A-Za-z0-9.-]+)(?::(\d+))?$/.exec(trimmed);
  const port = m?.[2] === undefined ? DEFAULT_PRINTER_PORT : Number(m[2]);
  if (!m || !m[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PrinterError('bad_address', address, `printer address "${address}" is not host:port (e.g. 192.168.1.50:9100)`);
  }
  return { host: m[1], port };
}

export interface SendOptions {
  /** Whole operation: connect, write and close. Default 5000 ms. */
  timeoutMs?: number;
}

/**
 * Sends `bytes` to the printer at `address` and resolves once they were written and the
 * connection closed. Rejects with a PrinterError when the printer refuses the connection, cannot
 * be reached, or does not take the data within `timeoutMs` (off, paper out, wrong address).
 */
export function sendToPrinter(address: string, bytes: Uint8Array, { timeoutMs = 5000 }: SendOptions = {}): Promise<{ bytesWritten: number }> {
  let target: { host: string; port: number };
  try {
    target = parsePrinterAddress(address);
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  const where = `${target.host}:${target.port}`;

  return new Promise((resolve, reject) => {
    let settled = false;
    let connected = false;
    const socket = net.createConnection({ host: target.host, port: target.port });

    const finish = (error?: PrinterError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve({ bytesWritten: bytes.length });
    };

    const timer = setTimeout(() => {
      finish(
        new PrinterError(
          'timeout',
          where,
          connected
            ? `printer at ${where} did not accept the receipt within ${timeoutMs} ms (paper out, cover open or busy?)`
            : `printer at ${where} did not answer within ${timeoutMs} ms (is it switched on and on the network?)`,
        ),
      );
    }, timeoutMs);

    socket.on('connect', () => {
      connected = true;
      // end() writes the data then half-closes; the printer closes its side when it is done.
      socket.end(bytes);
    });
    // All bytes are handed to the network: done, even if the printer keeps its side open a while.
    socket.on('finish', () => setTimeout(() => finish(), 250).unref());
    socket.on('close', () => {
      if (connected) finish();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? '';
      if (code === 'ECONNREFUSED') {
        finish(
          new PrinterError('refused', where, `printer at ${where} refused the connection (wrong port, or the printer is busy with another job?)`, {
            cause: err,
          }),
        );
      } else if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EADDRNOTAVAIL'].includes(code)) {
        finish(new PrinterError('unreachable', where, `printer at ${where} cannot be reached (${code}); check its address and network cable`, { cause: err }));
      } else {
        finish(new PrinterError('io', where, `printing to ${where} failed: ${err.message}`, { cause: err }));
      }
    });
  });
}
