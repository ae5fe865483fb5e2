// Cashier PINs are stored and synced only as slow salted hashes, so a register can verify a PIN
// offline without ever holding the PIN. scrypt from @noble/hashes runs in the browser and in Node.
import { scryptAsync } from '@noble/hashes/scrypt.js';

const PARAMS = { N: 2 ** 14, r: 8, p: 1, dkLen: 32 };

const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const fromB64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** A PIN is 4 to 8 digits. */
export function isValidPin(pin: string): boolean {
  return /^[0-9]{4,8}$/.test(pin);
}

export async function hashPin(pin: string, salt: Uint8Array = crypto.getRandomValues(new Uint8Array(16))): Promise<string> {
  if (!isValidPin(pin)) throw new Error('PIN must be 4 to 8 digits');
  const dk = await scryptAsync(new TextEncoder().encode(pin), salt, PARAMS);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${toB64(salt)}$${toB64(dk)}`;
}

/** Constant-time comparison of a PIN with a stored hash; false for malformed hashes. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt' || !isValidPin(pin)) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = fromB64(parts[4]!);
  const expected = fromB64(parts[5]!);
  const dk = await scryptAsync(new TextEncoder().encode(pin), salt, { N, r, p, dkLen: expected.length });
  let diff = 0;
  for (let i = 0; i < dk.length; i++) diff |= dk[i]! ^ expected[i]!;
  return diff === 0 && dk.length === expected.length;
}
