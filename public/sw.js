// The POS app shell offline: scripts, styles, the register database worker
// (/build/register-db-worker-<build version>.js) and PGlite's files are cached as they load, and the
// /pos page falls back to its cached copy when the edge cannot be reached. Data never comes from
// here: shapes, pushes and API calls always go to the network.
const CACHE = 'till-pos-shell-v1';
const SHELL = ['/pos', '/pglite/pglite.wasm', '/pglite/initdb.wasm', '/pglite/pglite.data', '/vendor/receiptline.js'];

self.addEventListener('install', (event) => {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)));
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
        Promise.all(event.data.urls.map((u) => c.match(u).then((hit) => hit || c.add(u)).catch(() => undefined))),
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
          if (res.ok && req.mode === 'navigate') await c.put('/pos', res.clone());
          else if (res.ok) await c.put(req, res.clone());
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
