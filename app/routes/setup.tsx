import { json, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { publicEdgeUrl, readStoreCa } from '../lib/services.server';

export const meta: MetaFunction = () => [{ title: 'Set up a register · Till' }];

/** Public, and served over plain http too: a register needs it before it trusts the store CA. */
export function loader({ request }: LoaderFunctionArgs) {
  const ca = readStoreCa();
  return json({ fingerprint: ca?.fingerprint ?? null, notAfter: ca?.notAfter ?? null, posUrl: `${publicEdgeUrl(request.url)}/pos` });
}

const STEPS: { platform: string; steps: string[] }[] = [
  {
    platform: 'Windows (Chrome or Edge)',
    steps: [
      'Download the store certificate (above) and open the file.',
      'Check the SHA-256 fingerprint (Details tab → Thumbprint shows SHA-1; compare SHA-256 with `certutil -hashfile till-store-ca.crt SHA256` if unsure).',
      'Install Certificate… → Local Machine → Place all certificates in: Trusted Root Certification Authorities → Finish.',
      'Restart the browser.',
    ],
  },
  {
    platform: 'macOS',
    steps: [
      'Download the certificate and double-click it: Keychain Access adds it to the System keychain.',
      'Open it in Keychain Access, compare the SHA-256 fingerprint, then Trust → When using this certificate: Always Trust.',
      'Close the window (enter the administrator password) and restart the browser.',
    ],
  },
  {
    platform: 'ChromeOS (managed: Google Admin console)',
    steps: [
      'Devices → Networks → Certificates → Add certificate: upload the certificate and tick Chromebook (use it as an HTTPS certificate authority).',
      'Apply it to the organisational unit of the store’s registers; they pick it up at the next policy refresh.',
      'Unmanaged Chromebook: Settings → Privacy and security → Security → Manage certificates → Authorities → Import, tick “Trust this certificate for identifying websites”.',
    ],
  },
  {
    platform: 'Android (tablet registers)',
    steps: [
      'Download the certificate.',
      'Settings → Security → Encryption & credentials → Install a certificate → CA certificate → Install anyway → choose the file.',
      'Chrome uses it at once; check the fingerprint under Trusted credentials → User.',
    ],
  },
  {
    platform: 'Linux (Chromium or Chrome)',
    steps: [
      'Download the certificate.',
      'Chromium: Settings → Privacy and security → Security → Manage certificates → Authorities → Import, tick “Trust this certificate for identifying websites”.',
      'Or for every user of the machine: `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Till store CA" -i till-store-ca.crt` (package libnss3-tools).',
    ],
  },
];

export default function Setup() {
  const { fingerprint, notAfter, posUrl } = useLoaderData<typeof loader>();
  return (
    <main style={{ maxWidth: 860, margin: '2rem auto', padding: '0 1rem' }}>
      <h1>Set up a register</h1>
      <p>
        Registers reach this edge over https with a certificate from the store&apos;s own certificate authority. Install that authority once on each register,
        then open the POS at <a href={posUrl}>{posUrl}</a>. Always open it at this same address: the register keeps its sales queue under it.
      </p>
      {fingerprint ? (
        <section className="card">
          <h2>Store certificate</h2>
          <p>
            <a className="button primary" href="/setup/ca.crt" download="till-store-ca.crt">
              Download the store certificate
            </a>
          </p>
          <p>SHA-256 fingerprint (compare it with the one on the edge&apos;s console or in Admin → Registers before you trust it):</p>
          <p data-testid="ca-fingerprint" style={{ fontFamily: 'monospace', wordBreak: 'break-all', fontSize: 15 }}>
            {fingerprint}
          </p>
          <p className="muted">Valid until {notAfter?.slice(0, 10)}.</p>
        </section>
      ) : (
        <p className="error" role="alert">
          This edge has no store certificate authority (it is served with a public certificate): open the POS directly.
        </p>
      )}
      {STEPS.map((s) => (
        <section key={s.platform} className="card">
          <h3>{s.platform}</h3>
          <ol>
            {s.steps.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ol>
        </section>
      ))}
    </main>
  );
}
