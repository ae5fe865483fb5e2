import { describe, expect, it } from 'vitest';
import { hashPin, isValidPin, verifyPin } from './pin-hash';

describe('pin hash', () => {
  it('verifies the right PIN and refuses a wrong one', async () => {
    const h = await hashPin('1234');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(h).not.toContain('1234$');
    expect(await verifyPin('1234', h)).toBe(true);
    expect(await verifyPin('1235', h)).toBe(false);
  });
  it('salts every hash', async () => {
    expect(await hashPin('0000')).not.toBe(await hashPin('0000'));
  });
  it('rejects malformed PINs and hashes', async () => {
    expect(isValidPin('12a4')).toBe(false);
    expect(isValidPin('123')).toBe(false);
    await expect(hashPin('12')).rejects.toThrow(/4 to 8 digits/);
    expect(await verifyPin('1234', 'plain')).toBe(false);
  });
});
