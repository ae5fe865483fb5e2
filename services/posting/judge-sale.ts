// Judges an offline sale against what the edge knows. The money was taken, so the sale is booked
// either way; every deviation becomes a finding the applier files in the Adjustment Queue.
//
// "What the edge knew at sale time" is today's catalog: no price, rate or cashier history is
// kept. When the row compared with changed after the sale, the finding says so in its note.
import type { CartLineResult } from '../../core/cart';
import type { SaleCompletedEvent } from '../../core/events';
import { formatMoney } from '../../core/money';
import { formatRate as pct } from '../../core/rates';
import { formatReceiptNumber, parseReceiptNumber } from '../../core/receipt-number';
import type { SaleFinding } from '../../core/sale-findings';
import { BP_PER_UNIT } from '../../core/tax';
import { fieldPath } from '../../core/errors';
import { maybeOne, one, type Queryable } from '../../db/query';

/** The price list the POS sells from (app/pos/catalog.ts, services/catalog.ts). */
const SELLING_PRICE_LIST = 'Standard Selling';

interface ItemFacts {
  companyId: string;
  taxRateId: string | null;
  rateBp: number | null;
  maxDiscountBp: number;
  price: number | null;
  itemChangedAt: Date;
  rateChangedAt: Date | null;
  priceChangedAt: Date | null;
}

/** Everything the applier checks and the judge compares, read in one round trip. */
export interface SaleFacts {
  receiptUsed: boolean;
  saleExists: boolean;
  shift: { status: string; deviceId: string } | null;
  storeId: string | null;
  company: { pricesIncludeTax: boolean; taxRounding: string; rounding: string; currencyExponent: number; updatedAt: Date } | null;
  cashier: { name: string; active: boolean; member: boolean; updatedAt: Date } | null;
  /** The previous number of the receipt's series is booked (or there is none). */
  previousBooked: boolean;
  items: Map<string, ItemFacts>;
}

const date = (v: string | null | undefined) => (v ? new Date(v) : null);

// The facts query's columns. json_build_object carries timestamps as ISO text; a scalar subquery is null when nothing matches.
type ItemJson = {
  id: string;
  companyId: string;
  taxRateId: string | null;
  maxDiscountBp: number;
  updatedAt: string;
  rateBp: number | null;
  rateUpdatedAt: string | null;
  price: number | null;
  priceUpdatedAt: string | null;
};
type FactsRow = {
  receipt_used: boolean;
  sale_exists: boolean;
  shift: { status: string; deviceId: string } | null;
  store_id: string | null;
  company: { pricesIncludeTax: boolean; taxRounding: string; rounding: string; currencyExponent: number; updatedAt: string } | null;
  cashier: { name: string; active: boolean; member: boolean; updatedAt: string } | null;
  previous_booked: boolean;
  items: ItemJson[] | null;
};

/** One query for the whole sale: lookups by primary or unique key, and the sale's items with price, rate and cap. */
export async function loadSaleFacts(client: Queryable, e: SaleCompletedEvent): Promise<SaleFacts> {
  const r = parseReceiptNumber(e.receiptNumber);
  const previous = r && r.seq > 1 ? formatReceiptNumber({ ...r, seq: r.seq - 1 }) : null;
  const row = await one<FactsRow>(
    client,
    `SELECT EXISTS (SELECT 1 FROM sales WHERE company_id = $1 AND receipt_number = $2) AS receipt_used,
              EXISTS (SELECT 1 FROM sales WHERE id = $3) AS sale_exists,
              (SELECT json_build_object('status', status, 'deviceId', device_id) FROM shifts WHERE id = $4::uuid) AS shift,
              (SELECT store_id FROM registers WHERE id = $5) AS store_id,
              (SELECT json_build_object('pricesIncludeTax', prices_include_tax, 'taxRounding', tax_rounding, 'rounding', rounding_mode,
                                        'currencyExponent', currency_exponent, 'updatedAt', updated_at)
                 FROM companies WHERE id = $1) AS company,
              (SELECT json_build_object('name', c.name, 'active', c.active, 'updatedAt', c.updated_at,
                                        'member', EXISTS (SELECT 1 FROM cashier_companies m WHERE m.cashier_id = c.id AND m.company_id = $1))
                 FROM cashiers c WHERE c.id = $6) AS cashier,
              ($7::text IS NULL OR EXISTS (SELECT 1 FROM sales WHERE company_id = $1 AND receipt_number = $7::text)) AS previous_booked,
              (SELECT json_agg(json_build_object('id', i.id, 'companyId', i.company_id, 'taxRateId', i.tax_rate_id, 'maxDiscountBp', i.max_discount_bp,
                                                 'updatedAt', i.updated_at, 'rateBp', t.rate_bp, 'rateUpdatedAt', t.updated_at,
                                                 'price', p.amount, 'priceUpdatedAt', p.updated_at))
                 FROM items i LEFT JOIN tax_rates t ON t.id = i.tax_rate_id
                 -- Per item, so the price is one probe of prices_item_list whatever the planner's statistics say.
                 LEFT JOIN LATERAL (SELECT amount, updated_at FROM prices WHERE item_id = i.id AND price_list = $9) p ON true
                WHERE i.id = ANY($8::uuid[])) AS items`,
    [
      e.companyId,
      e.receiptNumber,
      e.sale.saleId,
      e.shiftId ?? null,
      e.registerId,
      e.cashierId,
      previous,
      [...new Set(e.sale.lines.map((l) => l.itemId))],
      SELLING_PRICE_LIST,
    ],
  );
  const items = new Map<string, ItemFacts>(
    (row.items ?? []).map((x) => [
      x.id,
      {
        companyId: x.companyId,
        taxRateId: x.taxRateId,
        rateBp: x.rateBp,
        maxDiscountBp: x.maxDiscountBp,
        price: x.price,
        itemChangedAt: new Date(x.updatedAt),
        rateChangedAt: date(x.rateUpdatedAt),
        priceChangedAt: date(x.priceUpdatedAt),
      },
    ]),
  );
  return {
    receiptUsed: row.receipt_used,
    saleExists: row.sale_exists,
    shift: row.shift,
    storeId: row.store_id ?? null,
    company: row.company ? { ...row.company, updatedAt: new Date(row.company.updatedAt) } : null,
    cashier: row.cashier ? { ...row.cashier, updatedAt: new Date(row.cashier.updatedAt) } : null,
    previousBooked: row.previous_booked,
    items,
  };
}

