// Builders for ERPNext-style export rows, shared by the sample generator and the import benchmark.

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
    hex: (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
}
export type Prng = ReturnType<typeof prng>;

export function csvLine(cells: readonly (string | number)[], eol = '\r\n'): string {
  return (
    cells
      .map((c) => {
        const s = String(c);
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
      })
      .join(',') + eol
  );
}

/** Price text in ERPNext's `#,###.##` format from thousandths ("1,234.50", "12.345"). */
export function rateText(milli: number, decimals: 2 | 3): string {
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, '0');
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${grouped}.${decimals === 3 ? frac : frac.slice(0, 2)}`;
}

/** EAN-13 with a valid check digit from a 12-digit body. */
export function ean13(body12: string): string {
  const d = body12.split('').map(Number);
  const sum = d.reduce((s, x, i) => s + x * (i % 2 ? 3 : 1), 0);
  return body12 + ((10 - (sum % 10)) % 10);
}

export const CURRENT_ITEM_HEADER = [
  'ID',
  'Item Code',
  'Item Name',
  'Item Group',
  'Default Unit of Measure',
  'Disabled',
  'Maintain Stock',
  'Standard Selling Rate',
  'Description',
  'Brand',
  'Allow Sales',
  'ID (Barcodes)',
  'Barcode (Barcodes)',
  'Barcode Type (Barcodes)',
  'UOM (Barcodes)',
  'ID (UOMs)',
  'UOM (UOMs)',
  'Conversion Factor (UOMs)',
  'ID (Item Defaults)',
  'Company (Item Defaults)',
  'Default Warehouse (Item Defaults)',
  'Default Price List (Item Defaults)',
  'Default Income Account (Item Defaults)',
  'Default Selling Cost Center (Item Defaults)',
  'ID (Taxes)',
  'Item Tax Template (Taxes)',
  'Tax Category (Taxes)',
] as const;

export interface ItemSpec {
  code: string;
  name: string;
  group: string;
  uom: string;
  disabled?: boolean;
  maintainStock?: boolean;
  allowSales?: boolean;
  rate: string;
  description?: string;
  brand?: string;
  barcodes: { code: string; type: string }[];
  uoms?: { uom: string; factor: string }[];
  companies: { name: string; abbr: string }[];
  taxTemplate?: string;
}

/** One item in the current exporter's layout: parent cells on the first line, further child rows on continuation lines. */
export function currentItemLines(item: ItemSpec, r: Prng, eol = '\r\n'): string {
  const n = Math.max(item.barcodes.length, item.uoms?.length ?? 0, item.companies.length, item.taxTemplate ? 1 : 0, 1);
  let out = '';
  for (let i = 0; i < n; i++) {
    const parent =
      i === 0
        ? [
            item.code,
            item.code,
            item.name,
            item.group,
            item.uom,
            item.disabled ? 1 : 0,
            item.maintainStock === false ? 0 : 1,
            item.rate,
            item.description ?? '',
            item.brand ?? '',
            item.allowSales === false ? 0 : 1,
          ]
        : Array<string>(11).fill('');
    const b = item.barcodes[i];
    const u = item.uoms?.[i];
    const c = item.companies[i];
    const t = i === 0 && item.taxTemplate ? item.taxTemplate : undefined;
    out += csvLine(
      [
        ...parent,
        ...(b ? [r.hex(10), b.code, b.type, ''] : ['', '', '', '']),
        ...(u ? [r.hex(10), u.uom, u.factor] : ['', '', '']),
        ...(c ? [r.hex(10), c.name, `Stores - ${c.abbr}`, 'Standard Selling', `Sales - ${c.abbr}`, `Main - ${c.abbr}`] : ['', '', '', '', '', '']),
        ...(t ? [r.hex(10), t, ''] : ['', '', '']),
      ],
      eol,
    );
  }
  return out;
}

export const ITEM_GROUPS = ['Beverages', 'Snacks', 'Dairy', 'Produce', 'Household', 'Bakery', 'Frozen', 'Personal Care'] as const;
const NOUNS = [
  'Cola',
  'Water',
  'Juice',
  'Chips',
  'Biscuits',
  'Milk',
  'Yoghurt',
  'Cheese',
  'Apples',
  'Tomatoes',
  'Soap',
  'Detergent',
  'Bread',
  'Croissant',
  'Peas',
  'Shampoo',
  'Rice',
  'Coffee',
  'Tea',
  'Sugar',
];
const ADJ = ['Classic', 'Light', 'Organic', 'Family', 'Mini', 'Fresh', 'Premium', 'Value', 'Spicy', 'Sweet'];

/** A plausible item for index `i` (names, group, UOM, rate in thousandths). */
export function sampleItem(i: number, r: Prng) {
  const noun = r.pick(NOUNS);
  const weighed = ['Apples', 'Tomatoes', 'Cheese', 'Rice', 'Sugar'].includes(noun) && r.chance(0.6);
  const uom = weighed ? r.pick(['Kg', 'kg', 'Gram']) : r.chance(0.1) ? r.pick(['Box', 'Litre']) : 'Nos';
  const big = r.chance(0.08);
  const milli = big ? r.int(1000, 4999) * 1000 + r.int(0, 99) * 10 : r.int(25, 9999) * 10;
  const threeDecimals = !big && r.chance(0.06);
  const decimals: 2 | 3 = threeDecimals ? 3 : 2;
  return {
    name: `${r.pick(ADJ)} ${noun} ${i}`,
    group: r.pick(ITEM_GROUPS),
    uom,
    milli: threeDecimals ? milli + r.int(1, 9) : milli,
    decimals,
  };
}
