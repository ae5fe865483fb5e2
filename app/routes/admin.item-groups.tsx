// Item groups: the list items choose their group from. Renaming moves every item of the group.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { itemGroupForm, itemGroupRenameForm } from '../../services/forms/catalog';
import { createItemGroup, listItemGroups, renameItemGroup } from '../lib/services.server';
import { answerForm, form } from '../admin/form-action.server';
import { useAdminForm } from '../admin/use-admin-form';
import { FormMessage, SchemaForm, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { SetupNav } from '../components/SetupNav';
import { getDatabase } from '../lib/db.server';

export const meta: MetaFunction = () => [{ title: 'Item groups · Till Admin' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ groups: await listItemGroups(getDatabase()) });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const database = getDatabase();
  return answerForm(request, {
    create: form(itemGroupForm, async (input) => (await createItemGroup(database, input, admin.email), { message: 'Item group added.', reset: true })),
    rename: form(itemGroupRenameForm, async (input) => `Item group renamed (${(await renameItemGroup(database, input, admin.email)).items} item(s) moved).`),
  });
}

export default function ItemGroups() {
  const { groups } = useLoaderData<typeof loader>();
  const create = useAdminForm(itemGroupForm, { intent: 'create' });
  return (
    <>
      <SetupNav current="/admin/item-groups" />
      <div className="card">
        <h2>Item groups</h2>
        <SchemaForm of={create} className="fields-row" aria-label="new item group">
          <TextField meta={create.fields.name} label="Name" maxLength={80} />
          <button className="primary" type="submit">
            Add group
          </button>
        </SchemaForm>
        <FormMessage of={create} />
        <table>
          <thead>
            <tr>
              <th>Group</th>
              <th className="num">Items</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr key={g.name}>
                <td>
                  {g.id ? (
                    <RenameGroup id={g.id} name={g.name} />
                  ) : (
                    <>
                      {g.name} <span className="muted">(from imported items; add it here to manage it)</span>
                    </>
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

function RenameGroup({ id, name }: { id: string; name: string }) {
  const rename = useAdminForm(itemGroupRenameForm, { intent: 'rename', id: `rename-${id}`, defaultValue: { id, name } });
  return (
    <SchemaForm of={rename} className="fields-inline">
      <input type="hidden" name="id" value={id} />
      <TextField meta={rename.fields.name} label={<span className="sr-only">name of {name}</span>} maxLength={80} />
      <button type="submit">Rename</button>
      <FormMessage of={rename} />
    </SchemaForm>
  );
}
