// Opaque keyset cursors: stable under inserts, no OFFSET scans on large catalogs.
export interface PageCursor {
  k: string;
  id: string;
}

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

export function decodeCursor(s: string | undefined): PageCursor | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof v?.k === 'string' && typeof v?.id === 'string') return v;
  } catch {
    /* fall through */
  }
  throw new Error('invalid cursor');
}
