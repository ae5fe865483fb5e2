// Per active register: its queue of unsent sales and when it last called the edge (what it reported
// with its last request). A register that holds a queue and has gone quiet is where sales are waiting.
import type { Database } from '../../db/client';
import { formatAge, type CheckResult } from './check';

export const SILENT_WITH_QUEUE_MS = 15 * 60_000;

export async function checkRegisters(database: Database, opts: { publicUrl: string }): Promise<CheckResult> {
  const name = 'registers';
  // Ages against the database's clock, which stamped last_seen_at; queue as /metrics reports it.
  const r = await database.pool.query(`
    SELECT g.code, max(d.queue_depth)::int AS queue,
           (extract(epoch FROM now() - max(d.last_seen_at)) * 1000)::float8 AS silent_ms
      FROM registers g JOIN devices d ON d.register_id = g.id
     WHERE d.status = 'active'
     GROUP BY g.code ORDER BY g.code`);
  const rows = r.rows as { code: string; queue: number; silent_ms: number | null }[];
  if (!rows.length) return { name, verdict: 'OK', detail: 'no paired registers' };
  const describe = (x: (typeof rows)[number]) => `${x.code} queue ${x.queue}, ${x.silent_ms === null ? 'never seen' : `seen ${formatAge(x.silent_ms)} ago`}`;
  const stuck = rows.filter((x) => x.queue > 0 && (x.silent_ms === null || x.silent_ms > SILENT_WITH_QUEUE_MS));
  const detail = `${rows.length} active: ${rows.map(describe).join('; ')}`;
  if (!stuck.length) return { name, verdict: 'OK', detail };
  return {
    name,
    verdict: 'WARN',
    detail: `${stuck.map((x) => x.code).join(', ')} silent for more than 15 min with sales queued (${detail})`,
    fix: `turn ${stuck.length > 1 ? 'those registers' : 'that register'} on and open the POS at the address it paired from (${opts.publicUrl}/pos, Admin → Registers shows it): the queued sales exist only there until it reconnects`,
  };
}
