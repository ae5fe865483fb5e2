// The service worker (public/sw.js) keeps the POS shell for offline reloads, one cache per app
// version: it is registered as /sw.js?v=<version>, so a new version is a new worker that fetches
// the new shell while the old page keeps running (ADR 003).
import { workerUrl } from './register-open.client';

const scriptUrl = (version: string) => `/sw.js?v=${encodeURIComponent(version)}`;

/** Caches this page's shell, including what loaded before the worker took over. */
export function registerShellWorker(version: string) {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker.register(scriptUrl(version), { updateViaCache: 'none' }).then(async () => {
    const reg = await navigator.serviceWorker.ready;
    // The database worker too: fetched by the browser for the worker, it may not show among the page's resources.
    const urls = [location.pathname, workerUrl(), ...performance.getEntriesByType('resource').map((e) => e.name)].filter((u) => {
      const p = new URL(u, location.href);
      return p.origin === location.origin && (p.pathname.startsWith('/build/') || p.pathname.startsWith('/pglite/') || p.pathname === '/pos');
    });
    reg.active?.postMessage({ type: 'cache-urls', urls });
  });
}

/** A download that has not finished by then is reported as failed (selling goes on either way). */
const PREPARE_TIMEOUT_MS = 10 * 60_000;

/** Installs the worker of `version`, which caches that version's shell; resolves once it is active. */
export async function prepareShell(version: string): Promise<void> {
  if (!('serviceWorker' in navigator)) return; // the reload then loads the shell from the edge
  const reg = await navigator.serviceWorker.register(scriptUrl(version), { updateViaCache: 'none' });
  const isTarget = (w: ServiceWorker | null) => !!w && new URL(w.scriptURL).searchParams.get('v') === version;
  await new Promise<void>((resolve, reject) => {
    setTimeout(() => reject(new Error(`the ${version} shell did not download within ${PREPARE_TIMEOUT_MS / 60_000} min`)), PREPARE_TIMEOUT_MS);
    const settled = (changed?: ServiceWorker) => {
      if (isTarget(reg.active) && reg.active!.state === 'activated') return (resolve(), true);
      // Its install (the shell's download) failed.
      if (changed && isTarget(changed) && changed.state === 'redundant') return (reject(new Error(`the ${version} shell could not be cached`)), true);
      return false;
    };
    if (settled()) return;
    const watch = (w: ServiceWorker | null) => w?.addEventListener('statechange', () => void settled(w));
    [reg.installing, reg.waiting, reg.active].forEach(watch);
    reg.addEventListener('updatefound', () => watch(reg.installing));
  });
}
