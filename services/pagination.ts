// Opaque keyset cursors: stable under inserts, no OFFSET scans on large catalogs.
import * as z from 'zod';

export interface PageCursor {
  k: string;
  id: string;
}

export function encodeCursor(c: PageCursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

// A cursor comes back from the client: read it like any other input.
const cursorShape = z.object({ k: z.string(), id: z.string() });

export function decodeCursor(s: string | undefined): PageCursor | undefined {
  if (!s) return undefined;
  try {
    const v = cursorShape.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    if (v.success) return v.data;
  } catch {
    /* fall through */
  }
  throw new Error('invalid cursor');
}
