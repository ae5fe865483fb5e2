// PostgreSQL text cannot hold NUL, and a lone surrogate or U+FFFD means the client sent bytes that
// were not UTF-8: both are refused up front with the field named, instead of failing in SQL.
import type { Issue } from './errors';

const UNSAFE = /\u0000|\uFFFD|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function walk(value: unknown, path: string, out: Issue[], depth: number) {
  if (out.length >= 20 || depth > 64) return;
  if (typeof value === 'string') {
    if (UNSAFE.test(value)) out.push({ path, message: 'must be valid UTF-8 text without NUL characters' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}.${i}`, out, depth + 1));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (UNSAFE.test(k)) out.push({ path: `${path}.${k.replace(UNSAFE, '?')}`, message: 'field names must be valid UTF-8 without NUL' });
      else walk(v, `${path}.${k}`, out, depth + 1);
    }
  }
}

/** Issues for every string under `value` that PostgreSQL text cannot hold. */
export function unsafeText(value: unknown, prefix: string): Issue[] {
  const out: Issue[] = [];
  walk(value, prefix, out, 0);
  return out;
}
