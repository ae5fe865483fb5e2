// The messages between the soak's driver and its register processes.
import * as z from 'zod';

const uuid = z.string().uuid();

const catalogRow = z.object({
  itemId: uuid,
  companyId: uuid,
  name: z.string(),
  price: z.number().int(),
  taxRateId: uuid,
  rateBp: z.number().int(),
  maxDiscountBp: z.number().int(),
  unitPrecision: z.number().int(),
});

const identity = z.object({
  registerId: uuid,
  registerCode: z.string(),
  tokenId: z.string(),
  devices: z.array(z.object({ id: uuid, companyId: uuid, companyCode: z.string(), code: z.string(), warehouseId: uuid.nullable() })),
  companyIds: z.array(uuid),
});

export const soakCommand = z.discriminatedUnion('cmd', [
  z.object({
    id: z.number().int(),
    cmd: z.literal('start'),
    base: z.string().url(),
    caPem: z.string(),
    token: z.string(),
    identity,
    companyCode: z.string(),
    cashierId: uuid,
    /** Items the register sells (their prices never change during the soak). */
    sold: z.array(catalogRow).min(1),
    /** The price the edge changes every second. */
    changing: z.object({ id: uuid, amount: z.number().int() }),
    /** One sale every saleEveryMs ± half of it. */
    saleEveryMs: z.number().positive(),
    /** How often the register reads the price from its local table. */
    watchEveryMs: z.number().positive(),
  }),
  z.object({ id: z.number().int(), cmd: z.literal('run'), end: z.number() }),
  z.object({ id: z.number().int(), cmd: z.literal('drain'), lastAmount: z.number().int(), timeoutMs: z.number().positive() }),
  z.object({ id: z.number().int(), cmd: z.literal('report') }),
  z.object({ id: z.number().int(), cmd: z.literal('exit') }),
]);
export type SoakCommand = z.infer<typeof soakCommand>;

/** What a register tells the driver at the end. */
export interface RegisterReport {
  code: string;
  /** After the drain: sales still queued, and the price it has against the last one set. */
  drained: { pending: number; seenAmount: number; lastAmount: number };
  /** Event ids of every sale it queued. */
  pushed: string[];
  /** Outbox rows the edge did not accept (rejected or still pending). */
  notAccepted: { event_id: string; reason: string | null }[];
  /** Every answer it got, by status. */
  statuses: Record<number, number>;
  /** 401 and 5xx answers while selling: method, status, path, when and the body's start. */
  bad: string[];
  /** The same during the first sync, when every register opens at once. */
  badBeforeRun: string[];
  networkErrors: string[];
  syncErrors: string[];
  revoked: number;
  /** Unhandled promise rejections in the register process. */
  unhandled: string[];
  /** Its own event-loop delay while selling. */
  lagMs: { p50: number; p99: number; max: number };
  rssMb: number;
  /** Its last live shape requests (when, table, offset) and how each ended, or how long it has been open. */
  shapeTrail: string[];
}

export const soakReply = z.union([
  z.object({ event: z.literal('ready') }),
  /** A new price amount reached the register's local table at `at` (ms since the epoch). */
  z.object({ event: z.literal('seen'), amount: z.number().int(), at: z.number() }),
  /** Progress worth a line in the driver's log. */
  z.object({ event: z.literal('log'), text: z.string() }),
  z.object({ id: z.number().int(), ok: z.literal(true), value: z.unknown().optional() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: z.string() }),
]);
export type SoakReply = z.infer<typeof soakReply>;
