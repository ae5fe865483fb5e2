// The open shift in the POS header: since when, and the way to close it.
import { formatClock } from '../../core/local-time';
import type { CompanyShift } from './use-shift';

export function ShiftBadge({ companies, onClose }: { companies: CompanyShift[]; onClose: () => void }) {
  const open = companies.filter((c) => c.shift);
  if (open.length === 0) return null;
  const since = open.map((c) => c.shift!.openedAt).sort()[0]!;
  return (
    <span style={{ display: 'inline-flex', gap: 6, alignItems: 'center' }} data-testid="shift">
      <span className="badge ok" title={open.map((c) => c.companyName).join(', ')}>
        shift open since {formatClock(since)}
      </span>
      <button type="button" onClick={onClose}>
        Close shift
      </button>
    </span>
  );
}
