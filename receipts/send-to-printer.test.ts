import { afterEach, describe, expect, it } from 'vitest';
import { parsePrinterAddress, PrinterError, sendToPrinter } from './send-to-printer';
import { closedPort, startFakePrinter } from './test-printer';

describe('sendToPrinter', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  it('delivers exactly the bytes over raw TCP', async () => {
    const printer = await startFakePrinter();
    cleanups.push(() => printer.close());
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    bytes.set([0x1b, 0x40], 0);
    const r = await sendToPrinter(printer.address, bytes, { timeoutMs: 5000 });
    expect(r.bytesWritten).toBe(bytes.length);
    await printer.waitForJobs(1);
    expect(printer.jobs).toHaveLength(1);
    expect(new Uint8Array(printer.jobs[0]!)).toEqual(bytes);
  });

  it('sends one job per call', async () => {
    const printer = await startFakePrinter();
    cleanups.push(() => printer.close());
    await sendToPrinter(printer.address, new Uint8Array([1, 2, 3]));
    await sendToPrinter(printer.address, new Uint8Array([4, 5]));
    await printer.waitForJobs(2);
    expect(printer.jobs.map((j) => Array.from(j))).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('says clearly when the printer refuses the connection', async () => {
    const port = await closedPort();
    const err = await sendToPrinter(`127.0.0.1:${port}`, new Uint8Array([1]), { timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(PrinterError);
    expect(err.code).toBe('refused');
    expect(err.message).toMatch(new RegExp(`printer at 127\\.0\\.0\\.1:${port} refused the connection`));
  });

  it('times out when the printer stops taking data', async () => {
    // Accepts the connection but never reads: 32 MiB cannot fit in the socket buffers.
    const printer = await startFakePrinter({ pauseOnConnect: true });
    cleanups.push(() => printer.close());
    const started = Date.now();
    const err = await sendToPrinter(printer.address, new Uint8Array(32 * 1024 * 1024), { timeoutMs: 300 }).catch((e) => e);
    expect(err).toBeInstanceOf(PrinterError);
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/did not accept the receipt within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('rejects malformed addresses before connecting', async () => {
    await expect(sendToPrinter('not an address', new Uint8Array([1]))).rejects.toMatchObject({ code: 'bad_address' });
    await expect(sendToPrinter('10.0.0.5:99999', new Uint8Array([1]))).rejects.toMatchObject({ code: 'bad_address' });
    expect(parsePrinterAddress('printer.local')).toEqual({ host: 'printer.local', port: 9100 });
    expect(parsePrinterAddress('[::1]:9101')).toEqual({ host: '::1', port: 9101 });
    expect(parsePrinterAddress(' 192.168.1.50:9100 ')).toEqual({ host: '192.168.1.50', port: 9100 });
  });
});
