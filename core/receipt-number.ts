// Receipt numbers: per register and company, gap-free, issued on the register so selling works
// offline. Format `{companyCode}-{registerCode}-{seq}`, e.g. `U-R01-000123`; the sequence is
// zero-padded to at least 6 digits so numbers sort as text up to 999999 and read aloud well.
//
// Device epochs (docs/decisions/102-receipt-numbers.md). A number is never reused:
// - The register keeps its last issued sequence in its local database. On start it resumes from
//   max(local last, highest the edge has seen): the edge may be ahead if the local database was
//   restored from an older state.
// - If the local database is gone (wipe, new browser, re-pair) the register cannot know which
//   numbers it issued offline and never pushed, so continuing from the edge's highest could reuse
//   a number already printed on a customer's receipt. Instead the edge issues a new device code
//   for the next epoch (R01 → R01B → R01C …) and that code starts again at 000001.
// - Every pairing allocates a new epoch, so "no local state and nothing seen by the edge" only
//   happens for a code fresh from pairing. The device token and the sequence live in the same
//   local database, so a wipe loses both and forces a re-pair.

export interface ReceiptNumber {
  companyCode: string;
  registerCode: string;
  seq: number;
}

export interface ReceiptSeries {
  companyCode: string;
  registerCode: string;
}

/** Codes are upper-case letters and digits: no '-' (the separator), nothing that sorts oddly. */
const CODE = /^[A-Z0-9]{1,16}$/;
const SEQ_DIGITS = 6;

function checkSeries({ companyCode, registerCode }: ReceiptSeries): void {
  if (!CODE.test(companyCode)) throw new RangeError(`Company code must be 1–16 upper-case letters or digits, got "${companyCode}"`);
  if (!CODE.test(registerCode)) throw new RangeError(`Register code must be 1–16 upper-case letters or digits, got "${registerCode}"`);
}

export function formatReceiptNumber({ companyCode, registerCode, seq }: ReceiptNumber): string {
  checkSeries({ companyCode, registerCode });
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`Receipt sequence must be a positive integer, got ${seq}`);
  return `${companyCode}-${registerCode}-${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

/** The parts of a receipt number, or null unless the text is exactly what formatReceiptNumber writes. */
export function parseReceiptNumber(text: string): ReceiptNumber | null {
  const m = /^([A-Z0-9]{1,16})-([A-Z0-9]{1,16})-([0-9]{6,16})$/.exec(text);
  if (!m) return null;
  const seq = Number(m[3]);
  if (!Number.isSafeInteger(seq) || seq < 1) return null;
  const parsed = { companyCode: m[1]!, registerCode: m[2]!, seq };
  // One canonical text per number: "U-R01-0001000" (padded past 6 digits) is refused.
  return formatReceiptNumber(parsed) === text ? parsed : null;
}

/** The number after `lastIssued` in the same series (or the first, 000001). */
export function nextReceiptNumber(lastIssued: string | null, series: ReceiptSeries): string {
  checkSeries(series);
  if (lastIssued === null) return formatReceiptNumber({ ...series, seq: 1 });
  const last = parseReceiptNumber(lastIssued);
  if (!last) throw new RangeError(`Not a receipt number: "${lastIssued}"`);
  if (last.companyCode !== series.companyCode || last.registerCode !== series.registerCode) {
    throw new RangeError(`Receipt ${lastIssued} belongs to another series than ${series.companyCode}-${series.registerCode}`);
  }
  return formatReceiptNumber({ ...series, seq: last.seq + 1 });
}

export type ResumeDecision =
  /** Keep the device code; the next number is lastSeq + 1. */
  | { action: 'continue'; lastSeq: number }
  /** Local state is lost but the edge has seen numbers from this code: ask the edge for the next epoch's code. */
  | { action: 'new_epoch' };

/**
 * Where a register's numbering resumes. `edgeHighestSeen`: highest sequence the edge accepted for
 * this company and device code (null if none). `localLast`: last sequence in the register's local
 * database (null if it has none, i.e. a fresh or wiped register).
 */
export function resumeSequence(edgeHighestSeen: number | null, localLast: number | null): ResumeDecision {
  for (const v of [edgeHighestSeen, localLast]) {
    if (v !== null && (!Number.isSafeInteger(v) || v < 0)) throw new RangeError(`Sequence must be a non-negative integer, got ${v}`);
  }
  if (localLast === null) return edgeHighestSeen === null || edgeHighestSeen === 0 ? { action: 'continue', lastSeq: 0 } : { action: 'new_epoch' };
  return { action: 'continue', lastSeq: Math.max(localLast, edgeHighestSeen ?? 0) };
}

/**
 * The device code for an epoch of a register: epoch 1 is the base code ("R01"), then a letter
 * suffix counted in base 26 without a leading A: 2 → "R01B", 26 → "R01Z", 27 → "R01BA".
 * The edge stores the epoch number; the code is derived from it.
 */
export function registerCodeForEpoch(baseCode: string, epoch: number): string {
  if (!Number.isSafeInteger(epoch) || epoch < 1) throw new RangeError(`Epoch must be a positive integer, got ${epoch}`);
  let suffix = '';
  for (let n = epoch - 1; n > 0; n = Math.floor(n / 26)) suffix = String.fromCharCode(65 + (n % 26)) + suffix;
  const code = baseCode + suffix;
  checkSeries({ companyCode: 'X', registerCode: code });
  return code;
}
