// Keeps the register's app shell in step with its edge (ADR 003). The edge names its version on every
// answer; when it is newer, the new shell is fetched in the background (the service worker's install)
// and the page reloads into it at the next idle moment: never with a cart, a tender or a sale under
// way, and only after a short grace so the cashier still sees the change due. An edge older than the
// shell (rolled back) changes nothing: the register keeps selling and says so. Queued sales stay in
// the register database, which both versions open (sync/register/local-schema.ts: additive only).
import { shellVerdict } from '../../core/app-version';

export type ShellUpdateState =
  | { kind: 'current' }
  | { kind: 'downloading'; to: string }
  | { kind: 'ready'; to: string }
  | { kind: 'failed'; to: string; error: string }
  | { kind: 'edge-older'; edge: string };

export interface ShellUpdaterOptions {
  /** The version this page was built as. */
  shellVersion: string;
  /** Fetches and caches the shell of `version`; resolves when it is in place. */
  prepare(version: string): Promise<void>;
  reload(): void;
  /** Survives the reload (sessionStorage): the version last reloaded for, so a shell that did not change is not reloaded again. */
  session: Pick<Storage, 'getItem' | 'setItem'>;
  /** Idle this long before reloading (the last sale's change and receipt stay on screen meanwhile). */
  idleGraceMs?: number;
}

const ATTEMPT_KEY = 'till.shell-update-attempt';

export class ShellUpdater {
  state: ShellUpdateState = { kind: 'current' };
  busy = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private listeners = new Set<() => void>();

  constructor(private readonly opts: ShellUpdaterOptions) {}

  get shellVersion(): string {
    return this.opts.shellVersion;
  }

  /** The edge's version as last seen (app/pos/edge-link.ts). */
  edgeVersion(edge: string | null) {
    const verdict = shellVerdict(this.opts.shellVersion, edge);
    if (verdict === 'unknown') return;
    if (verdict === 'current') return this.set({ kind: 'current' });
    if (verdict === 'edge-older') return this.set({ kind: 'edge-older', edge: edge! });
    const to = edge!;
    if (this.state.kind !== 'current' && this.state.kind !== 'edge-older' && this.state.to === to) return;
    if (this.opts.session.getItem(ATTEMPT_KEY) === to) {
      // Reloaded for this version already and still on the old shell: no reload loop, say so.
      return this.set({ kind: 'failed', to, error: `the edge runs ${to} but this register still loads ${this.opts.shellVersion}` });
    }
    this.set({ kind: 'downloading', to });
    this.opts.prepare(to).then(
      () => {
        if (this.state.kind === 'downloading' && this.state.to === to) this.set({ kind: 'ready', to });
      },
      (e: Error) => {
        if (this.state.kind === 'downloading' && this.state.to === to) this.set({ kind: 'failed', to, error: e.message });
      },
    );
  }

  /** A sale is under way (cart not empty, tender open, sale completing): no reload until it is over. */
  setBusy(busy: boolean) {
    this.busy = busy;
    this.schedule();
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private set(s: ShellUpdateState) {
    if (JSON.stringify(s) === JSON.stringify(this.state)) return;
    this.state = s;
    this.schedule();
    this.listeners.forEach((l) => l());
  }

  private schedule() {
    this.stop();
    if (this.state.kind !== 'ready' || this.busy) return;
    const to = this.state.to;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.state.kind !== 'ready' || this.state.to !== to || this.busy) return;
      this.opts.session.setItem(ATTEMPT_KEY, to);
      this.opts.reload();
    }, this.opts.idleGraceMs ?? 3000);
  }
}

/** The note the status bar shows; null when there is nothing to say. */
export function shellUpdateNote(s: ShellUpdateState, busy: boolean, shellVersion: string): string | null {
  switch (s.kind) {
    case 'current':
      return null;
    case 'downloading':
      return `Updating to ${s.to}: downloading`;
    case 'ready':
      return busy ? `Updating to ${s.to} after this sale` : `Updating to ${s.to}…`;
    case 'failed':
      return `Update to ${s.to} failed: ${s.error}. Selling continues.`;
    case 'edge-older':
      return `This register runs ${shellVersion}, newer than the edge (${s.edge}): selling continues.`;
  }
}
