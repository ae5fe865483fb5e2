// Barcode scanners type like a keyboard: a fast burst of characters ending in Enter.
// Tell a scan from a person typing by the gap between keys, wherever the focus is.

export interface WedgeScannerOptions {
  /** Longest gap between two keys of one scan (scanners: ~5–30 ms; people: 100 ms+). */
  maxGapMs?: number;
  /** Shortest code accepted as a scan. */
  minLength?: number;
  onScan: (code: string) => void;
}

export interface KeyInput {
  key: string;
  timeStamp: number;
}

/** Feed it every keydown; returns true when the key was part of a scan (the caller then swallows it). */
export function createWedgeScanner(opts: WedgeScannerOptions) {
  const maxGap = opts.maxGapMs ?? 50;
  const minLength = opts.minLength ?? 4;
  let buffer = '';
  let last = -Infinity;
  return {
    key(e: KeyInput): boolean {
      const gap = e.timeStamp - last;
      last = e.timeStamp;
      if (e.key === 'Enter') {
        const code = buffer;
        buffer = '';
        if (code.length >= minLength && gap <= maxGap) {
          opts.onScan(code);
          return true;
        }
        return false;
      }
      if (e.key.length !== 1) {
        buffer = '';
        return false;
      }
      buffer = gap <= maxGap ? buffer + e.key : e.key;
      // Only keys after the first one are known to be a burst.
      return buffer.length > 1;
    },
  };
}
