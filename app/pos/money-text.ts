import { formatMoney } from '../../core/money';

/** Amounts on screen: the company's exponent, grouped for reading, never through a float. */
export const money = (minor: number, exponent = 2) => formatMoney(minor, { exponent, group: ',' });

export const quantityText = (milli: number, precision: number) =>
  precision === 0 ? String(milli / 1000) : `${Math.trunc(milli / 1000)}.${String(Math.abs(milli % 1000)).padStart(3, '0').slice(0, precision)}`;
