import { describe, expect, it } from 'vitest';
import { formatClock, formatLocalTime, formatOffset, isTimeZone, wallClock } from './local-time';

describe('formatClock', () => {
  it('shows the time of day on a 24-hour clock in the store zone', () => {
    expect(formatClock('2026-11-30T13:05:09Z', 'Europe/Paris')).toBe('14:05');
    expect(formatClock('2026-11-30T23:05:09Z', 'Europe/Paris', { seconds: true })).toBe('00:05:09');
    expect(formatClock(Date.parse('2026-07-01T18:30:00Z'), 'America/St_Johns')).toBe('16:00');
  });

  it("falls back to the machine's zone when the store has none (or an unknown one), still 24-hour", () => {
    const d = new Date(2026, 10, 30, 15, 7, 3);
    expect(formatClock(d, null)).toBe('15:07');
    expect(formatClock(d, 'Not/AZone', { seconds: true })).toBe('15:07:03');
  });
});

describe('formatLocalTime', () => {
  it('shows a UTC instant in the store zone with its offset', () => {
    expect(formatLocalTime('2026-11-30T13:05:00Z', 'Europe/Paris')).toBe('2026-11-30 14:05 +01:00');
    expect(formatLocalTime(new Date('2026-07-01T10:00:00Z'), 'Europe/Paris')).toBe('2026-07-01 12:00 +02:00');
    expect(formatLocalTime('2026-11-30T13:05:09Z', 'UTC', { seconds: true })).toBe('2026-11-30 13:05:09 +00:00');
    expect(formatLocalTime('2026-11-30T13:05:00Z', 'America/St_Johns')).toBe('2026-11-30 09:35 -03:30');
    expect(formatLocalTime('2026-11-30T13:05:00Z', 'Asia/Kathmandu', { offset: false })).toBe('2026-11-30 18:50');
  });

  it('crosses midnight into the local day', () => {
    expect(formatLocalTime('2026-12-31T23:30:00Z', 'Europe/Berlin')).toBe('2027-01-01 00:30 +01:00');
    expect(formatLocalTime('2026-01-01T02:00:00Z', 'America/New_York')).toBe('2025-12-31 21:00 -05:00');
  });

  it('follows spring-forward: the skipped hour never shows', () => {
    // Europe/Paris 2026-03-29: 02:00 local jumps to 03:00 (01:00 UTC).
    expect(formatLocalTime('2026-03-29T00:59:00Z', 'Europe/Paris')).toBe('2026-03-29 01:59 +01:00');
    expect(formatLocalTime('2026-03-29T01:00:00Z', 'Europe/Paris')).toBe('2026-03-29 03:00 +02:00');
    // America/New_York 2026-03-08: 02:00 local jumps to 03:00 (07:00 UTC).
    expect(formatLocalTime('2026-03-08T06:59:00Z', 'America/New_York')).toBe('2026-03-08 01:59 -05:00');
    expect(formatLocalTime('2026-03-08T07:00:00Z', 'America/New_York')).toBe('2026-03-08 03:00 -04:00');
  });

  it('follows fall-back: the repeated hour is told apart by its offset', () => {
    // Europe/Paris 2026-10-25: 03:00 local goes back to 02:00 (01:00 UTC).
    expect(formatLocalTime('2026-10-25T00:30:00Z', 'Europe/Paris')).toBe('2026-10-25 02:30 +02:00');
    expect(formatLocalTime('2026-10-25T01:30:00Z', 'Europe/Paris')).toBe('2026-10-25 02:30 +01:00');
  });

  it('keeps the southern hemisphere the other way round', () => {
    expect(formatLocalTime('2026-01-15T00:00:00Z', 'Australia/Sydney')).toBe('2026-01-15 11:00 +11:00');
    expect(formatLocalTime('2026-07-15T00:00:00Z', 'Australia/Sydney')).toBe('2026-07-15 10:00 +10:00');
  });

  it('refuses what is not a date-time', () => {
    expect(() => formatLocalTime('yesterday', 'UTC')).toThrow(RangeError);
  });
});

describe('time zone names and offsets', () => {
  it('accepts IANA names Intl knows and nothing else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone(42)).toBe(false);
  });

  it('formats offsets with a sign and minutes', () => {
    expect(formatOffset(0)).toBe('+00:00');
    expect(formatOffset(60)).toBe('+01:00');
    expect(formatOffset(-210)).toBe('-03:30');
    expect(formatOffset(345)).toBe('+05:45');
    expect(wallClock('2026-06-01T00:00:00Z', 'Asia/Kolkata').offsetMinutes).toBe(330);
  });
});
