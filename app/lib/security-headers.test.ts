import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, setSecurityHeaders } from './security-headers';

describe('document security headers', () => {
  it('lets the POS run PGlite and its service worker but nothing foreign, and forbids framing', () => {
    const csp = Object.fromEntries(
      contentSecurityPolicy('abc')
        .split('; ')
        .map((d) => [d.split(' ')[0], d.split(' ').slice(1)]),
    );
    expect(csp['script-src']).toEqual(["'self'", "'nonce-abc'", "'wasm-unsafe-eval'"]);
    expect(csp['script-src']).not.toContain("'unsafe-eval'");
    expect(csp['script-src']).not.toContain("'unsafe-inline'");
    expect(csp['connect-src']).toEqual(["'self'"]);
    expect(csp['worker-src']).toContain("'self'");
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp['frame-ancestors']).toEqual(["'none'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    const h = new Headers();
    setSecurityHeaders(h, 'abc');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('referrer-policy')).toBe('same-origin');
    expect(h.get('content-security-policy')).toContain("'nonce-abc'");
  });
});
