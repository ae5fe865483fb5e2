import { describe, expect, it } from 'vitest';
import { parseLedgerResult } from './event-result';

describe('ledger result', () => {
  const id = '0b6f8c1e-3c57-4b8e-9d3e-2f0c4a5b6c7d';

  it('reads back what the ledger writes', () => {
    const accepted = { index: 2, eventId: id, type: 'sale.completed', status: 'accepted', detail: { saleId: id, flagged: false } };
    expect(parseLedgerResult(id, accepted)).toEqual(accepted);
    const rejected = { index: 0, eventId: id, type: null, status: 'rejected', reason: 'totals do not match', field: 'sale.totals.total' };
    expect(parseLedgerResult(id, rejected)).toEqual(rejected);
  });

  it('names the event and the faulty part of a malformed row', () => {
    expect(() => parseLedgerResult(id, {})).toThrow(new RegExp(`^register_events ${id}: the stored result is not an event result \\(.*index`));
    expect(() => parseLedgerResult(id, { index: 0, eventId: id, type: 'x', status: 'maybe' })).toThrow(/status/);
    expect(() => parseLedgerResult(id, 'accepted')).toThrow(/register_events/);
  });
});
