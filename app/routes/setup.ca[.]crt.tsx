import type { LoaderFunctionArgs } from '@remix-run/node';
import { readStoreCa } from '../lib/services.server';

/** GET /setup/ca.crt (public, also over plain http): the store CA certificate a register installs once. */
export function loader(_args: LoaderFunctionArgs) {
  const ca = readStoreCa();
  if (!ca) return new Response('This edge has no store certificate authority.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(ca.pem, {
    headers: {
      'content-type': 'application/x-x509-ca-cert',
      'content-disposition': 'attachment; filename="till-store-ca.crt"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
