// What the register database runs as one message each (inside the Worker in the browser): operations
// that read and write in one transaction. Each is durable (`syncToFs`) before it answers, so a sale
// shown as completed survives the browser closing at once.
import type { DurablePGlite, RegisterDb, RequestOrder } from '../../sync/register/db-protocol';
import { completeSale, type CompleteSaleInput } from '../../sync/register/complete-sale';
import { closeShifts, openShifts, type CloseShiftInput, type OpenShiftInput } from '../../sync/register/register-shift';
import { SYNCED_TABLES } from '../../sync/register/local-schema';
import { itemsByBarcode } from './catalog';
import { readFirstScreen } from './first-screen';
import { beginPinAttempt } from './pin-lockout';

export interface ShapeSyncStart {
  baseUrl: string;
  token: string;
}

export function registerProcedures(pg: DurablePGlite) {
  return {
    /** The scan: every sellable item with this barcode (one message, answered before queued housekeeping). */
    itemsByBarcode(code: string) {
      return itemsByBarcode(pg, code);
    },
    async completeSale(input: Omit<CompleteSaleInput, 'newId'>) {
      const r = await completeSale(pg, input);
      if (r.ok) await pg.syncToFs();
      return r;
    },
    async openShifts(input: Omit<OpenShiftInput, 'newId'>) {
      const r = await openShifts(pg, input);
      if (r.ok) await pg.syncToFs();
      return r;
    },
    async closeShifts(input: Omit<CloseShiftInput, 'newId'>) {
      const r = await closeShifts(pg, input);
      if (r.ok) await pg.syncToFs();
      return r;
    },
    async beginPinAttempt(now: number) {
      const gate = await beginPinAttempt(pg, now);
      await pg.syncToFs();
      return gate;
    },
    /**
     * COPY of CSV rows into a synced table, as the first sync's bulk load does it: the floor the
     * benchmark measures the sync against, in the same worker and storage (never used while selling).
     */
    async copyCsv(table: string, columns: string[], csv: string) {
      if (!(table in SYNCED_TABLES) || columns.some((c) => !/^[a-z_]+$/.test(c))) throw new Error(`copyCsv: ${table} is not a synced table`);
      await pg.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv]) });
    },
    /** What the POS shows first after opening, in one message (app/pos/first-screen.ts). */
    firstScreen(companyIds: string[] | null) {
      return readFirstScreen(pg, companyIds ?? undefined);
    },
    /** Fresh planner statistics: PGlite never runs ANALYZE, and without them a scan may skip its index. */
    async analyze() {
      await pg.exec('ANALYZE');
    },
  };
}

/** Shape sync runs where the database is; the page starts, refreshes and gates it with these. */
export type SyncProcedures = {
  startSync(opts: ShapeSyncStart): Promise<void>;
  stopSync(): Promise<void>;
  /** Catch up the small tables now (Reconnect, Sync both). */
  refreshSync(): Promise<void>;
  /** The page's view of the edge: while unreachable, shape requests wait instead of retrying. */
  setReachable(reachable: boolean): Promise<void>;
  /** Which storage the database ended up on (`opfs-ahp` or the `idb` fallback). */
  storage(): Promise<string>;
  /** Where this worker's open spent its time (epoch ms, app/pos/open-marks.ts), for the warm-open benchmark. */
  openMarks(): Promise<{ marks: Record<string, number>; details: Record<string, unknown> }>;
};

export type RegisterProcedures = ReturnType<typeof registerProcedures>;

/** Sync control waits on the edge, not on the database: it never holds the database's line. */
const SYNC_CONTROL: readonly (keyof SyncProcedures)[] = ['startSync', 'stopSync', 'refreshSync', 'setReachable', 'storage', 'openMarks'];
const SELLING: readonly (keyof RegisterProcedures)[] = ['itemsByBarcode', 'completeSale'];

/**
 * The register database's order: a scan and a sale go ahead of status reads, the pusher's outbox
 * work and everything else queued (measured: right after a sale, a scan waited behind ~4 of them).
 */
export const SELLING_FIRST: RequestOrder = {
  foreground: (r) => r.op === 'call' && (SELLING as readonly string[]).includes(r.name),
  bypass: (r) => r.op === 'call' && (SYNC_CONTROL as readonly string[]).includes(r.name),
};
export type WorkerProcedures = RegisterProcedures & SyncProcedures;
export type RegisterDatabase = RegisterDb<WorkerProcedures>;
