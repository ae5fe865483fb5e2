// Deterministic demo catalog: the same seed gives the same store on every machine.
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** EAN-13 with a valid check digit. */
export function ean13(body12: string): string {
  const digits = body12.split('').map(Number);
  const sum = digits.reduce((s, d, i) => s + d * (i % 2 === 0 ? 1 : 3), 0);
  return body12 + String((10 - (sum % 10)) % 10);
}

const GROUPS = ['Beverages', 'Bakery', 'Dairy', 'Produce', 'Pantry', 'Household', 'Snacks', 'Frozen'];
const NOUNS = ['Juice', 'Bread', 'Milk', 'Apples', 'Rice', 'Soap', 'Chips', 'Peas', 'Coffee', 'Tea', 'Cheese', 'Pasta'];
const ADJ = ['Fresh', 'Organic', 'Classic', 'Golden', 'Family', 'Mini', 'Crunchy', 'Smooth', 'Wild', 'Rustic'];

export interface DemoItem {
  code: string;
  name: string;
  itemGroup: string;
  uom: string;
  unitPrecision: number;
  price: number;
  taxCode: 'VAT20' | 'VAT10';
  maxDiscountBp: number;
  barcode: string;
}

/** `count` items for one company; the first `shared` barcodes are the same in every company. */
export function demoItems(companyCode: string, count: number, shared: number): DemoItem[] {
  const rnd = prng(companyCode.charCodeAt(0) * 7919);
  const out: DemoItem[] = [];
  for (let i = 1; i <= count; i++) {
    const weighed = i % 50 === 0;
    const group = GROUPS[i % GROUPS.length]!;
    const barcode = i <= shared ? ean13(`400${String(i).padStart(9, '0')}`) : ean13(`2${companyCode === 'O' ? '1' : '2'}${String(i).padStart(10, '0')}`);
    out.push({
      code: `${companyCode}-${String(i).padStart(5, '0')}`,
      name: `${ADJ[Math.floor(rnd() * ADJ.length)]} ${NOUNS[i % NOUNS.length]} ${i}`,
      itemGroup: group,
      uom: weighed ? 'Kg' : 'Nos',
      unitPrecision: weighed ? 3 : 0,
      price: 49 + Math.floor(rnd() * 4950),
      taxCode: group === 'Bakery' || group === 'Produce' ? 'VAT10' : 'VAT20',
      maxDiscountBp: i % 10 === 0 ? 2000 : 1000,
      barcode,
    });
  }
  return out;
}

const FIRST = ['Ana', 'Ben', 'Chloé', 'Dario', 'Eva', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas'];
const LAST = ['Novak', 'Berg', 'Silva', 'Rossi', 'Keller', 'Ivanova', 'Moreau', 'Horvat', 'Weiss', 'Lind'];

export function demoCustomers(count: number) {
  const rnd = prng(4242);
  return Array.from({ length: count }, (_, i) => ({
    code: `CUST-${String(i + 1).padStart(4, '0')}`,
    name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i + 1}`,
    phone: `+1555${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`,
    creditLimit: i % 4 === 0 ? 0 : 10_000 * (1 + (i % 5)),
  }));
}
