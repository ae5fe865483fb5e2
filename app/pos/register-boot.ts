// What the POS page starts before any of its modules load: the register database's worker, PGlite's
// files, the register's tab lock and, once it has all three, the database's opening (the worker's
// `init` message). The page's HTML carries `registerBootScript` inline at the top of its head, so this
// begins as the HTML arrives; app/pos/register-open.client.ts takes it over (or, where the script did
// not run or could not take the lock, does the rest itself from the same names).

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

/** One POS per browser profile (its OPFS files open in one worker only): held for the page's life. */
export const REGISTER_LOCK = 'till-register';

export interface RegisterBoot {
  worker: Worker;
  /** The worker failed (did not load) before the page's code listened to it. */
  error?: string;
  /** Compiled pglite.wasm and initdb.wasm, and pglite.data. */
  files: Promise<[WebAssembly.Module, WebAssembly.Module, Blob]>;
  /**
   * True once this page holds the register's lock (for the page's life). False when another tab holds
   * it (the page's code waits for it and says so) or the browser has no Web Locks.
   */
  locked: Promise<boolean>;
  /** True once the worker has its `init` (it is opening the database); otherwise the page's code sends it. */
  opening: Promise<boolean>;
}

/**
 * The inline script (plain ES2017, no imports). It does nothing outside a secure context or off the
 * POS page, and any failure leaves no boot behind, so the page's code opens the register as before.
 * The lock is asked for only if free: this script never waits (the page's code does, and says so).
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
b.locked=new Promise(function(res){navigator.locks?navigator.locks.request(${s(REGISTER_LOCK)},{ifAvailable:true},function(l){res(!!l);return l?new Promise(function(){}):undefined;}).catch(function(){res(false);}):res(false);});
b.opening=Promise.all([b.locked,b.files]).then(function(r){if(!r[0]||b.error!==undefined)return false;w.postMessage({init:{pgliteWasmModule:r[1][0],initdbWasmModule:r[1][1],fsBundle:r[1][2]}});performance.mark('till:init');return true;},function(){return false;});
window[${s(REGISTER_BOOT_KEY)}]=b;
}catch(e){}})();`;
}
