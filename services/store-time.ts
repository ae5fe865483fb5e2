// The store's time zone setting (IANA name; UTC until set), for everything that shows or exports times.
import { isTimeZone } from '../core/local-time';
import type { Database } from '../db/client';

export async function getStoreTimeZone(database: Pick<Database, 'pool'>): Promise<string> {
  const r = await database.pool.query(`SELECT time_zone FROM store_settings ORDER BY store_id LIMIT 1`);
  const tz = r.rows[0]?.time_zone;
  return isTimeZone(tz) ? tz : 'UTC';
}
