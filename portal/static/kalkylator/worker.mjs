/* The calculator's Web Worker: starts the self-hosted Pyodide, installs the calculator wheel
   and answers calculations. It lives under /kalkylator/ so that the page's service worker
   (scope /kalkylator/) also serves its requests.

   While the runtime downloads, it reports how much has arrived ({type: "progress"}), so the
   page can show a real progress bar and notice a download that has stopped. A download that
   fails is reported at once: Pyodide itself only logs a failed WebAssembly download and then
   waits for ever.

   The standard library comes in two zips (portal/plugins/calculator/in_pyodide.py): the
   modules in use, as bytecode, which Pyodide loads at start, and the rest, fetched only if an
   import needs a module from it (stdlib_fallback.py, installed here after the start).

   Repeat visits start from a memory snapshot. After the first answer, the page starts a second,
   short-lived copy of this worker ({type: "snapshot"}) that boots Python once more, takes a
   snapshot of the fresh interpreter and keeps it (31 MB) in Cache Storage, keyed by the Pyodide
   version and standard library; the next visit restores it instead of starting Python (0.6 s
   instead of 0.9 s to the first answer here). Doing that in the first visit's own start made
   the first answer slower. The snapshot API is Pyodide's experimental one (_makeSnapshot/_loadSnapshot), so
   every step falls back to a normal start.

   Messages in:  {type: "init", pyodideUrl, stdlibUrl, restUrl, wheelUrl, lock, downloads}
                   (absolute URLs; lock: what Pyodide gets instead of fetching its lock file;
                   downloads: [url, bytes read, bytes on the wire] of each file to come)
                 {type: "calculate", id, request, today} (request: JSON of the form's values)
                 {type: "snapshot", pyodideUrl, stdlibUrl, lock}
   Messages out: {type: "progress", fraction} | {type: "ready", timings}
                 | {type: "failed", message} | {type: "result", id, data}
                 | {type: "snapshot-stored", stored} */

const SNAPSHOT_CACHE = "portal-kalkylator-snapshot";
const FALLBACK_MODULE = "_portal_stdlib_fallback";

let calculator = null;
/* When each start-up step ended (ms since the epoch), for python3 build.py bench --calculator. */
const timings = { workerStarted: performance.timeOrigin + performance.now() };
const mark = (name) => { timings[name] = performance.timeOrigin + performance.now(); };

/* --- Progress ----------------------------------------------------------------------------
   Each file counts by its size on the wire (the build measures it), and within a file by the
   share of its bytes read, so the bar moves as the network delivers. Fetched files are
   counted as they stream; the two JavaScript modules, once imported. */

const downloads = new Map(); // url -> {size, weight, read, done, beforeStart}
let lastReport = 0;
let failure = null;

function report(force) {
  const now = performance.now();
  if (!force && now - lastReport < 100) {
    return; // a message every 100 ms is enough for a bar, and for the page's watchdog
  }
  lastReport = now;
  let received = 0;
  let total = 0;
  for (const file of downloads.values()) {
    received += file.weight * (file.done ? 1 : Math.min(1, file.read / file.size));
    total += file.weight;
  }
  self.postMessage({ type: "progress", fraction: total ? received / total : 0 });
}

let runtimeArrived;
const runtimeHere = new Promise((resolve) => { runtimeArrived = resolve; });
/* Resolved when everything Python needs to start has arrived (all but the wheel). */

function arrived(url) {
  const file = downloads.get(url);
  if (file && !file.done) {
    file.done = true;
    report(true);
    const files = [...downloads.values()];
    if (files.every((each) => each.done || !each.beforeStart)) {
      runtimeArrived();
    }
    if (files.every((each) => each.done)) {
      mark("downloaded");
    }
  }
}

function fail(message) {
  if (failure === null) {
    failure = message;
    self.postMessage({ type: "failed", message });
  }
}

async function count(response, file, url) {
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        break;
      }
      file.read += value.byteLength;
      report(false);
    }
    arrived(url);
  } catch (error) {
    fail(`${url}: ${error}`);
  }
}

const networkFetch = self.fetch.bind(self);
const early = new Map(); // url -> the download already on its way (see start)

async function download(url, file, resource, options) {
  let response;
  try {
    response = await networkFetch(resource, options);
  } catch (error) {
    fail(`${url}: ${error}`);
    throw error;
  }
  if (!response.ok) {
    fail(`${url}: ${response.status}`);
  } else {
    // The original goes to Pyodide untouched (WebAssembly compiles it as it streams); the
    // copy is only counted.
    count(response.clone(), file, url);
  }
  return response;
}

self.fetch = (resource, options) => {
  const url = new URL(resource instanceof Request ? resource.url : String(resource), self.location.href).href;
  const file = downloads.get(url);
  if (!file) {
    return networkFetch(resource, options);
  }
  const started = early.get(url);
  early.delete(url);
  return started || download(url, file, resource, options);
};

/* --- Memory snapshot ------------------------------------------------------------------- */

async function cachedSnapshot(key) {
  try {
    const response = await (await caches.open(SNAPSHOT_CACHE)).match(key);
    return response ? new Uint8Array(await response.arrayBuffer()) : null;
  } catch (error) {
    return null;
  }
}

function takeSnapshot(pyodide) {
  try {
    return pyodide.makeMemorySnapshot(); // must come before any Python runs
  } catch (error) {
    return null;
  }
}

