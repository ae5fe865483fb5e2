import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptDocument } from '../receipts/receipt-document';
import { renderEscPos } from '../receipts/render-node';
import { sampleReceipt } from '../receipts/sample-receipt';
import { closedPort, startFakePrinter } from '../receipts/test-printer';
import { seedDemo } from '../seeds/demo';
import { issuePairingCode, pairRegister } from '../services/device-auth';
import { backends, useMigratedDatabase } from '../test/databases';
import { handler } from './print';

function event(body: unknown, token?: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /api/print',
    rawPath: '/api/print',
    rawQueryString: '',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { requestId: 'print-test', http: { method: 'POST', path: '/api/print' } } as never,
  };
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe.each(backends)('POST /api/print on %s', (backend) => {
  const t = useMigratedDatabase(backend);
  let token: string;
  let printer: Awaited<ReturnType<typeof startFakePrinter>>;

  const setPrinter = (address: string) => t.database.pool.query(`UPDATE store_settings SET printer_address = $1`, [address]);

  beforeAll(async () => {
    process.env.DATABASE_URL = t.url;
    await seedDemo(t.database, { itemsPerCompany: 5, sharedBarcodes: 2, customers: 3 });
    const registerId = (await t.database.pool.query(`SELECT id FROM registers WHERE code = 'R01'`)).rows[0].id as string;
    const { code } = await issuePairingCode(t.database, registerId);
    ({ token } = await pairRegister(t.database, { pairingCode: code, appVersion: 'test' }));
    printer = await startFakePrinter();
  });
  afterAll(async () => {
    await printer?.close();
  });

  it('renders the receipt as ESC/POS on the edge and sends exactly those bytes to the store printer', async () => {
    await setPrinter(printer.address);
    const before = printer.jobs.length;
    const receipt = sampleReceipt();
    const r = await handler(event({ receipt }, token));
    expect(r.statusCode).toBe(200);
    const body = JSON.parse(r.body as string);
    expect(body).toMatchObject({ printed: true, kind: 'receipt', receiptNumber: 'U-R01-000123', printer: printer.address });
    await printer.waitForJobs(before + 1);
    const job = new Uint8Array(printer.jobs[before]!);
    expect(job).toEqual(renderEscPos(receiptDocument(receipt)));
    expect(body.bytes).toBe(job.length);
    expect(Array.from(job.slice(0, 2))).toEqual([0x1b, 0x40]);
    expect(latin1(job)).toContain('U-R01-000123');
    expect(latin1(job)).toContain('\x1dVB\x00');
  });

  it('uses the store footer when the receipt has none', async () => {
    await setPrinter(printer.address);
    const before = printer.jobs.length;
    const r = await handler(event({ receipt: sampleReceipt({ footer: '' }) }, token));
    expect(r.statusCode).toBe(200);
    await printer.waitForJobs(before + 1);
    expect(latin1(printer.jobs[before]!)).toContain('Thank you!');
  });

  it('prints a test receipt for the calling register', async () => {
    await setPrinter(printer.address);
    const before = printer.jobs.length;
    const r = await handler(event({ test: true }, token));
    expect(r.statusCode).toBe(200);
    expect(JSON.parse(r.body as string)).toMatchObject({ printed: true, kind: 'test', receiptNumber: null });
    await printer.waitForJobs(before + 1);
    const text = latin1(printer.jobs[before]!);
    expect(text).toContain('Till Demo Store');
    expect(text).toContain('TEST RECEIPT');
    expect(text).toContain('R01 Front counter');
    expect(text).toContain('TEST-R01');
  });

  it('answers 409 with a clear message when the store has no printer address', async () => {
    await setPrinter('');
    const r = await handler(event({ test: true }, token));
    expect(r.statusCode).toBe(409);
    const body = JSON.parse(r.body as string);
    expect(body.error).toBe('no_printer');
    expect(body.issues[0]).toMatchObject({ path: 'store_settings.printer_address' });
    expect(body.issues[0].message).toMatch(/No receipt printer is configured/);
  });

  it('answers 502 when the printer is unreachable', async () => {
    const port = await closedPort();
    await setPrinter(`127.0.0.1:${port}`);
    const r = await handler(event({ receipt: sampleReceipt() }, token));
    expect(r.statusCode).toBe(502);
    const body = JSON.parse(r.body as string);
    expect(body.error).toBe('printer_unreachable');
    expect(body.issues[0].message).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} refused the connection`));
  });

  it('requires a device token', async () => {
    await setPrinter(printer.address);
    const before = printer.jobs.length;
    const r = await handler(event({ test: true }));
    expect(r.statusCode).toBe(401);
    expect(JSON.parse(r.body as string).error).toBe('unauthorized');
    const forged = await handler(event({ test: true }, 'abc.def.ghi'));
    expect(forged.statusCode).toBe(401);
    expect(printer.jobs.length).toBe(before);
  });

  it('rejects malformed receipts with the field named', async () => {
    const bad = sampleReceipt({ currencyExponent: 2, totals: { subtotal: 1.5, discountTotal: 0, net: 1, tax: 0, total: 1 } });
    const r = await handler(event({ receipt: bad }, token));
    expect(r.statusCode).toBe(400);
    const body = JSON.parse(r.body as string);
    expect(body.issues.map((i: { path: string }) => i.path)).toContain('body.receipt.totals.subtotal');
    const neither = await handler(event({ test: false }, token));
    expect(neither.statusCode).toBe(400);
  });
});
