import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReceiptNumber, nextReceiptNumber, parseReceiptNumber, registerCodeForEpoch, resumeSequence } from './receipt-number';

const series = { companyCode: 'U', registerCode: 'R01' };

describe('receipt numbers', () => {
  it('formats with a zero-padded sequence of at least six digits', () => {
    expect(formatReceiptNumber({ ...series, seq: 123 })).toBe('U-R01-000123');
    expect(formatReceiptNumber({ ...series, seq: 999999 })).toBe('U-R01-999999');
    expect(formatReceiptNumber({ ...series, seq: 1234567 })).toBe('U-R01-1234567');
  });
  it('refuses codes and sequences that would not parse back', () => {
    expect(() => formatReceiptNumber({ ...series, seq: 0 })).toThrow(/positive/);
    expect(() => formatReceiptNumber({ ...series, seq: 1.5 })).toThrow(/positive/);
    expect(() => formatReceiptNumber({ companyCode: 'u', registerCode: 'R01', seq: 1 })).toThrow(/Company code/);
    expect(() => formatReceiptNumber({ companyCode: 'U', registerCode: 'R-1', seq: 1 })).toThrow(/Register code/);
  });
  it('parses only canonical numbers', () => {
    expect(parseReceiptNumber('U-R01-000123')).toEqual({ ...series, seq: 123 });
    expect(parseReceiptNumber('OFF-R01B-1000000')).toEqual({ companyCode: 'OFF', registerCode: 'R01B', seq: 1000000 });
    for (const bad of ['U-R01-123', 'U-R01-0001234', 'U-R01-000000', 'u-R01-000001', 'U-R01-000001 ', 'U--000001', 'U-R01-00000a', 'UR01000001', ''])
      expect([bad, parseReceiptNumber(bad)]).toEqual([bad, null]);
  });
  it('round-trips and sorts as text in sequence order up to 999999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (seq) => {
        expect(parseReceiptNumber(formatReceiptNumber({ ...series, seq }))).toEqual({ ...series, seq });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999_999 }), (a, b) => {
        const [x, y] = [formatReceiptNumber({ ...series, seq: a }), formatReceiptNumber({ ...series, seq: b })];
        return Math.sign(a - b) === (x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });
  it('issues the next number without gaps', () => {
    expect(nextReceiptNumber(null, series)).toBe('U-R01-000001');
    expect(nextReceiptNumber('U-R01-000001', series)).toBe('U-R01-000002');
    expect(nextReceiptNumber('U-R01-999999', series)).toBe('U-R01-1000000');
    let last: string | null = null;
    for (let i = 0; i < 50; i++) last = nextReceiptNumber(last, series);
    expect(last).toBe('U-R01-000050');
  });
  it('refuses to continue another series or garbage', () => {
    expect(() => nextReceiptNumber('O-R01-000005', series)).toThrow(/another series/);
    expect(() => nextReceiptNumber('U-R01B-000005', series)).toThrow(/another series/);
    expect(() => nextReceiptNumber('12', series)).toThrow(/Not a receipt number/);
  });
});

describe('resumeSequence', () => {
  it('starts a fresh register at 1', () => {
    expect(resumeSequence(null, null)).toEqual({ action: 'continue', lastSeq: 0 });
  });
  it('continues from the higher of local and edge when local state survived', () => {
    expect(resumeSequence(40, 42)).toEqual({ action: 'continue', lastSeq: 42 }); // two sales still queued
    expect(resumeSequence(50, 42)).toEqual({ action: 'continue', lastSeq: 50 }); // local db restored from an old state
    expect(resumeSequence(null, 7)).toEqual({ action: 'continue', lastSeq: 7 });
  });
  it('demands a new device epoch when local state is lost after numbers were issued', () => {
    expect(resumeSequence(120, null)).toEqual({ action: 'new_epoch' });
  });
  it('never resumes below anything already issued', () => {
    fc.assert(
      fc.property(fc.option(fc.nat(), { nil: null }), fc.option(fc.nat(), { nil: null }), (edge, local) => {
        const d = resumeSequence(edge, local);
        if (d.action === 'new_epoch') return local === null && edge !== null && edge > 0;
        return d.lastSeq >= (edge ?? 0) && d.lastSeq >= (local ?? 0);
      }),
    );
  });
  it('refuses invalid sequences', () => {
    expect(() => resumeSequence(-1, 2)).toThrow(/non-negative/);
  });
});

describe('registerCodeForEpoch', () => {
  it('derives successive device codes', () => {
    expect([1, 2, 3, 26, 27, 28].map((e) => registerCodeForEpoch('R01', e))).toEqual(['R01', 'R01B', 'R01C', 'R01Z', 'R01BA', 'R01BB']);
    expect(() => registerCodeForEpoch('R01', 0)).toThrow(/Epoch/);
  });
  it('gives every epoch a distinct code', () => {
    const codes = Array.from({ length: 2000 }, (_, i) => registerCodeForEpoch('R01', i + 1));
    expect(new Set(codes).size).toBe(2000);
  });
});
