// Every time an admin screen shows is the store's local time with its offset (core's one formatter),
// in the zone from the store settings that the /admin layout loader passes down.
import { useRouteLoaderData } from '@remix-run/react';
import { formatLocalTime } from '../../core/local-time';

export function useStoreTimeZone(): string {
  return useRouteLoaderData<{ timeZone?: string }>('routes/admin')?.timeZone ?? 'UTC';
}

/** `(instant) => "2026-11-30 14:05 +01:00"` in the store's zone; empty text for no instant. */
export function useLocalTime(): (instant: string | Date | null | undefined, opts?: { seconds?: boolean }) => string {
  const timeZone = useStoreTimeZone();
  return (instant, opts) => (instant ? formatLocalTime(instant, timeZone, opts) : '');
}
