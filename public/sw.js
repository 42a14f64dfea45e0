// 兰心 Orchid service worker: the app shell offline.
// The two placeholders are filled at build time by `cargo xtask finish-dist` (Trunk's post-build
// hook) from the files of that very build: never edit a list here by hand.
const VERSION = '__BUILD_VERSION__';
const PRECACHE = __PRECACHE_MANIFEST__;
const CACHE = `orchid-shell-${VERSION}`;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  // `cache: 'reload'` skips the HTTP cache, so a new worker never precaches stale bytes.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })))
    )
  );
  // No skipWaiting() here: the page offers "A new version is ready — reload" and asks for it,
  // so a therapist is never switched to a new version in the middle of a record.
});

self.addEventListener('message', (event) => {
  if (event.data === 'SKIP_WAITING') {
    self.skipWaiting();
  }
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith('orchid-shell-') && key !== CACHE)
            .map((key) => caches.delete(key))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) {
    // The API is never cached here: the app's own store (IndexedDB) keeps the data.
    return;
  }
  if (request.mode === 'navigate') {
    // Any in-app route (/customers, /calendar/2026-11-23, …) is the same shell.
    event.respondWith(
      caches
        .open(CACHE)
        .then((cache) => cache.match(SHELL))
        .then((shell) => shell || fetch(request))
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(url.pathname))
      .then((hit) => hit || fetch(request))
  );
});
