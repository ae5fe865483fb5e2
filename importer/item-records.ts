// One Item document (parent row + continuation lines) → one validated item per company it is sold by.
import { matchTaxRate, type CompanyInfo, type CompanyResolver } from './company-map';
import { parseAmount, type NumberFormat } from './money';
import { parseCheck, type RecordShape, type RowIssue, type SourceRecord } from './records';

export const BARCODE_TYPES = [
  'EAN',
  'UPC-A',
  'CODE-39',
  'EAN-13',
  'EAN-8',
  'GS1',
  'GTIN',
  'GTIN-14',
  'ISBN',
  'ISBN-10',
  'ISBN-13',
  'ISSN',
  'JAN',
  'PZN',
  'UPC',
] as const;
const BARCODE_TYPE_BY_KEY = new Map(BARCODE_TYPES.map((t) => [t.replace(/[^A-Z0-9]/g, ''), t]));

/** Canonical barcode type, '' for blank, or null when it is not one ERPNext knows. */
export function normaliseBarcodeType(text: string): string | null {
  const t = text.trim();
  if (t === '') return '';
  return BARCODE_TYPE_BY_KEY.get(t.toUpperCase().replace(/[^A-Z0-9]/g, '')) ?? null;
}

const WEIGHED_UOM =
  /^(kg|kgs|kilo|kilos|kilogram|kilograms|kilogramme|g|gm|gms|gr|gram|grams|gramme|mg|milligram|milligrams|lb|lbs|pound|pounds|oz|ounce|ounces|tonne|ton|l|ltr|litre|litres|liter|liters|ml|millilitre|milliliter|cl|m|meter|meters|metre|metres|cm|mm)$/i;

/** Decimals a quantity may have in this unit: 3 for weights, volumes and lengths, 0 for pieces. */
export function unitPrecisionOf(uom: string): number {
  return WEIGHED_UOM.test(uom.trim()) ? 3 : 0;
}

export interface BarcodeValue {
  code: string;
  type: string;
  line: number;
}

export interface PriceValue {
  amount: number;
  file: string;
  line: number;
  column: string;
  /** Item Price rows are counted separately in the summary. */
  source: 'item' | 'itemPrice';
}

export interface ItemCandidate {
  file: string;
  line: number;
  company: CompanyInfo;
  code: string;
  name: string;
  itemGroup: string;
  uom: string;
  unitPrecision: number;
  taxRateId: string | null;
  disabled: boolean;
  allowSales: boolean;
  maintainStock: boolean;
  /** null: the file has no barcode columns, so the item's barcodes are left as they are. */
  barcodes: BarcodeValue[] | null;
  barcodeColumn: string;
  /** null: no price in this file (the stored price is left as it is). */
  price: PriceValue | null;
  snapshot?: Record<string, unknown>;
}

export interface ItemContext {
  resolveCompany: CompanyResolver;
  numberFormat: NumberFormat;
}

export type ItemValidation =
  { ok: true; candidates: ItemCandidate[]; notices: RowIssue[] } | { ok: false; code: string; companyNames: string[]; issues: RowIssue[] };

export function itemCompanyNames(record: SourceRecord): { name: string; line: number; key: string }[] {
  const out: { name: string; line: number; key: string }[] = [];
  const plain = record.values.get('company');
  if (plain) out.push({ name: plain, line: record.line, key: 'company' });
  for (const d of record.children.get('item_defaults') ?? []) {
    const name = d.values.get('company');
    if (name) out.push({ name, line: d.line, key: 'item_defaults.company' });
  }
  return out;
}

