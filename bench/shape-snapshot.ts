// `tsx bench/shape-snapshot.ts`: the shape service's snapshot cost on the demo catalog.
// 1. ms per ~1 MB items chunk (read + JSON encoding, in process, no HTTP);
// 2. bytes on the wire for the whole catalog snapshot (items, barcodes, prices, tax_rates)
//    through the service, uncompressed vs gzip vs brotli.
// Runs on PGlite and, with TEST_DATABASE_URL (or BENCH_DATABASE_URL), on PostgreSQL.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemo } from '../seeds/demo';
import { authenticateDevice, issuePairingCode, pairRegister } from '../services/device-auth';
import { handleShapeRequest } from '../sync/shape-server';
import { createShapeService } from '../sync/shape-service';
import { createTestDatabase, type Backend } from '../test/create-database';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL;
process.env.LOG_LEVEL ??= 'WARN';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Body bytes as received (still compressed) for every chunk of one shape's snapshot. */
async function wireBytes(base: string, token: string, table: string, encoding: string): Promise<number> {
  let offset = '-1';
  let handle = '';
  let total = 0;
  for (;;) {
    const qs = new URLSearchParams({ table, offset, log: 'full', ...(handle ? { handle } : {}) });
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(`${base}/v1/shape?${qs}`, { headers: { authorization: `Bearer ${token}`, 'accept-encoding': encoding } }, resolve).on('error', reject),
    );
    for await (const chunk of res) total += (chunk as Buffer).length;
    handle = String(res.headers['electric-handle']);
    offset = String(res.headers['electric-offset']);
    if (offset === '0_inf') return total;
  }
}

async function run(backend: Backend) {
  const test = await createTestDatabase(backend);
  const database = openDatabase(test.url, { max: 4, applicationName: 'till-bench' });
  try {
    await migrateDatabase(database);
    await seedDemo(database);
    const registerId = (await database.pool.query(`SELECT id FROM registers LIMIT 1`)).rows[0].id;
    const { code } = await issuePairingCode(database, registerId);
    const { token, identity } = await pairRegister(database, { pairingCode: code, appVersion: 'bench' });
    const scope = { companyIds: identity.companyIds, registerId, deviceIds: identity.devices.map((d) => d.id) };

    const chunk: number[] = [];
    let chunkBytes = 0;
    for (let i = 0; i < 22; i++) {
      const t0 = process.hrtime.bigint();
      const r = await handleShapeRequest(database, { method: 'GET', query: { table: 'items', offset: '-1', log: 'full' } }, scope, {
        chunkBytes: 1_000_000,
      });
      if (i >= 2) chunk.push(Number(process.hrtime.bigint() - t0) / 1e6);
      chunkBytes = r.body.length;
    }

    const service = createShapeService({ database, authenticate: (h) => authenticateDevice(database, h) });
    const server = http.createServer((req, res) => void service.handle(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bytes: Record<string, number> = {};
    for (const encoding of ['identity', 'gzip', 'br']) {
      let sum = 0;
      for (const table of ['items', 'barcodes', 'prices', 'tax_rates']) sum += await wireBytes(base, token, table, encoding);
      bytes[encoding] = sum;
    }
    await service.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    return {
      backend,
      chunkBytes,
      msPerChunk: Math.round(median(chunk) * 10) / 10,
      catalogSnapshotWireBytes: bytes,
    };
  } finally {
    await database.close();
    await test.dispose();
  }
}

async function main() {
  const backends: Backend[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const b of backends) console.log(JSON.stringify(await run(b)));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
