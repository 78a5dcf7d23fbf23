"""A search that finds nothing never strands a patient: a spelling suggestion when the site has
a close word, the categories and the contact routes, all usable by keyboard and screen reader."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .conftest import run_axe
from .search import open_search, result_ids

PANEL = "[data-portal-search-help]"


def garbled(word: str) -> str:
    """Two slips a patient makes (two letters swapped, one left out), first letter kept."""
    return word[0] + word[2] + word[1] + word[3:-2] + word[-1]


@pytest.fixture
def search_page(page, fixture_url):
    page.goto(fixture_url)
    open_search(page)
    return page


def panel_state(page) -> dict:
    return page.evaluate("""(selector) => {
        const panel = document.querySelector(selector);
        return {
            hidden: panel.hidden,
            status: panel.querySelector('[role=status]')?.textContent || '',
            suggestion: panel.querySelector('button')?.textContent || null,
            categories: [...panel.querySelectorAll('ul a')].map(a => a.textContent),
            contact: [...panel.querySelectorAll('p a')].map(a => a.getAttribute('href')),
        };
    }""", PANEL)


def wait_for_panel(page) -> dict:
    page.wait_for_function("(selector) => !document.querySelector(selector).hidden", arg=PANEL)
    return panel_state(page)


@pytest.mark.parametrize("query", ["xyzzy qwerty", "tandställning plomb", "snöskoter däckbyte"])
def test_a_query_that_finds_nothing_shows_a_way_on(search_page, query):
    assert result_ids(search_page, query) == []
    state = wait_for_panel(search_page)
    assert f"Inget svar passar ”{query}”" in state["status"]
    assert state["categories"], "the categories are offered"
    assert any(href.startswith("mailto:") for href in state["contact"])
    assert any(href.startswith("tel:") for href in state["contact"])
    assert run_axe(search_page) == []


def test_a_misspelling_gets_a_suggestion_that_searches_by_keyboard(search_page, fixture_url):
    with urllib.request.urlopen(fixture_url + "search/portal-hjalp.json") as response:
        words = [word for word, _ in json.load(response)["words"] if len(word) >= 7]
    for word in words[:20]:
        if result_ids(search_page, garbled(word)) == []:
            break
    else:
        pytest.fail("every garbled word still found answers; the test needs another way to miss")
    state = wait_for_panel(search_page)
    assert state["suggestion"] == word
    assert f"Menade du {word}?" in state["status"]
    assert run_axe(search_page) == []
    search_page.focus(".md-search__input")
    for _ in range(10):
        search_page.keyboard.press("Tab")
        if search_page.evaluate("document.activeElement.matches('.portal-search-help__suggestion')"):
            break
    else:
        pytest.fail("the suggestion is not reachable with Tab")
    search_page.keyboard.press("Enter")
    search_page.wait_for_function("() => document.querySelectorAll('.md-search-result__list > li').length > 0")
    assert search_page.input_value(".md-search__input") == word
    assert panel_state(search_page)["hidden"]


def test_results_show_no_struck_out_missing_words(search_page):
    assert result_ids(search_page, "vad kostar det att hämta ut recept")
    struck = search_page.evaluate(
        "() => [...document.querySelectorAll('.md-search-result del, .md-search-result s')]"
        ".filter(node => node.offsetParent !== null).map(node => node.textContent)"
    )
    assert struck == []


def test_the_search_dialog_has_an_accessible_name(search_page):
    assert search_page.get_attribute(".md-search[role=dialog]", "aria-label") == "Sök bland frågorna"
