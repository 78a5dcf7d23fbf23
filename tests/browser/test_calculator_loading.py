"""/kalkylator/ while Python loads, in headless Chromium with the real Pyodide: the ordinary fee
at once (preliminary), then the full answer (final); a progress bar that says how much has
arrived; a watchdog that tells the patient when the runtime cannot load or stalls and points
to the fee table; the rest of the standard library fetched when an import needs it; the
precompressed files served and used. On the site built from the test content.

Loading is held at a chosen moment by holding the WebAssembly download (page.route): every
wait is on a condition or an event, never a fixed time."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from patientavgift import FeeTables
from patientavgift.rules import Visit, calculate
from patientavgift.source import compile_fees
from portal.localsite import serve
from portal.calculator_build.ordinary_fees import OVERVIEW_AGE

from ..conftest import FIXTURES
from .conftest import run_axe

CASE = {"region": "SE-AB", "date": "2026-03-01", "age": "40", "paid": "1300",
        "provider": "vardcentral", "profession": "lakare", "contact": "besok"}
WASM = "**/pyodide.asm.wasm"

RECORD = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__cspViolations.push(event.effectiveDirective + " " + event.blockedURI);
});
window.__statusTexts = [];
document.addEventListener("DOMContentLoaded", () => {
    const status = document.querySelector("[data-kalk-status]");
    if (!status) { return; }
    const record = () => {
        const texts = window.__statusTexts;
        if (texts[texts.length - 1] !== status.textContent) { texts.push(status.textContent); }
    };
    record();
    new MutationObserver(record).observe(status, { childList: true, characterData: true, subtree: true });
});
"""
"""Runs before the page's scripts: records policy violations and every text the loading
status takes (what a screen reader announces)."""


@pytest.fixture(scope="module")
def tables() -> FeeTables:
    return FeeTables.from_dict(compile_fees(FIXTURES))


def ordinary_fee(tables: FeeTables, case: dict) -> int:
    """The fee of the visit for an adult, as the build computes the table the page shows."""
    visit = Visit(region=case["region"], date=datetime.date.fromisoformat(case["date"]), provider=case["provider"],
                  profession=case["profession"], contact=case["contact"], age=OVERVIEW_AGE)
    return calculate(tables, visit).fee


class Held:
    """Requests held by page.route until the test lets them go."""

    def __init__(self) -> None:
        self.routes: list = []

    def __call__(self, route) -> None:
        self.routes.append(route)

    def release(self) -> None:
        for route in self.routes:
            route.continue_()
        self.routes.clear()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD)
    yield context
    context.close()


def url_of(fixture_url: str, case: dict) -> str:
    return f"{fixture_url}kalkylator/?{urlencode(case)}"


def violations(page) -> list[str]:
    return page.evaluate("() => window.__cspViolations")


def test_ordinary_fee_at_once_then_the_full_answer(context, fixture_url, tables):
    held = Held()
    context.route(WASM, held)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))

    # Preliminary: the ordinary fee, said in words to be before age rules and the cap.
    result = page.locator("#resultat")
    page.wait_for_selector('#resultat[data-state="preliminary"]')
    fee = ordinary_fee(tables, CASE)
    assert result.get_attribute("data-fee") == str(fee)
    assert result.get_attribute("data-to-pay") is None and result.get_attribute("data-remaining") is None
    text = result.inner_text()
    assert "Preliminärt" in text
    assert f"Ordinarie avgift: {fee}\u00a0kr" in text
    assert "före åldersregler och högkostnadsskydd" in text
    page.wait_for_function("() => document.querySelector('#kalk-progress').value > 0")
    assert page.get_by_role("progressbar", name="Kalkylatorn laddas").is_visible()
    assert run_axe(page) == []

    held.release()
    page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
    assert result.get_attribute("data-to-pay") == "150"
    assert result.get_attribute("data-remaining") == "0"
    assert result.get_attribute("data-fee") == str(fee)
    assert "Preliminärt" not in result.inner_text()
    assert "Du betalar 150\u00a0kr för besöket" in result.inner_text()
    assert page.inner_text("[data-kalk-status]") == "Kalkylatorn är klar."
    assert not page.locator("#kalk-progress").is_visible()
    assert run_axe(page) == []
    assert violations(page) == []
    assert not [url for url in requests if not url.startswith(fixture_url)]
    assert not [url for url in requests if "python_stdlib_rest" in url], "the rest of the standard library is not needed"
    assert not [url for url in requests if url.endswith("pyodide-lock.json")], "Pyodide gets its lock contents"


