// Headers for every HTML document the app renders (POS and admin) and, minus the CSP, its data responses.

/**
 * The document CSP. Scripts: this origin plus the nonce on Remix's inline bootstrap scripts;
 * 'wasm-unsafe-eval' lets the POS compile PGlite's WebAssembly (no JS eval). Styles: this origin and
 * inline, because pages use React `style` attributes and receipt SVGs carry a <style> block. Images:
 * data:/blob: for receipt previews. The service worker (/sw.js) comes from this origin. Nothing may frame us.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Set on documents and data responses alike. */
export const BASE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

export function setSecurityHeaders(headers: Headers, nonce?: string): void {
  for (const [k, v] of Object.entries(BASE_SECURITY_HEADERS)) headers.set(k, v);
  if (nonce) headers.set('Content-Security-Policy', contentSecurityPolicy(nonce));
}
