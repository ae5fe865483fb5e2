import type { LoaderFunctionArgs } from '@remix-run/node';
import { shiftReportCsv } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

/** The shift's Z report (or current X figures while open) as CSV, times in the store's zone. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const report = await shiftReportCsv(getDatabase(), params.shiftId ?? '');
  if (!report) throw new Response('No such shift', { status: 404 });
  return new Response(report.csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${report.fileName}"`,
      'cache-control': 'no-store',
    },
  });
}