/**
 * Findings for a sale that already passed the structural checks (items exist, totals add up).
 * `facts` come from `loadSaleFacts`; `computed` is the cart as core recomputed it from the event's
 * own lines. Queries only when the receipt's previous number is not booked (to say where the gap starts).
 */
export async function judgeSale(client: Queryable, e: SaleCompletedEvent, facts: SaleFacts, computed: readonly CartLineResult[]): Promise<SaleFinding[]> {
  const occurredAt = new Date(e.occurredAt);
  const changedAfter = (what: string, at: Date | null | undefined) =>
    at && at > occurredAt ? { note: `${what} changed at ${at.toISOString()}, after the sale: compared with the current value` } : {};
  const company = facts.company;
  if (!company) throw new Error(`company ${e.companyId} vanished while judging a sale`);
  const money = (v: number | null) => (v === null ? 'none' : formatMoney(v, { exponent: company.currencyExponent }));
  const findings: SaleFinding[] = [];

  // Cart settings come from the company row on the register too.
  const settings = e.sale.settings;
  const wanted = { pricesIncludeTax: company.pricesIncludeTax, taxRounding: company.taxRounding, rounding: company.rounding };
  for (const key of ['pricesIncludeTax', 'taxRounding', 'rounding'] as const) {
    if (settings[key] === wanted[key]) continue;
    findings.push({
      kind: 'settings',
      field: `sale.settings.${key}`,
      expected: wanted[key],
      claimed: settings[key],
      reason: `cart setting ${key} is ${settings[key]}, the company uses ${wanted[key]}`,
      ...changedAfter('the company settings', company.updatedAt),
    });
  }

  for (const [i, line] of e.sale.lines.entries()) {
    const item = facts.items.get(line.itemId);
    if (!item) continue; // the applier refuses unknown items before judging
    const at = { lineNo: i + 1, itemId: line.itemId };
    const path = fieldPath('sale', 'lines', i);
    const who = `line ${i + 1} (${line.name})`;

    if (line.unitPrice !== item.price) {
      findings.push({
        kind: 'price',
        field: `${path}.unitPrice`,
        expected: item.price,
        claimed: line.unitPrice,
        ...at,
        reason: `${who}: unit price ${money(line.unitPrice)}, the ${SELLING_PRICE_LIST} price is ${money(item.price)}`,
        ...changedAfter('the price', item.priceChangedAt),
      });
    }

    if (line.rateBp !== item.rateBp) {
      findings.push({
        kind: 'tax_rate',
        field: `${path}.rateBp`,
        expected: item.rateBp,
        claimed: line.rateBp,
        ...at,
        reason: `${who}: VAT ${pct(line.rateBp)}, the item's rate is ${item.rateBp === null ? 'not set' : pct(item.rateBp)}`,
        ...changedAfter('the item or its VAT rate', latest(item.itemChangedAt, item.rateChangedAt)),
      });
    } else if (line.taxRateId !== item.taxRateId) {
      findings.push({
        kind: 'tax_rate',
        field: `${path}.taxRateId`,
        expected: item.taxRateId,
        claimed: line.taxRateId,
        ...at,
        reason: `${who}: booked under another VAT rate than the item's (same percentage)`,
        ...changedAfter('the item', item.itemChangedAt),
      });
    }

    const cap = item.maxDiscountBp;
    if (line.maxDiscountBp !== cap) {
      findings.push({
        kind: 'discount_limit',
        field: `${path}.maxDiscountBp`,
        expected: cap,
        claimed: line.maxDiscountBp,
        ...at,
        reason: `${who}: discount limit sent as ${pct(line.maxDiscountBp)}, the item's limit is ${pct(cap)}`,
        ...changedAfter('the item', item.itemChangedAt),
      });
    }
    // The same test core applies against the register's cap (cart.ts), here against the item's.
    const c = computed[i]!;
    const discounted = c.lineDiscount + c.invoiceDiscountShare;
    const over = (amount: number) => BigInt(amount) * BigInt(BP_PER_UNIT) > BigInt(c.gross) * BigInt(cap);
    const lineOver = line.discount?.kind === 'percent' ? line.discount.bp > cap : over(c.lineDiscount);
    if (lineOver || (c.invoiceDiscountShare > 0 && over(discounted))) {
      const given = line.discount?.kind === 'percent' && c.invoiceDiscountShare === 0 ? line.discount.bp : ceilBp(discounted, c.gross);
      findings.push({
        kind: 'discount',
        field: line.discount && lineOver ? `${path}.discount` : 'sale.invoiceDiscount',
        expected: cap,
        claimed: given,
        ...at,
        reason: `${who}: discount of ${pct(given)} (${money(discounted)}) is above the item's limit of ${pct(cap)}`,
        ...changedAfter('the item', item.itemChangedAt),
      });
    }
  }

  const cashier = facts.cashier;
  if (!cashier) {
    findings.push({
      kind: 'cashier',
      field: 'cashierId',
      expected: 'a cashier of this store',
      claimed: e.cashierId,
      reason: `cashier ${e.cashierId} is not known to the edge`,
    });
  } else {
    const note = changedAfter('the cashier', cashier.updatedAt);
    if (!cashier.active) {
      findings.push({ kind: 'cashier', field: 'cashierId', expected: 'active', claimed: 'disabled', reason: `cashier ${cashier.name} is disabled`, ...note });
    }
    if (!cashier.member) {
      findings.push({
        kind: 'cashier',
        field: 'cashierId',
        expected: 'member of the invoice company',
        claimed: 'not a member',
        reason: `cashier ${cashier.name} is not a member of the invoice company`,
        ...note,
      });
    }
  }

  const gap = facts.previousBooked ? undefined : await receiptGap(client, e);
  if (gap) findings.push(gap);
  return findings;
}

