// pillarlint's service worker: after the first visit the app opens and analyses offline.
//
// It caches the app's own files only — the page, its wasm, scripts and styles, the rule
// docs, the examples and the icons — under a cache named after this build (the list and the
// version are written into this file at build time, scripts/offline_list.py). It never
// stores anything else: not a template fetched with ?src=, and never what the user types,
// which stays in the page's localStorage.
"use strict";
const VERSION = "__PILLARLINT_VERSION__";
const FILES = __PILLARLINT_FILES__;
const CACHE = "pillarlint-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith("pillarlint-") && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length) || "index.html";
  if (request.mode === "navigate") {
    // the app's pages (terraform.html is the full app, which the first page moves to for
    // Terraform, a serverless.yml or a findings-only link): fresh from the network when there
    // is one, else this build's copy
    if (!["index.html", "rules.html", "terraform.html"].includes(path) || !FILES.includes(path)) return;
    event.respondWith(
      fetch(request).catch(() =>
        caches.open(CACHE).then((c) => c.match(path)).then((hit) => hit || Response.error()),
      ),
    );
    return;
  }
  if (!FILES.includes(path)) return;
  // hashed names (and a list versioned with the build): the cached copy is the right one
  event.respondWith(
    caches.open(CACHE).then((c) => c.match(path)).then((hit) => hit || fetch(request)),
  );
});