/** Validates one Item document. Any issue rejects the whole item (for every company). */
export function validateItem(record: SourceRecord, shape: RecordShape, ctx: ItemContext): ItemValidation {
  const issues: RowIssue[] = [];
  const notices: RowIssue[] = [];
  const { file } = record;
  const issue = (line: number, key: string | null, reason: string) => issues.push({ file, line, column: key ? shape.label(key) : null, reason });

  const code = record.values.get('item_code') || record.values.get('name') || '';
  if (!code) issue(record.line, shape.has('item_code') ? 'item_code' : 'name', 'missing Item Code');
  const name = record.values.get('item_name') || code;

  const companyCells = itemCompanyNames(record);
  const companies: CompanyInfo[] = [];
  if (companyCells.length === 0) {
    const key = shape.has('company') ? 'company' : shape.has('item_defaults.company') ? 'item_defaults.company' : null;
    issue(record.line, key ?? 'company', 'missing Company (no Company or Item Defaults company)');
  }
  for (const c of companyCells) {
    const company = ctx.resolveCompany(c.name);
    if (!company) issue(c.line, c.key, `unknown company "${c.name}" (not in the company map nor a company name)`);
    else if (!companies.includes(company)) companies.push(company);
  }

  const flag = (key: string, fallback: boolean): boolean => {
    const v = parseCheck(record.values.get(key), fallback);
    if (v === null) {
      issue(record.line, key, `"${record.values.get(key)}" is not 0 or 1`);
      return fallback;
    }
    return v;
  };
  const disabled = flag('disabled', false);
  const allowSales = flag('is_sales_item', true);
  const maintainStock = flag('is_stock_item', true);
  const uom = record.values.get('stock_uom') || 'Nos';

  // Barcodes: child rows in the current layout, or plain Barcode/Barcode Type columns when flattened.
  let barcodes: BarcodeValue[] | null = null;
  let barcodeColumn = shape.label('barcode');
  const rawBarcodes: { code: string; type: string; line: number; codeKey: string; typeKey: string }[] = [];
  if (shape.has('barcodes.barcode')) {
    barcodeColumn = shape.label('barcodes.barcode');
    for (const b of record.children.get('barcodes') ?? [])
      rawBarcodes.push({
        code: b.values.get('barcode') ?? '',
        type: b.values.get('barcode_type') ?? '',
        line: b.line,
        codeKey: 'barcodes.barcode',
        typeKey: 'barcodes.barcode_type',
      });
  }
  if (shape.has('barcode')) {
    const c = record.values.get('barcode') ?? '';
    const t = record.values.get('barcode_type') ?? '';
    if (c || t) rawBarcodes.push({ code: c, type: t, line: record.line, codeKey: 'barcode', typeKey: 'barcode_type' });
  }
  if (shape.has('barcodes.barcode') || shape.has('barcode')) {
    barcodes = [];
    for (const b of rawBarcodes) {
      if (!b.code) {
        if (b.type) issue(b.line, b.codeKey, 'missing Barcode (a Barcode Type is given)');
        continue;
      }
      if (/\s/.test(b.code)) {
        issue(b.line, b.codeKey, `barcode "${b.code}" contains spaces`);
        continue;
      }
      const type = normaliseBarcodeType(b.type);
      if (type === null) {
        issue(b.line, b.typeKey, `unknown Barcode Type "${b.type}" (expected one of ${BARCODE_TYPES.join(', ')})`);
        continue;
      }
      if (barcodes.some((x) => x.code === b.code)) continue; // listed twice on the same item
      barcodes.push({ code: b.code, type, line: b.line });
    }
  }

  const templates = (record.children.get('taxes') ?? [])
    .map((t) => ({ template: t.values.get('item_tax_template') ?? '', category: t.values.get('tax_category') ?? '', line: t.line }))
    .filter((t) => t.template !== '');
  if (record.values.get('item_tax_template')) templates.push({ template: record.values.get('item_tax_template')!, category: '', line: record.line });
  const taxKey = shape.has('taxes.item_tax_template') ? 'taxes.item_tax_template' : 'item_tax_template';

  const rateText = record.values.get('standard_rate') ?? '';
  const out: ItemCandidate[] = [];
  for (const company of companies) {
    let taxRateId = company.defaultTaxRateId;
    if (templates.length) {
      // Prefer the template without a tax category (the item's general rate).
      const sorted = [...templates].sort((a, b) => Number(a.category !== '') - Number(b.category !== ''));
      const match = sorted.map((t) => matchTaxRate(company, t.template)).find(Boolean);
      if (match) taxRateId = match.id;
      else issue(templates[0]!.line, taxKey, `Item Tax Template "${templates[0]!.template}" matches no tax rate of ${company.name}`);
    }
    let price: PriceValue | null = null;
    if (rateText !== '') {
      const r = parseAmount(rateText, company.currencyExponent, ctx.numberFormat);
      if (!r.ok) issue(record.line, 'standard_rate', r.reason);
      else {
        price = { amount: r.amount, file, line: record.line, column: shape.label('standard_rate'), source: 'item' };
        if (r.rounded)
          notices.push({
            file,
            line: record.line,
            column: shape.label('standard_rate'),
            reason: `rate "${rateText}" has more decimals than ${company.currency}; rounded HalfUp to ${r.amount} minor units`,
          });
      }
    }
    out.push({
      file,
      line: record.line,
      company,
      code,
      name,
      itemGroup: record.values.get('item_group') ?? '',
      uom,
      unitPrecision: unitPrecisionOf(uom),
      taxRateId,
      disabled,
      allowSales,
      maintainStock,
      barcodes,
      barcodeColumn,
      price,
    });
  }
  // One issue per cell is enough (a bad rate is reported once, not once per company).
  const unique = dedupe(issues);
  if (unique.length) return { ok: false, code, companyNames: companyCells.map((c) => c.name), issues: unique };
  return { ok: true, candidates: out, notices: dedupe(notices) };
}

function dedupe(list: RowIssue[]): RowIssue[] {
  const seen = new Set<string>();
  return list.filter((i) => {
    const k = `${i.line}|${i.column}|${i.reason}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
