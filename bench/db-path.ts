// Queries per second through the functions' database path: `pg` pool -> PGlite socket, or -> PostgreSQL.
import { openDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { seedDemo } from '../seeds/demo';
import { createTestDatabase, type Backend } from '../test/create-database';
import { repeat } from './stats';

async function measure(backend: Backend, seconds: number, concurrency: number) {
  const tdb = await createTestDatabase(backend);
  const database = openDatabase(tdb.url, { max: concurrency });
  try {
    await migrateDatabase(database);
    await seedDemo(database, { itemsPerCompany: 2000, sharedBarcodes: 300, customers: 200 });
    const codes = (await database.pool.query('SELECT company_id, code FROM barcodes')).rows as { company_id: string; code: string }[];
    const lookup = `SELECT i.id, i.name, p.amount FROM barcodes b JOIN items i ON i.id = b.item_id
                    LEFT JOIN prices p ON p.item_id = i.id WHERE b.company_id = $1 AND b.code = $2`;
    const run = async () => {
      let n = 0;
      const end = Date.now() + seconds * 1000;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (Date.now() < end) {
            const c = codes[(n * 7919) % codes.length]!;
            await database.pool.query(lookup, [c.company_id, c.code]);
            n++;
          }
        }),
      );
      return n / seconds;
    };
    await run(); // warm-up
    const { median, results } = await repeat(3, run, (x) => x);
    return { backend, concurrency, qpsMedian: Math.round(median), runs: results.map(Math.round) };
  } finally {
    await database.close();
    await tdb.dispose();
  }
}

export async function benchDbPath() {
  const backends: Backend[] = ['pglite', 'postgres'];
  const out = [];
  for (const b of backends) out.push(await measure(b, 3, 4));
  return out;
}
