import type { LocalRejection } from '../../sync/register/outbox';
import type { Register } from './register.client';
import { useRegisterStatus } from './use-register-status';

/** The rejections as the register's events report them (see LiveStatusBar). */
export function LiveRejectedList({ register }: { register: Register }) {
  return <RejectedList rejections={useRegisterStatus(register)?.rejections ?? []} />;
}

/** Events the edge rejected, each with its reason: shown to the cashier, never dropped silently. */
export function RejectedList({ rejections }: { rejections: LocalRejection[] }) {
  if (!rejections.length) return null;
  return (
    <details className="card" data-testid="rejected-list">
      <summary>Rejected by the edge ({rejections.length})</summary>
      <ul>
        {rejections.map((r) => (
          <li key={r.eventId}>
            {r.type} {r.eventId.slice(0, 8)}: {r.reason}
            {r.field ? ` (${r.field})` : ''}
          </li>
        ))}
      </ul>
    </details>
  );
}
