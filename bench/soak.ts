// The soak's long form: 10 registers (each a process with its PGlite, live shapes and pusher)
// against one edge for 10 minutes while a price changes every second (test/soak/run-soak.ts; the
// short form runs in `npm test`). `npm run bench -- soak` (SOAK_REGISTERS, SOAK_MS, SOAK_BACKEND,
// SOAK_CATALOG_ITEMS: items per company, default 200; 0 for the edge's full demo catalog).
import type { Backend } from '../test/create-database';
import { runSoak, summarize } from '../test/soak/run-soak';

export async function benchSoak(opts: { backend: Backend; registers: number; durationMs: number; catalogItems?: number }) {
  const r = await runSoak({ ...opts, log: (l) => console.log(`soak: ${l}`) });
  const s = summarize(r);
  const problems = [
    ...s.bad,
    ...r.registers.flatMap((x) => x.notAccepted.map((n) => `${x.code} not accepted: ${n.event_id} ${n.reason ?? ''}`)),
    ...r.bookedTwice.map((id) => `booked twice: ${id}`),
    ...r.neverBooked.map((id) => `never booked: ${id}`),
    ...(r.latencies.length === r.priceChanges * r.registers.length ? [] : [`${r.latencies.length} of ${r.priceChanges * r.registers.length} changes arrived`]),
  ];
  return { ...s, problems };
}

export function soakSection(s: Awaited<ReturnType<typeof benchSoak>>): string {
  const pair = (x: { first: number; last: number }) => `${x.first} → ${x.last}`;
  return (
    [
      `## Soak (${s.registers} registers, each its own process, against one edge on ${s.backend} for ${s.durationS} s; a price change every second, a sale per register every 1.5–4.5 s)`,
      '',
      `One run. Edge start ${s.setupMs.edge} ms, pairing ${s.setupMs.pairing} ms, every register's first sync ${s.setupMs.initialSync} ms. "first → last" are the maxima of the first and the last minute. \`npm run bench -- soak\` (SOAK_REGISTERS, SOAK_MS, SOAK_BACKEND).`,
      '',
      '| figure | value |',
      '| --- | --- |',
      `| sales pushed / booked exactly once | ${s.salesPushed} / ${s.problems.some((p) => p.startsWith('booked') || p.startsWith('never')) ? 'NO' : s.salesPushed} |`,
      `| price changes (each reached every register) | ${s.priceChanges} (${s.changeLatencyMs.n} arrivals) |`,
      `| change latency, edge commit → register table (ms) p50 / p95 / max | ${s.changeLatencyMs.p50} / ${s.changeLatencyMs.p95} / ${s.changeLatencyMs.max} |`,
      `| 401 / 5xx answers | ${s.bad.length} |`,
      `| 503 during the first sync (every register at once) | ${s.badBeforeRun.length} |`,
      `| network errors the pushers retried | ${s.networkErrors.length} |`,
      `| other problems | ${s.problems.length - s.bad.length === 0 ? 'none' : s.problems.slice(0, 5).join('; ')} |`,
      `| edge database connections | ${pair(s.connections)} |`,
      `| edge launcher RSS (MB) | ${pair(s.launcherRssMb)} |`,
      `| function server RSS (MB) | ${pair(s.functionsRssMb)} |`,
      `| function server threads (its workers among them) | ${pair(s.functionThreads)} |`,
      `| driver event-loop delay p99 / max (ms) | ${s.driverLagMs.p99} / ${s.driverLagMs.max} |`,
      `| worst register's event-loop delay p99 / max (ms) | ${s.registerLagMs.p99Max} / ${s.registerLagMs.max} |`,
      `| register process RSS, largest (MB) | ${s.registerRssMb} |`,
    ].join('\n') + '\n'
  );
}
