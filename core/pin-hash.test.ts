import { describe, expect, it } from 'vitest';
import { hashPin, isValidPin, PIN_HASH_PARAMS, pinHashNeedsUpgrade, verifyPin } from './pin-hash';

// Written by the previous cost (N = 2^14) for PIN 4321; stores and registers hold hashes like it.
const LEGACY_4321 = 'scrypt$16384$8$1$AwoRGB8mLTQ7QklQV15lbA==$kuUeLlP6fHe3qwM5gZrBZah9jCdkT9iII4YIL3+2o3U=';

describe('pin hash', () => {
  it('verifies the right PIN and refuses a wrong one', async () => {
    const h = await hashPin('1234');
    expect(h).not.toContain('1234$');
    expect(await verifyPin('1234', h)).toBe(true);
    expect(await verifyPin('1235', h)).toBe(false);
  });

  it('writes the current cost into every new hash', async () => {
    const h = await hashPin('24681357');
    expect(h.startsWith(`scrypt$${PIN_HASH_PARAMS.N}$${PIN_HASH_PARAMS.r}$${PIN_HASH_PARAMS.p}$`)).toBe(true);
    expect(PIN_HASH_PARAMS.N).toBeGreaterThan(2 ** 14);
    expect(pinHashNeedsUpgrade(h)).toBe(false);
    expect(await verifyPin('24681357', h)).toBe(true);
  });

  it('keeps verifying hashes written at the older cost and marks them for a new PIN', async () => {
    expect(await verifyPin('4321', LEGACY_4321)).toBe(true);
    expect(await verifyPin('4322', LEGACY_4321)).toBe(false);
    expect(pinHashNeedsUpgrade(LEGACY_4321)).toBe(true);
  });

  it('salts every hash', async () => {
    expect(await hashPin('0000')).not.toBe(await hashPin('0000'));
  });

  it('applies the store minimum length', () => {
    expect(isValidPin('1234')).toBe(true);
    expect(isValidPin('1234', 6)).toBe(false);
    expect(isValidPin('123456', 6)).toBe(true);
    expect(isValidPin('12345678', 8)).toBe(true);
    expect(isValidPin('123456789', 4)).toBe(false);
    expect(isValidPin('123', 2)).toBe(false); // never below 4
  });

  it('rejects malformed PINs and hashes without running scrypt on hostile parameters', async () => {
    expect(isValidPin('12a4')).toBe(false);
    expect(isValidPin('123')).toBe(false);
    await expect(hashPin('12')).rejects.toThrow(/4 to 8 digits/);
    expect(await verifyPin('1234', 'plain')).toBe(false);
    const [, , , , salt, key] = LEGACY_4321.split('$');
    for (const bad of [
      `scrypt$1073741824$8$1$${salt}$${key}`, // 2^30: a gigabyte per check
      `scrypt$16383$8$1$${salt}$${key}`, // not a power of two
      `scrypt$16384$64$1$${salt}$${key}`,
      `scrypt$16384$8$1$${salt}$AAAA`,
      `scrypt$16384$8$1$!!$${key}`,
      `scrypt$1e4$8$1$${salt}$${key}`,
    ]) {
      expect(await verifyPin('4321', bad)).toBe(false);
      expect(pinHashNeedsUpgrade(bad)).toBe(true);
    }
  });
});
