import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { listAudit } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Audit · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const before = Number(url.searchParams.get('before'));
  const entity = url.searchParams.get('entity') ?? '';
  const page = await listAudit(getDatabase(), {
    limit: 50,
    beforeId: Number.isSafeInteger(before) && before > 0 ? before : undefined,
    entity: /^[a-z_]{1,40}$/.test(entity) ? entity : undefined,
  });
  return json({ ...page, entity });
}

const wrap = { wordBreak: 'break-all', fontSize: 13 } as const;

function Payload({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  const line = JSON.stringify(value);
  if (line.length <= 60) return <code style={wrap}>{line}</code>;
  return (
    <details>
      <summary>
        <code style={wrap}>{line.slice(0, 48)}…</code>
      </summary>
      <pre style={{ maxWidth: 300, whiteSpace: 'pre-wrap', ...wrap }}>{JSON.stringify(value, null, 1)}</pre>
    </details>
  );
}

export default function Audit() {
  const t = useLocalTime();
  const { entries, nextBeforeId, entity } = useLoaderData<typeof loader>();
  return (
    <div className="card">
      <h2>Audit log</h2>
      <p className="muted">
        Who changed what, newest first. PINs, password and pairing hashes are shown as [redacted].
        {entity ? (
          <>
            {' '}
            Showing {entity} only · <Link to="/admin/audit">all</Link>
          </>
        ) : null}
      </p>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Entity</th>
            <th>Before</th>
            <th>After</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td style={{ whiteSpace: 'nowrap' }}>{t(e.createdAt)}</td>
              <td>
                {e.actorId}
                <div className="muted">{e.actorType}</div>
              </td>
              <td>{e.action}</td>
              <td>
                <Link to={`/admin/audit?entity=${e.entity}`}>{e.entity}</Link>
                {e.entityId ? (
                  <div className="muted" style={{ fontSize: 12 }}>
                    {e.entityId}
                  </div>
                ) : null}
              </td>
              <td style={{ maxWidth: 300 }}>
                <Payload value={e.before} />
              </td>
              <td style={{ maxWidth: 300 }}>
                <Payload value={e.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 ? <p>No entries.</p> : null}
      {nextBeforeId ? (
        <p>
          <Link to={`/admin/audit?before=${nextBeforeId}${entity ? `&entity=${entity}` : ''}`}>Older entries →</Link>
        </p>
      ) : null}
    </div>
  );
}
