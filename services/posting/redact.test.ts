import { describe, expect, it } from 'vitest';
import { redactPayload } from './redact';

describe('redactPayload', () => {
  it('keeps uuids even when they are mostly digits', () => {
    const id = '00000000-0000-4000-8000-000000000123';
    expect(redactPayload({ eventId: id, lines: [{ itemId: id }] })).toEqual({ eventId: id, lines: [{ itemId: id }] });
  });

  it('masks card numbers anywhere and keeps everything else', () => {
    const out = redactPayload({ a: 1, tenders: [{ kind: 'card', reference: '4111 1111 1111 1111' }, { reference: 'AUTH-123456' }], ok: true, n: null });
    expect(out).toEqual({
      a: 1,
      tenders: [{ kind: 'card', reference: '[redacted: looks like a card number]' }, { reference: 'AUTH-123456' }],
      ok: true,
      n: null,
    });
  });
});