async function storeSnapshot(snapshot, key) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    for (const old of await cache.keys()) {
      await cache.delete(old); // an older Pyodide's snapshot
    }
    await cache.put(key, new Response(snapshot));
    return true;
  } catch (error) {
    return false; // no Cache Storage, no room: the next visit starts normally
  }
}

/* A snapshot belongs to one runtime and one standard library (the URL names both versions). */
const snapshotKey = (stdlibUrl) => `${stdlibUrl}.memory-snapshot`;

/* The standard library is the site's own (portal/plugins/calculator/precompile.py). The lock
   file lists Pyodide's packages; the calculator loads none, so Pyodide gets its `info` with no
   packages instead of fetching 120 kB. */
const pyodideOptions = (pyodideUrl, stdlibUrl, lock) => ({ indexURL: pyodideUrl, stdLibURL: stdlibUrl, lockFileContents: lock });

async function makeSnapshot(pyodideUrl, stdlibUrl, lock) {
  const { loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`);
  const snapshot = takeSnapshot(await loadPyodide({ ...pyodideOptions(pyodideUrl, stdlibUrl, lock), _makeSnapshot: true }));
  return snapshot !== null && storeSnapshot(snapshot, snapshotKey(stdlibUrl));
}

/* Called by Python's import system (stdlib_fallback.py) when a module is in the second zip.
   Synchronous, because an import cannot wait; a worker may block. */
function fetchRestOfStandardLibrary(restUrl) {
  return () => {
    const request = new XMLHttpRequest();
    request.open("GET", restUrl, false);
    request.responseType = "arraybuffer";
    request.send();
    if (request.status !== 200) {
      throw new Error(`${restUrl}: ${request.status}`);
    }
    return new Uint8Array(request.response);
  };
}

async function startPython(loadPyodide, pyodideUrl, stdlibUrl, lock) {
  const key = snapshotKey(stdlibUrl);
  const snapshot = await cachedSnapshot(key);
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...pyodideOptions(pyodideUrl, stdlibUrl, lock), _loadSnapshot: snapshot });
      timings.fromSnapshot = 1;
      return pyodide;
    } catch (error) {
      await caches.delete(SNAPSHOT_CACHE).catch(() => {});
    }
  }
  return loadPyodide(pyodideOptions(pyodideUrl, stdlibUrl, lock));
}

async function start({ pyodideUrl, stdlibUrl, restUrl, wheelUrl, lock, downloads: files }) {
  for (const [url, size, weight] of files) {
    downloads.set(url, { size, weight, read: 0, done: false, beforeStart: url !== wheelUrl });
  }
  report(true);
  /* Everything Pyodide will ask for starts downloading now, not after its loader has arrived:
     one round trip less before the large files (150 ms on a slow phone network). Pyodide's
     own fetch then gets the response already on its way, and its import() of the runtime's
     JavaScript the module already loading. */
  const wasmUrl = `${pyodideUrl}pyodide.asm.wasm`;
  const runtime = import(`${pyodideUrl}pyodide.asm.mjs`);
  runtime.then(() => arrived(`${pyodideUrl}pyodide.asm.mjs`), () => {}); // Pyodide's own import() reports a failure
  for (const url of [wasmUrl, stdlibUrl]) {
    const response = download(url, downloads.get(url), url, { credentials: "same-origin" });
    response.catch(() => {}); // reported by download(), and again when Pyodide asks for it
    early.set(url, response);
  }
  /* The wheel is needed only once Python runs: fetched when the runtime has arrived, it
     does not take bandwidth from it and arrives while Python starts. */
  const wheelRequest = runtimeHere.then(() => fetch(wheelUrl)).then((response) => {
    if (!response.ok) {
      throw new Error(`wheel ${response.status}`);
    }
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`);
  arrived(`${pyodideUrl}pyodide.mjs`);
  mark("moduleLoaded");
  const python = startPython(loadPyodide, pyodideUrl, stdlibUrl, lock);
  python.then(() => {
    mark("pythonStarted");
    runtimeArrived(); // started, so it has all arrived, whatever was counted
  }, () => {});
  const [pyodide, wheel] = await Promise.all([python, wheelRequest]);
  mark("pyodideReady");
  for (const url of downloads.keys()) {
    arrived(url); // all there, whatever the counting saw
  }
  pyodide.pyimport(FALLBACK_MODULE).install(fetchRestOfStandardLibrary(restUrl));
  pyodide.unpackArchive(wheel, "wheel");
  const browser = pyodide.pyimport("patientavgift.browser");
  mark("packageImported");
  browser.tables();
  mark("dataLoaded");
  return (request, today) => browser.calculate_json(request, today);
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === "init") {
    calculator = start(message);
    try {
      await calculator;
      self.postMessage({ type: "ready", timings });
    } catch (error) {
      fail(String(error));
    }
  } else if (message.type === "snapshot") {
    let stored = false;
    try {
      stored = await makeSnapshot(message.pyodideUrl, message.stdlibUrl, message.lock);
    } catch (error) {
      stored = false;
    }
    self.postMessage({ type: "snapshot-stored", stored });
  } else if (message.type === "calculate") {
    try {
      const calculate = await calculator;
      const data = JSON.parse(calculate(message.request, message.today));
      self.postMessage({ type: "result", id: message.id, data });
    } catch (error) {
      fail(String(error));
    }
  }
});
