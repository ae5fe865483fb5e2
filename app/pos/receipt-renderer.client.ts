// Receipts in the register's browser, offline: receiptline's browser build (served at
// /vendor/receiptline.js and kept by the service worker) renders the same markup as the edge.
import { createRenderer, type Transform } from '../../receipts/render';

let loading: Promise<ReturnType<typeof createRenderer>> | undefined;

export function receiptRenderer(): Promise<ReturnType<typeof createRenderer>> {
  loading ??= new Promise((resolve, reject) => {
    const w = window as unknown as { receiptline?: { transform: Transform } };
    if (w.receiptline) return resolve(createRenderer(w.receiptline.transform));
    const script = document.createElement('script');
    script.src = '/vendor/receiptline.js';
    script.onload = () => (w.receiptline ? resolve(createRenderer(w.receiptline.transform)) : reject(new Error('receiptline did not load')));
    script.onerror = () => {
      loading = undefined;
      reject(new Error('the receipt renderer could not be loaded'));
    };
    document.head.appendChild(script);
  });
  return loading;
}
