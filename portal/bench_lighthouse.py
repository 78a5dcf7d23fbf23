"""`python3 build.py bench --lighthouse`: Lighthouse's four scores for the site's main kinds of page.

The site is built (or `--site DIR` is used as it is), served on 127.0.0.1 as a static host
serves it (portal.localsite.serve, with precompressed .br files and gzip, as the nginx setup
in docs/performance.md does), and Lighthouse, pinned in package.json, audits four pages in
Debian's Chromium: the home page, a category page, an entry page and the calculator. The
category and entry pages are the first of their kind in the built sitemap, so the bench
follows the content instead of naming ids that editors may retire.

Lighthouse runs with its default settings, the ones PageSpeed Insights uses for phones:
mobile emulation (a Moto G Power's screen, 4x CPU slowdown) and simulated slow-4G throttling. Each run starts a new Chromium with an empty profile.
With `--runs N` every page is audited N times and the median score of each category printed
(the lower middle one for an even N).

The table gives the four scores (0-100) per page; below it, for every score under 100, the
audits that cost points, one line each (id, title, Lighthouse's figure), so developers know
what to fix. Audits that failed in only some runs say in how many.

Nothing leaves 127.0.0.1: Chromium gets localsite's flags that stop its background traffic
and a resolver that answers no host name (the site is addressed by IP); Lighthouse's error
reporting (its only upload) is off. The pages' requests, as Lighthouse recorded them, are
checked and any other host is reported.

    python3 build.py bench --lighthouse [--runs N] [--pages home,category,entry,calculator]
                                        [--site DIR] [--encodings br,gzip|gzip|none]
                                        [--reports DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .errors import PortalError
from .localsite import CHROMIUM_ARGS, chromium_path, serve
from .pipeline import build

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
HEADINGS = ("performance", "accessibility", "best-practices", "SEO")
PAGES = ("home", "category", "entry", "calculator")
PREFIXES = {"category": "kategori/", "entry": "fragor/", "calculator": "kalkylator/"}
"""Where each kind of page lives below the site's root (see portal/plugins/)."""

CHROME_FLAGS = [
    # chromium-headless-shell is headless anyway; the full `chromium` package needs the flag.
    "--headless=new",
    *CHROMIUM_ARGS,
    # No host name resolves, so nothing but the site (addressed as 127.0.0.1) can be reached
    # even if Chromium or a page tried. Quoted for Lighthouse's flag parser, which hands the
    # value to Chromium as one argument without the quotes.
    '--host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"',
]
LIGHTHOUSE_FLAGS = [
    "--output=json",
    f"--only-categories={','.join(CATEGORIES)}",
    # The screenshot of the whole page is only for the HTML report; it costs time and memory.
    "--disable-full-page-screenshot",
    # Lighthouse asks whether to send errors to its maintainers (Sentry) on a terminal; never.
    "--no-enable-error-reporting",
    # Audit titles in English whatever the maintainer's LANG is (they are for developers).
    "--locale=en-US",
    "--quiet",
]
ENCODINGS = {"br,gzip": ("br", "gzip"), "gzip": ("gzip",), "none": ()}
SKIPPED_MODES = ("informative", "manual", "notApplicable")
"""Audits that never cost points."""
TIMEOUT = 180
"""Seconds for one Lighthouse run; it gives up on a page by itself after 45 s of loading."""


def pick_pages(site: Path, wanted: list[str]) -> dict[str, str]:
    """Each wanted page (a kind from PAGES, or a path such as /ordlista/) -> its path below the
    site's root, the kinds taken from the built sitemap."""
    tree = ElementTree.parse(site / "sitemap.xml")
    paths = [urlsplit(loc.text.strip()).path for loc in tree.iter() if loc.tag.endswith("loc") and loc.text]
    if not paths:
        raise PortalError(f"{site / 'sitemap.xml'} lists no page.")
    root = min(paths, key=len)  # the home page: site_url may have a path of its own
    relative = [path[len(root):] for path in paths if path.startswith(root)]
    chosen = {}
    for name in wanted:
        if name.startswith("/"):
            chosen[name] = name.lstrip("/")
        elif name == "home":
            chosen[name] = ""
        elif name in PREFIXES:
            found = [path for path in relative if path.startswith(PREFIXES[name]) and path != PREFIXES[name]]
            if name == "calculator":
                found = [path for path in relative if path == PREFIXES[name]]
            if not found:
                raise PortalError(f"The sitemap has no {name} page (/{PREFIXES[name]}…).")
            chosen[name] = found[0]
        else:
            raise PortalError(f"Unknown page '{name}': choose from {', '.join(PAGES)} or give a path (/ordlista/).")
    return chosen


