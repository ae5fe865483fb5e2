// The register in the browser: its local database (in a Worker), its identity, sync in both
// directions, status. Status is kept here and refreshed by events (a sale, a push, a sync commit, the
// edge coming and going), never by polling, so the selling path never waits behind housekeeping.
import { apiErrorSchema, pairAnswerSchema } from '../../core/edge-api';
import type { DbEvent } from '../../sync/register/db-protocol';
import { localRejections, queueDepth, type LocalRejection } from '../../sync/register/outbox';
import { Pusher, type PushOutcome } from '../../sync/register/pusher';
import { createEdgeLink, type EdgeLink, type LinkOutcome } from './edge-link';
import { readIdentity, type FirstScreen, type RegisterIdentity } from './first-screen';
import type { RegisterDatabase } from './register-procedures';
import type { OpenedDatabase } from './register-open.client';
import type { ShellUpdater, ShellUpdateState } from './shell-update';
const LAST_SYNC_KEY = 'till.last-sync-at';

export type { RegisterIdentity };

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
  /** Where the local database lives: `opfs-ahp` (in the worker) or the `idb` fallback. */
  storage: string;
  /** This page's app version, and where it stands against the edge's (app/pos/shell-update.ts). */
  appVersion: string;
  shell: ShellUpdateState;
  /** A sale is under way: an update waits for it. */
  saleUnderWay: boolean;
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
  readonly link: EdgeLink;
  readonly db: RegisterDatabase;
  private pusher: Pusher | undefined;
  private renewing: Promise<'renewed' | 'offline' | 'refused'> | undefined;
  private syncing = false;
  private initialSyncDone = false;
  private listeners = new Set<() => void>();
  private masterListeners = new Set<() => void>();
  private counters: Pick<RegisterStatus, 'queueDepth' | 'rejections'> = { queueDepth: 0, rejections: [] };
  private companies: { id: string; code: string; name: string }[] = [];
  private countersTimer: ReturnType<typeof setTimeout> | undefined;
  private current: RegisterStatus | undefined;
  /** Companies for the status were read with the first screen: starting need not read them again. */
  private companiesRead = false;
  identity: RegisterIdentity | undefined;
  /** Counts master-data changes: data read before one (the first screen's) is stale after it. */
  masterVersion = 0;

  constructor(
    opened: Pick<OpenedDatabase, 'db' | 'storage' | 'onEvent'>,
    readonly baseUrl: string,
    /** Knows this page's app version; updates the shell when the edge runs a newer one. */
    readonly shell: ShellUpdater,
  ) {
    this.db = opened.db;
    this.storage = opened.storage;
    this.link = createEdgeLink(undefined, { probeUrl: `${baseUrl}/health` });
    opened.onEvent((e) => this.onDbEvent(e));
    shell.subscribe(() => this.changed());
    let reachable = this.link.reachable;
    this.link.subscribe(() => {
      this.shell.edgeVersion(this.link.state.edgeVersion);
      // Remembered across reloads, so an offline register still shows when it last synced.
      if (this.link.state.online && this.link.state.lastOkAt) localStorage.setItem(LAST_SYNC_KEY, String(this.link.state.lastOkAt));
      // A live shape answered token_expired: renew, then restart the shapes with the new token.
      if (this.link.state.tokenExpired && this.link.state.online && !this.renewing) {
        void this.renewToken().then((r) => (r === 'renewed' ? this.start() : undefined));
      }
      if (reachable !== this.link.reachable) {
        reachable = this.link.reachable;
        void this.db.call('setReachable', reachable).catch(() => undefined);
      }
      this.changed();
    });
    // The edge is back: drain the queue now, not at the end of a back-off.
    this.link.onReachable(() => this.pusher?.kick());
  }

  readonly storage: string;

  /** The database as PGlite-like `query` (console and tests: `await till.pg.query('…')`). */
  get pg(): RegisterDatabase {
    return this.db;
  }

  private onDbEvent(e: DbEvent) {
    if (e.event === 'link') return this.link.record(e.outcome as LinkOutcome);
    if (e.event === 'initial-sync') {
      this.initialSyncDone = true;
      this.changed();
    }
    if (e.event === 'config-changed' || e.event === 'initial-sync') void this.refreshMaster();
    if (e.event === 'config-changed') this.refreshCounters();
    if (e.event === 'catalog-synced') this.changed();
  }

  /** Any status change (link, counters, sync progress): cheap, from memory. */
  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  /** Companies, settings or cashiers changed: screens that show them reload them. */
  onMasterData(l: () => void): () => void {
    this.masterListeners.add(l);
    return () => {
      this.masterListeners.delete(l);
    };
  }

  private changed() {
    this.current = undefined;
    this.listeners.forEach((l) => l());
  }

  private async refreshMaster() {
    this.companies = (await this.db.query<{ id: string; code: string; name: string }>(`SELECT id, code, name FROM companies ORDER BY name`)).rows;
    this.masterVersion++;
    this.masterListeners.forEach((l) => l());
    this.changed();
  }

  /** Queue depth and rejections, after a sale, a push or a sync: debounced, so a burst costs one read. */
  refreshCounters(delayMs = 100) {
    if (this.countersTimer) return;
    this.countersTimer = setTimeout(() => {
      this.countersTimer = undefined;
      void Promise.all([queueDepth(this.db), localRejections(this.db)])
        .then(([depth, rejections]) => {
          this.counters = { queueDepth: depth, rejections };
          this.changed();
        })
        .catch(() => undefined);
    }, delayMs);
  }

  async loadIdentity(): Promise<RegisterIdentity | undefined> {
    this.identity = await readIdentity(this.db);
    return this.identity;
  }

  /** Identity, store data and (given the cashier's companies) their shifts, in one message (first-screen.ts). */
  async loadFirstScreen(companyIds?: string[]): Promise<FirstScreen & { masterVersion: number }> {
    const masterVersion = this.masterVersion;
    const first = await this.db.call('firstScreen', companyIds ?? null);
    this.identity = first.identity;
    if (first.identity) {
      this.companies = first.store.companies.map(({ id, code, name }) => ({ id, code, name }));
      this.companiesRead = true;
    }
    return { ...first, masterVersion };
  }

  /** Exchanges the admin's pairing code for a device token, and resumes receipt numbers after the edge's last. */
  async pair(pairingCode: string): Promise<void> {
    const res = await this.link.fetch(`${this.baseUrl}/sync/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode, appVersion: this.shell.shellVersion }),
    });
    const json: unknown = await res.json();
    if (!res.ok) {
      const e = apiErrorSchema.safeParse(json);
      throw new Error(e.success ? (e.data.issues?.[0]?.message ?? e.data.error) : `pairing failed (${res.status})`);
    }
    const body = pairAnswerSchema.parse(json);
    await this.db.transaction([
      { sql: `DELETE FROM register_identity` },
      // A new pairing is a new device epoch with its own receipt series.
      { sql: `DELETE FROM receipt_counters` },
      {
        sql: `INSERT INTO register_identity (id, token, register_id, register_code, devices) VALUES (1, $1, $2, $3, $4)`,
        params: [body.token, body.registerId, body.registerCode, JSON.stringify(body.devices)],
      },
      ...Object.entries(body.lastReceiptNumbers)
        .filter(([, last]) => last)
        .map(([deviceId, last]) => ({
          sql: `INSERT INTO receipt_counters (device_id, last_number) VALUES ($1, $2)
                ON CONFLICT (device_id) DO UPDATE SET last_number = GREATEST(receipt_counters.last_number, EXCLUDED.last_number)`,
          params: [deviceId, last],
        })),
    ]);
    this.link.state.unauthorized = false;
    await this.loadIdentity();
  }

  private async storeToken(token: string) {
    await this.db.query(`UPDATE register_identity SET token = $1 WHERE id = 1`, [token]);
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

  /** Starts pulling shapes (in the worker) and pushing the outbox; safe to call again (Reconnect). */
  async start(): Promise<void> {
    if (!this.syncing) {
      this.syncing = true;
      // Status from what is already local: a warm reload shows the last state at once (read with
      // the first screen, nothing changed since: screens need not read it again).
      if (this.companiesRead) this.changed();
      else void this.refreshMaster();
      this.refreshCounters(0);
      void this.syncedBefore().then((done) => {
        if (done && !this.initialSyncDone) {
          this.initialSyncDone = true;
          this.changed();
        }
      });
    }
    // A fresh page knows nothing of the edge yet: one probe first, so an offline reload sends that
    // one request instead of a burst of shape, push and renew requests that all fail.
    await this.link.settle();
    if (this.identity && tokenDue(this.identity.token) && this.link.reachable) await this.renewToken();
    const id = this.identity;
    if (!id) throw new Error('this browser is not paired as a register');
    await this.db.call('startSync', { baseUrl: this.baseUrl, token: id.token });
    if (!this.pusher) {
      this.pusher = new Pusher(this.db, {
        baseUrl: this.baseUrl,
        token: () => this.identity?.token,
        fetch: this.link.fetch,
        appVersion: this.shell.shellVersion,
        renew: () => this.renewToken(),
        onToken: (token) => this.storeToken(token),
        reachable: () => this.link.reachable,
        // Nothing waits on this timer: a sale kicks the pusher, and so does the edge coming back.
        idleMs: 30_000,
        onOutcome: (o) => {
          if (o.kind !== 'idle') this.refreshCounters();
          this.changed();
        },
      });
      this.pusher.start();
    } else {
      this.pusher.kick();
    }
  }

  /** After a sale: push now. */
  kick() {
    this.pusher?.kick();
    this.refreshCounters(0);
  }

  /**
   * Reconnect / Sync both: probe the edge when it looked unreachable, catch up the small tables and
   * push now. The live catalog resumes by itself once the edge answers (its requests wait meanwhile).
   */
  async reconnect() {
    if (!this.link.reachable && !(await this.link.probe())) return;
    this.pusher?.kick();
    await this.db.call('refreshSync');
    this.refreshCounters();
  }

  /** The sell screen says when a sale is under way (cart, tender, completing): an update waits for it. */
  setSaleUnderWay(busy: boolean) {
    if (busy === this.shell.busy) return;
    this.shell.setBusy(busy);
    this.changed();
  }

  stop() {
    this.shell.stop();
    void this.db.call('stopSync').catch(() => undefined);
    this.pusher?.stop();
    this.link.stop();
  }

  /** Both subscriptions have committed at least once (in this or an earlier session). */
  private async syncedBefore(): Promise<boolean> {
    const r = await this.db
      .query<{ n: number }>(`SELECT count(*)::int AS n FROM electric.subscriptions_metadata WHERE key IN ('register-catalog', 'register-config')`)
      .catch(() => ({ rows: [{ n: 0 }] }));
    return r.rows[0]!.n === 2;
  }

  /** The status as last known: no database work (counters are refreshed by events). */
  status(): RegisterStatus {
    if (this.current) return this.current;
    const s = this.link.state;
    const state: CompanyStatus['state'] = s.unauthorized ? 'REVOKED' : s.online ? 'OK' : 'OFFLINE';
    const lastSyncAt = s.lastOkAt ?? (Number(localStorage.getItem(LAST_SYNC_KEY)) || null);
    this.current = {
      companies: this.companies.map((c) => ({ ...c, state, lastSyncAt })),
      ...this.counters,
      initialSyncDone: this.initialSyncDone,
      lastPush: this.pusher?.lastOutcome ?? { kind: 'idle' },
      storage: this.storage,
      appVersion: this.shell.shellVersion,
      shell: this.shell.state,
      saleUnderWay: this.shell.busy,
    };
    return this.current;
  }
}
