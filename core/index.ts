// Public API of core: business rules shared by the browser POS and the edge functions.
export * from './rounding';
export * from './money';
export * from './allocate';
export * from './parse-decimal';
export * from './tax';
export * from './cart';
export * from './tenders';
export * from './company-resolution';
export * from './receipt-number';
export * from './events';
export { hashPin, isValidPin, verifyPin } from './pin-hash';
export * from './sale-event';
export * from './ids';
export * from './sale-findings';
export * from './local-time';
export * from './errors';
