// What the POS page starts before any of its modules load: the register database's worker (it touches
// no file until its `init` message) and PGlite's files. The page's HTML carries `registerBootScript`
// inline, so this begins as the HTML arrives; app/pos/register-open.client.ts takes both over (or, when
// the script did not run, starts them itself from the same names).

/** The worker's name (shown in the browser's tools). */
export const REGISTER_WORKER_NAME = 'till-register-db';

/** The worker script, named after the app build (infra/build-app.ts), so a new page never runs an old worker. */
export function registerWorkerPath(buildVersion: string): string {
  return `/build/register-db-worker-${buildVersion}.js`;
}

/** PGlite's files, fetched by the page (which the service worker controls, so this works offline). */
export const PGLITE_FILES = { pgliteWasm: '/pglite/pglite.wasm', initdbWasm: '/pglite/initdb.wasm', fsBundle: '/pglite/pglite.data' } as const;

/** Only the POS page itself opens the register: a page that merely loads its code must not. */
export const POS_PATH = /^\/pos\/?$/;

/** Where the inline script leaves what it started, taken (and removed) by the first opening. */
export const REGISTER_BOOT_KEY = '__tillRegisterBoot';

export interface RegisterBoot {
  worker: Worker;
  /** The worker failed (did not load) before the page's code listened to it. */
  error?: string;
  /** Compiled pglite.wasm and initdb.wasm, and pglite.data. */
  files: Promise<[WebAssembly.Module, WebAssembly.Module, Blob]>;
}

/**
 * The inline script (plain ES2017, no imports). It does nothing outside a secure context or off the
 * POS page, and any failure leaves no boot behind, so the page's code opens the register as before.
 */
export function registerBootScript(buildVersion: string): string {
  const s = JSON.stringify;
  const f = PGLITE_FILES;
  return `(function(){try{
if(!window.isSecureContext||!${POS_PATH.toString()}.test(location.pathname)||!window.Worker||!WebAssembly.compileStreaming)return;
performance.mark('till:boot');
var w=new Worker(${s(registerWorkerPath(buildVersion))},{type:'module',name:${s(REGISTER_WORKER_NAME)}});
var b={worker:w};
w.addEventListener('error',function(e){b.error=(e&&e.message)||'the worker did not load';});
b.files=Promise.all([WebAssembly.compileStreaming(fetch(${s(f.pgliteWasm)})),WebAssembly.compileStreaming(fetch(${s(f.initdbWasm)})),fetch(${s(f.fsBundle)}).then(function(r){if(!r.ok)throw new Error(${s(f.fsBundle)}+': '+r.status);return r.blob();})]);
b.files.catch(function(){});
window[${s(REGISTER_BOOT_KEY)}]=b;
}catch(e){}})();`;
}
