/* The calculator's Web Worker: starts the self-hosted Pyodide, installs the calculator wheel
   and answers calculations. It lives under /kalkylator/ so that the page's service worker
   (scope /kalkylator/) also serves its requests. Runs off the main thread so the form stays usable while Python
   loads (about two seconds on a cold start).

   Messages in:  {type: "init", pyodideUrl, wheelUrl}   (absolute URLs)
                 {type: "calculate", id, request, today} (request: JSON of the form's values)
   Messages out: {type: "ready"} | {type: "failed", message} | {type: "result", id, data} */

let calculator = null;
/* When each start-up step ended (ms since the epoch), for python3 build.py bench --calculator. */
const timings = { workerStarted: performance.timeOrigin + performance.now() };
const mark = (name) => { timings[name] = performance.timeOrigin + performance.now(); };

async function start(pyodideUrl, wheelUrl) {
  const wheelRequest = fetch(wheelUrl).then((response) => {
    if (!response.ok) {
      throw new Error(`wheel ${response.status}`);
    }
    return response.arrayBuffer();
  });
  const { loadPyodide } = await import(`${pyodideUrl}pyodide.mjs`);
  mark("moduleLoaded");
  const [pyodide, wheel] = await Promise.all([loadPyodide({ indexURL: pyodideUrl }), wheelRequest]);
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
    calculator = start(message.pyodideUrl, message.wheelUrl);
    try {
      await calculator;
      self.postMessage({ type: "ready", timings });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error) });
    }
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
