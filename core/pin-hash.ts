// Cashier PINs are stored and synced only as slow salted hashes, so a register can verify a PIN
// offline without ever holding the PIN. scrypt from @noble/hashes runs in the browser and in Node.
// Every hash carries its own cost (`scrypt$N$r$p$salt$key`), so raising the cost never breaks a
// stored PIN: older hashes keep verifying at their own cost until an admin sets a new PIN.
// Why these numbers: docs/decisions/601-offline-cashier-pins.md.
import { scryptAsync } from '@noble/hashes/scrypt.js';

/** Current cost: about 150–200 ms in Node (measured for the decision record), so a register stays under ~300 ms. */
export const PIN_HASH_PARAMS = { N: 2 ** 15, r: 8, p: 1, dkLen: 32 } as const;

export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 8;

// Stored hashes reach every register; bounds keep a corrupt row from making verification hang or exhaust memory.
const LIMITS = { logNMin: 10, logNMax: 20, rMax: 16, pMax: 4, dkMin: 16, dkMax: 64 };

const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** A PIN is `minDigits` (at least 4, the store's setting) to 8 digits. */
export function isValidPin(pin: string, minDigits: number = PIN_MIN_DIGITS): boolean {
  const min = Math.max(PIN_MIN_DIGITS, Math.min(PIN_MAX_DIGITS, Math.trunc(minDigits)));
  return pin.length >= min && /^[0-9]{4,8}$/.test(pin);
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  key: Uint8Array;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((s) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN)) as [number, number, number];
  const logN = Math.log2(N);
  if (!Number.isInteger(logN) || logN < LIMITS.logNMin || logN > LIMITS.logNMax) return null;
  if (!(r >= 1 && r <= LIMITS.rMax && p >= 1 && p <= LIMITS.pMax)) return null;
  try {
    const salt = fromB64(parts[4]!);
    const key = fromB64(parts[5]!);
    if (salt.length < 8 || key.length < LIMITS.dkMin || key.length > LIMITS.dkMax) return null;
    return { N, r, p, salt, key };
  } catch {
    return null;
  }
}

export async function hashPin(pin: string, salt: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
  if (!isValidPin(pin)) throw new Error('PIN must be 4 to 8 digits');
  const { N, r, p } = PIN_HASH_PARAMS;
  const dk = await scryptAsync(new TextEncoder().encode(pin), salt, PIN_HASH_PARAMS);
  return `scrypt$${N}$${r}$${p}$${toB64(salt)}$${toB64(dk)}`;
}

/** Constant-time comparison of a PIN with a stored hash, at the hash's own cost; false for malformed hashes. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (!h || !isValidPin(pin)) return false;
  const dk = await scryptAsync(new TextEncoder().encode(pin), h.salt, { N: h.N, r: h.r, p: h.p, dkLen: h.key.length });
  let diff = 0;
  for (let i = 0; i < dk.length; i++) diff |= dk[i]! ^ h.key[i]!;
  return diff === 0 && dk.length === h.key.length;
}

/** True when a stored hash is malformed or cheaper than the current cost: the cashier should get a new PIN. */
export function pinHashNeedsUpgrade(stored: string): boolean {
  const h = parseHash(stored);
  if (!h) return true;
  return h.N * h.r * h.p < PIN_HASH_PARAMS.N * PIN_HASH_PARAMS.r * PIN_HASH_PARAMS.p || h.key.length < PIN_HASH_PARAMS.dkLen;
}
