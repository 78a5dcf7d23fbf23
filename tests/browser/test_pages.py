"""The site built from the test content in headless Chromium: copy link, keyboard, privacy,
accessibility, small screens. tests/browser/test_live_site.py checks every page of the live site."""

from __future__ import annotations

import pytest

from .conftest import run_axe
from .search import open_search, result_ids

ENTRY = "fragor/frikort-hogkostnadsskydd/"
PAGES = ["", "kategori/avgifter/", ENTRY, "finns-inte/"]


def test_copy_link_copies_the_absolute_url_and_announces_it(page, fixture_url):
    page.goto(fixture_url + ENTRY)
    page.get_by_role("button", name="Kopiera länk").click()
    status = page.locator(".portal-copy__status")
    assert status.get_attribute("role") == "status"
    page.wait_for_function("() => document.querySelector('.portal-copy__status').textContent.length > 0")
    assert status.inner_text() == "Länken är kopierad."
    assert page.evaluate("navigator.clipboard.readText()") == fixture_url + ENTRY


def test_everything_by_keyboard(page, fixture_url):
    page.goto(fixture_url + ENTRY)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Hoppa till innehållet"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#innehall"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.portalCopy !== undefined"):
            break
    else:
        pytest.fail("Kopiera länk nås inte med tabb")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('.portal-copy__status').textContent.length > 0")
    assert page.evaluate("navigator.clipboard.readText()") == fixture_url + ENTRY


def test_search_by_keyboard_and_open_a_result(page, fixture_url):
    page.goto(fixture_url)
    page.get_by_role("button", name="Sök bland frågorna").press("Enter")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    open_search(page)
    assert result_ids(page, "frikort")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fragor/**")


def test_focus_is_visible(page, fixture_url):
    page.goto(fixture_url + ENTRY)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or shadow != "none"


def test_pages_request_nothing_from_other_hosts(recording, fixture_url):
    page = recording.page
    for path in PAGES:
        page.goto(fixture_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(fixture_url)
    open_search(page)
    result_ids(page, "journal")
    page.wait_for_load_state("networkidle")
    own = [url for url in recording.requests if url.startswith(fixture_url)]
    assert any(url.endswith("search_index.json") for url in own)
    assert recording.outside_requests(fixture_url) == []


@pytest.mark.parametrize("path", PAGES + ["personal/"], ids=["start", "kategori", "fraga", "404", "personal"])
def test_no_accessibility_violations(page, fixture_url, path):
    page.goto(fixture_url + path)
    assert page.evaluate("document.documentElement.lang") == "sv"
    assert run_axe(page) == []


def test_no_accessibility_violations_with_search_open(page, fixture_url):
    page.goto(fixture_url)
    open_search(page)
    assert result_ids(page, "journal")
    assert run_axe(page) == []


@pytest.mark.parametrize("path", PAGES[:3] + ["kalkylator/", "personal/"],
                         ids=["start", "kategori", "fraga", "kalkylator", "personal"])
def test_readable_at_360_px(browser, fixture_url, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    page = context.new_page()
    page.goto(fixture_url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)") >= 16
    context.close()


def test_print_shows_the_answer_without_the_site_around_it(page, fixture_url):
    page.goto(fixture_url + ENTRY)
    page.emulate_media(media="print")
    assert page.locator(".portal-answer").is_visible()
    assert page.locator(".portal-fallback").is_visible()
    for hidden in (".md-header", ".portal-copy", ".md-sidebar--primary"):
        assert not page.locator(hidden).first.is_visible(), hidden
