// The backup file is a plain POSIX (ustar) tar, so an operator can list or unpack it with `tar`.
// Only what backups need: regular files with short names, written and read as a stream from disk.
import { createReadStream, openSync, readSync, closeSync, fstatSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const BLOCK = 512;

function header(name: string, size: number, mode: number, mtime: Date): Buffer {
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
  const h = Buffer.alloc(BLOCK);
  const octal = (n: number, width: number) => n.toString(8).padStart(width - 1, '0') + '\0';
  h.write(name, 0, 'utf8');
  h.write(octal(mode & 0o7777, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'latin1');
  h.write('        ', 148, 'latin1'); // checksum field counts as spaces while summing
  h.write('0', 156, 'latin1');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148, 'latin1');
  return h;
}

async function put(out: WriteStream, chunk: Buffer) {
  if (!out.write(chunk)) await once(out, 'drain');
}

export type TarSource = { name: string; mode?: number; data: Buffer } | { name: string; mode?: number; path: string };

/** Writes entries to `out` (left open) and returns the bytes written. */
export async function writeTar(out: WriteStream, entries: TarSource[], mtime = new Date()): Promise<number> {
  let total = 0;
  for (const e of entries) {
    const size = 'data' in e ? e.data.length : fstatSize(e.path);
    await put(out, header(e.name, size, e.mode ?? 0o600, mtime));
    if ('data' in e) await put(out, e.data);
    else for await (const chunk of createReadStream(e.path)) await put(out, chunk as Buffer);
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (pad) await put(out, Buffer.alloc(pad));
    total += BLOCK + size + pad;
  }
  await put(out, Buffer.alloc(BLOCK * 2));
  return total + BLOCK * 2;
}

function fstatSize(file: string): number {
  const fd = openSync(file, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

export interface TarEntry {
  name: string;
  mode: number;
  size: number;
  /** Byte offset of the entry's content in the file. */
  offset: number;
}

/** Lists a tar file's entries, checking every header's checksum; throws on a damaged or truncated file. */
export function listTar(file: string): TarEntry[] {
  const fd = openSync(file, 'r');
  try {
    const fileSize = fstatSync(fd).size;
    const entries: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let at = 0;
    for (;;) {
      if (readSync(fd, h, 0, BLOCK, at) !== BLOCK) throw new Error('tar file is truncated');
      if (h.every((b) => b === 0)) return entries;
      const stored = parseInt(h.toString('latin1', 148, 156).replace(/\0.*$/, '').trim(), 8);
      let sum = 0;
      for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
      if (stored !== sum) throw new Error(`tar header at byte ${at} is damaged`);
      const name = h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
      const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/, '').trim() || '0', 8);
      const mode = parseInt(h.toString('latin1', 100, 108).replace(/\0.*$/, '').trim() || '600', 8);
      const offset = at + BLOCK;
      if (offset + size > fileSize) throw new Error(`tar entry ${name} is truncated`);
      entries.push({ name, mode, size, offset });
      at = offset + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
}

/** One entry's content (small entries: manifest, keys). */
export function readTarEntry(file: string, entry: TarEntry): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(entry.size);
    if (entry.size && readSync(fd, b, 0, entry.size, entry.offset) !== entry.size) throw new Error(`tar entry ${entry.name} is truncated`);
    return b;
  } finally {
    closeSync(fd);
  }
}

/** A stream of one entry's content (the database, which may be large). */
export function tarEntryStream(file: string, entry: TarEntry) {
  return createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 });
}
