"""`python3 build.py bench --calculator`: how long the calculator takes to give its first
result, against a bare page that only starts the same self-hosted Pyodide and runs 1+1.

Two bare pages: `bare/` starts Pyodide as its npm package ships it (standard library as
source), the comparison the performance issue asks for; `bare-compiled/` starts it with the
site's precompiled standard library, so the calculator's own cost shows on its own.
All pages are opened in the same headless Chromium, alternating, each cold (a new browser
context: empty cache) and then warm (the same context, opened again). Times are measured in
the page (performance.now(), from navigation start) and the medians printed as JSON.

`--network slow4g|4g` measures instead what a patient on a phone network gets: the site served
with compression as static hosts serve it (gzip; `--brotli` adds the precompressed .br files),
Chromium's network emulation (NETWORKS, set through the DevTools protocol; it also slows the
worker's downloads), a cold visit to a prefilled link, and the time to the first amount shown
(the ordinary fee, before Python), to the full answer, and the bytes the server sent before it.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from .localsite import CHROMIUM_ARGS, chromium_path, serve
from .pipeline import build

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

NETWORKS = {
    "slow4g": {"downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8, "latency": 150},
    "4g": {"downloadThroughput": 9_000_000 / 8, "uploadThroughput": 1_500_000 / 8, "latency": 60},
}
"""Network.emulateNetworkConditions: bytes per second and ms of latency added to each request.
Slow 4G: 1.6 Mbit/s down, 750 kbit/s up, 150 ms; 4G: 9 Mbit/s down, 1.5 Mbit/s up, 60 ms
(the figures of Chrome DevTools' presets, without its extra packet-loss factors)."""

AMOUNT_OBSERVER = """
new MutationObserver(() => {
  const result = document.getElementById("resultat");
  if (!result) { return; }
  if (result.hasAttribute("data-fee") && window.__firstAmount === undefined) { window.__firstAmount = performance.now(); }
  if (result.hasAttribute("data-to-pay") && window.__ready === undefined) { window.__ready = performance.now(); }
}).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-fee", "data-to-pay"] });
"""
"""Records when the page first shows an amount (data-fee: the ordinary fee, or the answer) and
when the full answer (data-to-pay) is there, in ms from navigation start."""


def measure(browser, url: str, runs: int) -> tuple[list[float], list[float]]:
    cold, warm = [], []
    for _ in range(runs):
        context = browser.new_context()
        context.add_init_script(RESULT_OBSERVER)
        page = context.new_page()
        for times in (cold, warm):
            page.goto(url)
            page.wait_for_function("() => window.__ready !== undefined", timeout=60000)
            times.append(page.evaluate("window.__ready"))
            steps = page.evaluate(STEPS_JS)
            if steps and times is cold:
                STEPS.append({**steps, "firstResult": times[-1]})
                # A repeat visit comes later; let the page finish preparing for it first.
                page.wait_for_function("() => window.portalKalkylator.snapshotStored !== undefined", timeout=60000)
                page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=60000)
        context.close()
    return cold, warm


def add_bare_pages(site: Path) -> dict[str, str]:
    """The two bare pages in the built `site`, by name: address."""
    pyodide = next((site / "assets" / "pyodide").iterdir())
    # The site ships only its precompiled standard library and no lock file (the calculator
    # passes its contents); the stock ones come from npm.
    for name in (STOCK_STDLIB, "pyodide-lock.json"):
        shutil.copy(ROOT / "node_modules" / "pyodide" / name, pyodide / name)
    compiled = next(path.name for path in pyodide.glob("python_stdlib.*.zip") if path.name != STOCK_STDLIB)
    pages = {"bare": STOCK_STDLIB, "bare_compiled": compiled}
    for name, stdlib in pages.items():
        folder = site / name.replace("_", "-")
        folder.mkdir()
        page = BARE_PAGE.replace("VERSION", pyodide.name).replace("STDLIB", stdlib)
        (folder / "index.html").write_text(page, encoding="utf-8")
    return {name: name.replace("_", "-") + "/" for name in pages}


def build_site(folder: str) -> Path:
    site = Path(folder) / "site"
    build(ROOT, site)
    return site


def network(argv: list[str]) -> int:
    """`--network slow4g|4g [--brotli] [--runs N] [--site FOLDER]`: cold visits over an
    emulated phone network."""
    from playwright.sync_api import sync_playwright

    name = argv[argv.index("--network") + 1]
    if name not in NETWORKS:
        sys.exit(f"--network: {name}? Välj {' eller '.join(NETWORKS)}.")
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    encodings = ("br", "gzip") if "--brotli" in argv else ("gzip",)
    conditions = {"offline": False, **NETWORKS[name]}
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="portal-bench-net-") as folder:
        # --site: a site built elsewhere (an older version, to compare with).
        site = Path(argv[argv.index("--site") + 1]) if "--site" in argv else build_site(folder)
        sent: list[dict] = []
        with serve(site, encodings=encodings, sent=sent) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            for _ in range(runs):
                sent.clear()
                context = browser.new_context()
                context.add_init_script(AMOUNT_OBSERVER)
                page = context.new_page()
                session = context.new_cdp_session(page)
                session.send("Network.enable")
                session.send("Network.emulateNetworkConditions", conditions)
                page.goto(f"{base}kalkylator/?{CASE}", wait_until="commit")
                page.wait_for_function("() => window.__ready !== undefined", timeout=300_000)
                first, ready, origin = page.evaluate("[window.__firstAmount, window.__ready, performance.timeOrigin]")
                steps = page.evaluate(STEPS_JS) or {}
                answered = (origin + ready) / 1000
                before = [response for response in sent if response["started"] <= answered]
                figures.append({
                    "first_amount_ms": first, "full_answer_ms": ready,
                    "bytes_before_answer": sum(response["bytes"] for response in before),
                    "requests_before_answer": len(before),
                    "steps": steps,
                    "files": {response["path"].split("?")[0]: [response["bytes"], response["encoding"]] for response in before},
                })
                context.close()
            browser.close()
    median = lambda key: statistics.median(figure[key] for figure in figures)  # noqa: E731
    result = {
        "network": name, "encodings": list(encodings), "runs": runs,
        "conditions": {"down_mbit_s": conditions["downloadThroughput"] * 8 / 1e6,
                       "up_mbit_s": conditions["uploadThroughput"] * 8 / 1e6, "latency_ms": conditions["latency"]},
        "first_amount_ms": round(median("first_amount_ms")),
        "full_answer_ms": round(median("full_answer_ms")),
        "bytes_before_answer": round(median("bytes_before_answer")),
        "requests_before_answer": round(median("requests_before_answer")),
        "steps_ms": {step: round(statistics.median(figure["steps"][step] for figure in figures))
                     for step in figures[0]["steps"] if all(step in figure["steps"] for figure in figures)},
        "each_run": [{key: round(figure[key]) for key in ("first_amount_ms", "full_answer_ms", "bytes_before_answer")}
                     for figure in figures],
        "files_first_run": figures[0]["files"],
    }
    print(json.dumps(result))
    return 0


def main(argv: list[str]) -> int:
    if "--network" in argv:
        return network(argv)
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 5
    from playwright.sync_api import sync_playwright


    with tempfile.TemporaryDirectory(prefix="portal-bench-calc-") as folder:
        site = build_site(folder)
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
        site = build_site(folder)
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
