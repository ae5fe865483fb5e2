import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appliers } from './posting/appliers';
import { ingestEvents } from './posting/ingest';
import { redactPayload } from './posting/redact';
import { backends } from '../test/databases';
import { usePairedDemoRegister } from '../test/fixtures/paired-register';
import { catalogRows, line, pairedNewRegister, saleEvent } from '../test/fixtures/register-sale';
import { revokeDevices } from './device-auth';
import { countPendingRejections, dismissRejected, listRejected, retryRejected } from './outbox';

describe.each(backends)('outbox retry on %s', (backend) => {
  const reg = usePairedDemoRegister(backend, { itemsPerCompany: 5, sharedBarcodes: 0, customers: 2 });
  const { t, company, nextSeq, rows: q } = reg;
  const outboxRow = async (eventId: string) => (await q(`SELECT * FROM rejected_events WHERE event_id = $1`, [eventId]))[0];

  /** A sale whose only line names an item the edge does not know yet. */
  const saleOfMissingItem = async () => {
    const { identity, cashierId } = reg;
    const seq = nextSeq();
    const [row] = await catalogRows(t.database, company('U'), 1);
    // The outbox keeps a redacted copy (a uuid with 13+ digits in a row reads as a card number); use one that survives.
    let missing = { ...row!, itemId: randomUUID(), name: 'Imported later' };
    let e = saleEvent(identity, 'U', { seq, cashierId, lines: [line(missing, company('U'))] });
    for (let i = 0; i < 50 && JSON.stringify(redactPayload(e)) !== JSON.stringify(e); i++) {
      missing = { ...row!, itemId: randomUUID(), name: 'Imported later' };
      e = saleEvent(identity, 'U', { seq, cashierId, lines: [line(missing, company('U'))] });
    }
    const [r] = await ingestEvents(t.database, identity, [e], appliers);
    expect(r).toMatchObject({ status: 'rejected', field: 'sale.lines.0.itemId' });
    return { e, missing };
  };

  it('accepts a sale on retry once its missing item is in the catalog, and never doubles it', async () => {
    const { identity } = reg;
    const { e, missing } = await saleOfMissingItem();
    const pending = await outboxRow(e.eventId);
    expect(pending).toMatchObject({ status: 'pending', source: 'push' });
    expect(pending.reason).toMatch(/not in the catalog/);

    // Still missing: stays pending with its reason.
    const early = await retryRejected(t.database, pending.id, { by: 'admin@demo.till' });
    expect(early).toMatchObject({ ok: false, status: 'pending' });
    expect(early.ok ? '' : early.reason).toMatch(/not in the catalog/);
    expect((await outboxRow(e.eventId)).status).toBe('pending');
    expect(await q(`SELECT count(*)::int AS n FROM rejected_events WHERE event_id = $1`, [e.eventId])).toEqual([{ n: 1 }]);

    await t.database.pool.query(`INSERT INTO items (id, company_id, code, name, tax_rate_id) VALUES ($1, $2, 'U-LATE', $3, $4)`, [
      missing.itemId,
      missing.companyId,
      missing.name,
      missing.taxRateId,
    ]);
    // The register pushes the same event again: the ledger still answers "rejected" (no apply).
    const [replay] = await ingestEvents(t.database, identity, [e], appliers);
    expect(replay).toMatchObject({ status: 'rejected', duplicate: true });

    const retried = await retryRejected(t.database, pending.id, { by: 'admin@demo.till', note: 'item imported' });
    expect(retried).toEqual({ ok: true, status: 'retried', duplicate: false });
    const after = await outboxRow(e.eventId);
    expect(after).toMatchObject({ status: 'retried', resolved_by: 'admin@demo.till', note: 'item imported' });
    expect(after.resolved_at).not.toBeNull();
    expect(await q(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toEqual([{ n: 1 }]);
    expect(await q(`SELECT status FROM register_events WHERE event_id = $1`, [e.eventId])).toEqual([{ status: 'accepted' }]);

    // Retrying again, or the register pushing again, does not add a second sale.
    expect(await retryRejected(t.database, pending.id, { by: 'admin@demo.till' })).toMatchObject({ ok: false, status: 'not-retryable' });
    const [again] = await ingestEvents(t.database, identity, [e], appliers);
    expect(again).toMatchObject({ status: 'accepted', duplicate: true });
    expect(await q(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [e.eventId])).toEqual([{ n: 1 }]);

    const audit = await q(`SELECT actor_id, after FROM audit_log WHERE action = 'outbox.retried' AND entity_id = $1 ORDER BY id`, [pending.id]);
    expect(audit.map((a) => a.after.outcome)).toEqual(['pending', 'retried']);
  });

  it('keeps a still-bad event pending with the new reason, even for a revoked register', async () => {
    const { identity, cashierId } = reg;
    const [row] = await catalogRows(t.database, company('U'), 1);
    const bad = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(row!, company('U'))] });
    bad.sale.totals.total -= 1;
    await ingestEvents(t.database, identity, [bad], appliers);
    const pending = await outboxRow(bad.eventId);
    expect(pending.reason).toMatch(/recomputed|totals/);
    const { e: missingItem } = await saleOfMissingItem();
    await revokeDevices(t.database, identity.registerId, { actor: 'test' });

    const r = await retryRejected(t.database, pending.id, { by: 'admin@demo.till' });
    expect(r).toMatchObject({ ok: false, status: 'pending', field: 'sale.totals.total' });
    expect(await outboxRow(bad.eventId)).toMatchObject({ status: 'pending', field: 'sale.totals.total' });
    expect(await q(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1`, [bad.eventId])).toEqual([{ n: 0 }]);

    // The devices are revoked but the admin vouches for the register: still rejected only for its own reason.
    const m = await outboxRow(missingItem.eventId);
    const r2 = await retryRejected(t.database, m.id, { by: 'admin@demo.till' });
    expect(r2).toMatchObject({ ok: false, status: 'pending', field: 'sale.lines.0.itemId' });
  });

  it('retries an event as the register that sent it, never as the register its payload names', async () => {
    const { identity, cashierId } = reg;
    const r02 = await pairedNewRegister(t.database, 'R02');
    const [row] = await catalogRows(t.database, company('U'), 1);
    // R02 pushes a sale that names R01 (its register, device and receipt series).
    const forged = saleEvent(identity, 'U', { seq: nextSeq(), cashierId, lines: [line(row!, company('U'))] });
    const [r] = await ingestEvents(t.database, r02, [forged], appliers);
    const reason = 'event names register R01 but was sent by R02';
    expect(r).toMatchObject({ status: 'rejected', field: 'registerId', reason });
    const pending = await outboxRow(forged.eventId);
    expect(pending).toMatchObject({ register_id: r02.registerId, device_id: r02.devices.find((d) => d.companyCode === 'U')!.id });

    const retried = await retryRejected(t.database, pending.id, { by: 'admin@demo.till' });
    expect(retried).toEqual({ ok: false, status: 'pending', reason, field: 'registerId' });
    expect(await outboxRow(forged.eventId)).toMatchObject({ status: 'pending', reason });
    expect(await q(`SELECT count(*)::int AS n FROM sales WHERE event_id = $1 OR id = $2`, [forged.eventId, forged.sale.saleId])).toEqual([{ n: 0 }]);
  });

  it('only dismisses API rejections', async () => {
    const pendingBefore = await countPendingRejections(t.database);
    const id = (await q(`INSERT INTO rejected_events (source, type, payload, reason) VALUES ('api', 'items-list', '{}', 'bad company') RETURNING id`))[0].id;
    expect(await countPendingRejections(t.database)).toBe(pendingBefore + 1);
    expect(await retryRejected(t.database, id, { by: 'admin@demo.till' })).toMatchObject({ ok: false, status: 'not-retryable' });
    expect(await dismissRejected(t.database, id, { by: 'admin@demo.till', note: 'bad client' })).toBe(true);
    expect(await countPendingRejections(t.database)).toBe(pendingBefore);
    const all = await listRejected(t.database, { status: 'all' });
    expect(all.find((r) => r.id === id)?.status).toBe('dismissed');
    // Audited once, through the redacting audit writer; a second dismiss changes nothing and says so.
    const audits = () => q(`SELECT actor_type, actor_id, before, after FROM audit_log WHERE action = 'outbox.dismissed' AND entity_id = $1`, [id]);
    expect(await audits()).toEqual([
      { actor_type: 'admin', actor_id: 'admin@demo.till', before: { status: 'pending' }, after: { status: 'dismissed', note: 'bad client' } },
    ]);
    expect(await dismissRejected(t.database, id, { by: 'admin@demo.till', note: 'again' })).toBe(false);
    expect(await audits()).toHaveLength(1);
  });

  it('dismisses an entry and audits it in one transaction: a failed audit leaves the entry pending', async () => {
    const id = (await q(`INSERT INTO rejected_events (source, type, payload, reason) VALUES ('api', 'items-list', '{}', 'bad company') RETURNING id`))[0]
      .id as string;
    // The audit insert fails after the update ran (a constraint this test adds for a moment).
    await q(`ALTER TABLE audit_log ADD CONSTRAINT outbox_test_refuse CHECK (action <> 'outbox.dismissed') NOT VALID`);
    try {
      await expect(dismissRejected(t.database, id, { by: 'admin@demo.till', note: 'n' })).rejects.toThrow(/outbox_test_refuse/);
    } finally {
      await q(`ALTER TABLE audit_log DROP CONSTRAINT outbox_test_refuse`);
    }
    expect((await q(`SELECT status FROM rejected_events WHERE id = $1`, [id]))[0].status).toBe('pending');
  });
});
