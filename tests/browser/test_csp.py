"""The Content-Security-Policy of the built pages in headless Chromium: every page and the
things patients do (search, copy a link, the calculator with its Pyodide worker and service
worker) run without one violation, and an inline script that is not the page's own is blocked."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest

from portal.localsite import serve

from ..test_built_site import configured_site_url
from .search import open_search, result_ids

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push({
        page: location.pathname, directive: event.effectiveDirective, blocked: event.blockedURI,
        sample: event.sample, source: event.sourceFile, line: event.lineNumber,
    });
});
"""
"""Runs before any script of every document: a violation's event fires on the document."""

CALCULATION = {"region": "SE-AB", "age": "40", "paid": "1300", "date": "2026-03-01",
               "provider": "vardcentral", "profession": "lakare", "contact": "besok"}


class PolicyWatch:
    """A page whose documents record every policy violation, and the console's reports of them
    (a worker's violations show only there)."""

    def __init__(self, page) -> None:
        self.page = page
        self.violations: list[dict] = []
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.console.append(message.text)

    def harvest(self) -> None:
        """Keep the current document's violations: the list starts empty in the next one."""
        self.violations.extend(self.page.evaluate("window.__cspViolations || []"))

    def goto(self, url: str) -> None:
        if self.page.url.startswith("http"):
            self.harvest()
        self.page.goto(url)

    def all(self) -> list:
        self.harvest()
        return self.violations + self.console


@pytest.fixture
def watch(browser, site_url):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    context.add_init_script(RECORD_VIOLATIONS)
    yield PolicyWatch(context.new_page())
    context.close()


def sitemap_paths(site: Path) -> list[str]:
    """Every address of the sitemap, relative to the site."""
    prefix = configured_site_url()
    locations = re.findall(r"<loc>(.*?)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locations and all(location.startswith(prefix) for location in locations)
    return [location[len(prefix):] for location in locations]


def policy_of(page) -> str:
    return page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")


def test_every_page_loads_without_a_violation(watch, site_url, built_site):
    paths = list(dict.fromkeys(sitemap_paths(built_site) + ["finns-inte/", "personal/", "kalkylator/"]))
    for path in paths:
        watch.goto(site_url + path)
        assert "script-src 'self'" in policy_of(watch.page), path
    assert watch.all() == []


def test_search_and_copy_link_run_without_a_violation(watch, site_url, built_site):
    watch.goto(site_url)
    open_search(watch.page)
    assert result_ids(watch.page, "frikort")
    entry = next(path for path in sitemap_paths(built_site) if path.startswith("fragor/"))
    watch.goto(site_url + entry)
    watch.page.get_by_role("button", name="Kopiera länk").click()
    watch.page.wait_for_function("() => document.querySelector('.portal-copy__status').textContent.length > 0")
    assert watch.page.evaluate("navigator.clipboard.readText()") == site_url + entry
    assert watch.all() == []


# Conditions are functions: a string expression is polled with eval(), which the policy forbids.


def wait_for_answer(page) -> None:
    page.wait_for_selector("#resultat[data-to-pay]", timeout=60000)
    # Material's scripts, cloned from their <template> after the answer, have run.
    page.wait_for_function("() => typeof window.document$ !== 'undefined'", timeout=30000)


def test_calculator_answers_under_the_policy_and_its_service_worker(watch, site_url):
    page = watch.page
    url = f"{site_url}kalkylator/?{urlencode(CALCULATION)}"
    watch.goto(url)
    wait_for_answer(page)
    assert "wasm-unsafe-eval" not in policy_of(page)
    # The second visit comes from the service worker and the memory snapshot; wait until both
    # are in place.
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)", timeout=30000)
    page.wait_for_function("() => window.portalKalkylator.snapshotStored !== undefined", timeout=60000)
    watch.goto(url)
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    wait_for_answer(page)
    assert page.get_attribute("#resultat", "data-to-pay") == "150"
    assert watch.all() == []
    # The page itself may not compile WebAssembly: Pyodide's worker answered under a policy of
    # its own, which is why the page needs no 'wasm-unsafe-eval'.
    outcome = page.evaluate("""() => WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))
        .then(() => "compiled", (error) => error.name)""")
    assert outcome == "CompileError"


def test_an_inline_script_that_is_not_the_pages_own_is_blocked(browser, built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    injected = '<script>window.__injected = "kört"</script></body>'
    for name, keep_policy in (("index.html", True), ("personal/index.html", False)):
        path = site / name
        text = path.read_text(encoding="utf-8").replace("</body>", injected, 1)
        if not keep_policy:
            # The control: without the policy the same script runs, so the test can tell.
            text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
        path.write_text(text, encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    with serve(site) as url:
        page.goto(url + "personal/")
        assert page.evaluate("window.__injected") == "kört"

        page.goto(url)
        page.wait_for_function("() => window.__cspViolations.some(v => v.blocked === 'inline')")
        assert page.evaluate("window.__injected") is None
        [violation] = page.evaluate("window.__cspViolations")
        assert violation["directive"] == "script-src-elem"
        assert violation["source"] == url

        # A script element added later is held to the same policy.
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.__appended = 1";
            document.body.append(script);
        }""")
        page.wait_for_function("() => window.__cspViolations.length === 2")
        assert page.evaluate("window.__appended") is None
    context.close()
