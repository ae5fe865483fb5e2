// Clock agreement. Edge vs database: now() against this machine's clock, corrected by half the round
// trip. Registers: a pushed sale carries occurred_at from the register's clock and received_at from the
// database's; a sale queued offline arrives late, so only stamps *ahead* of their arrival prove a clock
// is wrong (a register running behind looks like one that was offline).
import type { Database } from '../../db/client';
import { formatAge, type CheckResult, type Verdict } from './check';

export const EDGE_DATABASE_SKEW_WARN_MS = 10_000;
export const REGISTER_AHEAD_WARN_MS = 5 * 60_000;
/** Sales per register looked at: its latest, from the last day. */
const RECENT_SALES = 20;

export async function checkClock(database: Database): Promise<CheckResult> {
  const name = 'clock';
  const t0 = Date.now();
  const dbNow = (await database.pool.query<{ now: Date }>('SELECT now() AS now')).rows[0]!.now.getTime();
  const t1 = Date.now();
  const skew = dbNow - (t0 + t1) / 2;
  const rtt = t1 - t0;

  const regs = (
    await database.pool.query(
      `SELECT g.code, count(*)::int AS n, (max(extract(epoch FROM s.occurred_at - s.received_at)) * 1000)::float8 AS ahead_ms
         FROM (SELECT register_id, occurred_at, received_at,
                      row_number() OVER (PARTITION BY register_id ORDER BY received_at DESC) AS k
                 FROM sales WHERE received_at > now() - interval '24 hours') s
         JOIN registers g ON g.id = s.register_id
        WHERE s.k <= $1
        GROUP BY g.code ORDER BY g.code`,
      [RECENT_SALES],
    )
  ).rows as { code: string; n: number; ahead_ms: number }[];

  const problems: string[] = [];
  const fixes: string[] = [];
  let verdict: Verdict = 'OK';
  if (Math.abs(skew) - rtt / 2 > EDGE_DATABASE_SKEW_WARN_MS) {
    verdict = 'WARN';
    problems.push(`the database's clock is ${formatAge(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} this machine's`);
    fixes.push('turn on time sync on both machines (timedatectl set-ntp true): token expiry and worker liveness compare the two');
  }
  const ahead = regs.filter((x) => x.ahead_ms > REGISTER_AHEAD_WARN_MS);
  if (ahead.length) {
    verdict = 'WARN';
    problems.push(`${ahead.map((x) => `${x.code} stamps sales up to ${formatAge(x.ahead_ms)} in the future`).join(', ')}`);
    fixes.push(`set ${ahead.length > 1 ? 'those registers\u2019' : 'that register\u2019s'} clock to automatic time: its sales land on the wrong day and shift`);
  }
  const how =
    `edge vs database ${(skew / 1000).toFixed(1)} s (±${(rtt / 2000).toFixed(1)} s); ` +
    (regs.length
      ? `registers: ${regs.map((x) => `${x.code} ${x.ahead_ms >= 1000 ? `+${formatAge(x.ahead_ms)}` : 'not ahead'}`).join(', ')}`
      : 'no register sales in 24 h to compare') +
    ` (latest ${RECENT_SALES} sales per register in 24 h, occurred_at on the register vs received_at on the edge)`;
  if (verdict === 'OK') return { name, verdict, detail: how };
  return { name, verdict, detail: `${problems.join('; ')} — ${how}`, fix: fixes.join('; ') };
}
