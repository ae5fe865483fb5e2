import { formatClock } from '../../core/local-time';
import type { Register, RegisterStatus } from './register.client';
import { shellUpdateNote } from './shell-update';
import { useRegisterStatus } from './use-register-status';

/** The status bar kept current by the register's events: a status change re-renders the bar, not the screen around it. */
export function LiveStatusBar({ register, timeZone }: { register: Register; timeZone?: string | null }) {
  const status = useRegisterStatus(register);
  return status ? <StatusBar status={status} timeZone={timeZone} onReconnect={() => void register.reconnect()} /> : null;
}

/** Per-company badges, queued events, Reconnect: what a cashier and an on-call engineer look at first. */
export function StatusBar({ status, onReconnect, timeZone }: { status: RegisterStatus; onReconnect: () => void; timeZone?: string | null }) {
  const time = (t: number | null) => (t ? formatClock(t, timeZone, { seconds: true }) : 'never');
  const update = shellUpdateNote(status.shell, status.saleUnderWay, status.appVersion);
  return (
    <div data-testid="status" data-synced={status.initialSyncDone} style={{ display: 'flex', gap: '0.75rem', alignItems: 'center', flexWrap: 'wrap' }}>
      {status.initialSyncDone ? null : <span className="badge warn">syncing store data…</span>}
      {status.companies.map((c) => (
        <span key={c.id} data-testid={`badge-${c.code}`} className={`badge ${c.state === 'OK' ? 'ok' : 'off'}`} title={`last sync ${time(c.lastSyncAt)}`}>
          {c.name.toLowerCase()}: {c.state} <small>({time(c.lastSyncAt)})</small>
        </span>
      ))}
      <span data-testid="queue" className={`badge ${status.queueDepth ? 'warn' : 'ok'}`}>
        queued: {status.queueDepth}
      </span>
      {status.rejections.length ? (
        <span data-testid="rejections" className="badge off">
          rejected: {status.rejections.length}
        </span>
      ) : null}
      {update ? (
        <span
          data-testid="shell-update"
          data-state={status.shell.kind}
          aria-live="polite"
          className={`badge ${status.shell.kind === 'failed' ? 'off' : 'warn'}`}
        >
          {update}
        </span>
      ) : null}
      <button type="button" onClick={onReconnect} title={`app ${status.appVersion}`}>
        Reconnect
      </button>
    </div>
  );
}
