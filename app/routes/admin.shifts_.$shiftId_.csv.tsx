import type { LoaderFunctionArgs } from '@remix-run/node';
import { figuresCsv, getShift, getZReport, xReport } from '../lib/services.server';
import { requireAdmin } from '../lib/admin-session.server';
import { getDatabase } from '../lib/db.server';

/** The shift's Z report (or current X figures while open) as CSV. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const database = getDatabase();
  const shift = await getShift(database, params.shiftId ?? '');
  if (!shift) throw new Response('No such shift', { status: 404 });
  const z = await getZReport(database, shift.id);
  const figures = z ? z.figures : await xReport(database, shift.id);
  const head: Record<string, string | number> = {
    report: z ? `Z ${z.number}` : 'X',
    company: shift.companyName,
    register: `${shift.registerCode} ${shift.registerName}`,
    currency: shift.currency,
    opened: shift.openedAt,
    closed: shift.closedAt ?? '',
    generated: new Date().toISOString(),
  };
  const name = z ? `z-${z.number}-${shift.registerCode}` : `x-${shift.registerCode}-${shift.openedAt.slice(0, 10)}`;
  return new Response(figuresCsv(head, figures, shift.currencyExponent), {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`,
      'cache-control': 'no-store',
    },
  });
}
