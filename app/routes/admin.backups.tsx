import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData, useRevalidator } from '@remix-run/react';
import { useEffect } from 'react';
import { backupForm } from '../../services/forms/system';
import { backupOverdue, lastRestore, listBackups, requestBackup } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { useLocalTime } from '../components/LocalTime';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Backups · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireAdmin(request);
  const database = getDatabase();
  return json({
    rows: await listBackups(database, 30),
    overdue: await backupOverdue(database),
    restore: (await lastRestore(database)) ?? null,
    canRun: session.role === 'admin',
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  return answerForm(request, {
    backup: form(backupForm, async () => {
      const { queued } = await requestBackup(getDatabase(), { kind: 'manual', by: admin.email });
      return queued ? 'Backup requested: the edge takes it within a few seconds.' : 'A backup is already under way.';
    }),
  });
}

const size = (b: number | null) => (b === null ? '—' : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.ceil(b / 1e3)} kB`);
const RESULT: Record<string, string> = { ok: 'ok', failed: 'off', requested: 'warn', running: 'warn' };

export default function Backups() {
  const { rows, overdue, restore, canRun } = useLoaderData<typeof loader>();
  const t = useLocalTime();
  const when = (s: string | null) => (s ? t(s) : '—');
  const backup = useAdminForm(backupForm, { intent: 'backup' });
  const revalidator = useRevalidator();
  const pending = rows.some((r) => r.result === 'requested' || r.result === 'running');
  // Follow a backup in progress until it ends.
  useEffect(() => {
    if (!pending) return;
    const t = setInterval(() => revalidator.state === 'idle' && revalidator.revalidate(), 2000);
    return () => clearInterval(t);
  }, [pending, revalidator]);
  const last = rows.find((r) => r.result === 'ok');
  return (
    <div className="card">
      <h2>Backups</h2>
      <p>
        {last ? (
          <>
            Last good backup: <strong>{when(last.finishedAt)}</strong>{' '}
          </>
        ) : (
          <strong>No backup has been taken yet. </strong>
        )}
        {overdue ? (
          <span className="badge off" data-testid="backup-overdue">
            {last ? 'older than a day' : 'none yet'}
          </span>
        ) : (
          <span className="badge ok">current</span>
        )}
      </p>
      <p className="muted">
        The edge backs up daily on its own and keeps the newest BACKUP_KEEP files in BACKUP_DIR, each with a .sha256 file. A backup holds the store CA&apos;s
        private key and every secret of the database: keep it as private as the edge itself. Restore with <code>npm run restore -- &lt;file&gt;</code> into an
        empty data folder (README, &quot;Operating the edge&quot;).
      </p>
      {restore ? (
        <p className="badge warn" role="note" data-testid="last-restore">
          Restored {when(restore.at)} from the backup taken {when(String(restore.detail.backupTakenAt))}: sales after that were missing until registers pushed
          them again.
        </p>
      ) : null}
      <FormMessage of={backup} />
      {canRun ? (
        <SchemaForm of={backup}>
          <button type="submit" disabled={pending}>
            {pending ? 'Backing up…' : 'Back up now'}
          </button>
        </SchemaForm>
      ) : (
        <p className="muted">Only an admin may start a backup.</p>
      )}
      <table>
        <thead>
          <tr>
            <th>Requested</th>
            <th>Kind</th>
            <th>By</th>
            <th>Finished</th>
            <th>Result</th>
            <th className="num">Size</th>
            <th>File</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{when(r.requestedAt)}</td>
              <td>{r.kind}</td>
              <td>{r.requestedBy ?? '—'}</td>
              <td>{when(r.finishedAt)}</td>
              <td>
                <span className={`badge ${RESULT[r.result]}`}>{r.result}</span>
                {r.error ? <div className="muted">{r.error}</div> : null}
              </td>
              <td className="num">{size(r.bytes)}</td>
              <td>
                {r.file ? <code style={{ wordBreak: 'break-all' }}>{r.file}</code> : '—'}
                {r.sha256 ? <div className="muted">sha256 {r.sha256.slice(0, 16)}…</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
