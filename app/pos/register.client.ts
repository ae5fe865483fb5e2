// The register in the browser: its local database, its identity, sync in both directions, status.
import { PGlite } from '@electric-sql/pglite';
import { electricSync } from '@electric-sql/pglite-sync';
import { localRejections, queueDepth, type LocalRejection } from '../../sync/register/outbox';
import { Pusher, type PushOutcome } from '../../sync/register/pusher';
import { applyLocalSchema, startShapeSync, type PGliteWithSync, type ShapeSyncHandle } from '../../sync/register/shape-sync';
import { createEdgeLink, type EdgeLink } from './edge-link';

export const APP_VERSION = '0.1.0';
const DB_NAME = 'idb://till-register';
const LAST_SYNC_KEY = 'till.last-sync-at';

export interface RegisterIdentity {
  token: string;
  registerId: string;
  registerCode: string;
  devices: { id: string; companyId: string; companyCode: string; code: string; warehouseId: string | null }[];
}

export interface CompanyStatus {
  id: string;
  code: string;
  name: string;
  state: 'OK' | 'OFFLINE' | 'REVOKED';
  lastSyncAt: number | null;
}

export interface RegisterStatus {
  companies: CompanyStatus[];
  queueDepth: number;
  rejections: LocalRejection[];
  initialSyncDone: boolean;
  lastPush: PushOutcome;
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(message)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e) => (clearTimeout(t), reject(e)),
    );
  });
}

/** Opens (or creates) the register database; a missing asset makes PGlite hang, so it is bounded. */
export async function openRegisterDatabase(timeoutMs = 30_000): Promise<PGliteWithSync> {
  const open = async () => {
    const [pgliteWasmModule, initdbWasmModule, fsBundle] = await Promise.all([
      WebAssembly.compileStreaming(fetch('/pglite/pglite.wasm')),
      WebAssembly.compileStreaming(fetch('/pglite/initdb.wasm')),
      fetch('/pglite/pglite.data').then((r) => {
        if (!r.ok) throw new Error(`pglite.data: ${r.status}`);
        return r.blob();
      }),
    ]);
    const pg = (await PGlite.create(DB_NAME, {
      pgliteWasmModule,
      initdbWasmModule,
      fsBundle,
      extensions: { sync: electricSync() },
    })) as unknown as PGliteWithSync;
    await applyLocalSchema(pg);
    return pg;
  };
  return withTimeout(open(), timeoutMs, `The register database did not open within ${timeoutMs / 1000} s`);
}

/** Past half its life, expired, or from before tokens expired: ask the edge for a fresh one. */
export function tokenDue(token: string, nowSeconds = Date.now() / 1000): boolean {
  try {
    const part = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const { iat, exp } = JSON.parse(atob(part)) as { iat?: number; exp?: number };
    if (typeof iat !== 'number' || typeof exp !== 'number') return true;
    return nowSeconds >= iat + (exp - iat) / 2;
  } catch {
    return false;
  }
}

export class Register {
  readonly link: EdgeLink = createEdgeLink();
  private shapes: ShapeSyncHandle | undefined;
  private pusher: Pusher | undefined;
  private renewing: Promise<'renewed' | 'offline' | 'refused'> | undefined;
  private initialSyncDone = false;
  private listeners = new Set<() => void>();
  identity: RegisterIdentity | undefined;

