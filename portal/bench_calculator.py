"""`python3 build.py bench --calculator`: how long the calculator takes to give its first
result, against a bare page that only starts the same self-hosted Pyodide and runs 1+1.

Both pages are opened in the same headless Chromium, alternating, each cold (a new browser
context: empty cache) and then warm (the same context, opened again). Times are measured in
the page (performance.now(), from navigation start) and the medians printed as JSON.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .localsite import CHROMIUM_ARGS, chromium_path, serve

ROOT = Path(__file__).resolve().parent.parent
CASE = "region=SE-AB&date=2026-03-01&age=40&provider=vardcentral&profession=lakare&contact=besok&paid=1300"

BARE_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Pyodide 1+1</title></head>
<body><p id="out">…</p>
<script type="module">
const worker = new Worker(URL.createObjectURL(new Blob([`
  const { loadPyodide } = await import("${new URL("../assets/pyodide/VERSION/pyodide.mjs", location).href}");
  const pyodide = await loadPyodide({ indexURL: "${new URL("../assets/pyodide/VERSION/", location).href}" });
  postMessage(pyodide.runPython("1+1"));
`], { type: "text/javascript" })), { type: "module" });
worker.onmessage = (event) => {
  document.getElementById("out").textContent = event.data;
  window.__ready = performance.now();
};
</script></body></html>
"""

RESULT_OBSERVER = """
new MutationObserver(() => {
  const result = document.getElementById("resultat");
  if (result && result.hasAttribute("data-to-pay") && !window.__ready) { window.__ready = performance.now(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-to-pay"] });
"""


STEPS_JS = """() => {
  const state = window.portalKalkylator;
  if (!state || !state.timings) { return null; }
  const origin = performance.timeOrigin;
  const steps = {};
  for (const [name, at] of Object.entries(state.timings)) { steps[name] = at - origin; }
  return steps;
}"""

STEPS: list[dict] = []
"""Start-up steps of each cold calculator run (ms from navigation start)."""


def measure(browser, url: str, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        context = browser.new_context()
        context.add_init_script(RESULT_OBSERVER)
        page = context.new_page()
        for times in (cold, warm):
            page.goto(url)
            page.wait_for_function("window.__ready !== undefined", timeout=60000)
            times.append(page.evaluate("window.__ready"))
            steps = page.evaluate(STEPS_JS)
            if steps and times is cold:
                STEPS.append({**steps, "firstResult": times[-1]})
                # A repeat visit comes later; let the page finish preparing for it first.
                page.wait_for_function("window.portalKalkylator.snapshotStored !== undefined", timeout=60000)
                page.wait_for_function("navigator.serviceWorker.ready.then(() => true)", timeout=60000)
        context.close()
    return cold, warm


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    from playwright.sync_api import sync_playwright


    with tempfile.TemporaryDirectory(prefix="portal-bench-calc-") as folder:
        site = Path(folder) / "site"
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                       cwd=ROOT, env=environment, check=True)
        version = next((site / "assets" / "pyodide").iterdir()).name
        (site / "bare").mkdir()
        (site / "bare" / "index.html").write_text(BARE_PAGE.replace("VERSION", version), encoding="utf-8")
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            bare_cold, bare_warm, calc_cold, calc_warm = [], [], [], []
            for _ in range(runs):  # alternate, so drift on the machine hits both alike
                cold, warm = measure(browser, base + "bare/", 1)
                bare_cold += cold
                bare_warm += warm
                cold, warm = measure(browser, f"{base}kalkylator/?{CASE}", 1)
                calc_cold += cold
                calc_warm += warm
            browser.close()
    result = {
        "runs": runs,
        "bare_cold_ms": round(statistics.median(bare_cold)),
        "calculator_cold_ms": round(statistics.median(calc_cold)),
        "ratio_cold": round(statistics.median(calc_cold) / statistics.median(bare_cold), 3),
        "bare_warm_ms": round(statistics.median(bare_warm)),
        "calculator_warm_ms": round(statistics.median(calc_warm)),
        "ratio_warm": round(statistics.median(calc_warm) / statistics.median(bare_warm), 3),
        "calculator_cold_steps_ms": {
            name: round(statistics.median(step[name] for step in STEPS)) for name in STEPS[0]
        } if STEPS else {},
    }
    print(json.dumps(result))
    return 0


def page_weights(argv: list[str]) -> int:
    """`python3 build.py bench --pages`: what the home, an entry and the calculator page
    transfer (every file they request, gzip-compressed as a web server would send it)."""
    import gzip
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright


    pages = {"home": "", "entry": "fragor/hogkostnadsskydd-frikort/", "calculator": f"kalkylator/?{CASE}"}
    result = {}
    with tempfile.TemporaryDirectory(prefix="portal-bench-pages-") as folder:
        site = Path(folder) / "site"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                       cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, check=True)
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for name, path in pages.items():
                context = browser.new_context()
                page = context.new_page()
                requested: list[str] = []
                page.on("requestfinished", lambda request: requested.append(request.url))
                page.goto(base + path)
                if name == "calculator":
                    page.wait_for_selector("#resultat[data-to-pay]", timeout=60000)
                page.wait_for_load_state("networkidle")
                files = []
                for url in dict.fromkeys(requested):
                    local = site / urlsplit(url).path.lstrip("/")
                    local = local / "index.html" if local.is_dir() else local
                    if local.is_file():
                        files.append(len(gzip.compress(local.read_bytes(), compresslevel=6)))
                result[f"{name}_gzip_bytes"] = sum(files)
                result[f"{name}_requests"] = len(files)
                result[f"{name}_loads_pyodide"] = any("pyodide" in url for url in requested)
                context.close()
            browser.close()
    print(json.dumps(result))
    return 0
