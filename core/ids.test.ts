import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { newId } from './ids';

describe('newId', () => {
  it('makes version-4 UUIDs that zod accepts, without crypto.randomUUID', () => {
    const saved = globalThis.crypto.randomUUID.bind(globalThis.crypto);
    // An insecure browser context has no randomUUID: ids must not need it.
    Object.defineProperty(globalThis.crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      const ids = Array.from({ length: 1000 }, newId);
      for (const id of ids) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(z.string().uuid().safeParse(id).success).toBe(true);
      }
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      Object.defineProperty(globalThis.crypto, 'randomUUID', { value: saved, configurable: true });
    }
  });
});
