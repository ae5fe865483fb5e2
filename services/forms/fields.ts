// Field schemas the back-office forms are made of. Pure (zod and core only): the same schema checks a
// form in the browser and, in the service, the submitted input (ADR 502).
import * as z from 'zod';
import { UUID_RE } from '../../core/ids';
import { MoneyParseError, parseDecimal } from '../../core/parse-decimal';

export const uuid = (what: string) => z.string({ error: `choose a ${what}` }).regex(UUID_RE, `choose a ${what}`);

/** A checkbox: present ("on") is true, absent is false. */
export const checkbox = z
  .any()
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

/** "true" or "false" from a hidden field or a select. */
export const flag = (what = 'true or false') => z.enum(['true', 'false'], { error: `choose ${what}` }).transform((v) => v === 'true');

export const requiredText = (max: number, what: string) =>
  z
    .string({ error: `enter ${what}` })
    .trim()
    .min(1, `enter ${what}`)
    .max(max, `at most ${max} characters`);

export const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).optional().default('');

/**
 * An amount as typed ("12.50"). It stays text: the service reads it with core's decimal parser in the
 * currency's exponent; here the same parser refuses what no currency could read ("1,50", "12a").
 */
export const amountText = (what: string, opts: { optional?: boolean } = {}) =>
  typed(what, opts).superRefine((t, ctx) => {
    const problem = t === '' ? null : decimalProblem(t);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Trimmed text; empty (or absent) is refused unless optional, when it reads as ''. */
function typed(what: string, opts: { optional?: boolean }) {
  const text = z.string({ error: `enter ${what}` }).trim();
  return opts.optional ? text.optional().transform((t) => t ?? '') : text.min(1, `enter ${what}`);
}

function decimalProblem(text: string): string | null {
  try {
    parseDecimal(text, { exponent: 6 });
    return null;
  } catch (e) {
    if (e instanceof MoneyParseError) return e.message;
    throw e;
  }
}

const PERCENT = /^[0-9]{1,3}(\.[0-9]{1,2})?$/;

/** "20", "5.5", "7.25" (a trailing % allowed) as basis points, or why not; at most 100 %. */
export function percentToBp(text: string): { bp: number } | { problem: string } {
  const t = text.trim().replace(/\s*%$/, '');
  if (!PERCENT.test(t))
    return {
      problem: 'enter a percentage with up to 2 decimals, like 20 or 5.5',
    };
  const bp = parseDecimal(t, { exponent: 2 });
  return bp > 10_000 ? { problem: 'must be at most 100 %' } : { bp };
}

/** A percentage as typed; the service turns it into basis points with `percentToBp`. */
export const percentText = (what: string, opts: { optional?: boolean } = {}) =>
  typed(what, opts).superRefine((t, ctx) => {
    const r = t === '' ? null : percentToBp(t);
    if (r && 'problem' in r) ctx.addIssue({ code: 'custom', message: r.problem });
  });