function latest(a: Date, b: Date | null): Date {
  return b && b > a ? b : a;
}

/** Basis points of `part` in `whole`, rounded up so "just above the cap" never reads as the cap. */
function ceilBp(part: number, whole: number): number {
  if (whole <= 0) return 0;
  const scaled = BigInt(part) * BigInt(BP_PER_UNIT);
  const w = BigInt(whole);
  return Number((scaled + w - 1n) / w);
}

/**
 * Receipt numbers are gap-free per series (core/receipt-number.ts). The previous number being
 * booked is the common case, answered by `loadSaleFacts`; otherwise the highest booked number
 * below this one in the series says where the gap starts.
 */
async function receiptGap(client: Queryable, e: SaleCompletedEvent): Promise<SaleFinding | undefined> {
  const r = parseReceiptNumber(e.receiptNumber);
  if (!r || r.seq === 1) return undefined;
  const prefix = `${r.companyCode}-${r.registerCode}-`;
  const last = (
    await maybeOne<{ last: string | null }>(
      client,
      `SELECT max(n)::text AS last FROM (
         SELECT CASE WHEN substr(receipt_number, $3) ~ '^[0-9]{1,15}$' THEN substr(receipt_number, $3)::bigint END AS n
           FROM sales WHERE company_id = $1 AND left(receipt_number, $4) = $2) s
        WHERE n < $5`,
      [e.companyId, prefix, prefix.length + 1, prefix.length, r.seq],
    )
  )?.last;
  const lastSeq = last === null || last === undefined ? 0 : Number(last);
  const expected = formatReceiptNumber({ ...r, seq: lastSeq + 1 });
  const missing = r.seq - lastSeq - 1;
  return {
    kind: 'receipt_gap',
    field: 'receiptNumber',
    expected,
    claimed: e.receiptNumber,
    reason: `receipt ${e.receiptNumber} skips ${missing} number${missing === 1 ? '' : 's'} after ${lastSeq ? formatReceiptNumber({ ...r, seq: lastSeq }) : 'the start of the series'}`,
    note: 'numbers may still arrive (queued or in the Outbox)',
  };
}
