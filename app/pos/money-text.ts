import { formatMoney } from '../../core/money';

/** Amounts on screen: the company's exponent, grouped for reading, never through a float. */
export const money = (minor: number, exponent = 2) => formatMoney(minor, { exponent, group: ',' });

/** Quantities on screen, as on the receipt: the unit's decimals, never dropping a digit. */
export { formatQuantity as quantityText } from '../../receipts/format';