def test_progress_bar_and_its_few_announcements(context, fixture_url):
    held = Held()
    context.route(WASM, held)
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))
    bar = page.get_by_role("progressbar", name="Kalkylatorn laddas")
    assert bar.get_attribute("max") == "100"
    # Everything before the WebAssembly has arrived (its JavaScript and the standard library):
    # a quarter of the bytes on the wire; the wheel waits for the runtime.
    page.wait_for_function("() => document.querySelector('#kalk-progress').value >= 20")
    assert int(bar.get_attribute("value")) < 50
    assert page.inner_text("[data-kalk-status]").startswith("Laddar kalkylatorn …")
    assert page.get_attribute("[data-kalk-status]", "role") == "status"
    assert page.get_attribute("[data-kalk-status]", "aria-live") == "polite"
    held.release()
    page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
    texts = page.evaluate("() => window.__statusTexts")
    # Spoken at a few steps, not at every percent the bar moved.
    assert len(texts) <= 7, texts
    assert texts[-1] == "Kalkylatorn är klar."
    assert all(text.startswith("Laddar kalkylatorn") for text in texts[:-1]), texts


@pytest.mark.parametrize("failure", ["blocked", "not found"])
def test_watchdog_when_the_runtime_cannot_load(context, fixture_url, tables, failure):
    if failure == "blocked":
        context.route(WASM, lambda route: route.abort("blockedbyclient"))
    else:
        context.route(WASM, lambda route: route.fulfill(status=404, body="Finns inte"))
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))
    page.wait_for_selector('form[data-kalk-state="failed"]', timeout=30000)
    status = page.locator("[data-kalk-status]")
    assert status.inner_text().startswith("Kalkylatorn kunde inte laddas.")
    assert "Avgiften nedan är den ordinarie avgiften" in status.inner_text()
    link = status.get_by_role("link", name="tabellen med avgifter i alla regioner")
    assert link.get_attribute("href") == "#alla-regioner"
    result = page.locator("#resultat")
    assert result.get_attribute("data-state") == "preliminary"
    assert result.get_attribute("data-fee") == str(ordinary_fee(tables, CASE))
    assert "Laddar" not in result.inner_text() and "så snart den har laddats" not in result.inner_text()
    assert not page.locator("#kalk-progress").is_visible()
    link.click()
    page.wait_for_function("() => location.hash === '#alla-regioner'")
    assert page.locator("#alla-regioner").is_visible()
    assert run_axe(page) == []
    assert violations(page) == []


def test_watchdog_when_the_download_stalls_and_recovers(context, fixture_url):
    held = Held()
    context.route(WASM, held)  # the WebAssembly does not come: nothing more arrives
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))
    page.wait_for_selector('form[data-kalk-state="stalled"]', timeout=40000)
    status = page.locator("[data-kalk-status]")
    assert status.inner_text().startswith("Det tar längre tid än vanligt att ladda kalkylatorn.")
    assert status.get_by_role("link", name="tabellen med avgifter i alla regioner").get_attribute("href") == "#alla-regioner"
    assert page.get_attribute("#resultat", "data-state") == "preliminary"
    assert page.locator("#kalk-progress").is_visible()
    assert run_axe(page) == []

    held.release()  # the network comes back
    page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
    assert page.inner_text("[data-kalk-status]") == "Kalkylatorn är klar."
    assert violations(page) == []


