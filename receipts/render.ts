// Turns receiptline markup into an SVG image (browser printing, previews) or ESC/POS bytes (raw
// printers). No Node APIs; receiptline's binary string is converted byte by byte.
// `createRenderer` takes receiptline's `transform` so the browser can use receiptline's own
// browser build (loaded as a script), which needs none of the Node modules the npm entry pulls in.

/** Character sets receiptline can print; `multilingual` switches code pages per character. */
export type ReceiptEncoding =
  | 'multilingual'
  | 'cp437'
  | 'cp852'
  | 'cp858'
  | 'cp860'
  | 'cp863'
  | 'cp865'
  | 'cp866'
  | 'cp1252'
  | 'cp932'
  | 'cp936'
  | 'cp949'
  | 'cp950'
  | 'shiftjis'
  | 'gb18030'
  | 'ksc5601'
  | 'big5'
  | 'tis620';

/** Characters per line of an 80 mm printer with font A; 58 mm printers use 32. */
export const DEFAULT_CPL = 42;
export const DEFAULT_ENCODING: ReceiptEncoding = 'multilingual';

export interface SvgOptions {
  cpl?: number;
  encoding?: ReceiptEncoding;
  /**
   * receiptline's SVG imports a web font from the internet. Off by default: the POS must print
   * offline, and the font falls back to Courier / monospace.
   */
  webFonts?: boolean;
}

export type Transform = (doc: string, printer: Record<string, unknown>) => string;

export function createRenderer(transform: Transform) {
  // Arrow functions: callers take them off the object (`const { renderSvg } = createRenderer(...)`).
  return {
    /** The receipt as a standalone SVG document (width = cpl × 12 px). */
    renderSvg: (doc: string, { cpl = DEFAULT_CPL, encoding = DEFAULT_ENCODING, webFonts = false }: SvgOptions = {}): string => {
      const svg = mergeCharacterSpans(transform(doc, { cpl, encoding, command: 'svg' }));
      return webFonts ? svg : svg.replace(/@import url\([^)]*\);?/g, '');
    },
    /** ESC/POS printer commands for the receipt: starts with ESC @ (initialise), ends with a cut. */
    renderEscPos: (doc: string, { cpl = DEFAULT_CPL, encoding = DEFAULT_ENCODING, command = 'escpos', cutting = true }: EscPosOptions = {}): Uint8Array => {
      return binaryStringToBytes(transform(doc, { cpl, encoding, command, cutting }));
    },
  };
}

export interface EscPosOptions {
  cpl?: number;
  encoding?: ReceiptEncoding;
  /** ESC/POS dialect; `escpos` suits Epson-compatible thermal printers. */
  command?: 'escpos' | 'epson' | 'generic' | 'sii' | 'citizen' | 'fit';
  /** Cut the paper at the end (default true). */
  cutting?: boolean;
}

/** One character of SVG text: a plain UTF-16 unit that is not half a surrogate pair, or a character reference. */
const CHAR = String.raw`(?:[^<&\uD800-\uDFFF]|&#x[0-9a-f]+;|&#\d+;|&[a-z]+;)`;
const SPAN_SOURCE = String.raw`<tspan x="(-?[\d.]+)">(${CHAR})</tspan>`;
/** One tspan: its x and its character (matchAll copies the pattern, so one shared instance is safe). */
const SPAN = new RegExp(SPAN_SOURCE, 'gi');
/** Two or more of them in a row. */
const RUN = new RegExp(`(?:${SPAN_SOURCE}){2,}`, 'gi');

/**
 * receiptline places every character in its own `<tspan x="…">`: about a thousand elements for a
 * short receipt, each one laid out and painted by the browser. A run of them becomes one tspan with
 * the same characters and the list of their x positions, which SVG places one per character: the
 * same glyphs at the same places (receipts/receipt-browser.test.ts compares the pixels).
 */
export function mergeCharacterSpans(svg: string): string {
  return svg.replace(RUN, (run) => {
    const xs: string[] = [];
    let text = '';
    for (const [, x, ch] of run.matchAll(SPAN)) {
      xs.push(x!);
      text += ch!;
    }
    return `<tspan x="${xs.join(' ')}">${text}</tspan>`;
  });
}

/** receiptline returns one char per byte (a "binary" string); anything above 0xff is a bug upstream. */
export function binaryStringToBytes(binary: string): Uint8Array {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    const code = binary.charCodeAt(i);
    if (code > 0xff) throw new RangeError(`printer output has a non-byte character at ${i} (U+${code.toString(16)})`);
    bytes[i] = code;
  }
  return bytes;
}
