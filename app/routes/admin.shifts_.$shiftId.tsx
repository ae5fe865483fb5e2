import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { formatRate } from '../../core/rates';
import { cashMovementForm, shiftCloseForm } from '../../services/forms/shifts';
import { addCashMovement, closeShiftWithZ, getShift, getZReport, listCashMovements, xReport } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, FormMessage, SchemaForm, SelectField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import type { ShiftFigures, ZFigures } from '../../services/admin-shift-figures';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Shift · Till Admin' }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const shift = await getShift(database, params.shiftId ?? '');
  if (!shift) throw new Response('No such shift', { status: 404 });
  const url = new URL(request.url);
  const view = url.searchParams.get('view');
  const [movements, z] = await Promise.all([listCashMovements(database, shift.id), getZReport(database, shift.id)]);
  // The X report reads current figures and stores nothing.
  const x = shift.status === 'open' && (view === 'x' || view === 'print') ? await xReport(database, shift.id) : null;
  return json({ shift, movements, z, x, view });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const database = getDatabase();
  return answerForm(
    request,
    {
      cash: form(cashMovementForm, async (input) => {
        await addCashMovement(database, input, admin.email);
        return { message: `Cash ${input.kind === 'in' ? 'in' : 'out'} recorded.`, reset: true };
      }),
      close: form(shiftCloseForm, async (input) => `Shift closed with Z report no. ${(await closeShiftWithZ(database, input, admin.email)).number}.`),
    },
    { shiftId: params.shiftId ?? '' },
  );
}

const KINDS = [
  { value: 'in', label: 'cash in' },
  { value: 'out', label: 'cash out' },
];
const hidden = (text: string) => <span className="sr-only">{text}</span>;

/** X figures, or Z figures with the counted cash and variance. */
type Figures = ShiftFigures & Partial<Pick<ZFigures, 'countedCash' | 'variance'>>;

