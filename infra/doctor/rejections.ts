// Pushed events and requests the edge refused in the last day (the Outbox an admin works through).
import type { Database } from '../../db/client';
import type { CheckResult } from './check';

export async function checkRejections(database: Database): Promise<CheckResult> {
  const name = 'rejections';
  const r = (
    await database.pool.query(
      `SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'pending'))::int AS pending,
              (SELECT count(*)::int FROM rejected_events WHERE status = 'pending') AS pending_all
         FROM rejected_events WHERE created_at > now() - interval '24 hours'`,
    )
  ).rows[0] as { n: number; pending: number; pending_all: number };
  const older = r.pending_all - r.pending;
  const backlog = older > 0 ? `; ${older} older still pending` : '';
  if (r.n === 0) return { name, verdict: 'OK', detail: `no rejected events in the last 24 h${backlog}` };
  return {
    name,
    verdict: 'WARN',
    detail: `${r.n} rejected event${r.n === 1 ? '' : 's'} in the last 24 h (${r.pending} still pending)${backlog}`,
    fix: 'look at Admin → System → Outbox: each says why; retry or dismiss it there',
  };
}
