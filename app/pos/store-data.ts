// What the sell screen shows and prints besides the cart: the register's companies and the store's
// settings, from the local copy (works offline).
import type { Queryable } from '../../sync/register/db-protocol';

export interface Company {
  id: string;
  code: string;
  name: string;
  currency: string;
  currency_exponent: number;
  legal_name: string | null;
  vat_id: string | null;
  receipt_footer: string | null;
}

export interface StoreSettings {
  name: string;
  address: string;
  footer: string;
  printer: string;
  defaultCompanyId: string | null;
  timeZone: string | null;
}

export const NO_STORE: StoreSettings = { name: 'Store', address: '', footer: '', printer: '', defaultCompanyId: null, timeZone: null };

export async function loadStoreData(pg: Queryable): Promise<{ companies: Company[]; store: StoreSettings }> {
  const c = await pg.query<Company>(`SELECT id, code, name, currency, currency_exponent, legal_name, vat_id, receipt_footer FROM companies ORDER BY name`);
  const s = await pg.query<{
    default_company_id: string | null;
    receipt_footer: string | null;
    printer_address: string | null;
    time_zone: string | null;
    name: string | null;
    address: string | null;
  }>(
    `SELECT ss.default_company_id, ss.receipt_footer, ss.printer_address, ss.time_zone, st.name, st.address FROM store_settings ss LEFT JOIN stores st ON st.id = ss.store_id LIMIT 1`,
  );
  const r = s.rows[0];
  return {
    companies: c.rows,
    store: {
      name: r?.name ?? NO_STORE.name,
      address: r?.address ?? '',
      footer: r?.receipt_footer ?? '',
      printer: r?.printer_address ?? '',
      defaultCompanyId: r?.default_company_id ?? null,
      timeZone: r?.time_zone ?? null,
    },
  };
}
