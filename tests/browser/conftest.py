"""Browser fixtures: the built site served on 127.0.0.1, and Debian's Chromium under Playwright.

Chromium comes from Debian (build.py installs it); Playwright never downloads a browser. Every
request a page makes is recorded, so tests can prove that nothing leaves the site's own host.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import ROOT

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    configured = os.environ.get("PORTAL_CHROMIUM")
    for candidate in (configured, "/usr/bin/chromium-headless-shell", "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium saknas: kör testerna med python3 build.py test, som installerar det.")


def read_header_rules(directory: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """The site's `_headers` file (Netlify/Cloudflare format): (path pattern, headers)."""
    path = directory / "_headers"
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    if not path.is_file():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules:
            name, value = line.strip().split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


class _StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves files as a static host does: its 404.html for unknown addresses, and the cache
    headers of its `_headers` file (the first rule that matches)."""

    def end_headers(self) -> None:
        for pattern, headers in read_header_rules(Path(self.directory)):
            if fnmatch.fnmatch(self.path.split("?")[0], pattern):
                for name, value in headers:
                    self.send_header(name, value)
                break
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - signature of the base class
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve `directory` on a free port of 127.0.0.1 as a static host would; yields the base URL."""
    handler = functools.partial(_StaticHostHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the built site."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class RecordingPage:
    """A Playwright page plus every URL it requested."""

    def __init__(self, page, requests: list[str]) -> None:
        self.page = page
        self.requests = requests

    def outside_requests(self, site_url: str) -> list[str]:
        own = urlsplit(site_url).netloc
        return [url for url in self.requests
                if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own]


@pytest.fixture
def recording(browser, site_url):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    yield RecordingPage(page, requests)
    context.close()


@pytest.fixture
def page(recording):
    return recording.page


def run_axe(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary).slice(0, 5),
            }));
        }"""
    )
    return result
