// Client-generated ids (sale, event, return, cart line). `crypto.randomUUID` exists only in secure
// contexts; `crypto.getRandomValues` exists everywhere (browser on any origin, Node), so ids never
// depend on how the register reached the edge.

/** A random RFC 4122 version-4 UUID. */
export function newId(): string {
  const b = new Uint8Array(16);
  globalThis.crypto.getRandomValues(b);
  b[6] = (b[6]! & 0x0f) | 0x40; // version 4
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Any UUID in its canonical text form (any version, either case): what a uuid column accepts as an id. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
