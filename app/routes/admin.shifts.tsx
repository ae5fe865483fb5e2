import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { formatMoney } from '../../core/money';
import { shiftOpenForm } from '../../services/forms/shifts';
import { listCashiers, listShifts, openShift, saleFilterOptions, shiftDeviceOptions } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { AmountField, FormMessage, SchemaForm, SelectField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Shifts · Till Admin' }];

const UUID = /^[0-9a-f-]{36}$/i;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const params = new URL(request.url).searchParams;
  const registerId = UUID.test(params.get('register') ?? '') ? params.get('register')! : undefined;
  const companyId = UUID.test(params.get('company') ?? '') ? params.get('company')! : undefined;
  const [shifts, devices, cashiers, options] = await Promise.all([
    listShifts(database, { registerId, companyId }),
    shiftDeviceOptions(database),
    listCashiers(database),
    saleFilterOptions(database),
  ]);
  return json({ shifts, devices, cashiers: cashiers.filter((c) => c.active), options, registerId, companyId });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  return answerForm(request, {
    open: form(shiftOpenForm, async (input) => redirect(`/admin/shifts/${(await openShift(getDatabase(), input, admin.email)).id}`)),
  });
}

export default function Shifts() {
  const t = useLocalTime();
  const { shifts, devices, cashiers, options, registerId, companyId } = useLoaderData<typeof loader>();
  const open = useAdminForm(shiftOpenForm, { intent: 'open', defaultValue: { deviceId: devices.find((d) => !d.open)?.deviceId ?? devices[0]?.deviceId } });
  const { fields } = open;
  return (
    <>
      <div className="card">
        <h2>Open a shift</h2>
        <SchemaForm of={open} className="fields-row">
          <SelectField
            meta={fields.deviceId}
            label="Register and company"
            options={devices.map((d) => ({ value: d.deviceId, label: `${d.label}${d.open ? ' (shift open)' : ''}`, disabled: d.open }))}
          />
          <SelectField
            meta={fields.cashierId}
            label="Cashier"
            options={[{ value: '', label: '—' }, ...cashiers.map((c) => ({ value: c.id, label: c.name }))]}
          />
          <AmountField meta={fields.openingFloat} label="Opening float" placeholder="100.00" />
          <button className="primary" type="submit">
            Open shift
          </button>
        </SchemaForm>
        <FormMessage of={open} />
      </div>
      <div className="card">
        <h2>Shifts</h2>
        <Form method="get" style={{ display: 'flex', gap: '.75rem', marginBottom: '.75rem' }}>
          <select name="register" defaultValue={registerId ?? ''} aria-label="register">
            <option value="">all registers</option>
            {options.registers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.code} {r.name}
              </option>
            ))}
          </select>
          <select name="company" defaultValue={companyId ?? ''} aria-label="company">
            <option value="">all companies</option>
            {options.companies.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </Form>
        <table>
          <thead>
            <tr>
              <th>Register</th>
              <th>Company</th>
              <th>Cashier</th>
              <th>Opened</th>
              <th>Closed</th>
              <th className="num">Sales</th>
              <th className="num">Float</th>
              <th className="num">Variance</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {shifts.map((s) => {
              const m = (v: number) => formatMoney(v, { exponent: s.currencyExponent });
              return (
                <tr key={s.id}>
                  <td>
                    <Link to={`/admin/shifts/${s.id}`}>
                      {s.registerCode} {s.registerName}
                    </Link>
                  </td>
                  <td>{s.companyName}</td>
                  <td>{s.cashierName ?? '—'}</td>
                  <td>{t(s.openedAt)}</td>
                  <td>{s.closedAt ? t(s.closedAt) : ''}</td>
                  <td className="num">{s.salesCount}</td>
                  <td className="num">{m(s.openingFloat)}</td>
                  <td className={`num ${s.variance ? 'error' : ''}`}>{s.variance === null ? '' : m(s.variance)}</td>
                  <td>
                    {s.status === 'open' ? <span className="badge warn">open</span> : <span className="badge ok">Z {s.zNumber ?? '?'}</span>}
                    {s.closedAtRegister ? (
                      <span className="badge" title={s.closedByName ? `counted by ${s.closedByName}` : undefined}>
                        {' '}
                        at register
                      </span>
                    ) : null}
                    {s.closeFindings.length ? (
                      <span className="badge off" title={s.closeFindings.map((f) => f.reason).join('; ')}>
                        flagged
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {shifts.length === 0 ? <p>No shifts yet.</p> : null}
      </div>
    </>
  );
}
