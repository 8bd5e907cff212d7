/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
// The app opens offline after one visit. Only the app itself is cached here (the shell and the
// build's files, one cache per build version); the API, the change feed and the collaborative
// documents are never answered from this cache — their offline copies live in IndexedDB, per
// member, where logging out can clear them.
import { version } from '$app/env';
import { assets, immutable } from '$app/manifest';

const sw = self as unknown as ServiceWorkerGlobalScope;
const PREFIX = 'chorus-shell-';
const CACHE = `${PREFIX}${version}`;
/** Every client route is the same single-page shell (index.html), cached under this key. */
const SHELL = '/';
const ASSETS = new Set([...immutable, ...assets].map((f) => `/${f.path.replace(/^\//, '')}`));
const NEVER = /^\/(api|socket\.io|collab)(\/|$)/;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([SHELL, ...ASSETS]);
      // A new build takes over at once: navigations are network-first anyway, so no tab is
      // ever held on an old shell while online.
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin || NEVER.test(url.pathname)) return;
  if (req.mode === 'navigate') {
    // Network first, so a deploy is seen at once; the cached shell only when offline.
    event.respondWith(
      fetch(req).catch(async () => (await caches.match(SHELL, { cacheName: CACHE })) ?? Response.error()),
    );
    return;
  }
  if (ASSETS.has(url.pathname)) {
    // Hashed, immutable files: the cache is always right once it has them.
    event.respondWith((async () => (await caches.match(url.pathname, { cacheName: CACHE })) ?? fetch(req))());
  }
});
