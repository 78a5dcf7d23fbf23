"""The same docs tree rendered by MkDocs + Material (the default) and by Zensical.

Both builds run the real command (`python3 build.py build [--engine zensical]`) on the test
content. What a patient gets must not depend on the engine: the same pages at the same
addresses, the same answers and links, the redirects of old addresses, the calculator page's
data and the Content-Security-Policy. What Zensical cannot do yet is named here as a known
gap (docs/engines.md says what a migration still needs).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from .conftest import fixture_content
from .invariants import sitemap_paths

_ARTICLE = re.compile(r"<article\b.*?</article>", re.S)
_SKIP_TARGET = re.compile(r'\s*<a id="__skip" tabindex="-1"></a>')
"""Zensical writes the skip target into the article; Material puts it before."""
_ADDRESS = re.compile(r'\b(href|src|data-portal-copy)="([^"]*)"')


def html_pages(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*.html")}


def article(site: Path, page: str, zensical: bool = False) -> str:
    """The page's own content (what the templates and the body make), engine chrome aside."""
    found = _ARTICLE.search((site / page).read_text(encoding="utf-8"))
    assert found, f"{page} har ingen <article>"
    text = found.group(0)
    if zensical:
        text = _SKIP_TARGET.sub("", text)
    # Addresses as the browser resolves them: the engines write "./kategori/a/" or
    # "kategori/a/", "/" or "/.", for the same page.
    base = "http://site/" + page.removesuffix("index.html")
    return _ADDRESS.sub(lambda match: f'{match[1]}="{urljoin(base, html.unescape(match[2]))}"', text)


def test_both_engines_publish_the_same_pages(fixture_site, zensical_site):
    content = fixture_content()
    pages = html_pages(zensical_site)
    assert pages == html_pages(fixture_site)
    expected = {"index.html", "404.html", "kalkylator/index.html", "personal/index.html"}
    expected |= {f"kategori/{category.id}/index.html" for category in content.categories}
    expected |= {f"fragor/{entry_id}/index.html" for entry in content.entries.values()
                 for entry_id in [entry.id, *entry.aliases]}
    assert expected <= pages
    assert sitemap_paths(zensical_site) == sitemap_paths(fixture_site)


def test_every_page_shows_the_same_content_under_both_engines(fixture_site, zensical_site):
    different = [page for page in sorted(html_pages(fixture_site))
                 if "<article" in (fixture_site / page).read_text(encoding="utf-8")
                 and article(fixture_site, page) != article(zensical_site, page, zensical=True)]
    assert different == []


def test_redirects_of_old_addresses_are_the_same_files(fixture_site, zensical_site):
    aliases = [f"fragor/{alias}/index.html" for entry in fixture_content().entries.values() for alias in entry.aliases]
    assert aliases, "the test content has an alias"
    for page in aliases:
        assert (zensical_site / page).read_bytes() == (fixture_site / page).read_bytes()


def test_the_calculator_gets_the_same_files_and_data(fixture_site, zensical_site):
    def data_block(site: Path) -> dict:
        text = (site / "kalkylator" / "index.html").read_text(encoding="utf-8")
        return json.loads(re.search(r'<script type="application/json" id="kalk-avgifter">(.*?)</script>', text, re.S).group(1))

    assert data_block(zensical_site) == data_block(fixture_site)
    for built in (fixture_site / "assets" / "pyodide").rglob("*"):
        if built.is_file():
            other = zensical_site / built.relative_to(fixture_site)
            assert other.is_file() and other.stat().st_size == built.stat().st_size, other


def test_every_page_gets_its_security_policy_under_both_engines(zensical_site):
    missing = [page for page in html_pages(zensical_site)
               if 'http-equiv="Content-Security-Policy"' not in (zensical_site / page).read_text(encoding="utf-8")]
    assert missing == []


def test_the_search_help_is_there_under_both_engines(fixture_site, zensical_site):
    for site in (fixture_site, zensical_site):
        help_file = json.loads((site / "search" / "portal-hjalp.json").read_text(encoding="utf-8"))
        assert help_file["words"] and help_file["categories"] and help_file["contact"]["phone_link"].startswith("tel:")


@pytest.mark.xfail(strict=True, reason=(
    "Känd lucka: Zensicals sökindex (search.json) har inget fält för dolda sökord, så "
    "nyckelord och synonymer från content/ når inte sökningen (docs/engines.md)."))
def test_known_gap_zensical_search_finds_hidden_keywords(zensical_site):
    entry = next(entry for entry in fixture_content().entries.values() if entry.keywords)
    index = (zensical_site / "search.json").read_text(encoding="utf-8")
    visible = (zensical_site / entry.url / "index.html").read_text(encoding="utf-8").lower()
    hidden = [word for word in entry.keywords if word.lower() not in visible]
    assert hidden, "the test content has an entry with a keyword it does not show"
    assert all(word in index for word in hidden)
