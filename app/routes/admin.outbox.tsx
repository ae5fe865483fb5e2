import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { outboxForm } from '../../services/forms/system';
import { PageLinks, cursorFrom } from '../components/PageLinks';
import { dismissRejected, listRejectedPage, retryRejected } from '../lib/services.server';
import { answerForm, form, FormRefusal } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextField } from '../admin/fields';
import type { FormAnswer } from '../admin/form-answer';
import { requireAdmin } from '../lib/admin-session.server';
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

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const database = getDatabase();
  const save = async (input: Record<string, unknown>) => {
    const data = outboxForm.parse(input);
    if (data.intent === 'dismiss') return (await dismissRejected(database, data.id, { by: admin.email, note: data.note }), 'Dismissed.');
    const outcome = await retryRejected(database, data.id, { by: admin.email, ...(data.note ? { note: data.note } : {}) });
    if (!outcome.ok) throw new FormRefusal(outcome.status === 'not-retryable' ? 409 : 422, `Retry failed: ${outcome.reason}`);
    return outcome.duplicate ? 'Already applied; marked as retried.' : 'Retried: the event was accepted.';
  };
  return answerForm(request, { retry: form(outboxForm, save), dismiss: form(outboxForm, save) });
}

/** A pending row's note and its buttons (retry only for what a register pushed); the answer shows under them. */
function RowForm({ id, canRetry }: { id: string; canRetry: boolean }) {
  const row = useAdminForm(outboxForm, { intent: 'dismiss', id: `outbox-${id}` });
  return (
    <>
      <SchemaForm of={row} intentOnButtons className="fields-inline">
        <input type="hidden" name="id" value={id} />
        <TextField meta={row.fields.note} label={<span className="sr-only">note</span>} placeholder="note" />
        {canRetry ? (
          <button type="submit" name="intent" value="retry">
            Retry
          </button>
        ) : null}
        <button type="submit" name="intent" value="dismiss">
          Dismiss
        </button>
      </SchemaForm>
      <FormMessage of={{ ...row, message: undefined }} />
    </>
  );
}

export default function Outbox() {
  const t = useLocalTime();
  const { rows, status, nextCursor } = useLoaderData<typeof loader>();
  // A row that was dismissed or retried leaves the list, so its success message shows above it.
  const done = useActionData<FormAnswer>()?.message;
  return (
    <div className="card">
      <h2>System → Outbox</h2>
      <p className="muted">
        Every event a register sent that the edge rejected, and every rejected API input. Showing {status === 'all' ? 'all' : 'pending'} ·{' '}
        <a href={status === 'all' ? '/admin/outbox' : '/admin/outbox?status=all'}>{status === 'all' ? 'pending only' : 'show all'}</a>
      </p>
      {done ? (
        <p className="badge ok" role="status">
          {done}
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
              <td>{r.status === 'pending' ? <RowForm id={r.id} canRetry={r.source === 'push'} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p>Nothing here.</p> : null}
      <PageLinks nextCursor={nextCursor} />
    </div>
  );
}
