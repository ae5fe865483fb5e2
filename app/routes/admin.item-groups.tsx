// Item groups: the list items choose their group from. Renaming moves every item of the group.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useActionData, useLoaderData } from '@remix-run/react';
import { createItemGroup, listItemGroups, renameItemGroup } from '../lib/services.server';
import { runAdminAction } from '../lib/admin-action.server';
import { DomainError } from '../../core/errors';
import { requireAdmin } from '../lib/admin-session.server';
import { AdminForm } from '../components/AdminForm';
import { Feedback } from '../components/FormBits';
import { SetupNav } from '../components/SetupNav';
import { getDatabase } from '../lib/db.server';
import { formText } from '../lib/form-text';

export const meta: MetaFunction = () => [{ title: 'Item groups · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ groups: await listItemGroups(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const input = Object.fromEntries(await request.formData());
  const database = getDatabase();
  const r = await runAdminAction(async () => {
    if (input.intent === 'create') {
      await createItemGroup(database, input, admin.email);
      return { message: 'Item group added.' };
    }
    if (input.intent === 'rename') {
      const { items } = await renameItemGroup(database, input, admin.email);
      return { message: `Item group renamed (${items} item(s) moved).` };
    }
    throw new DomainError('invalid', 'intent', 'intent: unknown action');
  });
  return json({ ...r.body, target: formText(input.id, 'new') }, { status: r.status });
}

export default function ItemGroups() {
  const { groups } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const mine = (target: string) => (result && result.target === target ? result : undefined);
  return (
    <>
      <SetupNav current="/admin/item-groups" />
      <div className="card">
        <h2>Item groups</h2>
        <AdminForm method="post" style={{ display: 'flex', gap: '.75rem', alignItems: 'end' }} aria-label="new item group">
          <input type="hidden" name="intent" value="create" />
          <label>Name<br /><input name="name" required maxLength={80} /></label>
          <button className="primary" type="submit">Add group</button>
        </AdminForm>
        <Feedback result={mine('new')} />
        <table>
          <thead><tr><th>Group</th><th className="num">Items</th></tr></thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.name}>
                <td>
                  {g.id ? (
                    <AdminForm method="post" style={{ display: 'flex', gap: '.5rem' }}>
                      <input type="hidden" name="intent" value="rename" />
                      <input type="hidden" name="id" value={g.id} />
                      <input name="name" defaultValue={g.name} aria-label={`name of ${g.name}`} required maxLength={80} />
                      <button type="submit">Rename</button>
                      <Feedback result={mine(g.id)} />
                    </AdminForm>
                  ) : (
                    <>{g.name} <span className="muted">(from imported items; add it here to manage it)</span></>
                  )}
                </td>
                <td className="num">{g.items}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
