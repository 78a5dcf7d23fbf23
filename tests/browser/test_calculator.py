"""/kalkylator/ in headless Chromium: the calculator package under the self-hosted Pyodide must
give exactly the numbers the command line gives, and the page must work for everyone. On the
site built from the test content, whose fee data (tests/fixtures/content/fees/) only tests change."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

import pytest

from patientavgift import FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.inputs import visit_from_strings
from patientavgift.rules import calculate
from patientavgift.source import compile_fees
from portal.localsite import headers_for, read_header_rules

from ..conftest import FIXTURES, fixture_content
from .conftest import run_axe

BASE = {"date": "2026-03-01", "provider": "vardcentral", "profession": "lakare", "contact": "besok"}
CASES = [
    {**BASE, "region": "SE-AB", "age": "40", "paid": "1300"},
    {**BASE, "region": "SE-AB", "age": "40"},
    {**BASE, "region": "SE-AB", "age": "40", "contact": "chatt"},
    {**BASE, "region": "SE-M", "age": "40", "profession": "sjukskoterska"},
    {**BASE, "region": "SE-M", "age": "19"},
    {**BASE, "region": "SE-O", "age": "45", "contact": "telefon", "paid": "100", "period-start": "2025-06-01"},
    {**BASE, "region": "SE-O", "age": "45", "profession": "sjukskoterska", "contact": "chatt"},
    {**BASE, "region": "SE-Z", "age": "60", "paid": "1000"},
    {**BASE, "region": "SE-Z", "age": "60", "paid": "1300"},
    {**BASE, "region": "SE-K", "birth-date": "2007-05-01"},
    {**BASE, "region": "SE-K", "birth-date": "2006-05-01"},
    {**BASE, "region": "SE-T", "age": "30", "contact": "video"},
    {**BASE, "region": "SE-X", "age": "30", "contact": "telefon", "paid": "1400"},
    {**BASE, "region": "SE-AB", "age": "90"},
    {**BASE, "region": "SE-C", "age": "17"},
    {**BASE, "region": "SE-M", "age": "40", "provider": "nationell", "contact": "video"},
    {**BASE, "region": "SE-AB", "age": "40", "provider": "nationell", "contact": "video"},
    {**BASE, "region": "SE-AB", "age": "40", "provider": "nationell", "contact": "chatt"},
    {**BASE, "region": "SE-BD", "age": "40", "provider": "nationell", "contact": "chatt"},
    {**BASE, "region": "SE-AC", "age": "40", "date": "2024-12-31", "paid": "1300"},
    {**BASE, "region": "SE-AC", "age": "40", "date": "2025-01-01", "paid": "1300"},
    {**BASE, "region": "SE-F", "age": "40", "contact": "video"},
    {**BASE, "region": "SE-AB", "age": "40", "paid": "2000"},
    {**BASE, "region": "SE-AB", "age": "40", "paid": "-5"},
    {**BASE, "region": "SE-K", "age": "19"},
    {**BASE, "region": "SE-AB", "age": "40", "date": "2026-02-30"},
    # Rules that never guess, through the page: no jump around an earlier, lower cap …
    {**BASE, "region": "SE-F", "age": "40", "date": "2025-03-01", "period-start": "2024-06-01", "paid": "1399"},
    {**BASE, "region": "SE-F", "age": "40", "date": "2025-03-01", "period-start": "2024-06-01", "paid": "1400"},
    {**BASE, "region": "SE-F", "age": "40", "date": "2025-03-01", "period-start": "2024-06-01", "paid": "1401"},
    # … a frikort holder pays nothing even where the fee is unknown, and a visit far past the
    # data is refused, naming the last date it covers.
    {**BASE, "region": "SE-F", "age": "40", "contact": "video", "frikort": "1"},
    {**BASE, "region": "SE-AB", "age": "40", "date": "2150-01-01"},
]


@pytest.fixture(scope="module")
def tables() -> FeeTables:
    return FeeTables.from_dict(compile_fees(FIXTURES))


def native(tables: FeeTables, case: dict) -> dict:
    try:
        return calculate(tables, visit_from_strings(case, datetime.date.today())).as_dict()
    except CalculatorError as error:
        return {"error": error.message, "field": error.field}


def calculator_url(site_url: str, case: dict) -> str:
    return f"{site_url}kalkylator/?{urlencode(case)}"


def wait_for_result(page) -> None:
    page.wait_for_selector("#resultat[data-to-pay], #resultat[data-error]", timeout=60000)


def test_page_gives_exactly_the_native_numbers(page, fixture_url, tables):
    assert len(CASES) >= 20
    mismatches = []
    for case in CASES:
        expected = native(tables, case)
        page.goto(calculator_url(fixture_url, case))
        wait_for_result(page)
        result = page.locator("#resultat")
        if "error" in expected:
            shown = page.inner_text(f'[data-error-for="{expected["field"]}"]') if expected["field"] else result.inner_text()
            got = {"error": shown.strip()}
            want = {"error": expected["error"]}
        else:
            got = {key: result.get_attribute(f"data-{key.replace('_', '-')}") for key in ("fee", "to_pay", "remaining")}
            want = {key: None if expected[key] is None else str(expected[key]) for key in ("fee", "to_pay", "remaining")}
            assert result.get_attribute("data-error") is None
        if got != want:
            mismatches.append((case, want, got))
    assert mismatches == []


def test_result_in_swedish_with_sources_and_bar(page, fixture_url):
    page.goto(calculator_url(fixture_url, CASES[0]))
    wait_for_result(page)
    text = page.inner_text("#resultat")
    assert "Du betalar 150\u00a0kr för besöket" in text
    assert "kontrollerad" in page.locator("#resultat details").inner_text() or page.locator("#resultat details summary").is_visible()
    label = page.get_attribute("#resultat .kalk-bar", "aria-label")
    assert label == "Betalt hittills 1\u00a0300\u00a0kr, det här besöket 150\u00a0kr, kvar till taket 0\u00a0kr, av 1\u00a0450\u00a0kr."


def test_error_is_shown_next_to_its_field(page, fixture_url):
    page.goto(calculator_url(fixture_url, {**BASE, "region": "SE-AB", "age": "40", "paid": "-5"}))
    wait_for_result(page)
    assert page.get_attribute("#kalk-paid", "aria-invalid") == "true"
    assert "0 eller mer" in page.inner_text('[data-error-for="paid"]')


def test_form_is_usable_while_pyodide_loads_and_by_keyboard(page, fixture_url):
    page.goto(fixture_url + "kalkylator/")
    assert page.inner_text("[data-kalk-status]").startswith("Laddar kalkylatorn")
    page.select_option("#kalk-region", "SE-O")
    page.fill("#kalk-age", "50")
    page.focus("#kalk-age")
    page.keyboard.press("Enter")
    wait_for_result(page)
    assert page.get_attribute("#resultat", "data-to-pay") == "200"
    assert "region=SE-O" in page.url


def test_region_label_follows_the_provider(page, fixture_url):
    page.goto(fixture_url + "kalkylator/")
    label = page.locator('label[for="kalk-region"]')
    assert label.inner_text() == "Region där vårdcentralen ligger"
    national_clinic = fixture_content().site["national_clinic"]["name"]
    page.get_by_label(f"Hos {national_clinic}").check()  # the name patients know, from site.yml
    assert label.inner_text() == "Region där du är folkbokförd"
    assert page.get_by_role("combobox", name="Region där du är folkbokförd").is_visible()
    page.get_by_label("På en vårdcentral", exact=True).check()
    assert label.inner_text() == "Region där vårdcentralen ligger"
    page.goto(calculator_url(fixture_url, {**BASE, "region": "SE-AB", "age": "40", "provider": "nationell", "contact": "video"}))
    assert label.inner_text() == "Region där du är folkbokförd"
    wait_for_result(page)
    assert run_axe(page) == []


SENT_REQUESTS = """
window.__sent = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message, ...rest) {
    if (message && message.type === "calculate") { window.__sent.push(JSON.parse(message.request)); }
    return post.call(this, message, ...rest);
};
"""
"""Records what the page asks the calculator (the form's values as the worker gets them)."""


def frikort_supported() -> bool:
    from patientavgift import inputs

    return "frikort" in inputs.FIELDS


def test_frikort_checkbox_in_the_request_the_address_and_the_copied_link(page, fixture_url, tables):
    page.add_init_script(SENT_REQUESTS)
    page.goto(fixture_url + "kalkylator/")
    box = page.get_by_role("checkbox", name="Jag har redan frikort som gäller på besöksdagen")
    assert not box.is_checked()
    page.select_option("#kalk-region", "SE-AB")
    page.fill("#kalk-age", "40")
    page.fill("#kalk-date", "2026-03-01")
    page.get_by_role("button", name="Räkna ut").click()
    wait_for_result(page)
    assert "frikort" not in page.evaluate("() => window.__sent[window.__sent.length - 1]")
    assert "frikort=" not in page.url

    box.check()
    page.get_by_role("button", name="Räkna ut").click()
    page.wait_for_function("() => window.__sent.length === 2")
    assert page.evaluate("() => window.__sent[1].frikort") == "1"
    assert "frikort=1" in page.url
    wait_for_result(page)
    page.get_by_role("button", name="Kopiera länk till beräkningen").click()
    page.wait_for_function("() => document.querySelector('[data-kalk-copy] + .portal-copy__status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "frikort=1" in copied
    if frikort_supported():
        case = {**BASE, "region": "SE-AB", "age": "40", "paid": "0", "frikort": "1"}
        assert page.get_attribute("#resultat", "data-to-pay") == str(native(tables, case)["to_pay"])
    assert run_axe(page) == []

    page.goto(copied)  # the link fills the box in again
    assert page.get_by_role("checkbox", name="Jag har redan frikort som gäller på besöksdagen").is_checked()
    page.wait_for_function("() => window.__sent.length === 1")
    assert page.evaluate("() => window.__sent[0].frikort") == "1"


def test_copy_link_to_the_calculation(page, fixture_url):
    case = {**BASE, "region": "SE-M", "age": "40"}
    page.goto(calculator_url(fixture_url, case))
    wait_for_result(page)
    page.get_by_role("button", name="Kopiera länk till beräkningen").click()
    page.wait_for_function("() => document.querySelector('[data-kalk-copy] + .portal-copy__status').textContent.length > 0")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(fixture_url + "kalkylator/?")
    for key, value in case.items():
        assert f"{key}={value}" in copied


def test_calculator_requests_nothing_from_other_hosts(recording, fixture_url):
    recording.page.goto(calculator_url(fixture_url, CASES[0]))
    wait_for_result(recording.page)
    assert any("pyodide.asm.wasm" in url for url in recording.requests)
    assert any(url.endswith(".whl") for url in recording.requests)
    assert not any("python_stdlib_rest" in url for url in recording.requests), "fetched only when an import needs it"
    assert recording.outside_requests(fixture_url) == []


def test_faq_pages_never_load_pyodide(recording, fixture_url):
    recording.page.goto(fixture_url + "fragor/frikort-hogkostnadsskydd/")
    recording.page.wait_for_load_state("networkidle")
    assert not [url for url in recording.requests if "pyodide" in url or url.endswith(".whl")]


def test_calculator_page_has_no_accessibility_violations(page, fixture_url):
    page.goto(calculator_url(fixture_url, CASES[0]))
    wait_for_result(page)
    assert run_axe(page) == []
    page.goto(calculator_url(fixture_url, CASES[-3]))
    wait_for_result(page)
    assert run_axe(page) == []


def test_without_javascript_the_table_answers(browser, fixture_url, tables):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_url + "kalkylator/")
    assert not page.locator("#kalkylator").is_visible()
    assert page.locator(".kalk-table").is_visible()
    rows = page.locator(".kalk-table tbody tr")
    assert rows.count() == len(tables.regions) == 21
    stockholm = page.locator(".kalk-table tbody tr", has_text="Region Stockholm").inner_text()
    assert "275\u00a0kr" in stockholm
    context.close()


def test_repeat_visit_starts_from_cache_and_snapshot(browser, fixture_url, tables):
    context = browser.new_context()
    page = context.new_page()
    page.goto(calculator_url(fixture_url, CASES[0]))
    wait_for_result(page)
    assert page.evaluate("window.portalKalkylator.timings.fromSnapshot") is None
    page.wait_for_function("() => window.portalKalkylator.snapshotStored === true", timeout=60000)
    page.wait_for_function("() => navigator.serviceWorker.ready.then(() => true)")
    from_cache: list[str] = []
    context.on("response", lambda response: from_cache.append(response.url) if response.from_service_worker else None)
    page.goto(calculator_url(fixture_url, CASES[1]))
    wait_for_result(page)
    assert page.evaluate("window.portalKalkylator.timings.fromSnapshot") == 1
    assert page.get_attribute("#resultat", "data-to-pay") == str(native(tables, CASES[1])["to_pay"])
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    assert any(url.endswith("pyodide.asm.wasm") for url in from_cache), from_cache
    assert any(url.endswith(".whl") for url in from_cache), from_cache
    context.close()


def test_only_versioned_files_are_cached_for_ever(fixture_site):
    rules = read_header_rules(fixture_site)

    def cache_control(path: str) -> str:
        return dict(headers_for(rules, path)).get("Cache-Control", "")

    version = next((fixture_site / "assets" / "pyodide").iterdir()).name
    assert "immutable" in cache_control(f"/assets/pyodide/{version}/pyodide.asm.wasm")
    wheel = next((fixture_site / "assets" / "wheels").rglob("*.whl")).relative_to(fixture_site).as_posix()
    assert "immutable" in cache_control(f"/{wheel}")
    for unversioned in ("/kalkylator/", "/kalkylator/worker.mjs", "/kalkylator/sw.js", "/assets/portal.css"):
        assert "immutable" not in cache_control(unversioned), unversioned


def test_site_search_works_on_the_calculator_page(page, fixture_url):
    """Material's scripts start after the first answer here; search must still work."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(calculator_url(fixture_url, CASES[0]))
    wait_for_result(page)
    page.wait_for_function("() => document.querySelector('.md-search__input') && window.component$ !== undefined")
    page.click(".md-search__input")
    page.fill(".md-search__input", "frikort")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__list li", timeout=20000)
    assert "frikort-hogkostnadsskydd" in page.inner_html(".md-search-result__list")
    assert errors == []