def run_lighthouse(url: str, chromium: str, report: Path) -> dict:
    """One Lighthouse run on `url` in a fresh Chromium; its JSON result (also kept in `report`)."""
    if not LIGHTHOUSE.exists():
        raise PortalError("Lighthouse is not in node_modules: run python3 build.py, which installs the npm packages.")
    command = [str(LIGHTHOUSE), url, *LIGHTHOUSE_FLAGS, f"--output-path={report}",
               *(f"--chrome-flags={flag}" for flag in CHROME_FLAGS)]
    # CHROME_PATH is the only browser Lighthouse's launcher uses; it never downloads one.
    environment = {**os.environ, "CHROME_PATH": chromium}
    child = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, errors = child.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        # SIGINT, not SIGKILL: Chromium runs in a process group of its own, and Lighthouse's
        # launcher closes it (and removes its profile) on SIGINT only.
        child.send_signal(signal.SIGINT)
        try:
            child.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
        raise PortalError(f"Lighthouse took more than {TIMEOUT} s on {url}.") from None
    if child.returncode != 0 or not report.is_file():
        raise PortalError(f"Lighthouse failed on {url} (exit {child.returncode}):\n{errors[-3000:]}")
    result = json.loads(report.read_text(encoding="utf-8"))
    if result.get("runtimeError"):
        raise PortalError(f"Lighthouse could not audit {url}: {result['runtimeError'].get('message')}")
    return result


def scores(result: dict) -> dict[str, int | None]:
    """Category -> score 0-100 (None when Lighthouse could not score it)."""
    found = {}
    for category in CATEGORIES:
        score = result["categories"].get(category, {}).get("score")
        found[category] = None if score is None else round(score * 100)
    return found


def failing_audits(result: dict, category: str) -> list[tuple[str, str, str]]:
    """The audits of `category` that cost points: (id, title, Lighthouse's figure)."""
    failing = []
    for reference in result["categories"][category]["auditRefs"]:
        # "hidden": Lighthouse 12's insight audits, which repeat the diagnostics the report shows.
        if reference.get("group") == "hidden":
            continue
        audit = result["audits"][reference["id"]]
        mode = audit.get("scoreDisplayMode")
        if mode in SKIPPED_MODES:
            continue
        if mode == "error":
            failing.append((audit["id"], audit["title"], f"error: {audit.get('errorMessage', '')}"))
        elif audit.get("score") is not None and audit["score"] < 1:
            parts = (audit.get("displayValue", ""), f"score {audit['score']:.2f}", first_element(audit))
            failing.append((audit["id"], audit["title"], ", ".join(part for part in parts if part)))
    return failing


def first_element(audit: dict) -> str:
    """The first element an audit blames (e.g. what shifted), as a CSS selector, if it names one."""
    for item in (audit.get("details") or {}).get("items", []):
        node = item.get("node") if isinstance(item, dict) else None
        if isinstance(node, dict) and node.get("selector"):
            return f"first: {node['selector']}"
    return ""


def outside_requests(result: dict) -> list[str]:
    """The page's requests to any host other than 127.0.0.1, as Lighthouse recorded them."""
    items = (result["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    return sorted({item["url"] for item in items
                   if urlsplit(item["url"]).scheme in ("http", "https", "ws", "wss")
                   and urlsplit(item["url"]).hostname != "127.0.0.1"})


def summarise(name: str, path: str, results: list[dict]) -> dict:
    """The median scores of a page's runs and the audits that cost points in any of them."""
    runs = [scores(result) for result in results]
    median = {}
    for category in CATEGORIES:
        values = [run[category] for run in runs if run[category] is not None]
        median[category] = statistics.median_low(values) if values else None
    failing: dict[str, list[str]] = {}
    for category in CATEGORIES:
        if median[category] == 100:
            continue
        # The figures of the run whose score is the median, then of the others, for audits that
        # failed only there.
        order = sorted(range(len(results)), key=lambda index: runs[index][category] != median[category])
        seen: dict[str, tuple[str, str, int]] = {}
        for index in order:
            for audit_id, title, figure in failing_audits(results[index], category):
                kept_title, kept_figure, count = seen.get(audit_id, (title, figure, 0))
                seen[audit_id] = (kept_title, kept_figure, count + 1)
        failing[category] = [
            f"{audit_id}  {title} ({figure})" + (f" [in {count} of {len(results)} runs]" if count < len(results) else "")
            for audit_id, (title, figure, count) in seen.items()
        ]
    outside = sorted({url for result in results for url in outside_requests(result)})
    # Lighthouse's own doubts about a run (a page that never settled, a slow machine).
    warnings = sorted({warning for result in results for warning in result.get("runWarnings", [])})
    return {"page": name, "path": "/" + path, "scores": median, "runs": runs,
            "failing": failing, "outside_requests": outside, "warnings": warnings}


