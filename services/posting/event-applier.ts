// The contract between the ledger (ingest.ts) and the event types (appliers.ts): how an event is
// parsed, which company it belongs to, how it is applied, and how an applier refuses it.
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import { DomainError, fieldPath } from '../../core/errors';
import type { DeviceIdentity, PairedDevice } from '../device-auth';

/**
 * Thrown by an applier: the event is rejected with this reason (not retried by the register) and
 * recorded in the outbox. A DomainError whose field always names the part of the event at fault.
 */
export class EventRejection extends DomainError {
  declare readonly field: string;

  constructor(
    readonly reason: string,
    field: string,
  ) {
    super('invalid', field, reason);
  }
}

export interface ApplyContext {
  client: PoolClient;
  device: DeviceIdentity;
}

export interface EventApplier<E> {
  /** Validates the raw event; returns the typed event or a rejection naming the field. */
  parse(raw: unknown): { ok: true; event: E } | { ok: false; reason: string; field: string };
  /** The company the event belongs to (must be one of the register's devices). */
  companyId(event: E): string;
  apply(ctx: ApplyContext, event: E): Promise<Record<string, unknown> | void>;
}

type Envelope = { deviceId: string; registerId: string; companyId: string };

export function zodApplier<S extends z.ZodType<Envelope>>(
  schema: S,
  apply: (ctx: ApplyContext, event: z.infer<S>, device: PairedDevice) => Promise<Record<string, unknown> | void>,
): EventApplier<z.infer<S>> {
  return {
    parse(raw) {
      const r = schema.safeParse(raw);
      if (r.success) return { ok: true, event: r.data };
      const issue = r.error.issues[0]!;
      return { ok: false, reason: issue.message, field: fieldPath(...issue.path) || 'event' };
    },
    companyId: (e) => e.companyId,
    apply: async (ctx, e) => apply(ctx, e, await ownDevice(ctx, e)),
  };
}

/** The event must come from this register's own device in the event's company. */
async function ownDevice({ client, device: identity }: ApplyContext, e: Envelope): Promise<PairedDevice> {
  if (e.registerId !== identity.registerId) {
    const named =
      (await client.query<{ code: string }>(`SELECT code FROM registers WHERE id = $1`, [e.registerId])).rows[0]?.code ??
      `an unknown register (${e.registerId})`;
    throw new EventRejection(`event names register ${named} but was sent by ${identity.registerCode}`, 'registerId');
  }
  const d = identity.devices.find((x) => x.id === e.deviceId);
  if (!d) throw new EventRejection('event names a device that is not this register\u2019s', 'deviceId');
  if (d.companyId !== e.companyId) throw new EventRejection('device belongs to another company', 'deviceId');
  return d;
}
