// The public port as a register meets it: https, the store CA as the only trust anchor, the
// certificate checked against EDGE_HOSTNAME, and the status /health reports.
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { errorText, type CheckResult } from './check';

interface HealthBody {
  status?: string;
  database?: { reachable?: boolean };
  migrations?: { current?: boolean } | null;
  worker?: { alive?: boolean };
}

function get(opts: { address: string; port: number; name: string; ca: string; timeoutMs: number }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: opts.address,
        port: opts.port,
        path: '/health',
        method: 'GET',
        ca: opts.ca,
        // SNI takes names only; the identity check below covers an IP EDGE_HOSTNAME too.
        servername: net.isIP(opts.name) ? undefined : opts.name,
        checkServerIdentity: (_host, cert) => tls.checkServerIdentity(opts.name, cert),
        agent: false,
        timeout: opts.timeoutMs,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${Math.round(opts.timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

const TLS_CODES = /^(ERR_TLS_|UNABLE_TO_|SELF_SIGNED|DEPTH_ZERO|CERT_)/;

export async function checkEdge(opts: { host: string; port: number; edgeHostname: string; tlsDir: string; timeoutMs?: number }): Promise<CheckResult> {
  const name = 'edge';
  let ca: string;
  try {
    ca = readFileSync(path.join(opts.tlsDir, 'ca.crt'), 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? '' : ` (${errorText(e)})`;
    return { name, verdict: 'FAIL', detail: `not checked: no store CA at ${path.join(opts.tlsDir, 'ca.crt')} to trust${why}`, fix: 'see the certificate line' };
  }
  // The launcher listens on HOST; on every interface, loopback reaches it from here.
  const address = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host;
  const url = `https://${opts.edgeHostname}:${opts.port}`;
  const at = `reached at ${net.isIPv6(address) ? `[${address}]` : address}:${opts.port}`;
  let res: { status: number; body: string };
  try {
    res = await get({ address, port: opts.port, name: opts.edgeHostname, ca, timeoutMs: opts.timeoutMs ?? 5_000 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code === 'ECONNREFUSED') {
      return {
        name,
        verdict: 'FAIL',
        detail: `nothing answers on ${url} (${at}, ECONNREFUSED): the edge is not running`,
        fix: 'start it with npm start (with the edge\u2019s HOST and PORT)',
      };
    }
    if (TLS_CODES.test(code)) {
      return {
        name,
        verdict: 'FAIL',
        detail: `${url} answers, but registers would not trust it (${errorText(e)})`,
        fix: 'see the certificate line; restarting the edge re-issues its server certificate from the store CA',
      };
    }
    return { name, verdict: 'FAIL', detail: `${url} (${at}) does not answer: ${errorText(e)}`, fix: 'check the edge\u2019s log and restart it' };
  }
  let body: HealthBody = {};
  try {
    body = JSON.parse(res.body) as HealthBody;
  } catch {
    // A non-JSON answer (the front door's own error page) is judged by its status below.
  }
  if (res.status === 200 && body.status === 'ok') {
    return { name, verdict: 'OK', detail: `${url}/health answers ok: database reachable, migrations current, worker alive (store CA trusted, ${at})` };
  }
  if (res.status === 200 && body.status === 'degraded') {
    const parts = [body.migrations?.current === false ? 'migrations not current' : '', body.worker?.alive === false ? 'worker not alive' : ''].filter(Boolean);
    return {
      name,
      verdict: 'WARN',
      detail: `${url}/health answers degraded: ${parts.join(', ') || 'no reason given'}`,
      fix: 'see the database and worker lines',
    };
  }
  if (res.status === 503 && body.status === 'down') {
    return {
      name,
      verdict: 'FAIL',
      detail: `${url}/health answers down: the edge cannot reach its database`,
      fix: 'see the database line and the edge\u2019s log',
    };
  }
  return {
    name,
    verdict: 'FAIL',
    detail: `${url}/health answers HTTP ${res.status}${body.status ? ` (${body.status})` : ''}`,
    fix: 'the edge\u2019s function server is not answering: check the edge\u2019s log and restart it',
  };
}
