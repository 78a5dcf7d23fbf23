"""`python3 build.py bench --calculator`: how long the calculator takes to give its first
result, against a bare page that only starts the same self-hosted Pyodide and runs 1+1.

Two bare pages: `bare/` starts Pyodide as its npm package ships it (standard library as
source), the comparison the performance issue asks for; `bare-compiled/` starts it with the
site's precompiled standard library, so the calculator's own cost shows on its own.
All pages are opened in the same headless Chromium, alternating, each cold (a new browser
context: empty cache) and then warm (the same context, opened again). Times are measured in
the page (performance.now(), from navigation start) and the medians printed as JSON.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .localsite import CHROMIUM_ARGS, chromium_path, serve

ROOT = Path(__file__).resolve().parent.parent
STOCK_STDLIB = "python_stdlib.zip"
CASE = "region=SE-AB&date=2026-03-01&age=40&provider=vardcentral&profession=lakare&contact=besok&paid=1300"

BARE_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Pyodide 1+1</title></head>
<body><p id="out">…</p>
<script type="module">
const worker = new Worker(URL.createObjectURL(new Blob([`
  const { loadPyodide } = await import("${new URL("../assets/pyodide/VERSION/pyodide.mjs", location).href}");
  const pyodide = await loadPyodide({ indexURL: "${new URL("../assets/pyodide/VERSION/", location).href}",
                                      stdLibURL: "${new URL("../assets/pyodide/VERSION/STDLIB", location).href}" });
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


def add_bare_pages(site: Path) -> dict[str, str]:
    """The two bare pages in the built `site`, by name: address."""
    pyodide = next((site / "assets" / "pyodide").iterdir())
    # The site ships only its precompiled standard library; the stock one comes from npm.
    shutil.copy(ROOT / "node_modules" / "pyodide" / STOCK_STDLIB, pyodide / STOCK_STDLIB)
    compiled = next(path.name for path in pyodide.glob("python_stdlib.*.zip") if path.name != STOCK_STDLIB)
    pages = {"bare": STOCK_STDLIB, "bare_compiled": compiled}
    for name, stdlib in pages.items():
        folder = site / name.replace("_", "-")
        folder.mkdir()
        page = BARE_PAGE.replace("VERSION", pyodide.name).replace("STDLIB", stdlib)
        (folder / "index.html").write_text(page, encoding="utf-8")
    return {name: name.replace("_", "-") + "/" for name in pages}


def main(argv: list[str]) -> int:
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    from playwright.sync_api import sync_playwright


    with tempfile.TemporaryDirectory(prefix="portal-bench-calc-") as folder:
        site = Path(folder) / "site"
        environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                       cwd=ROOT, env=environment, check=True)
        pages = {**add_bare_pages(site), "calculator": f"kalkylator/?{CASE}"}
        cold: dict[str, list[float]] = {name: [] for name in pages}
        warm: dict[str, list[float]] = {name: [] for name in pages}
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for _ in range(runs):  # alternate, so drift on the machine hits every page alike
                for name, path in pages.items():
                    first, again = measure(browser, base + path, 1)
                    cold[name] += first
                    warm[name] += again
            browser.close()
    median = {kind: {name: statistics.median(times) for name, times in runs_by_page.items()}
              for kind, runs_by_page in (("cold", cold), ("warm", warm))}
    result: dict = {"runs": runs}
    for kind in ("cold", "warm"):
        figures = median[kind]
        result |= {
            f"bare_{kind}_ms": round(figures["bare"]),
            f"bare_compiled_{kind}_ms": round(figures["bare_compiled"]),
            f"calculator_{kind}_ms": round(figures["calculator"]),
            f"ratio_{kind}": round(figures["calculator"] / figures["bare"], 3),
            f"ratio_{kind}_same_stdlib": round(figures["calculator"] / figures["bare_compiled"], 3),
        }
    result["calculator_cold_steps_ms"] = {
        name: round(statistics.median(step[name] for step in STEPS)) for name in STEPS[0]
    } if STEPS else {}
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
