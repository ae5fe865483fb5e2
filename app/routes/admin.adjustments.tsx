import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { adjustmentResolveForm } from '../../services/forms/shifts';
import { PageLinks, cursorFrom } from '../components/PageLinks';
import { SaleFindings } from '../components/SaleFindings';
import { listAdjustmentPage, resolveAdjustment } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, SelectField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Adjustment Queue · Till Admin' }];

const ACTIONS = [
  { value: 'inter_company_transfer', label: 'Inter-company transfer' },
  { value: 'reissue_invoice', label: 'Reissue invoice' },
  { value: 'no_action', label: 'No action needed' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const cursor = cursorFrom(request);
  // A stale or hand-edited page link shows the first page.
  const page = await listAdjustmentPage(database, { cursor }).then(
    (p) => ({ ...p, paged: Boolean(cursor) }),
    async () => ({ ...(await listAdjustmentPage(database)), paged: false }),
  );
  return json(page);
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  return answerForm(request, {
    resolve: form(adjustmentResolveForm, async (input) => (await resolveAdjustment(getDatabase(), input, admin.email), 'Resolved.')),
  });
}

/** One open entry's form: how it was settled, and a note. */
function ResolveForm({ id, crossCompany }: { id: string; crossCompany: boolean }) {
  const resolve = useAdminForm(adjustmentResolveForm, {
    intent: 'resolve',
    id: `resolve-${id}`,
    defaultValue: { id, resolutionAction: crossCompany ? 'inter_company_transfer' : 'no_action' },
  });
  return (
    <>
      <SchemaForm of={resolve} className="fields-inline" style={{ flexWrap: 'wrap' }}>
        <input type="hidden" name="id" value={id} />
        <SelectField meta={resolve.fields.resolutionAction} label={<span className="sr-only">resolution</span>} options={ACTIONS} />
        <TextField meta={resolve.fields.note} label={<span className="sr-only">note</span>} placeholder="note (required)" size={40} />
        <button type="submit" className="primary">
          Resolve
        </button>
      </SchemaForm>
      <FormMessage of={resolve} />
    </>
  );
}

export default function Adjustments() {
  const { open, resolved, openCount, nextCursor, paged } = useLoaderData<typeof loader>();
  const t = useLocalTime();
  return (
    <>
      <div className="card">
        <h2>
          Adjustment Queue <span className={`badge ${openCount ? 'warn' : 'ok'}`}>{openCount} open</span>
        </h2>
        <p className="muted">
          Invoices that sold an item of the other company (its barcode existed only there), and offline sales that differ from what the edge knew (price, VAT
          rate, discount limit, cashier, receipt numbering). They completed and printed; settle each one and say how.
        </p>
        {open.length === 0 ? <p>Nothing to settle.</p> : null}
        {open.map((e) => (
          <section key={e.id} style={{ borderTop: '1px solid #eaeef2', padding: '.75rem 0' }}>
            <h3 style={{ margin: '0 0 .25rem' }}>
              <Link to={`/admin/sales/${e.saleId}`}>{e.receiptNumber}</Link> · {e.companyName} · register {e.registerCode} ·{' '}
              {formatMoney(e.total, { exponent: e.currencyExponent })} · <span className="muted">{t(e.occurredAt)}</span>
            </h3>
            {e.reasons.length || !e.findings.length ? (
              <div>Reasons: {e.reasons.length ? e.reasons.join('; ') : <span className="muted">none recorded</span>}</div>
            ) : null}
            <SaleFindings findings={e.findings} exponent={e.currencyExponent} />
            {e.lines.length ? (
              <table style={{ margin: '.5rem 0' }}>
                <thead>
                  <tr>
                    <th>Line</th>
                    <th>Item</th>
                    <th>Owned by</th>
                    <th>Reason</th>
                    <th className="num">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {e.lines.map((l) => (
                    <tr key={l.lineNo}>
                      <td>{l.lineNo}</td>
                      <td>
                        {l.itemCode} · {l.name}
                      </td>
                      <td>
                        <span className="badge warn">{l.itemCompanyName}</span>
                      </td>
                      <td>{l.reason ?? '—'}</td>
                      <td className="num">{formatMoney(l.total, { exponent: e.currencyExponent })}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
            <ResolveForm id={e.id} crossCompany={e.lines.length > 0} />
          </section>
        ))}
        <PageLinks nextCursor={nextCursor} label={'Newer open entries \u2192'} />
      </div>
      {paged ? null : (
        <div className="card">
          <h2>Resolved</h2>
          <table>
            <thead>
              <tr>
                <th>Receipt</th>
                <th>Company</th>
                <th>Cross-company lines / review</th>
                <th>Action</th>
                <th>Note</th>
                <th>By</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {resolved.map((e) => (
                <tr key={e.id}>
                  <td>
                    <Link to={`/admin/sales/${e.saleId}`}>{e.receiptNumber}</Link>
                  </td>
                  <td>{e.companyName}</td>
                  <td>{[...e.lines.map((l) => `${l.itemCode} (${l.itemCompanyName})`), ...e.findings.map((f) => f.reason)].join(', ')}</td>
                  <td>
                    <span className="badge ok">{e.resolutionAction}</span>
                  </td>
                  <td>{e.resolutionNote}</td>
                  <td>{e.resolvedBy}</td>
                  <td>{e.resolvedAt ? t(e.resolvedAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {resolved.length === 0 ? <p className="muted">None yet.</p> : null}
        </div>
      )}
    </>
  );
}
