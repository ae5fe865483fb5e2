import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureEdgeCertificates } from '../infra/tls/store-certificates';
import { publicEdgeUrl, readStoreCa } from './store-ca';

describe('store CA for pages', () => {
  it('reads the CA certificate and fingerprint the edge created, and nothing when there is none', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'till-ca-'));
    try {
      const certs = await ensureEdgeCertificates({ dir, hostname: 'till-edge.test', addresses: [] });
      const ca = readStoreCa(dir)!;
      expect(ca.fingerprint).toBe(certs.caFingerprint);
      expect(ca.pem).toBe(certs.caPem);
      expect(ca.pem).not.toContain('PRIVATE KEY');
      expect(readStoreCa(path.join(dir, 'missing'))).toBeUndefined();
      expect(readStoreCa(undefined)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the register the https address by the store name', () => {
    expect(publicEdgeUrl('http://till-edge.test:4000/setup', { EDGE_PUBLIC_URL: 'https://till-edge.test:4000/' })).toBe('https://till-edge.test:4000');
    expect(publicEdgeUrl('http://10.0.0.5:3000/setup', {})).toBe('https://10.0.0.5:3000');
  });
});
