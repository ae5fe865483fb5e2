import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { adminCount, sessionCookie, setupFirstAdmin, signIn, storeNeedsSetup } from '../lib/services.server';
import { DomainError } from '../../core/errors';
import { actionStatus } from '../lib/admin-action.server';
import { getDatabase } from '../lib/db.server';
import { requireSameOrigin } from '../lib/admin-session.server';
import { cameOverTls, clientAddress } from '../lib/client.server';
import { safeAdminNext } from '../lib/admin-next';

export const meta: MetaFunction = () => [{ title: 'Sign in · Till Admin' }];

export async function loader(_: LoaderFunctionArgs) {
  return json({ setup: (await adminCount(getDatabase())) === 0 });
}

const form = z.object({
  email: z.string().trim().email('email: enter an email address'),
  password: z.string().min(1, 'password: enter the password'),
  next: z.unknown().transform(safeAdminNext),
  setup: z.literal('1').optional(),
  setupCode: z.string().trim().max(40).optional(),
});

// No session exists yet, so there is no session token to check: the same-origin check stands in for it.
export async function action({ request, context }: ActionFunctionArgs) {
  requireSameOrigin(request);
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  const database = getDatabase();
  const client = clientAddress(request, context);
  try {
    if (parsed.data.setup) {
      await setupFirstAdmin(database, { email: parsed.data.email, password: parsed.data.password, setupCode: parsed.data.setupCode ?? '' }, client);
    }
    const { token } = await signIn(database, parsed.data.email, parsed.data.password, client);
    // The first admin of a store set up from zero goes on to the setup walkthrough.
    const next = parsed.data.setup && parsed.data.next === '/admin' && (await storeNeedsSetup(database)) ? '/admin/setup' : parsed.data.next;
    return redirect(next, { headers: { 'set-cookie': sessionCookie(token, cameOverTls(request)) } });
  } catch (e) {
    if (e instanceof DomainError) return json({ error: e.message }, actionStatus(e));
    throw e;
  }
}

export default function Login() {
  const data = useActionData<typeof action>();
  const { setup } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <main style={{ maxWidth: 380, margin: '4rem auto' }}>
      <div className="card">
        <h2>{setup ? 'Create the first admin' : 'Till Admin'}</h2>
        <Form method="post">
          <input type="hidden" name="next" value={params.get('next') ?? '/admin'} />
          {setup ? (
            <>
              <input type="hidden" name="setup" value="1" />
              <p>No admin exists yet. Enter the setup code the edge printed when it started.</p>
              <p>
                <label>
                  Setup code
                  <br />
                  <input name="setupCode" autoComplete="off" required style={{ width: '100%' }} />
                </label>
              </p>
            </>
          ) : null}
          <p>
            <label>
              Email
              <br />
              <input name="email" type="email" autoComplete="username" required style={{ width: '100%' }} />
            </label>
          </p>
          <p>
            <label>
              Password
              <br />
              <input name="password" type="password" autoComplete={setup ? 'new-password' : 'current-password'} required style={{ width: '100%' }} />
            </label>
          </p>
          {data && 'error' in data ? (
            <p className="error" role="alert">
              {data.error}
            </p>
          ) : null}
          <button className="primary" type="submit">
            {setup ? 'Create admin and sign in' : 'Sign in'}
          </button>
        </Form>
      </div>
    </main>
  );
}
