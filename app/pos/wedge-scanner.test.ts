import { describe, expect, it } from 'vitest';
import { createWedgeScanner } from './wedge-scanner';

function type(s: ReturnType<typeof createWedgeScanner>, text: string, start: number, gap: number) {
  let t = start;
  for (const ch of text) {
    s.key({ key: ch, timeStamp: t });
    t += gap;
  }
  return s.key({ key: 'Enter', timeStamp: t });
}

describe('wedge scanner', () => {
  it('catches a fast burst ending in Enter', () => {
    const scans: string[] = [];
    const s = createWedgeScanner({ onScan: (c) => scans.push(c) });
    expect(type(s, '4000000000013', 1000, 8)).toBe(true);
    expect(scans).toEqual(['4000000000013']);
  });

  it('ignores a person typing slowly and short bursts', () => {
    const scans: string[] = [];
    const s = createWedgeScanner({ onScan: (c) => scans.push(c) });
    expect(type(s, '1234567', 0, 180)).toBe(false);
    expect(type(s, '12', 5000, 5)).toBe(false);
    expect(scans).toEqual([]);
  });

  it('starts a new code after a pause, dropping slow leading keys', () => {
    const scans: string[] = [];
    const s = createWedgeScanner({ onScan: (c) => scans.push(c) });
    s.key({ key: 'x', timeStamp: 0 });
    type(s, '98765', 2000, 10);
    expect(scans).toEqual(['98765']);
  });

  it('resets on non-character keys', () => {
    const scans: string[] = [];
    const s = createWedgeScanner({ onScan: (c) => scans.push(c) });
    s.key({ key: '1', timeStamp: 0 });
    s.key({ key: '2', timeStamp: 5 });
    s.key({ key: 'Shift', timeStamp: 10 });
    s.key({ key: '3', timeStamp: 15 });
    s.key({ key: 'Enter', timeStamp: 20 });
    expect(scans).toEqual([]);
  });
});