  constructor(
    readonly pg: PGliteWithSync,
    readonly baseUrl: string,
  ) {
    this.link.subscribe(() => {
      // Remembered across reloads, so an offline register still shows when it last synced.
      if (this.link.state.online && this.link.state.lastOkAt) localStorage.setItem(LAST_SYNC_KEY, String(this.link.state.lastOkAt));
      // A live shape answered token_expired: renew, then restart the shapes with the new token.
      if (this.link.state.tokenExpired && this.link.state.online && !this.renewing) {
        void this.renewToken().then((r) => (r === 'renewed' ? this.start() : undefined));
      }
      this.changed();
    });
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  private changed() {
    this.listeners.forEach((l) => l());
  }

  async loadIdentity(): Promise<RegisterIdentity | undefined> {
    const r = await this.pg.query<{ token: string; register_id: string; register_code: string; devices: RegisterIdentity['devices'] }>(
      `SELECT token, register_id, register_code, devices FROM register_identity WHERE id = 1`,
    );
    const row = r.rows[0];
    this.identity = row ? { token: row.token, registerId: row.register_id, registerCode: row.register_code, devices: row.devices } : undefined;
    return this.identity;
  }

  /** Exchanges the admin's pairing code for a device token, and resumes receipt numbers after the edge's last. */
  async pair(pairingCode: string): Promise<void> {
    const res = await this.link.fetch(`${this.baseUrl}/sync/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode, appVersion: APP_VERSION }),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.issues?.[0]?.message ?? body.error ?? `pairing failed (${res.status})`);
    await this.pg.transaction(async (tx) => {
      await tx.query(`DELETE FROM register_identity`);
      // A new pairing is a new device epoch with its own receipt series.
      await tx.query(`DELETE FROM receipt_counters`);
      await tx.query(`INSERT INTO register_identity (id, token, register_id, register_code, devices) VALUES (1, $1, $2, $3, $4)`, [
        body.token,
        body.registerId,
        body.registerCode,
        JSON.stringify(body.devices),
      ]);
      for (const [deviceId, last] of Object.entries(body.lastReceiptNumbers as Record<string, string | null>)) {
        if (last) {
          await tx.query(
            `INSERT INTO receipt_counters (device_id, last_number) VALUES ($1, $2)
             ON CONFLICT (device_id) DO UPDATE SET last_number = GREATEST(receipt_counters.last_number, EXCLUDED.last_number)`,
            [deviceId, last],
          );
        }
      }
    });
    this.link.state.unauthorized = false;
    await this.loadIdentity();
  }

  private async storeToken(token: string) {
    await this.pg.query(`UPDATE register_identity SET token = $1 WHERE id = 1`, [token]);
    if (this.identity) this.identity.token = token;
    this.link.state.tokenExpired = false;
    this.link.state.unauthorized = false;
  }

  /**
   * Exchanges the current token for a fresh one (also an expired one, within the edge's grace
   * period). Offline it changes nothing: selling goes on and the renewal is retried later.
   */
  renewToken(): Promise<'renewed' | 'offline' | 'refused'> {
    this.renewing ??= (async () => {
      const token = this.identity?.token;
      if (!token) return 'refused' as const;
      try {
        const res = await this.link.fetch(`${this.baseUrl}/sync/renew`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
        if (res.ok) {
          await this.storeToken(((await res.json()) as { token: string }).token);
          return 'renewed' as const;
        }
        if (res.status !== 401 && res.status !== 403) return 'offline' as const;
        this.link.state.tokenExpired = false; // revoked, or expired beyond the grace: pairing again is the way back
        return 'refused' as const;
      } catch {
        return 'offline' as const;
      }
    })().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /** Starts pulling shapes and pushing the outbox; safe to call again (Reconnect). */
  async start(): Promise<void> {
    if (this.identity && tokenDue(this.identity.token)) await this.renewToken();
    const id = this.identity;
    if (!id) throw new Error('this browser is not paired as a register');
    this.shapes?.unsubscribe();
    this.shapes = await startShapeSync(this.pg, {
      baseUrl: this.baseUrl,
      token: id.token,
      fetchClient: this.link.fetch,
      onInitialSync: () => {
        this.initialSyncDone = true;
        this.changed();
      },
      onError: () => this.changed(),
    });
    if (!this.pusher) {
      this.pusher = new Pusher(this.pg, {
        baseUrl: this.baseUrl,
        token: () => this.identity?.token,
        fetch: this.link.fetch,
        appVersion: APP_VERSION,
        renew: () => this.renewToken(),
        onToken: (token) => this.storeToken(token),
        onOutcome: () => this.changed(),
      });
      this.pusher.start();
    } else {
      this.pusher.kick();
    }
  }

  /** After a sale: push now. */
  kick() {
    this.pusher?.kick();
    this.changed();
  }

  /**
   * Reconnect / Sync both: catch up the small tables and push now. The live catalog is restarted
   * only when the edge was unreachable: a healthy one resumes by itself, and restarting it would
   * make the register re-check the whole catalog while the cashier scans.
   */
  async reconnect() {
    if (!this.shapes || !this.link.state.online) return this.start();
    this.pusher?.kick();
    await this.shapes.refresh();
    this.changed();
  }

  stop() {
    this.shapes?.unsubscribe();
    this.pusher?.stop();
  }

  /** Both subscriptions have committed at least once (in this or an earlier session). */
  private async syncedBefore(): Promise<boolean> {
    const r = await this.pg
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM electric.subscriptions_metadata WHERE key IN ('register-catalog', 'register-config')`)
      .catch(() => ({ rows: [{ n: 0 }] }));
    return r.rows[0]!.n === 2;
  }

  async status(): Promise<RegisterStatus> {
    const companies = await this.pg.query<{ id: string; code: string; name: string }>(`SELECT id, code, name FROM companies ORDER BY name`);
    const s = this.link.state;
    const state: CompanyStatus['state'] = s.unauthorized ? 'REVOKED' : s.online ? 'OK' : 'OFFLINE';
    return {
      companies: companies.rows.map((c) => ({ ...c, state, lastSyncAt: s.lastOkAt ?? (Number(localStorage.getItem(LAST_SYNC_KEY)) || null) })),
      queueDepth: await queueDepth(this.pg),
      rejections: await localRejections(this.pg),
      initialSyncDone: this.initialSyncDone || (this.shapes?.isUpToDate ?? false) || (await this.syncedBefore()),
      lastPush: this.pusher?.lastOutcome ?? { kind: 'idle' },
    };
  }
}
