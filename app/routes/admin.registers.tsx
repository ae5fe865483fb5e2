import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import * as z from 'zod';
import { issuePairingCode, readStoreCa, revokeDevices } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Registers · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const r = await getDatabase().pool.query(`
    SELECT g.id AS register_id, g.code AS register_code, g.name, d.id, c.name AS company, d.code, d.status,
           d.last_seen_at, d.app_version, d.queue_depth, d.paired_at, d.paired_origin
      FROM registers g JOIN devices d ON d.register_id = g.id JOIN companies c ON c.id = d.company_id
     ORDER BY g.code, c.name`);
  return json({ rows: r.rows as Record<string, string | number | null>[], caFingerprint: readStoreCa()?.fingerprint ?? null });
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('pair'), registerId: z.string().uuid() }),
  z.object({ intent: z.literal('revoke'), registerId: z.string().uuid() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 400 });
  const database = getDatabase();
  if (parsed.data.intent === 'pair') {
    const { code, expiresAt } = await issuePairingCode(database, parsed.data.registerId, { actor: admin.email });
    return json({ registerId: parsed.data.registerId, code, expiresAt: expiresAt.toISOString() });
  }
  const n = await revokeDevices(database, parsed.data.registerId, { actor: admin.email });
  return json({ registerId: parsed.data.registerId, revoked: n });
}

export default function Registers() {
  const t = useLocalTime();
  const { rows, caFingerprint } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const registers = [...new Set(rows.map((r) => r.register_id as string))];
  return (
    <div className="card">
      <h2>Registers</h2>
      {caFingerprint ? (
        <p className="muted">
          Registers trust the store certificate (install it once from <a href="/setup">/setup</a>), SHA-256{' '}
          <code data-testid="ca-fingerprint" style={{ wordBreak: 'break-all' }}>
            {caFingerprint}
          </code>
          . A register keeps its queue under the address it paired from: always open the POS there.
        </p>
      ) : null}
      {result && 'error' in result ? <p className="error">{result.error}</p> : null}
      {result && 'code' in result ? (
        <p role="status">
          Pairing code: <strong style={{ fontSize: 22, letterSpacing: 2 }}>{result.code}</strong>{' '}
          <span className="muted">valid until {t(result.expiresAt, { seconds: true })}; enter it on the register&apos;s POS screen.</span>
        </p>
      ) : null}
      {registers.map((id) => {
        const devices = rows.filter((r) => r.register_id === id);
        return (
          <section key={id} style={{ marginBottom: '1rem' }}>
            <h3>
              {devices[0]!.register_code} · {devices[0]!.name}
            </h3>
            <table>
              <thead>
                <tr>
                  <th>Company</th>
                  <th>Device code</th>
                  <th>Status</th>
                  <th>Last seen</th>
                  <th>App version</th>
                  <th>Paired from</th>
                  <th className="num">Queued events</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((d) => (
                  <tr key={d.id as string}>
                    <td>{d.company}</td>
                    <td>{d.code}</td>
                    <td>
                      <span className={`badge ${d.status === 'active' ? 'ok' : d.status === 'revoked' ? 'off' : 'warn'}`}>{d.status}</span>
                    </td>
                    <td>{d.last_seen_at ? t(d.last_seen_at as string) : 'never'}</td>
                    <td>{d.app_version ?? '—'}</td>
                    <td>{d.paired_origin ?? '—'}</td>
                    <td className="num">{d.queue_depth}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <AdminForm method="post" style={{ display: 'inline-block', marginTop: 8 }}>
              <input type="hidden" name="registerId" value={id} />
              <button type="submit" name="intent" value="pair" className="primary">
                Show pairing code
              </button>{' '}
              <button type="submit" name="intent" value="revoke">
                Revoke
              </button>
            </AdminForm>
          </section>
        );
      })}
    </div>
  );
}
