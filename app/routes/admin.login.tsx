import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import { loginForm } from '../../services/forms/account';
import { adminCount, sessionCookie, setupFirstAdmin, signIn, storeNeedsSetup } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextField } from '../admin/fields';
import { getDatabase } from '../lib/db.server';
import { requireSameOrigin } from '../lib/admin-session.server';
import { cameOverTls, clientAddress } from '../lib/client.server';
import { safeAdminNext } from '../lib/admin-next';

export const meta: MetaFunction = () => [{ title: 'Sign in · Till Admin' }];

export async function loader(_: LoaderFunctionArgs) {
  return json({ setup: (await adminCount(getDatabase())) === 0 });
}

// No session exists yet, so there is no session token to check: the same-origin check stands in for it.
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const database = getDatabase();
  const client = clientAddress(request, context);
  return answerForm(request, {
    login: form(loginForm, async (input) => {
      const data = loginForm.parse(input);
      const wanted = safeAdminNext(input.next);
      if (data.setup) await setupFirstAdmin(database, { email: data.email, password: data.password, setupCode: data.setupCode ?? '' }, client);
      const { token } = await signIn(database, data.email, data.password, client);
      // The first admin of a store set up from zero goes on to the setup walkthrough.
      const next = data.setup && wanted === '/admin' && (await storeNeedsSetup(database)) ? '/admin/setup' : wanted;
      return redirect(next, { headers: { 'set-cookie': sessionCookie(token, cameOverTls(request)) } });
    }),
  });
}

export default function Login() {
  const { setup } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const login = useAdminForm(loginForm, { intent: 'login' });
  const { fields } = login;
  const wide = { width: '100%' };
  return (
    <main style={{ maxWidth: 380, margin: '4rem auto' }}>
      <div className="card">
        <h2>{setup ? 'Create the first admin' : 'Till Admin'}</h2>
        <SchemaForm of={login} style={{ display: 'grid', gap: '.75rem' }}>
          <input type="hidden" name="next" value={params.get('next') ?? '/admin'} />
          {setup ? (
            <>
              <input type="hidden" name="setup" value="1" />
              <p>No admin exists yet. Enter the setup code the edge printed when it started.</p>
              <TextField meta={fields.setupCode} label="Setup code" autoComplete="off" style={wide} />
            </>
          ) : null}
          <TextField meta={fields.email} label="Email" type="email" autoComplete="username" style={wide} />
          <TextField meta={fields.password} label="Password" type="password" autoComplete={setup ? 'new-password' : 'current-password'} style={wide} />
          <FormMessage of={login} />
          <button className="primary" type="submit" style={{ justifySelf: 'start' }}>
            {setup ? 'Create admin and sign in' : 'Sign in'}
          </button>
        </SchemaForm>
      </div>
    </main>
  );
}
