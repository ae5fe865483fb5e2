import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { DomainError, fieldPath, httpStatusOf, invalidInput, type ErrorKind } from './errors';

describe('fieldPath', () => {
  it('joins zod path segments with dots, indexes included', () => {
    const r = z.object({ sale: z.object({ tenders: z.array(z.object({ amount: z.number() })) }) }).safeParse({ sale: { tenders: [{ amount: 'x' }] } });
    expect(r.success).toBe(false);
    expect(fieldPath(...r.error!.issues[0]!.path)).toBe('sale.tenders.0.amount');
    expect(fieldPath('sale', 'lines', 2, 'itemId')).toBe('sale.lines.2.itemId');
    expect(fieldPath()).toBe('');
  });
});

describe('invalidInput', () => {
  it('is the first issue as an invalid DomainError naming its field', () => {
    const r = z.object({ name: z.string().min(1, 'is required') }).safeParse({ name: '' });
    const e = invalidInput(r.error!.issues, { fieldInMessage: true });
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ kind: 'invalid', field: 'name', message: 'name: is required' });
    expect(invalidInput([{ path: [], message: 'bad' }])).toMatchObject({ field: null, message: 'bad' });
  });
});

describe('httpStatusOf', () => {
  it('answers each kind of refusal with its one HTTP status', () => {
    const kinds: ErrorKind[] = ['invalid', 'unauthenticated', 'forbidden', 'not_found', 'conflict', 'rate_limited', 'unavailable'];
    expect(kinds.map(httpStatusOf)).toEqual([400, 401, 403, 404, 409, 429, 503]);
  });
});
