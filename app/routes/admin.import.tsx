import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  json,
  unstable_composeUploadHandlers,
  unstable_createFileUploadHandler,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  MaxPartSizeExceededError,
  NodeOnDiskFile,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node';
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { importForm } from '../../services/forms/importing';
import { getImportRun, importErpnext, ImportUsageError, listImportRejections, listImportRuns, type ImportSummary } from '../lib/services.server';
import { answerForm, form, FormRefusal } from '../admin/form-action.server';
import type { FormAnswer } from '../admin/form-answer';
import { useAdminForm } from '../admin/use-admin-form';
import { CheckboxField, FormMessage, SchemaForm, TextField } from '../admin/fields';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';
import { useLocalTime } from '../components/LocalTime';

export const meta: MetaFunction = () => [{ title: 'Import · Till Admin' }];

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const REJECTIONS_SHOWN = 500;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request, 'admin');
  const database = getDatabase();
  const runId = new URL(request.url).searchParams.get('run');
  const runs = await listImportRuns(database);
  const selected = runId ? await getImportRun(database, runId) : undefined;
  if (runId && !selected) throw new Response('No such import run', { status: 404 });
  return json({
    runs,
    selected: selected ? { ...selected, rejectionRows: await listImportRejections(database, selected.run.id, { limit: REJECTIONS_SHOWN }) } : null,
  });
}

/** A plain file name: no folders, no control characters. */
function safeName(name: string): string {
  const base = path
    .basename(name.replace(/\\/g, '/'))
    .replace(/[\x00-\x1f/]/g, '')
    .trim();
  return base && base !== '.' && base !== '..' ? base.slice(0, 200) : 'upload.csv';
}

/** The import's answer: a refusal above the form, or the run's summary (FormAnswer plus the report). */
type ImportAnswer = FormAnswer & { summary?: ImportSummary; rejectionRows?: Rejection[] };

