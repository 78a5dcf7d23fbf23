/* The calculator's Web Worker: starts the self-hosted Pyodide, installs the calculator wheel
   and answers calculations. It lives under /kalkylator/ so that the page's service worker
   (scope /kalkylator/) also serves its requests.

   Repeat visits start from a memory snapshot. After the first answer, the page starts a second,
   short-lived copy of this worker ({type: "snapshot"}) that boots Python once more, takes a
   snapshot of the fresh interpreter and keeps it (31 MB) in Cache Storage, keyed by the Pyodide
   version and standard library; the next visit restores it instead of starting Python (0.6 s
   instead of 0.9 s to the first answer here). Doing that in the first visit's own start made
   the first answer slower. The snapshot API is Pyodide's experimental one (_makeSnapshot/_loadSnapshot), so
   every step falls back to a normal start.

   Messages in:  {type: "init", pyodideUrl, stdlibUrl, wheelUrl}   (absolute URLs)
                 {type: "calculate", id, request, today} (request: JSON of the form's values)
                 {type: "snapshot", pyodideUrl, stdlibUrl}
   Messages out: {type: "ready", timings} | {type: "failed", message} | {type: "result", id, data}
                 | {type: "snapshot-stored", stored} */

const SNAPSHOT_CACHE = "portal-kalkylator-snapshot";

let calculator = null;
/* When each start-up step ended (ms since the epoch), for python3 build.py bench --calculator. */
const timings = { workerStarted: performance.timeOrigin + performance.now() };
const mark = (name) => { timings[name] = performance.timeOrigin + performance.now(); };

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

/* The standard library is the site's own copy with its start-up modules compiled to bytecode
   (portal/plugins/calculator/precompile.py); Pyodide would otherwise compile them at every start. */
const pyodideOptions = (pyodideUrl, stdlibUrl) => ({ indexURL: pyodideUrl, stdLibURL: stdlibUrl });

async function makeSnapshot(pyodideUrl, stdlibUrl) {
  const { loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`);
  const snapshot = takeSnapshot(await loadPyodide({ ...pyodideOptions(pyodideUrl, stdlibUrl), _makeSnapshot: true }));
  return snapshot !== null && storeSnapshot(snapshot, snapshotKey(stdlibUrl));
}

async function startPython(loadPyodide, pyodideUrl, stdlibUrl) {
  const key = snapshotKey(stdlibUrl);
  const snapshot = await cachedSnapshot(key);
  if (snapshot) {
    try {
      const pyodide = await loadPyodide({ ...pyodideOptions(pyodideUrl, stdlibUrl), _loadSnapshot: snapshot });
      timings.fromSnapshot = 1;
      return pyodide;
    } catch (error) {
      await caches.delete(SNAPSHOT_CACHE).catch(() => {});
    }
  }
  return loadPyodide(pyodideOptions(pyodideUrl, stdlibUrl));
}

async function start(pyodideUrl, stdlibUrl, wheelUrl) {
  const wheelRequest = fetch(wheelUrl).then((response) => {
    if (!response.ok) {
      throw new Error(`wheel ${response.status}`);
    }
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`);
  mark("moduleLoaded");
  const [pyodide, wheel] = await Promise.all([startPython(loadPyodide, pyodideUrl, stdlibUrl), wheelRequest]);
  mark("pyodideReady");
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
    calculator = start(message.pyodideUrl, message.stdlibUrl, message.wheelUrl);
    try {
      await calculator;
      self.postMessage({ type: "ready", timings });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error) });
    }
  } else if (message.type === "snapshot") {
    let stored = false;
    try {
      stored = await makeSnapshot(message.pyodideUrl, message.stdlibUrl);
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
      self.postMessage({ type: "failed", message: String(error) });
    }
  }
});
