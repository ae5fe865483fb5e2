// Builds the receiptline markup of a receipt. Pure and isomorphic: the POS runs it in the browser
// (offline, for browser printing) and the edge runs it for raw ESC/POS printers. No Node APIs.
import { escapeLines, escapePropertyValue, escapeText } from './escape';
import { formatRate } from '../core/rates';
import { formatDateTime, formatMoney, formatQuantity } from './format';
import { receiptDataSchema, type ReceiptDataInput, type Tender } from './receipt-data';

/** Marks a cross-company line; explained by a legend under the lines. */
export const CROSS_COMPANY_MARK = '*';
export const FLAGGED_NOTE = 'FLAGGED FOR ADJUSTMENT';

// Column layouts (receiptline `width` property). `*` takes what is left of the line.
const WIDTH_AUTO = '{width:auto}';
const WIDTH_KEY_VALUE = '{width:16,*}';
const WIDTH_ITEM = '{width:*,12}';
const WIDTH_TAX = '{width:*,10,9,10}';
const BARCODE_OPTION = '{option:code128,2,64,hri}';

const TENDER_LABEL: Record<Tender['kind'], string> = { cash: 'Cash', card: 'Card', credit: 'On account' };

/** One two-column row: `key` on the left, `value` on the right (both already escaped). */
const row = (key: string, value: string) => `${key} | ${value}`;

/**
 * The receiptline document of a sale. Validates `r` (throws a ZodError on bad data, e.g. a float
 * amount) so no caller can print a half-formed receipt.
 */
export function receiptDocument(input: ReceiptDataInput): string {
  const r = receiptDataSchema.parse(input);
  const money = (minor: number) => formatMoney(minor, r.currencyExponent);
  const out: string[] = [];

  // Header: store, address, issuing company.
  out.push('{align:center}', WIDTH_AUTO);
  out.push(`^^"${escapeText(r.store.name)}"`);
  out.push(...escapeLines(r.store.address));
  out.push(`"${escapeText(r.company.name)}"`);
  if (r.company.taxId) out.push(`VAT ID ${escapeText(r.company.taxId)}`);
  if (r.reprint) out.push('', '`~COPY - REPRINT~`');
  out.push('-');

  // Who, when, where.
  out.push(WIDTH_KEY_VALUE);
  out.push(row('|Receipt', `"${escapeText(r.receiptNumber)}"`));
  out.push(row('|Date', escapeText(formatDateTime(r.issuedAt, r.timeZone))));
  out.push(row('|Register', escapeText(r.register.name ? `${r.register.code} ${r.register.name}` : r.register.code)));
  out.push(row('|Cashier', escapeText(r.cashier.name)));
  if (r.customer) {
    out.push(row('|Customer', escapeText(r.customer.name)));
    if (r.customer.code) out.push(row('|Account', escapeText(r.customer.code)));
    if (r.customer.taxId) out.push(row('|Customer VAT ID', escapeText(r.customer.taxId)));
  }
  out.push('-');

  // Lines: name and total, then quantity × unit price and any line discount.
  out.push(WIDTH_ITEM);
  for (const line of r.lines) {
    const mark = line.crossCompany ? ` ${CROSS_COMPANY_MARK}` : '';
    out.push(row(`|${escapeText(line.name)}${mark}`, money(line.total)));
    const qty = formatQuantity(line.quantityMilli, line.unitPrecision);
    const uom = line.uom ? ` ${escapeText(line.uom)}` : '';
    const code = line.code ? `~~~[${escapeText(line.code)}]` : '';
    out.push(`|~~${qty}${uom} x ${money(line.unitPrice)}${code} |`);
    if (line.lineDiscount > 0) out.push(`|~~Discount ${money(-line.lineDiscount)} |`);
  }
  const crossLines = r.lines.filter((l) => l.crossCompany);
  if (crossLines.length > 0) {
    const owners = [...new Set(crossLines.map((l) => l.itemCompanyName).filter((n): n is string => !!n))];
    const from = owners.length > 0 ? `of ${owners.join(', ')}` : 'of another company';
    out.push(WIDTH_AUTO, `|${CROSS_COMPANY_MARK} Item ${escapeText(from)} |`);
  }
  out.push('-');

  // Totals.
  out.push(WIDTH_ITEM);
  out.push(row('|Subtotal', money(r.totals.subtotal)));
  if (r.invoiceDiscount > 0) out.push(row('|Invoice discount', money(-r.invoiceDiscount)));
  if (r.totals.discountTotal > 0) out.push(row('|You saved', money(r.totals.discountTotal)));
  out.push(row(`|^"TOTAL ${r.currency}"`, `^"${money(r.totals.total)}"`));
  out.push('-');

  // Tax summary per rate.
  if (r.taxSummary.length > 0) {
    out.push(WIDTH_TAX);
    out.push('|"VAT rate" | "Net"| "VAT"| "Gross"');
    for (const t of r.taxSummary) {
      const label = t.label ? escapeText(t.label) : formatRate(t.rateBp);
      out.push(`|${label} | ${money(t.net)}| ${money(t.tax)}| ${money(t.gross)}`);
    }
    if (r.taxSummary.length > 1) out.push(`|Total | ${money(r.totals.net)}| ${money(r.totals.tax)}| ${money(r.totals.total)}`);
    out.push('-');
  }

  // Tenders.
  if (r.tenders.length > 0) {
    out.push(WIDTH_ITEM);
    for (const t of r.tenders) {
      out.push(row(`|${TENDER_LABEL[t.kind]}`, money(t.amount)));
      if (t.kind === 'cash') {
        out.push(row('|~~Cash given', money(t.given)));
        out.push(row('|~~"Change"', `"${money(t.change)}"`));
      } else if (t.kind === 'card') {
        if (t.reference) out.push(row('|~~Ref.', escapeText(t.reference)));
      } else {
        const who = t.customer.code ? `${t.customer.name} (${t.customer.code})` : t.customer.name;
        out.push(WIDTH_AUTO, `|~~Customer: ${escapeText(who)} |`, WIDTH_ITEM);
      }
    }
    out.push('-');
  }

  // Adjustment note.
  if (r.flaggedForAdjustment) {
    out.push(WIDTH_AUTO, `\`"~${FLAGGED_NOTE}~"\``);
    for (const reason of r.adjustmentReasons) out.push(...escapeLines(reason).map((l) => `|${l} |`));
    out.push('-');
  }

  // Footer and the receipt number as a barcode.
  out.push(WIDTH_AUTO);
  out.push(...escapeLines(r.footer));
  out.push(BARCODE_OPTION, `{code:${escapePropertyValue(r.receiptNumber)}}`);
  return `${out.join('\n')}\n`;
}

