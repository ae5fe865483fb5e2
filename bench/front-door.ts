// What the https front door costs a request: the same small JSON answer fetched directly from the
// upstream (plain http on loopback: the floor) and through the door (TLS, forwarding), same run.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { startFrontDoor } from '../infra/front-door';
import { ensureEdgeCertificates } from '../infra/tls/store-certificates';
import { median } from './stats';

async function timeRequests(url: string, agent: Agent, n: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await request(url, { dispatcher: agent });
    await r.body.text();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return ms.sort((a, b) => a - b);
}

export async function benchFrontDoor(opts: { requests: number; runs: number }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'till-bench-door-'));
  const certs = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: [] });
  const body = JSON.stringify({ item: { id: 'x', price: 4929, barcodes: ['4000000000013'] } });
  const upstream = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const upPort = (upstream.address() as net.AddressInfo).port;
  const door = await startFrontDoor({
    host: '127.0.0.1',
    port: 0,
    key: certs.key,
    cert: certs.cert,
    upstream: { host: '127.0.0.1', port: upPort },
    publicHost: 'till-edge.test',
  });
  const plain = new Agent({ connections: 1 });
  const tls = new Agent({ connections: 1, connect: { ca: certs.caPem } });
  const direct: number[] = [];
  const through: number[] = [];
  try {
    await timeRequests(`http://127.0.0.1:${upPort}/x`, plain, 200);
    await timeRequests(`https://127.0.0.1:${door.port}/x`, tls, 200);
    for (let i = 0; i < opts.runs; i++) {
      direct.push(median(await timeRequests(`http://127.0.0.1:${upPort}/api/x`, plain, opts.requests)));
      through.push(median(await timeRequests(`https://127.0.0.1:${door.port}/api/x`, tls, opts.requests)));
    }
  } finally {
    await door.close();
    await plain.close();
    await tls.close();
    await new Promise((r) => upstream.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { requests: opts.requests, directMs: round(median(direct)), doorMs: round(median(through)), direct: direct.map(round), door: through.map(round) };
}

if (require.main === module) {
  void benchFrontDoor({ requests: 2000, runs: 3 }).then((r) => console.log(JSON.stringify(r)));
}
