// Sends the outbox to the edge in batches. Network errors and 5xx back off and retry (the edge
// applies each event at most once, so a resend after a lost answer is safe); a per-event
// rejection is recorded locally with the edge's reason; 401 means this register was revoked, except
// `token_expired`, which renews the token and pushes again. A fresh token in an answer is kept.
import { pushAnswerSchema } from '../../core/edge-api';
import type { Queryable } from './db-protocol';

export type PushOutcome =
  { kind: 'idle' } | { kind: 'sent'; accepted: number; rejected: number } | { kind: 'offline'; error: string } | { kind: 'revoked'; error: string };

export interface PusherOptions {
  baseUrl: string;
  token: () => string | undefined;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Reported with each push so the admin sees it. */
  appVersion?: string;
  timeoutMs?: number;
  /** Exchanges an expired token for a fresh one (POST /sync/renew). */
  renew?: () => Promise<'renewed' | 'offline' | 'refused'>;
  /** Keeps a fresh token the edge sent with a push answer. */
  onToken?: (token: string) => Promise<void>;
  /**
   * False while the edge is known to be unreachable: no push is tried (the register's one shared probe
   * finds out when it is back, and kicks the pusher). Absent: always try.
   */
  reachable?: () => boolean;
}

export async function pushOnce(pg: Queryable, opts: PusherOptions, renewed = false): Promise<PushOutcome> {
  const token = opts.token();
  if (!token) return { kind: 'revoked', error: 'not paired' };
  const batch = await pg.query<{ seq: number; event_id: string; payload: unknown }>(
    `SELECT seq, event_id, payload FROM outbox WHERE status = 'pending' ORDER BY seq LIMIT $1`,
    [opts.batchSize ?? 100],
  );
  if (batch.rows.length === 0) return { kind: 'idle' };
  const depth = (await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status = 'pending'`)).rows[0]!.n;
  let res: Response;
  try {
    res = await (opts.fetch ?? fetch)(`${opts.baseUrl}/sync/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-till-app-version': opts.appVersion ?? 'dev',
        'x-till-queue-depth': String(depth),
      },
      body: JSON.stringify({ events: batch.rows.map((r) => r.payload) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
    });
  } catch (e) {
    await markAttempt(
      pg,
      batch.rows.map((r) => r.seq),
    );
    return { kind: 'offline', error: (e as Error).message };
  }
  if (res.status === 401 || res.status === 403) {
    const text = await res.text();
    if (res.status === 401 && opts.renew && !renewed && errorCode(text) === 'token_expired') {
      const r = await opts.renew();
      if (r === 'renewed') return pushOnce(pg, opts, true);
      if (r === 'offline') return { kind: 'offline', error: 'could not renew the device token' };
    }
    return { kind: 'revoked', error: text };
  }
  if (!res.ok) {
    await markAttempt(
      pg,
      batch.rows.map((r) => r.seq),
    );
    return { kind: 'offline', error: `edge answered ${res.status}` };
  }
  // An answer that is not the edge's (a proxy's page, a cut-off body) is retried like a network
  // error: the events stay queued, and the edge applies each at most once.
  const parsed = pushAnswerSchema.safeParse(await res.json().catch(() => undefined));
  if (!parsed.success) {
    await markAttempt(
      pg,
      batch.rows.map((r) => r.seq),
    );
    return {
      kind: 'offline',
      error:
        `the edge's answer to a push could not be read (${res.status}): ${parsed.error.issues[0]?.path.join('.') || 'body'} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
    };
  }
  const body = parsed.data;
  if (body.token && opts.onToken) await opts.onToken(body.token);
  // Every result settled by one statement: atomic without a transaction, and one round trip.
  const settled = body.results.flatMap((r) => {
    const row = batch.rows[r.index];
    return row
      ? [{ seq: row.seq, status: r.status, reason: r.status === 'rejected' ? (r.reason ?? 'rejected by the edge') : null, field: r.field ?? null }]
      : [];
  });
  if (settled.length) {
    await pg.query(
      `UPDATE outbox o SET status = s.status, reason = s.reason, field = s.field, settled_at = now(), attempts = o.attempts + 1
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS s(seq, status, reason, field)
        WHERE o.seq = s.seq`,
      [settled.map((x) => x.seq), settled.map((x) => x.status), settled.map((x) => x.reason), settled.map((x) => x.field)],
    );
  }
  const accepted = settled.filter((x) => x.status === 'accepted').length;
  const rejected = settled.length - accepted;
  return { kind: 'sent', accepted, rejected };
}

function errorCode(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: string }).error;
  } catch {
    return undefined;
  }
}

async function markAttempt(pg: Queryable, seqs: number[]) {
  await pg.query(`UPDATE outbox SET attempts = attempts + 1 WHERE seq = ANY($1::bigint[])`, [seqs]);
}

/** Drains the outbox continuously: right away after a sale or when the edge is back (`kick`), with backoff while offline. */
export class Pusher {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private again = false;
  private stopped = false;
  private backoffMs = 0;
  lastOutcome: PushOutcome = { kind: 'idle' };
  lastSuccessAt: Date | undefined;

  constructor(
    private readonly pg: Queryable,
    private readonly opts: PusherOptions & { idleMs?: number; maxBackoffMs?: number; onOutcome?: (o: PushOutcome) => void },
  ) {}

  start() {
    this.stopped = false;
    this.schedule(0);
  }

  stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  /** Push now (after a sale, or the Reconnect button). */
  kick() {
    this.backoffMs = 0;
    this.schedule(0);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    // A kick during a push is not lost: the push that is running is followed by another at once.
    if (this.running) return void (this.again = true);
    this.running = true;
    this.again = false;
    let next = this.opts.idleMs ?? 5_000;
    try {
      if (this.opts.reachable && !this.opts.reachable()) {
        // Waiting for the edge is the probe's job; this timer is only a safety net.
        next = this.opts.maxBackoffMs ?? 30_000;
        return;
      }
      const o = await pushOnce(this.pg, this.opts);
      this.lastOutcome = o;
      this.opts.onOutcome?.(o);
      if (o.kind === 'sent' || o.kind === 'idle') {
        this.lastSuccessAt = new Date();
        this.backoffMs = 0;
        if (o.kind === 'sent') next = 0; // more may be waiting
      } else if (o.kind === 'offline') {
        this.backoffMs = Math.min(this.backoffMs ? this.backoffMs * 2 : 500, this.opts.maxBackoffMs ?? 30_000);
        next = this.backoffMs;
      } else {
        next = 60_000;
      }
    } finally {
      this.running = false;
      this.schedule(this.again ? 0 : next);
    }
  }
}
