// Which company's item a scanned code means. One register sells for two legal entities; a code
// found in the invoice company wins, a code found only in the other company still sells (the
// customer is at the counter) but flags the invoice for an admin adjustment.

/** What a sale line needs from a catalog item. Lookups may return richer objects. */
export interface CatalogItem {
  itemId: string;
  companyId: string;
  name: string;
  unitPrice: number;
  taxRateId: string;
  rateBp: number;
  unitPrecision: number;
  maxDiscountBp: number;
}

export type ItemLookup = (companyId: string, code: string) => CatalogItem | undefined;

export type ScanResult =
  | { ok: true; item: CatalogItem; crossCompany: false }
  | { ok: true; item: CatalogItem; crossCompany: true; reason: string }
  | { ok: false; code: 'not_found'; message: string };

export interface ResolveScanInput {
  code: string;
  invoiceCompanyId: string;
  lookup: ItemLookup;
  /** Every company of the store; searched in this order after the invoice company. */
  companyIds: readonly string[];
}

export function crossCompanyReason(code: string, itemCompanyId: string, invoiceCompanyId: string): string {
  return `Code ${code} belongs to company ${itemCompanyId}, not to the invoice company ${invoiceCompanyId}`;
}

export function resolveScan({ code, invoiceCompanyId, lookup, companyIds }: ResolveScanInput): ScanResult {
  const clean = code.trim();
  if (clean === '') return { ok: false, code: 'not_found', message: 'Empty code' };
  const own = lookup(invoiceCompanyId, clean);
  if (own) return { ok: true, item: own, crossCompany: false };
  for (const companyId of companyIds) {
    if (companyId === invoiceCompanyId) continue;
    const other = lookup(companyId, clean);
    if (other) return { ok: true, item: other, crossCompany: true, reason: crossCompanyReason(clean, companyId, invoiceCompanyId) };
  }
  return { ok: false, code: 'not_found', message: `No item with code ${clean} in any company` };
}

export interface InvoiceLineRef {
  lineId: string;
  companyId: string;
  /** The scanned code, when known, for a clearer reason. */
  code?: string;
  itemId?: string;
}

export interface InvoiceFlags {
  flagged: boolean;
  reasons: { lineId: string; reason: string }[];
}

/**
 * An invoice needs adjustment when any line's item belongs to another company. Computed from the
 * lines' companies, not from stored flags, so a stale flag cannot hide a cross-company line.
 */
export function flagsForInvoice(lines: readonly InvoiceLineRef[], invoiceCompanyId: string): InvoiceFlags {
  const reasons = lines
    .filter((l) => l.companyId !== invoiceCompanyId)
    .map((l) => ({ lineId: l.lineId, reason: crossCompanyReason(l.code ?? l.itemId ?? l.lineId, l.companyId, invoiceCompanyId) }));
  return { flagged: reasons.length > 0, reasons };
}

/** A cart line built from a scan: the item's fields plus how it was resolved. */
export interface ResolvedLine extends CatalogItem {
  lineId: string;
  code: string;
  crossCompany: boolean;
  crossCompanyReason?: string;
}

function itemFields(item: CatalogItem): CatalogItem {
  // Copy only the sale-relevant fields so extra catalog data does not leak into the line.
  const { itemId, companyId, name, unitPrice, taxRateId, rateBp, unitPrecision, maxDiscountBp } = item;
  return { itemId, companyId, name, unitPrice, taxRateId, rateBp, unitPrecision, maxDiscountBp };
}

/**
 * After the cashier toggles the invoice company: a line whose code exists in the new company
 * switches to that company's item (price, VAT, name…) keeping everything else (quantity,
 * discount); a line whose code does not exist there keeps its item and is re-marked
 * cross-company or not against the new invoice company.
 */
export function reresolveOnCompanySwitch<L extends ResolvedLine>(lines: readonly L[], newInvoiceCompanyId: string, lookup: ItemLookup): L[] {
  return lines.map((line) => {
    const { crossCompanyReason: _stale, ...rest } = line;
    const replacement = line.companyId === newInvoiceCompanyId ? undefined : lookup(newInvoiceCompanyId, line.code);
    const base = replacement ? { ...rest, ...itemFields(replacement) } : rest;
    if (base.companyId === newInvoiceCompanyId) return { ...base, crossCompany: false } as L;
    return { ...base, crossCompany: true, crossCompanyReason: crossCompanyReason(line.code, base.companyId, newInvoiceCompanyId) } as L;
  });
}

/** Builds a cart line from a successful scan. */
export function lineFromScan(scan: Extract<ScanResult, { ok: true }>, lineId: string, code: string): ResolvedLine {
  const line: ResolvedLine = { ...itemFields(scan.item), lineId, code: code.trim(), crossCompany: scan.crossCompany };
  if (scan.crossCompany) line.crossCompanyReason = scan.reason;
  return line;
}

/**
 * The invoice company a new cart starts with: the store's default when it is one of the register's
 * companies, else the company of the cart before, else the first.
 */
export function defaultInvoiceCompany(storeDefault: string | null | undefined, companyIds: readonly string[], previous?: string): string | undefined {
  if (storeDefault && companyIds.includes(storeDefault)) return storeDefault;
  if (previous && companyIds.includes(previous)) return previous;
  return companyIds[0];
}
