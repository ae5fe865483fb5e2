// The POS app shell offline: scripts, styles, the register database worker
// (/build/register-db-worker-<build version>.js) and PGlite's files are cached as they load, and the
// /pos page falls back to its cached copy when the edge cannot be reached. Data never comes from
// here: shapes, pushes and API calls always go to the network.
//
// One cache per app version: the page registers /sw.js?v=<its version>. A register that sees a newer
// edge registers that version's worker, whose install downloads the new shell (the /pos page and every
// /build/ file it names, the database worker) while the old page keeps selling; the page reloads into
// it when no sale is under way (app/pos/shell-update.ts, ADR 003). A failed download fails the install
// and leaves the old worker and its cache in place.
const VERSION = new URL(self.location.href).searchParams.get('v') || 'dev';
const CACHE = `till-pos-shell-${VERSION}`;
const FILES = ['/pglite/pglite.wasm', '/pglite/initdb.wasm', '/pglite/pglite.data', '/vendor/receiptline.js'];

const BUILD_FILE = /\/build\/[A-Za-z0-9_./-]+\.(?:js|css)/g;
const isManifest = (u) => /^\/build\/manifest-[A-Za-z0-9]+\.js$/.test(u);

async function cacheShell() {
  const c = await caches.open(CACHE);
  await c.addAll(FILES);
  const page = await fetch('/pos', { cache: 'no-store' });
  if (!page.ok) throw new Error(`/pos answered ${page.status}`);
  // Every /build/ file the page names, and those its scripts name (the POS chunk is a dynamic import).
  // The manifest names every route's files (the admin's too): it is cached, not followed.
  const seen = new Set();
  let next = [...((await page.clone().text()).match(BUILD_FILE) || [])];
  while (next.length) {
    const batch = next.filter((u) => !seen.has(u));
    batch.forEach((u) => seen.add(u));
    next = [];
    await Promise.all(
      batch.map(async (u) => {
        const res = await fetch(u);
        if (!res.ok) throw new Error(`${u} answered ${res.status}`);
        await c.put(u, res.clone());
        const text = await res.text();
        if (isManifest(u)) {
          // The database worker is named after the Remix build version, which the manifest carries.
          const build = /"version":"([^"]+)"/.exec(text);
          if (build) next.push(`/build/register-db-worker-${build[1]}.js`);
        } else if (u.endsWith('.js')) next.push(...(text.match(BUILD_FILE) || []));
      }),
    );
  }
  await c.put('/pos', page);
}

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(cacheShell());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

// The page lists what it loaded before this worker controlled it.
self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'cache-urls') {
    event.waitUntil(
      caches.open(CACHE).then((c) =>
        Promise.all(
          event.data.urls.map((u) =>
            c
              .match(u)
              .then((hit) => hit || c.add(u))
              .catch(() => undefined),
          ),
        ),
      ),
    );
  }
});

const isAsset = (p) => p.startsWith('/build/') || p.startsWith('/pglite/') || p.startsWith('/vendor/');
const isPosPage = (url) => url.pathname === '/pos' || url.pathname.startsWith('/pos/');

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (isAsset(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then(async (c) => {
        const hit = await c.match(req);
        if (hit) return hit;
        const res = await fetch(req);
        if (res.ok) await c.put(req, res.clone());
        return res;
      }),
    );
    return;
  }
  if (isPosPage(url)) {
    event.respondWith(
      (async () => {
        const c = await caches.open(CACHE);
        try {
          const res = await fetch(req);
          // The page is answered at once; its copy is written to the cache beside it, not before it.
          if (res.ok) event.waitUntil(c.put(req.mode === 'navigate' ? '/pos' : req, res.clone()));
          return res;
        } catch (e) {
          const hit = (await c.match(req)) || (req.mode === 'navigate' ? await c.match('/pos') : undefined);
          if (hit) return hit;
          throw e;
        }
      })(),
    );
  }
});
