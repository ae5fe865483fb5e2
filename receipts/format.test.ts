import { describe, expect, it } from 'vitest';
import { escapeLines, escapePropertyValue, escapeText } from './escape';
import { formatDateTime, formatMoney, formatQuantity } from './format';

describe('formatMoney', () => {
  it('formats minor units with the currency exponent', () => {
    expect(formatMoney(1250, 2)).toBe('12.50');
    expect(formatMoney(5, 2)).toBe('0.05');
    expect(formatMoney(0, 2)).toBe('0.00');
    expect(formatMoney(1250, 0)).toBe('1250');
    expect(formatMoney(1250, 3)).toBe('1.250');
    expect(formatMoney(7, 3)).toBe('0.007');
  });

  it('formats negative amounts with a leading minus', () => {
    expect(formatMoney(-5, 2)).toBe('-0.05');
    expect(formatMoney(-1250, 2)).toBe('-12.50');
    expect(formatMoney(-3, 0)).toBe('-3');
  });

  it('stays exact at the edge of the safe integer range', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
    expect(formatMoney(-Number.MAX_SAFE_INTEGER, 8)).toBe('-90071992.54740991');
    expect(formatMoney(9_999_999_999_999_99, 8)).toBe('9999999.99999999');
  });

  it('refuses floats and bad exponents', () => {
    expect(() => formatMoney(12.5, 2)).toThrow(RangeError);
    expect(() => formatMoney(1, 9)).toThrow(RangeError);
  });
});

describe('formatQuantity', () => {
  it('shows whole units without decimals and fractions with three', () => {
    expect(formatQuantity(2000)).toBe('2');
    expect(formatQuantity(1250)).toBe('1.250');
    expect(formatQuantity(5)).toBe('0.005');
    expect(formatQuantity(-500)).toBe('-0.500');
  });

  it('honours the unit precision without ever dropping a digit', () => {
    expect(formatQuantity(2000, 3)).toBe('2.000');
    expect(formatQuantity(1250, 3)).toBe('1.250');
    expect(formatQuantity(1500, 1)).toBe('1.5');
    expect(formatQuantity(1250, 0)).toBe('1.25');
    expect(formatQuantity(1001, 0)).toBe('1.001');
  });
});

describe('formatDateTime', () => {
  it('prints the wall-clock time as written, or in a given zone', () => {
    expect(formatDateTime('2025-03-14T09:26:53+01:00')).toBe('2025-03-14 09:26 +01:00');
    expect(formatDateTime('2025-03-14T09:26:53.120-0330')).toBe('2025-03-14 09:26 -03:30');
    expect(formatDateTime('2025-03-14T23:30:00Z', 'Europe/Paris')).toBe('2025-03-15 00:30 +01:00');
    expect(formatDateTime('2025-07-01T00:05:00Z', 'UTC')).toBe('2025-07-01 00:05 +00:00');
  });
});

describe('escaping', () => {
  it('escapes every receiptline special character in text', () => {
    expect(escapeText('a|b{c}d\\e~f_g"h`i^j')).toBe('a\\|b\\{c\\}d\\\\e\\~f\\_g\\"h\\`i\\^j');
  });

  it('keeps text on one line and never turns it into a rule or a cut', () => {
    expect(escapeText('  two\n lines\t\x07here  ')).toBe('two lines here');
    expect(escapeText('---')).toBe('\\-\\-\\-');
    expect(escapeText('==')).toBe('\\=\\=');
    expect(escapeText('a-b')).toBe('a-b');
    expect(escapeLines('one\r\n\n two ')).toEqual(['one', 'two']);
  });

  it('escapes property values but leaves ":" alone', () => {
    expect(escapePropertyValue('U:R01;x|y{z}\\')).toBe('U:R01\\;x\\|y\\{z\\}\\\\');
  });
});
