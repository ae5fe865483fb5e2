import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useSearchParams } from '@remix-run/react';
import { z } from 'zod';
import { AdminAuthError, adminCount, createAdmin, sessionCookie, signIn } from '../lib/services.server';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Sign in · Till Admin' }];

export async function loader(_: LoaderFunctionArgs) {
  return json({ setup: (await adminCount(getDatabase())) === 0 });
}

const form = z.object({
  email: z.string().trim().email('enter an email address'),
  password: z.string().min(1, 'enter the password'),
  next: z.string().startsWith('/admin').catch('/admin'),
  setup: z.literal('1').optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const parsed = form.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: parsed.error.issues[0]!.message }, { status: 400 });
  const database = getDatabase();
  try {
    if (parsed.data.setup) {
      await createAdmin(database, { email: parsed.data.email, password: parsed.data.password, role: 'admin' }, { onlyIfNone: true });
    }
    const { token } = await signIn(database, parsed.data.email, parsed.data.password);
    return redirect(parsed.data.next, { headers: { 'set-cookie': sessionCookie(token, new URL(request.url).protocol === 'https:') } });
  } catch (e) {
    if (e instanceof AdminAuthError) return json({ error: e.message }, { status: e.status });
    throw e;
  }
}

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <main style={{ maxWidth: 380, margin: '4rem auto' }}>
      <div className="card">
        <h2>Till Admin</h2>
        <Form method="post">
          <input type="hidden" name="next" value={params.get('next') ?? '/admin'} />
          <p><label>Email<br /><input name="email" type="email" autoComplete="username" required style={{ width: '100%' }} /></label></p>
          <p><label>Password<br /><input name="password" type="password" autoComplete="current-password" required style={{ width: '100%' }} /></label></p>
          {data && 'error' in data ? <p className="error" role="alert">{data.error}</p> : null}
          <button className="primary" type="submit">Sign in</button>
        </Form>
      </div>
    </main>
  );
}
