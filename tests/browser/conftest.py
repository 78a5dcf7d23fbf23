"""Browser fixtures: the built sites served on 127.0.0.1, and Debian's Chromium under Playwright.

Behaviour tests drive the site built from the test content (`fixture_url`); the live site
(`site_url`) is only checked for what holds for any content.

Chromium comes from Debian (build.py installs it); Playwright never downloads a browser. Every
request a page makes is recorded, so tests can prove that nothing leaves the site's own host.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from portal.localsite import CHROMIUM_ARGS, chromium_path, serve

from ..conftest import ROOT

AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def site_url(built_site: Path):
    """Base URL of the live site (built from content/)."""
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def fixture_url(fixture_site: Path):
    """Base URL of the site built from the test content (tests/fixtures/content/)."""
    with serve(fixture_site) as url:
        yield url


@pytest.fixture(scope="session")
def zensical_url(zensical_site: Path):
    """Base URL of the test content's site as Zensical renders it."""
    with serve(zensical_site) as url:
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
def recording(browser, fixture_url):
    """A page that records its requests, allowed to use the clipboard on the test content's site."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=fixture_url.rstrip("/"))
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
    # Evaluated, not added as a <script>: the pages' Content-Security-Policy blocks inline
    # scripts that are not their own.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
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


def audit_pages(browser, base_url: str, paths: list[str]) -> tuple[dict[str, list], list[str]]:
    """Every page of `paths` under `base_url` in one fresh context: (axe-core's violations and
    a lang other than sv, by path; every request that went to another host)."""
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    found = {}
    for path in paths:
        page.goto(base_url + path)
        problems = run_axe(page)
        if page.evaluate("document.documentElement.lang") != "sv":
            problems.append("lang är inte sv")
        if problems:
            found[path] = problems
    context.close()
    return found, RecordingPage(None, requests).outside_requests(base_url)
