/* Service worker of the calculator page (scope /kalkylator/, so it serves the page and its
   worker in /kalkylator/worker.mjs). After the first result it stores Pyodide's runtime and the
   calculator wheel in Cache Storage; a repeat visit then starts without the network.

   The files come in the script's URL (sw.js?pyodide=<folder>&files=<names>&wheel=<url>, see
   kalkylator.js), all versioned: a new Pyodide or a new calculator build is a new URL, so a new
   service worker, which drops what the old one stored. Nothing unversioned is ever cached. */
const CACHE = "portal-kalkylator";
const params = new URL(self.location.href).searchParams;
const pyodide = new URL(params.get("pyodide"), self.location.href);
const FILES = [
  ...params.get("files").split(",").map((name) => new URL(name, pyodide).href),
  new URL(params.get("wheel"), self.location.href).href,
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.open(CACHE).then(async (cache) => {
      for (const request of await cache.keys()) {
        if (!FILES.includes(request.url)) {
          await cache.delete(request);
        }
      }
    }),
  );
});

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET" || !FILES.includes(event.request.url)) {
    return;
  }
  event.respondWith(caches.match(event.request).then((cached) => cached || fetch(event.request)));
});
