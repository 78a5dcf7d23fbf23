/* Service worker of the calculator page (scope /kalkylator/): keeps Pyodide's runtime and the
   calculator wheel in Cache Storage, so a repeat visit starts without the network. Only
   versioned URLs are cached (/assets/pyodide/<version>/, /assets/wheels/<content hash>/): a new
   version is a new URL, so nothing stale is ever served. */
const CACHE = "portal-kalkylator";
const VERSIONED = /\/assets\/(pyodide|wheels)\//;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !VERSIONED.test(url.pathname)) {
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const cached = await cache.match(event.request);
      if (cached) {
        return cached;
      }
      const response = await fetch(event.request);
      if (response.ok) {
        await cache.put(event.request, response.clone());
      }
      return response;
    }),
  );
});
