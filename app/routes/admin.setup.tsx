// The setup walkthrough a store set up from zero opens on: store, companies, a warehouse per company,
// a register and a cashier. Each step links to its form; every step can be skipped and revisited.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { getStore, saveStore, setupSteps } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { Feedback, TimeZoneInput } from '../components/FormBits';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Set up the store · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const [steps, store] = await Promise.all([setupSteps(database), getStore(database)]);
  const asked = new URL(request.url).searchParams.get('step');
  // Without a choice, the first step not done yet (all done: the store step, to review).
  const current = steps.find((s) => s.key === asked)?.key ?? steps.find((s) => !s.done)?.key ?? 'store';
  return json({ steps, store, current });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const r = await runAdminAction(async () => {
    if (input.intent !== 'store') throw new DomainError('invalid', 'intent', 'intent: unknown action');
    await saveStore(getDatabase(), input, admin.email);
    return { message: 'Store saved.' };
  });
  if (r.body.ok) return redirect('/admin/setup?step=companies');
  return json(r.body, { status: r.status });
}

export default function Setup() {
  const { steps, store, current } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const index = steps.findIndex((s) => s.key === current);
  const step = steps[index]!;
  const next = steps[index + 1];
  return (
    <div className="card" id="setup">
      <h2>Set up the store</h2>
      <ol className="stepper" style={{ display: 'flex', gap: '1rem', listStyle: 'none', padding: 0, flexWrap: 'wrap' }}>
        {steps.map((s, i) => (
          <li key={s.key} aria-current={s.key === current ? 'step' : undefined}>
            <Link to={`/admin/setup?step=${s.key}`} style={{ fontWeight: s.key === current ? 'bold' : undefined }}>
              {i + 1}. {s.title}
            </Link>{' '}
            <span className={`badge ${s.done ? 'ok' : 'warn'}`}>{s.done ? 'done' : 'to do'}</span>
          </li>
        ))}
      </ol>
      <h3>
        Step {index + 1} of {steps.length}: {step.title}
      </h3>
      <p className="muted">Now: {step.status}</p>
      {step.key === 'store' ? (
        <AdminForm method="post">
          <input type="hidden" name="intent" value="store" />
          <p>
            <label>
              Store name
              <br />
              <input name="name" defaultValue={store.name} required size={40} />
            </label>
          </p>
          <p>
            <label>
              Address (printed on receipts)
              <br />
              <textarea name="address" defaultValue={store.address} rows={2} cols={40} />
            </label>
          </p>
          <p>
            <label>
              Time zone (every time shown, printed or exported)
              <br />
              <TimeZoneInput defaultValue={store.timeZone} />
            </label>
          </p>
          <p>
            <label>
              Currency of new companies (ISO code)
              <br />
              <input name="currency" defaultValue={store.currency} required size={4} maxLength={3} />
            </label>
          </p>
          <Feedback result={result} />
          <button className="primary" type="submit">
            Save and continue
          </button>
        </AdminForm>
      ) : (
        <p>
          <Link className="button primary" to={step.href}>
            Open {step.title.toLowerCase()}
          </Link>
          <span className="muted"> · come back here with Setup → Walkthrough</span>
        </p>
      )}
      <p>
        {index > 0 ? <Link to={`/admin/setup?step=${steps[index - 1]!.key}`}>← Back</Link> : null}
        {next ? (
          <>
            {index > 0 ? ' · ' : ''}
            <Link to={`/admin/setup?step=${next.key}`}>{step.done ? 'Next' : 'Skip'} →</Link>
          </>
        ) : (
          <>
            {' · '}
            <Link to="/admin">Finish</Link>
          </>
        )}
      </p>
      {steps.every((s) => s.done) ? (
        <p role="status" className="badge ok">
          Every step is done: pair the register from Registers and start selling.
        </p>
      ) : null}
    </div>
  );
}
