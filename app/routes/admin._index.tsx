import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { shellVerdict } from '../../core/app-version';
import { listCompanies, runningAppVersion, storeHealth, storeNeedsSetup } from '../lib/services.server';
import { useLocalTime } from '../components/LocalTime';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const counts = (
    await database.pool.query(`SELECT c.id,
        (SELECT count(*)::int FROM items i WHERE i.company_id = c.id) AS items,
        (SELECT count(*)::int FROM sales s WHERE s.company_id = c.id) AS sales,
        (SELECT count(*)::int FROM adjustment_queue a WHERE a.company_id = c.id AND a.status = 'open') AS flagged
      FROM companies c`)
  ).rows as { id: string; items: number; sales: number; flagged: number }[];
  const companies = await listCompanies(database);
  return json({
    companies: companies.map((c) => ({ ...c, ...counts.find((x) => x.id === c.id) })),
    health: await storeHealth(database),
    needsSetup: await storeNeedsSetup(database),
    edgeVersion: runningAppVersion(),
    now: new Date().toISOString(),
  });
}

const ago = (s: string | null, now: string) => {
  if (!s) return 'never';
  const min = Math.round((Date.parse(now) - Date.parse(s)) / 60_000);
  return min < 1 ? 'just now' : min < 120 ? `${min} min ago` : min < 2880 ? `${Math.round(min / 60)} h ago` : `${Math.round(min / 1440)} days ago`;
};
const days = (s: string | null, now: string) => (s ? Math.floor((Date.parse(s) - Date.parse(now)) / 86_400_000) : null);
const CERT_BADGE = { ok: 'ok', expiring: 'warn', expired: 'off', missing: 'warn' } as const;

export default function Overview() {
  const { companies, health, now, needsSetup, edgeVersion } = useLoaderData<typeof loader>();
  const t = useLocalTime();
  const when = (s: string | null) => (s ? t(s) : '—');
  const { backup } = health;
  return (
    <>
      {needsSetup ? (
        <p role="status" className="badge warn">
          The store has no company yet: <Link to="/admin/setup">set up the store</Link> (store, companies, warehouses, a register, a cashier).
        </p>
      ) : null}
      <div className="card" data-testid="store-health">
        <h2>Store health</h2>
        <table>
          <tbody>
            <tr>
              <th>Last backup</th>
              <td>
                {backup.last ? (
                  <>
                    {when(backup.last.finishedAt)} ({ago(backup.last.finishedAt, now)})
                  </>
                ) : (
                  'never'
                )}{' '}
                <span className={`badge ${backup.overdue ? 'off' : 'ok'}`}>{backup.overdue ? (backup.last ? 'overdue' : 'none yet') : 'ok'}</span>
                {backup.lastAttempt?.result === 'failed' ? <div className="error">last attempt failed: {backup.lastAttempt.error}</div> : null}
              </td>
              <td>
                <Link to="/admin/backups">Backups →</Link>
              </td>
            </tr>
            {health.certificates.map((c) => (
              <tr key={c.name}>
                <th>{c.name === 'server' ? 'Server certificate' : 'Store CA'}</th>
                <td>
                  {c.notAfter ? (
                    <>
                      expires {when(c.notAfter)} ({days(c.notAfter, now)} days)
                    </>
                  ) : (
                    'not found in the TLS folder'
                  )}{' '}
                  <span className={`badge ${CERT_BADGE[c.state]}`}>{c.state}</span>
                </td>
                <td className="muted">
                  {c.name === 'server'
                    ? 'renewed by the edge on its own; restart it to renew now'
                    : 'a new CA means installing it on every register again (Registers → /setup)'}
                </td>
              </tr>
            ))}
            <tr>
              <th>Outbox</th>
              <td>
                {health.outboxPending} rejected event(s) waiting{' '}
                {health.outboxPending > 0 ? <span className="badge off">to do</span> : <span className="badge ok">clear</span>}
              </td>
              <td>
                <Link to="/admin/outbox">System → Outbox →</Link>
              </td>
            </tr>
            <tr>
              <th>Adjustments</th>
              <td>
                {health.adjustmentsOpen} open{' '}
                {health.adjustmentsOpen > 0 ? <span className="badge warn">to review</span> : <span className="badge ok">clear</span>}
              </td>
              <td>
                <Link to="/admin/adjustments">Adjustments →</Link>
              </td>
            </tr>
          </tbody>
        </table>
      </div>

      <div className="card">
        <h2>Registers</h2>
        <table data-testid="register-health">
          <thead>
            <tr>
              <th>Register</th>
              <th>Series</th>
              <th>Status</th>
              <th>Last seen</th>
              <th className="num">Queued sales</th>
              <th>App version</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {health.registers.map((r) => (
              <tr key={r.id}>
                <td>
                  {r.code} <span className="muted">{r.name}</span>
                </td>
                <td>{r.deviceCodes.join(', ')}</td>
                <td>
                  {r.status !== 'active' ? (
                    <span className="badge warn">{r.status}</span>
                  ) : r.offlineSince !== null || !r.lastSeenAt ? (
                    <span className="badge off">offline since {r.lastSeenAt ? when(r.lastSeenAt) : 'pairing'}</span>
                  ) : (
                    <span className="badge ok">online</span>
                  )}
                </td>
                <td>{ago(r.lastSeenAt, now)}</td>
                <td className="num">{r.queueDepth > 0 ? <span className="badge warn">{r.queueDepth}</span> : 0}</td>
                <td data-testid={`app-version-${r.code}`}>
                  {r.appVersion ?? '—'}
                  {r.appVersion ? <VersionNote register={r.appVersion} edge={edgeVersion} /> : null}
                </td>
                <td>
                  <Link to="/admin/registers">{r.status === 'active' ? 'Registers →' : 'Pair →'}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          Queued sales are what a register reported holding at its last call; an offline register with a queue keeps selling and pushes when it is back. This
          edge runs app version <strong data-testid="edge-version">{edgeVersion}</strong>: a register behind it updates itself between sales.
        </p>
      </div>

      <div className="card">
        <h2>Companies</h2>
        <table>
          <thead>
            <tr>
              <th>Company</th>
              <th>Code</th>
              <th className="num">Sales today</th>
              <th className="num">Takings today</th>
              <th className="num">Items</th>
              <th className="num">Sales</th>
              <th className="num">Flagged invoices</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {companies.map((c) => {
              const today = health.salesToday.find((s) => s.companyId === c.id);
              return (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.code}</td>
                  <td className="num">
                    <Link to="/admin/sales">{today?.count ?? 0}</Link>
                  </td>
                  <td className="num">{today ? `${formatMoney(today.total, { exponent: today.exponent })} ${today.currency}` : '—'}</td>
                  <td className="num">{c.items}</td>
                  <td className="num">{c.sales}</td>
                  <td className="num">{c.flagged}</td>
                  <td>{c.isDefault ? <span className="badge ok">default invoice company</span> : null}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Where a register's app stands against this edge's: behind updates between sales; ahead means the edge was rolled back. */
function VersionNote({ register, edge }: { register: string; edge: string }) {
  const v = shellVerdict(register, edge);
  if (v === 'edge-newer')
    return (
      <span className="badge warn" style={{ marginLeft: 6 }}>
        updates at its next idle moment
      </span>
    );
  if (v === 'edge-older')
    return (
      <span className="badge warn" style={{ marginLeft: 6 }}>
        newer than this edge
      </span>
    );
  return null;
}
