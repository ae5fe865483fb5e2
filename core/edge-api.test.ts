import { describe, expect, it } from 'vitest';
import { apiErrorMessage, customerSearchAnswerSchema } from './edge-api';

describe('edge API answers', () => {
  it('names the first field at fault, else the error code, else the status', () => {
    expect(apiErrorMessage({ error: 'invalid_request', issues: [{ path: 'query.q', message: 'too long' }] }, 400)).toBe('too long');
    expect(apiErrorMessage({ error: 'no_printer' }, 409)).toBe('no_printer');
    expect(apiErrorMessage('<html>', 502)).toBe('the edge answered 502');
  });

  it('refuses an answer of another shape', () => {
    expect(customerSearchAnswerSchema.safeParse({ customers: [{ id: 'c1' }], nextCursor: null }).success).toBe(false);
    expect(customerSearchAnswerSchema.safeParse({ customers: [], nextCursor: null }).success).toBe(true);
  });
});
