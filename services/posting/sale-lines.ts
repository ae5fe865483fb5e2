import { computeCart, type CartInput } from '../../core/cart';
import type { SaleCompletedEvent } from '../../core/events';

/**
 * The per-line figures the edge stores, computed by core exactly as the register did. The push
 * applier does not call this: `verifySale` hands back the same lines, so the cart is computed once.
 */
export function verifyLines(e: SaleCompletedEvent) {
  const input: CartInput = { lines: e.sale.lines, settings: e.sale.settings };
  if (e.sale.invoiceDiscount) input.invoiceDiscount = e.sale.invoiceDiscount;
  const r = computeCart(input);
  if (!r.ok) throw new Error('the sale\u2019s cart does not compute');
  return r.cart.lines;
}
