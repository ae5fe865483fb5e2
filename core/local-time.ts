// The store's local time as people read it: "2026-11-30 14:05 +01:00". Stored instants stay UTC;
// this is the one place that turns them into the store's wall-clock time (receipts, X/Z reports,
// admin lists, CSV exports). Pure and isomorphic: Intl only, so the register can use it offline.

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a time zone name Intl knows ("Europe/Paris", "UTC"); false for anything else. */
export function isTimeZone(name: unknown): name is string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 64) return false;
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Minutes east of UTC at that instant. */
  offsetMinutes: number;
}

function toDate(instant: string | Date | number): Date {
  const d = instant instanceof Date ? instant : new Date(instant);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date-time: ${String(instant)}`);
  return d;
}

/** The wall clock of `timeZone` at `instant`, with the zone's offset from UTC then. */
export function wallClock(instant: string | Date | number, timeZone: string): WallClock {
  const d = toDate(instant);
  const parts = formatter(timeZone).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  const w = { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
  // The wall clock read as if it were UTC, minus the instant (to the second), is the offset.
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const offsetMinutes = Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  return { ...w, offsetMinutes };
}

/** "+01:00", "-03:30", "+00:00". */
export function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const m = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

/**
 * The time of day of `instant` on a 24-hour clock, "14:05" (or "14:05:09"), in the store's zone — or,
 * where the store has no zone yet, the machine's own. For short status text (last sync, shift since).
 */
export function formatClock(instant: string | Date | number, timeZone?: string | null, opts: { seconds?: boolean } = {}): string {
  const w = timeZone && isTimeZone(timeZone) ? wallClock(instant, timeZone) : undefined;
  const d = toDate(instant);
  const [h, m, s] = w ? [w.hour, w.minute, w.second] : [d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${pad(h)}:${pad(m)}${opts.seconds ? `:${pad(s)}` : ''}`;
}

/**
 * `instant` in the store's zone with its offset: "2026-11-30 14:05 +01:00" (`seconds: true` adds
 * ":ss"; `offset: false` leaves the offset out, for narrow places like a receipt's date column).
 */
export function formatLocalTime(instant: string | Date | number, timeZone: string, opts: { seconds?: boolean; offset?: boolean } = {}): string {
  const w = wallClock(instant, timeZone);
  const time = `${pad(w.hour)}:${pad(w.minute)}${opts.seconds ? `:${pad(w.second)}` : ''}`;
  const text = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${time}`;
  return opts.offset === false ? text : `${text} ${formatOffset(w.offsetMinutes)}`;
}
