import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useEffect, useState, type ComponentType } from 'react';
import { publicEdgeUrl, runningAppVersion } from '../lib/services.server';
import { POS_PATH } from '../pos/register-boot';
import type { BootsRegister } from '../pos/RegisterBootScript';
import { startOpeningRegister } from '../pos/register-open.client';

export const meta: MetaFunction = () => [{ title: 'Till POS' }];

/** The root puts the register's boot script first in the head (app/pos/RegisterBootScript.tsx). */
export const handle: BootsRegister = { bootsRegister: true };

/**
 * Public: the shell, the address registers must use, and the app version this shell is (the build's:
 * the page cached offline keeps the version it was served with). Everything else needs the register's token.
 */
export function loader({ request }: LoaderFunctionArgs) {
  const edge = publicEdgeUrl(request.url);
  return json({ posUrl: `${edge}/pos`, setupUrl: `${edge.replace(/^https:/, 'http:')}/setup`, appVersion: runningAppVersion() });
}

/**
 * Without a secure context the browser withholds what the register stands on (service worker for
 * offline reloads, persistent storage): say so, with the right address, rather than fail at the first sale.
 */
function InsecureContext({ posUrl, setupUrl }: { posUrl: string; setupUrl: string }) {
  return (
    <div
      role="alert"
      data-testid="insecure-context"
      style={{ position: 'fixed', inset: 0, display: 'grid', placeItems: 'center', background: '#fff7e6', padding: '2rem' }}
    >
      <div style={{ maxWidth: 640 }}>
        <h1>Open the POS over https</h1>
        <p>
          This page was opened at <code>{location.origin}</code>, which the browser does not treat as secure, so the register could not keep selling through an
          outage here. Open:
        </p>
        <p style={{ fontSize: 22 }}>
          <a href={posUrl}>{posUrl}</a>
        </p>
        <p>
          First time on this device, or the browser warns about the certificate? Install the store certificate from <a href={setupUrl}>{setupUrl}</a> once.
        </p>
      </div>
    </div>
  );
}

/**
 * In the browser the register database starts opening as soon as this module runs, before React
 * hydrates and while the POS code loads (only on the POS page itself: a module loaded ahead for
 * another page must not take the register's lock). It takes over the worker and PGlite's files the
 * page's inline script started as the HTML arrived (`RegisterBoot`).
 */
if (typeof window !== 'undefined' && window.isSecureContext && POS_PATH.test(location.pathname)) startOpeningRegister();

/** The POS runs entirely in the browser (local database, offline selling); the server sends the shell. */
export default function Pos() {
  const { appVersion, ...urls } = useLoaderData<typeof loader>();
  const [App, setApp] = useState<ComponentType<{ appVersion: string }> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secure, setSecure] = useState<boolean | null>(null);
  useEffect(() => {
    setSecure(window.isSecureContext);
    if (!window.isSecureContext) return;
    import('../pos/PosApp.client').then((m) => setApp(() => m.PosApp)).catch((e: Error) => setError(e.message));
  }, []);
  if (secure === false) return <InsecureContext {...urls} />;
  if (error)
    return (
      <p className="error" role="alert" style={{ padding: '1rem' }}>
        The POS could not load: {error}
      </p>
    );
  return App ? (
    <App appVersion={appVersion} />
  ) : (
    <p className="muted" style={{ padding: '1rem' }}>
      Loading the register…
    </p>
  );
}
