import { Link } from '@remix-run/react';

const SETUP = [
  ['/admin/setup', 'Walkthrough'],
  ['/admin/settings', 'Store settings'],
  ['/admin/companies', 'Companies'],
  ['/admin/warehouses', 'Warehouses'],
  ['/admin/registers/new', 'Add register'],
  ['/admin/cashiers', 'Cashiers'],
  ['/admin/tax-rates', 'Tax rates'],
  ['/admin/item-groups', 'Item groups'],
] as const;

/** The sub-menu shared by the store setup pages. */
export function SetupNav({ current }: { current: string }) {
  return (
    <nav className="muted" style={{ marginBottom: '.75rem' }}>
      Setup:{' '}
      {SETUP.map(([to, label], i) => (
        <span key={to}>
          {i > 0 ? ' · ' : ''}
          {to === current ? <strong>{label}</strong> : <Link to={to}>{label}</Link>}
        </span>
      ))}
    </nav>
  );
}
