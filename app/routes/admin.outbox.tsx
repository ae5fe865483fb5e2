import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { PageLinks, cursorFrom } from '../components/PageLinks';
import { dismissRejected, listRejectedPage, retryRejected } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Outbox · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const status = new URL(request.url).searchParams.get('status') === 'all' ? 'all' : 'pending';
  const database = getDatabase();
  // A stale or hand-edited page link shows the first page.
  const page = await listRejectedPage(database, { status, cursor: cursorFrom(request) }).catch(() => listRejectedPage(database, { status }));
  return json({ status, ...page });
}

const actionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('dismiss'), id: z.string().uuid(), note: z.string().trim().min(3, 'say why (3+ characters)').max(500) }),
  z.object({ intent: z.literal('retry'), id: z.string().uuid(), note: z.string().trim().max(500).optional() }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }, { status: 400 });
  if (parsed.data.intent === 'retry') {
    const note = parsed.data.note || undefined;
    const outcome = await retryRejected(getDatabase(), parsed.data.id, { by: admin.email, ...(note ? { note } : {}) });
    if (outcome.ok) return json({ ok: true, message: outcome.duplicate ? 'Already applied; marked as retried.' : 'Retried: the event was accepted.' });
    return json({ error: `Retry failed: ${outcome.reason}` }, { status: outcome.status === 'not-retryable' ? 409 : 422 });
  }
  await dismissRejected(getDatabase(), parsed.data.id, { by: admin.email, note: parsed.data.note });
  return json({ ok: true, message: 'Dismissed.' });
}

export default function Outbox() {
  const t = useLocalTime();
  const { rows, status, nextCursor } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="card">
      <h2>System → Outbox</h2>
      <p className="muted">
        Every event a register sent that the edge rejected, and every rejected API input. Showing {status === 'all' ? 'all' : 'pending'} ·{' '}
        <a href={status === 'all' ? '/admin/outbox' : '/admin/outbox?status=all'}>{status === 'all' ? 'pending only' : 'show all'}</a>
      </p>
      {result && 'error' in result ? (
        <p className="error" role="alert">
          {result.error}
        </p>
      ) : null}
      {result && 'message' in result ? (
        <p className="badge ok" role="status">
          {result.message}
        </p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Source</th>
            <th>Type</th>
            <th>Device</th>
            <th>Reason</th>
            <th>Payload</th>
            <th>Status</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{t(r.createdAt)}</td>
              <td>{r.source}</td>
              <td>{r.type}</td>
              <td>{r.deviceCode ?? '—'}</td>
              <td>
                {r.reason}
                {r.field ? <div className="muted">field: {r.field}</div> : null}
              </td>
              <td>
                <details>
                  <summary>view</summary>
                  <pre style={{ maxWidth: 420, overflow: 'auto' }}>{JSON.stringify(r.payload, null, 2)}</pre>
                </details>
              </td>
              <td>
                {r.status}
                {r.note ? (
                  <div className="muted">
                    {r.resolvedBy}: {r.note}
                  </div>
                ) : null}
              </td>
              <td>
                {r.status === 'pending' ? (
                  <AdminForm method="post">
                    <input type="hidden" name="id" value={r.id} />
                    <input name="note" placeholder="note" aria-label="note" />{' '}
                    {r.source === 'push' ? (
                      <>
                        <button type="submit" name="intent" value="retry">
                          Retry
                        </button>{' '}
                      </>
                    ) : null}
                    <button type="submit" name="intent" value="dismiss">
                      Dismiss
                    </button>
                  </AdminForm>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p>Nothing here.</p> : null}
      <PageLinks nextCursor={nextCursor} />
    </div>
  );
}