def table(pages: list[dict]) -> str:
    label = {page["page"]: page["path"] if page["page"].startswith("/") else f"{page['page']:<10} {page['path']}"
             for page in pages}
    width = max(len("page"), *(len(text) for text in label.values()))
    lines = ["  ".join([f"{'page':<{width}}", *(f"{heading:>{len(heading)}}" for heading in HEADINGS)])]
    for page in pages:
        cells = ["-" if page["scores"][category] is None else str(page["scores"][category]) for category in CATEGORIES]
        lines.append("  ".join([f"{label[page['page']]:<{width}}",
                                *(f"{cell:>{len(heading)}}" for cell, heading in zip(cells, HEADINGS))]))
    return "\n".join(lines)


def details(pages: list[dict]) -> str:
    lines = []
    for page in pages:
        name = page["path"] if page["page"].startswith("/") else f"{page['page']} {page['path']}"
        for category, audits in page["failing"].items():
            score = page["scores"][category]
            lines.append(f"{name}  {category} {'-' if score is None else score}:")
            lines.extend(f"    {audit}" for audit in audits or ["(no single audit failed: the score is a weighted sum)"])
        for url in page["outside_requests"]:
            lines.append(f"{name}  REQUEST OUTSIDE 127.0.0.1: {url}")
        for warning in page["warnings"]:
            lines.append(f"{name}  Lighthouse warns: {warning}")
    return "\n".join(lines)


def build_site(folder: Path) -> Path:
    site = folder / "site"
    build(ROOT, site)
    return site


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 build.py bench --lighthouse",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", action="store_true", help=argparse.SUPPRESS)  # bench's switch to this mode
    parser.add_argument("--runs", type=int, default=1,
                        help="audit each page N times and print the medians (default 1)")
    parser.add_argument("--pages", default=",".join(PAGES),
                        help=f"comma-separated: {', '.join(PAGES)} or site paths such as /ordlista/ (default: all four)")
    parser.add_argument("--site", type=Path, help="audit this built site instead of building one")
    parser.add_argument("--encodings", choices=list(ENCODINGS), default="br,gzip", metavar="br,gzip|gzip|none",
                        help="what the server compresses with (default br,gzip: precompressed .br, else gzip)")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports in this folder")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object, last")
    options = parser.parse_args(arguments)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    try:
        chromium = chromium_path()
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="portal-lighthouse-") as folder:
            site = options.site or build_site(Path(folder))
            if not (site / "sitemap.xml").is_file():
                raise PortalError(f"{site} is no built site (it has no sitemap.xml).")
            chosen = pick_pages(site, [name.strip() for name in options.pages.split(",") if name.strip()])
            reports = options.reports or Path(folder) / "reports"
            reports.mkdir(parents=True, exist_ok=True)
            results: dict[str, list[dict]] = {name: [] for name in chosen}
            with serve(site, encodings=ENCODINGS[options.encodings]) as base:
                # Runs go round the pages, so a slow moment of the machine is not all one page's.
                for run in range(options.runs):
                    for number, (name, path) in enumerate(chosen.items()):
                        slug = name.strip("/").replace("/", "_") or "root"
                        report = reports / f"{number + 1}-{slug}-{run + 1}.json"
                        print(f"Lighthouse {run + 1}/{options.runs}: {name} /{path}", file=sys.stderr, flush=True)
                        results[name].append(run_lighthouse(urljoin(base, path), chromium, report))
        seconds = time.perf_counter() - started
    except PortalError as error:
        print(error.format_message(), file=sys.stderr)
        return error.exit_code
    pages = [summarise(name, chosen[name], results[name]) for name in chosen]
    first = next(iter(results.values()))[0]
    settings = first["configSettings"]
    print(f"Lighthouse {first['lighthouseVersion']}, {settings['formFactor']} emulation, "
          f"{settings['throttlingMethod']} throttling, "
          f"Chromium {first['userAgent'].split('Chrome/')[-1].split(' ')[0]} ({chromium}), "
          f"median of {options.runs} run{'s' if options.runs > 1 else ''}, {seconds:.0f} s")
    print(table(pages))
    below = details(pages)
    if below:
        print("\nWhat costs points (audit id, title, Lighthouse's figure):")
        print(below)
    if options.reports:
        print(f"\nLighthouse's reports: {options.reports}")
    if options.json:
        print(json.dumps({"lighthouse": first["lighthouseVersion"], "runs": options.runs, "seconds": round(seconds, 1),
                          "pages": pages}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
