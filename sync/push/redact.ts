import { looksLikeCardNumber } from '../../core/tenders';

/** A copy of an incoming payload that is safe to keep: anything that looks like a card number is masked. */
export function redactPayload(value: unknown): unknown {
  if (typeof value === 'string') return looksLikeCardNumber(value) ? '[redacted: looks like a card number]' : value;
  if (Array.isArray(value)) return value.map(redactPayload);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactPayload(v)]));
  }
  return value;
}
