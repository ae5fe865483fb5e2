// Who may call a function. Every handler spec names its principal; `defineHandler` checks it before
// the body is read or anything is stored, so an anonymous caller costs a token check and nothing else.
import { timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { serverConfig } from '../../config/server-config';
import type { Database } from '../../db/client';
import { sessionFromCookie, type AdminSession } from '../../services/admin-auth';
import { DomainError } from '../../core/errors';
import { authenticateDevice, type DeviceIdentity } from '../../services/device-auth';
import { callerIsThisMachine, cookieHeader, header } from './client';
import { HttpError, httpErrorOf, unavailable } from './errors';
import { deviceAuthFailures } from './metrics';

/**
 * - `device`: a register's bearer token (`device-renew`: the renew endpoint, which also takes a
 *   recently expired one);
 * - `admin`: a back-office session cookie; `device-or-admin`: either;
 * - `metrics`: a loopback caller or `Authorization: Bearer $METRICS_TOKEN`;
 * - `anonymous`: anyone (health, pairing: the pairing code is the credential).
 */
export type AuthMode = 'anonymous' | 'device' | 'device-renew' | 'admin' | 'device-or-admin' | 'metrics';

export type DevicePrincipal = { kind: 'device'; device: DeviceIdentity };
export type AdminPrincipal = { kind: 'admin'; admin: AdminSession };
export type Principal = { kind: 'anonymous' } | { kind: 'metrics' } | DevicePrincipal | AdminPrincipal;

export type PrincipalFor<A extends AuthMode> = A extends 'device' | 'device-renew'
  ? DevicePrincipal
  : A extends 'admin'
    ? AdminPrincipal
    : A extends 'device-or-admin'
      ? DevicePrincipal | AdminPrincipal
      : A extends 'metrics'
        ? { kind: 'metrics' }
        : { kind: 'anonymous' };

const bearer = { 'www-authenticate': 'Bearer realm="till"' };
const unauthorized = (message: string, error = 'unauthorized') => new HttpError(401, error, [{ path: 'authorization', message }], bearer);

/** Anything but a verdict on the credential itself (database down, pool closed) is a 503. */
async function infra<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof HttpError) throw e;
    if (e instanceof DomainError && (e.kind === 'unauthenticated' || e.kind === 'forbidden')) {
      deviceAuthFailures.inc({ reason: e.code ?? (e.kind === 'forbidden' ? 'forbidden' : 'unauthorized') });
      // `token_expired` tells the register to renew rather than to re-pair.
      if (e.kind === 'forbidden') throw httpErrorOf(e, { path: 'authorization' });
      throw httpErrorOf(e, { path: 'authorization', headers: bearer, ...(e.code === 'token_expired' ? { error: 'token_expired' } : {}) });
    }
    throw unavailable();
  }
}

async function device(database: Database, event: APIGatewayProxyEventV2, allowExpired: boolean): Promise<DevicePrincipal> {
  const depth = Number(header(event, 'x-till-queue-depth'));
  const identity = await infra(() =>
    authenticateDevice(database, header(event, 'authorization'), {
      appVersion: header(event, 'x-till-app-version')?.slice(0, 40),
      queueDepth: Number.isSafeInteger(depth) && depth >= 0 ? depth : undefined,
      allowExpired,
    }),
  );
  return { kind: 'device', device: identity };
}

async function admin(database: Database, event: APIGatewayProxyEventV2): Promise<AdminPrincipal> {
  const session = await infra(() => sessionFromCookie(database, cookieHeader(event)));
  if (!session) throw unauthorized('an admin session is required');
  return { kind: 'admin', admin: session };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function metrics(event: APIGatewayProxyEventV2): { kind: 'metrics' } {
  const token = serverConfig().METRICS_TOKEN;
  const presented = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '')?.[1];
  if (token && presented && sameSecret(presented, token)) return { kind: 'metrics' };
  if (callerIsThisMachine(event)) return { kind: 'metrics' };
  throw unauthorized('metrics are served to this machine or with the scrape token');
}

export async function authenticate<A extends AuthMode>(mode: A, database: () => Database, event: APIGatewayProxyEventV2): Promise<PrincipalFor<A>> {
  const p = await (async (): Promise<Principal> => {
    switch (mode) {
      case 'anonymous':
        return { kind: 'anonymous' };
      case 'metrics':
        return metrics(event);
      case 'device':
        return device(database(), event, false);
      case 'device-renew':
        return device(database(), event, true);
      case 'admin':
        return admin(database(), event);
      case 'device-or-admin':
        // A register sends a bearer token, the back office a cookie; a token, when present, decides.
        if (header(event, 'authorization')) return device(database(), event, false);
        if (cookieHeader(event)) return admin(database(), event);
        throw unauthorized('a device token or an admin session is required');
    }
    throw new Error(`unknown auth mode ${String(mode)}`);
  })();
  return p as PrincipalFor<A>;
}

/** The companies a principal may read: a device's own, everything for an admin. */
export function companyScope(p: DevicePrincipal | AdminPrincipal): string[] | 'all' {
  return p.kind === 'device' ? p.device.companyIds : 'all';
}

/** 403 naming the field when a device asks for a company it is not paired in. */
export function requireCompany(p: DevicePrincipal | AdminPrincipal, companyId: string, field = 'path.companyId') {
  const scope = companyScope(p);
  if (scope !== 'all' && !scope.includes(companyId)) {
    throw new HttpError(403, 'forbidden', [{ path: field, message: 'this register has no device in that company' }]);
  }
}
