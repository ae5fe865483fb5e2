// The setup walkthrough a store set up from zero opens on: store, companies, a warehouse per company,
// a register and a cashier. Each step links to its form; every step can be skipped and revisited.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { storeForm } from '../../services/forms/store';
import { getStore, saveStore, setupSteps, type StoreView } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextareaField, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { TimeZoneField } from '../components/FormBits';
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
  return answerForm(request, {
    store: form(storeForm, async (input) => (await saveStore(getDatabase(), input, admin.email), redirect('/admin/setup?step=companies'))),
  });
}

/** The store step: name, address, time zone and the currency of new companies. */
function StoreStep({ store }: { store: StoreView }) {
  const save = useAdminForm(storeForm, {
    intent: 'store',
    defaultValue: { name: store.name, address: store.address, timeZone: store.timeZone, currency: store.currency },
  });
  const { fields } = save;
  return (
    <SchemaForm of={save} style={{ display: 'grid', gap: '.75rem', justifyItems: 'start' }}>
      <TextField meta={fields.name} label="Store name" size={40} />
      <TextareaField meta={fields.address} label="Address (printed on receipts)" rows={2} cols={40} />
      <TimeZoneField meta={fields.timeZone} label="Time zone (every time shown, printed or exported)" />
      <TextField meta={fields.currency} label="Currency of new companies (ISO code)" size={4} maxLength={3} />
      <FormMessage of={save} />
      <button className="primary" type="submit">
        Save and continue
      </button>
    </SchemaForm>
  );
}

export default function Setup() {
  const { steps, store, current } = useLoaderData<typeof loader>();
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
        <StoreStep store={store} />
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