def patched_wheel(wheel: bytes, addition: str) -> bytes:
    """The calculator wheel with `addition` appended to patientavgift/browser.py (and that
    module's bytecode removed, so that the changed source is what runs)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(wheel)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if re.fullmatch(r"patientavgift/__pycache__/browser\..*\.pyc", info.filename):
                continue
            data = source.read(info)
            if info.filename == "patientavgift/browser.py":
                data += ("\n" + addition).encode()
            target.writestr(info, data)
    return out.getvalue()


def route_wheel(context, addition: str) -> None:
    def handle(route):
        # Only the page's own request: the service worker fetches the wheel again after the
        # answer, to keep it, which can still be under way when the test has closed its context.
        if route.request.service_worker is not None:
            route.fallback()
            return
        try:
            response = route.fetch()
            route.fulfill(response=response, body=patched_wheel(response.body(), addition))
        except PlaywrightError:
            if not context.pages:
                return  # the test is over: its context closed while this request ran
            raise

    # By path: the service worker's own address names the wheel in its query, and routing
    # that request too left a handler running after its test had ended.
    context.route(lambda url: urlsplit(url).path.endswith(".whl"), handle)


def test_an_import_outside_the_shipped_modules_fetches_the_rest(context, fixture_url):
    """A calculator that imports standard library modules the build did not see in use (a top
    level module and a submodule of a package that was shipped) still answers."""
    route_wheel(context, "import statistics, json.tool\nMEAN = statistics.mean([1, 2, 3])\n")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))
    page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
    assert page.get_attribute("#resultat", "data-to-pay") == "150"
    assert len([url for url in requests if re.search(r"/python_stdlib_rest\.\w+\.zip$", url)]) == 1
    assert violations(page) == []


def test_the_answer_lists_what_it_rests_on_with_safe_links(context, fixture_url):
    basis = [
        {"what": "Avgift", "value": "275 kr", "source": "Region Stockholm", "url": "https://www.regionstockholm.se/avgifter",
         "source_date": "2025-12-01", "valid_from": "2026-01-01", "checked": "2026-11-25", "status": "primär", "status_text": ""},
        {"what": "Tak", "value": "1 450 kr", "source": "Vanlig webbsida", "url": "http://example.se/tak",
         "source_date": None, "valid_from": "2026-01-01", "checked": "2026-11-25", "status": "sekundär",
         "status_text": "ej bekräftad"},
        {"what": "<img src=x onerror=alert(1)>", "value": "0", "source": "<b>fet</b>", "url": "javascript:alert(1)",
         "source_date": None, "valid_from": "2024-01-01", "checked": "2026-11-25", "status": "antagen", "status_text": ""},
    ]
    route_wheel(context, f"""
_calculate_json = calculate_json
def calculate_json(request, today):
    answer = json.loads(_calculate_json(request, today))
    if "error" not in answer:
        answer["basis"] = {basis!r}
    return json.dumps(answer, ensure_ascii=False)
""")
    page = context.new_page()
    page.goto(url_of(fixture_url, CASE))
    page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
    section = page.locator(".kalk-basis")
    assert section.get_by_role("heading", name="Det här bygger beräkningen på").is_visible()
    items = section.locator("li")
    assert items.count() == 3
    links = section.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://www.regionstockholm.se/avgifter"
    assert links.first.inner_text() == "Region Stockholm"
    assert "Vanlig webbsida" in items.nth(1).inner_text() and "ej bekräftad" in items.nth(1).inner_text()
    assert "<img src=x onerror=alert(1)>" in items.nth(2).inner_text()
    assert "<b>fet</b>" in items.nth(2).inner_text()
    assert section.locator("img, b").count() == 0
    assert run_axe(page) == []
    assert violations(page) == []


def test_precompressed_files_are_served_and_used(browser, fixture_site):
    """Served as nginx with brotli_static and gzip_static serves it: the WebAssembly comes as
    Brotli, and the calculator answers from it."""
    sent: list[dict] = []
    context = browser.new_context()
    page = context.new_page()
    with serve(fixture_site, encodings=("br", "gzip"), sent=sent) as url:
        page.goto(url_of(url, CASE))
        page.wait_for_selector('#resultat[data-state="final"]', timeout=60000)
        assert page.get_attribute("#resultat", "data-to-pay") == "150"
    context.close()
    encodings = {entry["path"].rsplit("/", 1)[-1]: entry["encoding"] for entry in sent}
    assert encodings["pyodide.asm.wasm"] == "br"
    assert encodings["pyodide.asm.mjs"] == "br"
    assert next(value for name, value in encodings.items() if name.startswith("python_stdlib.")) == "", \
        "the zip is compressed inside; hosts do not compress it again"
