// Everything routes call on the server. The `.server` name keeps these modules out of the browser bundle.
export * from '../../services/admin-auth';
export * from '../../services/device-auth';
export * from '../../services/catalog';
export * from '../../services/outbox';
export * from '../../services/admin-common';
export * from '../../services/admin-setup';
export * from '../../services/admin-catalog';
export * from '../../services/admin-sales';
export * from '../../services/admin-shifts';
export * from '../../services/admin-shift-figures';
export * from '../../services/customers';
export * from '../../services/admin-receipt';
export * from '../../services/admin-import';
export { receiptDocument } from '../../receipts/receipt-document';
export { renderSvg } from '../../receipts/render-node';
export * from '../../services/store-ca';
export * from '../../services/backups';
export * from '../../services/edge-status';