export interface TestReceiptStore {
  name: string;
  address?: string;
  footer?: string;
}

export interface TestReceiptRegister {
  code: string;
  name?: string;
}

/**
 * The "Print test receipt" page: store header, register, time, a column ruler to check the line
 * width, character samples, a cut-off check and a barcode.
 */
export function testReceiptDocument(
  store: TestReceiptStore,
  register: TestReceiptRegister,
  opts: { printedAt?: string; timeZone?: string; cpl?: number } = {},
): string {
  const cpl = opts.cpl ?? 42;
  const printedAt = opts.printedAt ?? new Date().toISOString();
  const ruler = Array.from({ length: cpl }, (_, i) => String((i + 1) % 10)).join('');
  const out: string[] = ['{align:center}', WIDTH_AUTO];
  out.push(`^^"${escapeText(store.name)}"`);
  out.push(...escapeLines(store.address ?? ''));
  out.push('-', '`^"~TEST RECEIPT~"`', '');
  out.push(WIDTH_KEY_VALUE);
  out.push(row('|Register', escapeText(register.name ? `${register.code} ${register.name}` : register.code)));
  out.push(row('|Printed', escapeText(formatDateTime(printedAt, opts.timeZone))));
  out.push(row('|Line width', `${cpl} characters`));
  out.push('-', WIDTH_AUTO);
  out.push(`|${ruler}`);
  out.push('|Normal text 0123456789 |');
  out.push('|"Bold" _underline_ `inverted` ^wide^ |');
  out.push(`|${escapeText('Specials: | { } \\ ~ _ " ` ^')} |`);
  out.push('|Printer OK if this text is readable. |');
  out.push('-');
  out.push(...escapeLines(store.footer ?? ''));
  out.push(BARCODE_OPTION, `{code:${escapePropertyValue(`TEST-${register.code}`.replace(/[^\x21-\x7e]/g, ''))}}`);
  return `${out.join('\n')}\n`;
}