const refused = (error: string, status: number) => json<ImportAnswer>({ form: 'import', result: { status: 'error', error: { '': [error] } } }, { status });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request, 'admin');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'till-import-'));
  try {
    let formData: FormData;
    try {
      formData = await unstable_parseMultipartFormData(
        request,
        unstable_composeUploadHandlers(
          unstable_createFileUploadHandler({
            directory: dir,
            maxPartSize: MAX_FILE_BYTES,
            avoidFileConflicts: true,
            file: ({ filename }) => safeName(filename),
            filter: ({ name }) => name === 'files',
          }),
          unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 }),
        ),
      );
    } catch (e) {
      if (e instanceof MaxPartSizeExceededError) return refused(`a file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`, 413);
      return refused('send the files as a multipart form (files, companyMap, dryRun)', 400);
    }
    const files = formData
      .getAll('files')
      .map((f) => f as unknown)
      .filter((f): f is NodeOnDiskFile => f instanceof NodeOnDiskFile && f.size > 0);
    return await answerForm(formData, {
      import: form(importForm, async (input) => {
        if (files.length === 0) throw new FormRefusal(400, 'choose one or more CSV files');
        const { companyMap, dryRun, createCompanies } = importForm.parse(input);
        let summary: ImportSummary;
        try {
          summary = await importErpnext(getDatabase(), {
            files: files.map((f) => f.getFilePath()),
            dryRun,
            createCompanies,
            ...(companyMap ? { companyMap } : {}),
            startedBy: admin.email,
          });
        } catch (e) {
          if (e instanceof ImportUsageError) throw new FormRefusal(400, e.message);
          throw e;
        }
        const rejectionRows = summary.runId ? await listImportRejections(getDatabase(), summary.runId, { limit: REJECTIONS_SHOWN }) : [];
        return json<ImportAnswer>({ form: 'import', result: { status: 'success' }, summary, rejectionRows });
      }),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Rejection = { file: string; line: number; column: string | null; reason: string };

function Summary({ summary, rejectionRows, total }: { summary: ImportSummary; rejectionRows: Rejection[]; total: number }) {
  return (
    <div className="card" id="import-summary">
      <h3>
        {summary.dryRun ? 'Dry run' : 'Import'} {summary.runId ? <span className="muted">run {summary.runId.slice(0, 8)}</span> : null}
        {summary.dryRun ? (
          <span className="badge warn" style={{ marginLeft: 8 }}>
            nothing was kept
          </span>
        ) : null}
      </h3>
      <p className="muted">
        {summary.rows} rows read in {(summary.elapsedMs / 1000).toFixed(1)} s · {summary.rejections} rejected · {summary.notices} notices
      </p>
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Kind</th>
            <th className="num">Rows</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {summary.files.map((f) => (
            <tr key={f.file}>
              <td>{f.file}</td>
              <td>
                {f.entity ?? '—'}
                {f.layout ? <span className="muted"> ({f.layout})</span> : null}
              </td>
              <td className="num">{f.rows}</td>
              <td className="error">{f.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.companiesCreated?.length ? (
        <>
          <h4>Companies {summary.dryRun ? 'that would be created' : 'created'}</h4>
          <ul id="import-companies">
            {summary.companiesCreated.map((p) => (
              <li key={p.name}>
                <strong>{p.name}</strong> (code {p.code}, {p.currency}) from {p.sources.join(', ')} · warehouses{' '}
                {p.warehouses.map((w) => `${w.code} “${w.name}”`).join(', ')}
                {p.defaultWarehouse ? ' (none named in the files: one default)' : ''} · VAT rates{' '}
                {p.taxRates.length
                  ? p.taxRates.map((r) => `${r.name}${r.isDefault ? ' (default)' : ''}`).join(', ')
                  : 'none found in the files: add them under Tax rates and import again'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h4>Per entity and company</h4>
      <table>
        <thead>
          <tr>
            <th>Entity</th>
            <th>Company</th>
            <th className="num">Created</th>
            <th className="num">Updated</th>
            <th className="num">Unchanged</th>
            <th className="num">Rejected</th>
            <th className="num">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {summary.counts.map((c) => (
            <tr key={`${c.entity}/${c.company}`}>
              <td>{c.entity}</td>
              <td>{c.company}</td>
              <td className="num">{c.created}</td>
              <td className="num">{c.updated}</td>
              <td className="num">{c.unchanged}</td>
              <td className="num">{c.rejected}</td>
              <td className="num">{c.skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Rejected rows{total > rejectionRows.length ? ` (first ${rejectionRows.length} of ${total})` : ''}</h4>
      {rejectionRows.length === 0 ? (
        <p>None.</p>
      ) : (
        <table id="import-rejections">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Line</th>
              <th>Column</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {rejectionRows.map((r, i) => (
              <tr key={i}>
                <td>{r.file}</td>
                <td className="num">{r.line}</td>
                <td>{r.column ?? '—'}</td>
                <td>{r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export default function ImportPage() {
  const t = useLocalTime();
  const { runs, selected } = useLoaderData<typeof loader>();
  const answer = useActionData<ImportAnswer>();
  const result = answer?.summary && answer.rejectionRows ? { summary: answer.summary, rejectionRows: answer.rejectionRows } : undefined;
  const upload = useAdminForm(importForm, { intent: 'import' });
  const { fields } = upload;
  const busy = useNavigation().state === 'submitting';
  return (
    <>
      <div className="card">
        <h2>Import from ERPNext</h2>
        <p className="muted">
          Upload the CSV exports of Item, Item Price and Customer (up to {MAX_FILE_BYTES / 1024 / 1024} MB each). Rows are validated; good ones are created or
          updated, bad ones are listed with their line.
        </p>
        <SchemaForm of={upload} encType="multipart/form-data" style={{ display: 'grid', gap: '.75rem', justifyItems: 'start' }}>
          <div className="field">
            <label>
              Files <input type="file" name="files" accept=".csv,text/csv" multiple />
            </label>
          </div>
          <div>
            <TextField meta={fields.companyMap} label="Company map" size={70} placeholder="AH Trading Official=Official,AH Trading Unofficial=Unofficial" />
            <span className="muted">ERPNext company name = Till company name, comma separated; names not listed must match a Till company.</span>
          </div>
          <CheckboxField meta={fields.dryRun} label="Dry run (validate and count, keep nothing)" />
          <CheckboxField
            meta={fields.createCompanies}
            label="Create missing companies (the map's targets, or every company the files name), with the warehouses and VAT rates the export names"
          />
          <button type="submit" disabled={busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </SchemaForm>
        <FormMessage of={upload} />
      </div>
      {result ? <Summary summary={result.summary} rejectionRows={result.rejectionRows} total={result.summary.rejections} /> : null}
      {selected && !result ? (
        selected.summary ? (
          <Summary summary={selected.summary} rejectionRows={selected.rejectionRows} total={selected.run.rejections} />
        ) : (
          <div className="card">
            <h3>Run {selected.run.id.slice(0, 8)}</h3>
            <p>This run did not finish.</p>
          </div>
        )
      ) : null}
      <div className="card">
        <h3>Recent runs</h3>
        <table>
          <thead>
            <tr>
              <th>Started</th>
              <th>By</th>
              <th>Files</th>
              <th className="num">Rows</th>
              <th className="num">Rejected</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id}>
                <td>
                  {t(r.createdAt)} {r.dryRun ? <span className="badge warn">dry run</span> : null}{' '}
                  {r.failure ? (
                    <span className="badge off" title={r.failure}>
                      failed: {r.failure}
                    </span>
                  ) : r.finishedAt ? null : (
                    <span className="badge off">unfinished</span>
                  )}
                </td>
                <td>{r.startedBy}</td>
                <td>{r.files.join(', ')}</td>
                <td className="num">{r.rows ?? '—'}</td>
                <td className="num">{r.rejections}</td>
                <td>
                  <Link to={`/admin/import?run=${r.id}`}>rejections</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {runs.length === 0 ? <p>No imports yet.</p> : null}
      </div>
    </>
  );
}
