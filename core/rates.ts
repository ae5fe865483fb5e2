// Rates (VAT, discounts, discount limits) are integer basis points of a percent: 2000 = 20 %.
// Shown with integer arithmetic only, so no float division ever reaches a screen, receipt or export.

/** Basis points as percent text, no sign: 2000 → "20", 550 → "5.5", 725 → "7.25" (form fields, and inside formatRate). */
export function percentText(bp: number): string {
  if (!Number.isSafeInteger(bp)) throw new RangeError(`a rate must be an integer of basis points, got ${bp}`);
  const sign = bp < 0 ? '-' : '';
  const abs = Math.abs(bp);
  const frac = abs % 100;
  const whole = (abs - frac) / 100;
  if (frac === 0) return `${sign}${whole}`;
  return `${sign}${whole}.${String(frac).padStart(2, '0').replace(/0$/, '')}`;
}

/** A rate as everyone reads it, the one form used across screens, receipts, X/Z and exports: 2000 → "20%", 550 → "5.5%". */
export function formatRate(bp: number): string {
  return `${percentText(bp)}%`;
}
