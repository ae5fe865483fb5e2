// The store's time zone setting (IANA name; UTC until set), for everything that shows or exports times.
import { isTimeZone } from '../core/local-time';
import type { Database } from '../db/client';
import { maybeOne, type Cols } from '../db/query';
import type { storeSettings } from '../db/schema';

export async function getStoreTimeZone(database: Pick<Database, 'pool'>): Promise<string> {
  const tz = (await maybeOne<Cols<typeof storeSettings, 'time_zone'>>(database.pool, `SELECT time_zone FROM store_settings ORDER BY store_id LIMIT 1`))
    ?.time_zone;
  return isTimeZone(tz) ? tz : 'UTC';
}
