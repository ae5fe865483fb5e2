// `npm run bench`: every benchmark, medians of several runs, written to bench/RESULTS.md.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchDbPath } from './db-path';
import { benchEdgeStart } from './edge-start';

process.env.TEST_DATABASE_URL ??= process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.LOG_LEVEL ??= 'WARN';

async function main() {
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}`;
  const sections: string[] = [`# Benchmarks\n\nMachine: ${machine}. Date: ${new Date().toISOString().slice(0, 10)}. Each figure is the median of 3 runs.\n`];

  if (want('db')) {
    const r = await benchDbPath();
    console.log(JSON.stringify({ bench: 'db-path', r }));
    sections.push(
      `## Database path (barcode lookup through \`pg\`, pool of 4, 3 s per run)\n\n| backend | queries/s (median) | runs |\n| --- | --- | --- |\n` +
        r.map((x) => `| ${x.backend} | ${x.qpsMedian} | ${x.runs.join(', ')} |`).join('\n') + '\n',
    );
  }
  if (want('start')) {
    const r = await benchEdgeStart(3);
    console.log(JSON.stringify({ bench: 'edge-start', r }));
    sections.push(
      `## Edge start (launch to "edge ready", PGlite)\n\n| case | median ms | runs |\n| --- | --- | --- |\n` +
        `| cold (initdb, migrate, demo data, functions) | ${r.coldMsMedian} | ${r.cold.join(', ')} |\n| warm (restart) | ${r.warmMsMedian} | ${r.warm.join(', ')} |\n`,
    );
  }
  for (const extra of await loadExtras(want)) sections.push(extra);
  writeFileSync(path.join(__dirname, 'RESULTS.md'), sections.join('\n'));
}

/** Benchmarks that live with their feature register here. */
async function loadExtras(_want: (name: string) => boolean): Promise<string[]> {
  return [];
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
