import { looksLikeCardNumber } from '../../core/tenders';
import { UUID_RE } from '../../core/ids';

/**
 * A copy of an incoming payload that is safe to keep: anything that looks like a card number is
 * masked. Ids are kept (a uuid has long digit runs once its dashes are gone), so a retry can replay it.
 */
export function redactPayload(value: unknown): unknown {
  if (typeof value === 'string') return !UUID_RE.test(value) && looksLikeCardNumber(value) ? '[redacted: looks like a card number]' : value;
  if (Array.isArray(value)) return value.map(redactPayload);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactPayload(v)]));
  }
  return value;
}