function FiguresView({ f, exponent, currency }: { f: Figures; exponent: number; currency: string }) {
  const m = (v: number) => formatMoney(v, { exponent });
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: '1rem' }}>
      <table>
        <caption style={{ textAlign: 'left', fontWeight: 600 }}>Sales</caption>
        <tbody>
          <tr>
            <td>Sales</td>
            <td className="num">{f.salesCount}</td>
          </tr>
          <tr>
            <td>Voided</td>
            <td className="num">{f.voidedCount}</td>
          </tr>
          <tr>
            <td>Net</td>
            <td className="num">{m(f.netTotal)}</td>
          </tr>
          <tr>
            <td>VAT</td>
            <td className="num">{m(f.taxTotal)}</td>
          </tr>
          <tr>
            <td>Discounts</td>
            <td className="num">{m(f.discountTotal)}</td>
          </tr>
          <tr>
            <td>
              <strong>Gross</strong>
            </td>
            <td className="num">
              <strong>
                {m(f.grossTotal)} {currency}
              </strong>
            </td>
          </tr>
        </tbody>
      </table>
      <table>
        <caption style={{ textAlign: 'left', fontWeight: 600 }}>Tenders and VAT</caption>
        <tbody>
          {Object.entries(f.tenders).map(([k, v]) => (
            <tr key={k}>
              <td>{k}</td>
              <td className="num">{m(v)}</td>
            </tr>
          ))}
          {f.taxRates.map((r) => (
            <tr key={r.rateBp}>
              <td>
                VAT {formatRate(r.rateBp)}: net {m(r.net)} + tax {m(r.tax)}
              </td>
              <td className="num">{m(r.gross)}</td>
            </tr>
          ))}
          {f.taxRates.length === 0 ? (
            <tr>
              <td className="muted" colSpan={2}>
                no VAT yet
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <table>
        <caption style={{ textAlign: 'left', fontWeight: 600 }}>Cash drawer</caption>
        <tbody>
          <tr>
            <td>Opening float</td>
            <td className="num">{m(f.openingFloat)}</td>
          </tr>
          <tr>
            <td>+ cash received</td>
            <td className="num">{m(f.cashReceived)}</td>
          </tr>
          <tr>
            <td>− change given</td>
            <td className="num">{m(f.changeGiven)}</td>
          </tr>
          <tr>
            <td>+ cash in</td>
            <td className="num">{m(f.cashIn)}</td>
          </tr>
          <tr>
            <td>− cash out</td>
            <td className="num">{m(f.cashOut)}</td>
          </tr>
          <tr>
            <td>
              <strong>Expected</strong>
            </td>
            <td className="num">
              <strong>{m(f.cashExpected)}</strong>
            </td>
          </tr>
          {f.countedCash !== undefined ? (
            <tr>
              <td>Counted</td>
              <td className="num">{m(f.countedCash)}</td>
            </tr>
          ) : null}
          {f.variance !== undefined ? (
            <tr>
              <td>
                <strong>Variance</strong>
              </td>
              <td className={`num ${f.variance ? 'error' : ''}`}>
                <strong>{m(f.variance)}</strong>
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

export default function ShiftDetail() {
  const t = useLocalTime();
  const { shift, movements, z, x, view } = useLoaderData<typeof loader>();
  const cash = useAdminForm(cashMovementForm, { intent: 'cash', defaultValue: { kind: 'in' } });
  const close = useAdminForm(shiftCloseForm, { intent: 'close' });
  const m = (v: number) => formatMoney(v, { exponent: shift.currencyExponent });
  const title = `${shift.registerCode} ${shift.registerName} · ${shift.companyName}`;
  const report = z ? (
    <>
      <h2>
        Z report no. {z.number} <span className="badge ok">final</span>
      </h2>
      <p className="muted">
        {title} · opened {t(z.figures.openedAt)} · closed {t(z.figures.closedAt)} by {z.createdBy}
      </p>
      {shift.closedAtRegister ? (
        <p data-testid="register-close">
          Closed at the register with a blind count by {shift.closedByName ?? 'an unknown cashier'}
          {shift.approvedByName ? <>; variance approved by manager {shift.approvedByName}</> : null}.
        </p>
      ) : null}
      {shift.closeFindings.length ? (
        <ul className="error" data-testid="close-findings">
          {shift.closeFindings.map((f, i) => (
            <li key={i}>Flagged: {f.reason}</li>
          ))}
        </ul>
      ) : null}
      <FiguresView f={z.figures} exponent={shift.currencyExponent} currency={shift.currency} />
    </>
  ) : x ? (
    <>
      <h2>
        X report <span className="badge warn">shift still open</span>
      </h2>
      <p className="muted">
        {title} · opened {t(shift.openedAt)} · figures at {t(new Date())}; nothing is reset.
      </p>
      <FiguresView f={x} exponent={shift.currencyExponent} currency={shift.currency} />
    </>
  ) : null;

  if (view === 'print') {
    return (
      <div className="card">
        <style>{'@media print { header.bar, .no-print { display: none !important } main { padding: 0 } .card { border: 0 } }'}</style>
        <p className="no-print">
          <Link to={`/admin/shifts/${shift.id}`}>← Back to the shift</Link> ·{' '}
          <button type="button" className="primary" onClick={() => window.print()}>
            Print
          </button>
        </p>
        {report}
      </div>
    );
  }

  return (
    <>
      <p>
        <Link to="/admin/shifts">← Shifts</Link>
      </p>
      <div className="card">
        <h2>
          Shift {title} {shift.status === 'open' ? <span className="badge warn">open</span> : <span className="badge ok">closed</span>}
        </h2>
        <p className="muted">
          Cashier {shift.cashierName ?? '—'} · opened {t(shift.openedAt)} · float {m(shift.openingFloat)} {shift.currency} · {shift.salesCount} sales
          {shift.closedAt ? ` · closed ${t(shift.closedAt)}` : ''}
        </p>
        <div style={{ display: 'flex', gap: '.75rem', alignItems: 'center' }}>
          {shift.status === 'open' ? (
            <Form method="get">
              <input type="hidden" name="view" value="x" />
              <button type="submit" className="primary">
                Run X report
              </button>
            </Form>
          ) : null}
          <Link to="?view=print">Print view</Link> ·{' '}
          <a href={`/admin/shifts/${shift.id}/csv`} download>
            Export CSV
          </a>
        </div>
        <FormMessage of={cash} />
        <FormMessage of={close} />
      </div>
      {report ? <div className="card">{report}</div> : null}
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '1rem' }}>
        <div className="card">
          <h3>Cash in / out</h3>
          <table>
            <tbody>
              {movements.map((mv) => (
                <tr key={mv.id}>
                  <td>{t(mv.createdAt)}</td>
                  <td>
                    <span className={`badge ${mv.kind === 'in' ? 'ok' : 'off'}`}>{mv.kind}</span>
                  </td>
                  <td className="num">{m(mv.amount)}</td>
                  <td>{mv.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {movements.length === 0 ? <p className="muted">None.</p> : null}
          {shift.status === 'open' ? (
            <SchemaForm
              of={cash}
              // Fixed columns: an error under a field grows it downwards, never moving the button from under the pointer.
              style={{ display: 'grid', gridTemplateColumns: 'auto minmax(6rem, 9rem) minmax(8rem, 1fr) auto', gap: 6, alignItems: 'start', marginTop: 8 }}
            >
              <SelectField meta={cash.fields.kind} label={hidden('cash in or out')} options={KINDS} />
              <AmountField meta={cash.fields.amount} label={hidden('amount')} placeholder="20.00" size={8} style={{ width: '100%' }} />
              <TextField meta={cash.fields.reason} label={hidden('reason')} placeholder="reason" />
              <button type="submit">Record</button>
            </SchemaForm>
          ) : null}
        </div>
        <div className="card">
          <h3>Close with Z report</h3>
          {shift.status === 'open' ? (
            <SchemaForm of={close} className="fields-row">
              <AmountField meta={close.fields.countedCash} label={`Counted cash (${shift.currency})`} placeholder="0.00" />
              <button type="submit" className="primary">
                Close shift (Z)
              </button>
            </SchemaForm>
          ) : (
            <p>
              Closed: Z report no. {shift.zNumber}. Counted {shift.countedCash === null ? '—' : m(shift.countedCash)}, expected{' '}
              {shift.expectedCash === null ? '—' : m(shift.expectedCash)}, variance {shift.variance === null ? '—' : m(shift.variance)}. A Z report cannot be
              changed.
            </p>
          )}
          <p className="muted">The Z number is the next one for {shift.companyName}, with no gaps.</p>
        </div>
      </div>
    </>
  );
}
