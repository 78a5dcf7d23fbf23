"""The real build of the test content (tests/fixtures/content/): every entry at its
permanent URL, with everything a page promises."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

from portal.model.content import Content

from .conftest import FIXTURES, ROOT, fixture_content

FIXTURE_IDS = list(fixture_content().entries)


class PageParser(HTMLParser):
    """Collects what the tests look at: elements by tag, attributes, text of the h1."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1 = ""
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data

    def find(self, tag: str, **attrs) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def parse(path: Path) -> tuple[PageParser, str]:
    html = path.read_text(encoding="utf-8")
    parser = PageParser()
    parser.feed(html)
    return parser, html


@pytest.fixture(scope="module")
def content() -> Content:
    return fixture_content()


def test_every_entry_and_alias_has_its_permanent_url(fixture_site, content):
    pages = sorted(p.name for p in (fixture_site / "fragor").iterdir() if (p / "index.html").is_file())
    assert pages == sorted([*content.entries, *content.aliases])
    assert content.aliases, "the test content needs an alias to test"


@pytest.mark.parametrize("entry_id", FIXTURE_IDS)
def test_entry_page(fixture_site, content, entry_id):
    entry = content.entries[entry_id]
    page, html = parse(fixture_site / "fragor" / entry_id / "index.html")
    assert page.find("html", lang="sv")
    assert " ".join(page.h1.split()) == entry.question
    description = page.find("meta", name="description")
    assert description and 40 <= len(description[0]["content"]) <= 160
    assert "Senast granskad" in html and f'datetime="{entry.reviewed.isoformat()}"' in html
    assert page.find("button", **{"data-portal-copy": "./"}), "Kopiera länk-knappen saknas"
    assert "Hittade du inte svaret?" in html
    related_links = {a["href"] for a in page.find("a") if a.get("href", "").startswith("../")}
    for other in entry.related:
        assert f"../{other}/" in related_links
    assert page.find("a", href="#innehall"), "hoppa-till-innehållet-länken saknas"


def test_contact_details_come_from_site_settings(fixture_site, content):
    html = (fixture_site / "fragor" / "kontakta-kundtjanst" / "index.html").read_text(encoding="utf-8")
    support = content.site["support"]
    assert f'href="mailto:{support["email"]}"' in html
    assert f'href="tel:{support["phone_international"]}"' in html


def test_cap_amount_comes_from_fee_data(fixture_site, content):
    cap = content.fees.at("hogkostnadsskydd.nationellt_tak", datetime.date.today())
    page = (fixture_site / "fragor" / "frikort-hogkostnadsskydd" / "index.html").read_text(encoding="utf-8")
    assert f"{cap.value:,}".replace(",", "\u00a0") + "\u00a0kr" in unescape(page)


def test_navigation_holds_categories_not_entries(fixture_site, content):
    page, _ = parse(fixture_site / "fragor" / "lasa-journal" / "index.html")
    nav_links = [a["href"] for a in page.find("a", **{"class": "md-nav__link"})]
    assert not [href for href in nav_links if "fragor/" in href], nav_links
    assert len([href for href in nav_links if "kategori/" in href]) == len(content.categories)


def test_category_pages_list_their_questions(fixture_site, content):
    for category in content.categories:
        page, _ = parse(fixture_site / "kategori" / category.id / "index.html")
        links = {a["href"] for a in page.find("a")}
        for entry in category.entries:
            assert f"../../fragor/{entry.id}/" in links


def test_no_resource_from_another_host(fixture_site):
    pattern = re.compile(r"""(?:src|href)=["'](?:https?:)?//""")
    for path in fixture_site.rglob("*.html"):
        page, _ = parse(path)
        for tag, attrs in page.tags:
            if tag in ("script", "img", "iframe", "source", "audio", "video"):
                assert not re.match(r"(https?:)?//", attrs.get("src", "")), (path, attrs)
            if tag == "link" and attrs.get("rel") not in ("canonical",):
                assert not re.match(r"(https?:)?//", attrs.get("href", "")), (path, attrs)
        assert "fonts.googleapis" not in path.read_text(encoding="utf-8")
    assert pattern  # the regexp is used above through re.match


def test_content_cannot_inject_markup(fixture_site, content):
    for entry_id in content.entries:
        html = (fixture_site / "fragor" / entry_id / "index.html").read_text(encoding="utf-8")
        answer = html.split('class="portal-answer"', 1)[1].split("portal-reviewed", 1)[0]
        assert "<script" not in answer and "onerror" not in answer and "javascript:" not in answer


def test_search_index_is_lean_with_hidden_keywords(fixture_site, content):
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["sv"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    assert set(docs) >= {f"fragor/{entry_id}/" for entry_id in content.entries}
    assert not [loc for loc in docs if loc.startswith("kategori/")], "kategorisidor ska inte sökas"
    frikort = docs["fragor/frikort-hogkostnadsskydd/"]
    for word in content.entries["frikort-hogkostnadsskydd"].keywords:
        assert word in frikort["keywords"]
    cap = content.fees.at("hogkostnadsskydd.nationellt_tak", datetime.date.today()).value
    assert cap >= 1000 and str(cap) in frikort["keywords"].split()  # "1 450 kr" as patients type it
    for document in index["docs"]:
        assert "<" not in document["text"], "ingen HTML i sökindexet"
    assert "hogkostnadsskydd" not in frikort["keywords"].split(), "diakritika viks i webbläsaren, inte i indexet"


def test_patients_questions_are_searched_but_never_suggested(fixture_site, content):
    index = json.loads((fixture_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert "asked" in index["config"]["fields"]
    docs = {doc["location"]: doc for doc in index["docs"]}
    for entry in content.entries.values():
        asked = docs[entry.url]["asked"].split()
        assert asked == " ".join(entry.asked_as).replace(",", " ").replace("?", " ").split()
    assert "persnuppgifter" in docs["fragor/personuppgifter-fragor/"]["asked"].split()
    help_file = json.loads((fixture_site / "search" / "portal-hjalp.json").read_text(encoding="utf-8"))
    vocabulary = {word for word, _ in help_file["words"]}
    assert "personuppgifter" in vocabulary and "persnuppgifter" not in vocabulary, "menade du … stavar rätt"


def test_sitemap_lists_every_entry(fixture_site):
    sitemap = (fixture_site / "sitemap.xml").read_text(encoding="utf-8")
    for entry_id in FIXTURE_IDS:
        assert f"/fragor/{entry_id}/</loc>" in sitemap


def test_swedish_404_page(fixture_site):
    page, html = parse(fixture_site / "404.html")
    assert page.find("html", lang="sv")
    assert "Sidan finns inte" in page.h1


def test_calculator_wheel_carries_the_current_fee_data(fixture_site):
    import zipfile

    from patientavgift.source import compile_fees

    wheels = list((fixture_site / "assets" / "wheels").rglob("patientavgift-*-py3-none-any.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = wheel.namelist()
        bundled = json.loads(wheel.read("patientavgift/fees.json"))
    assert "patientavgift/rules.py" in names
    assert bundled == compile_fees(FIXTURES)


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """(magic number, flags) of a .pyc file (PEP 552: flags 1 = hash-based, unchecked)."""
    return data[:4], int.from_bytes(data[4:8], "little")


def test_calculator_wheel_carries_bytecode_for_every_module(fixture_site):
    import base64
    import csv
    import hashlib
    import io
    import zipfile

    wheel_path = next((fixture_site / "assets" / "wheels").rglob("*.whl"))
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        modules = sorted(name.removeprefix("patientavgift/").removesuffix(".py")
                         for name in names if re.fullmatch(r"patientavgift/\w+\.py", name))
        compiled = {name: wheel.read(name) for name in names if name.endswith(".pyc")}
        record_name = next(name for name in names if name.endswith(".dist-info/RECORD"))
        record = {row[0]: row[1:] for row in csv.reader(io.StringIO(wheel.read(record_name).decode())) if row}
    assert sorted(compiled) == [f"patientavgift/__pycache__/{module}.cpython-314.pyc" for module in modules]
    assert {pyc_header(data)[1] for data in compiled.values()} == {1}, "unchecked-hash .pyc"
    for name, data in compiled.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert record[name] == [f"sha256={digest}", str(len(data))]


def test_pyodide_is_self_hosted(fixture_site):
    runtime = list((fixture_site / "assets" / "pyodide").glob("*/pyodide.asm.wasm"))
    assert len(runtime) == 1
    page, html = parse(fixture_site / "kalkylator" / "index.html")
    assert "cdn.jsdelivr" not in html and "pyodide.org" not in html
    assert 'new URL("../assets/pyodide/' in html, "Pyodide startas från sidans head"


def test_fee_answers_link_to_the_calculator(fixture_site, content):
    for entry_id in (entry.id for entry in content.entries.values() if entry.category.id == "avgifter"):
        page, _ = parse(fixture_site / "fragor" / entry_id / "index.html")
        assert page.find("a", href="../../kalkylator/"), entry_id


def test_child_ages_come_from_the_fee_data(fixture_site, content):
    rules = [region.age_rule_at(datetime.date.today()) for region in content.fees.tables.regions.values()]
    under_20 = sum(1 for rule in rules if rule and rule.kind == "under" and rule.age == 20)
    html = (fixture_site / "fragor" / "avgift-for-barn" / "index.html").read_text(encoding="utf-8")
    assert f"i {under_20} regioner för alla under 20 år" in html


def test_build_without_node_says_what_to_do(monkeypatch, tmp_path):
    from portal.calculator_build import precompile
    from portal.errors import BuildError

    monkeypatch.setattr(precompile.shutil, "which", lambda name: None)
    with pytest.raises(BuildError, match="Node.js saknas.*python3 build.py"):
        precompile.compile_with_pyodide(ROOT / "node_modules" / "pyodide", tmp_path / "x.whl", tmp_path / "out")


def test_build_cache_keeps_only_whole_results(tmp_path):
    from portal.calculator_build.buildcache import cached_folder

    source = tmp_path / "input.txt"
    source.write_text("a")
    cache = tmp_path / "cache"

    def fails(folder: Path) -> None:
        (folder / "half.txt").write_text("half")
        raise RuntimeError("build failed")

    with pytest.raises(RuntimeError):
        cached_folder(cache, [source], fails)
    assert list(cache.iterdir()) == []
    made = cached_folder(cache, [source], lambda folder: (folder / "whole.txt").write_text("whole"))
    assert [path.name for path in made.iterdir()] == ["whole.txt"]
    assert cached_folder(cache, [source], fails) == made, "the same inputs are not built again"
    source.write_text("b")
    assert cached_folder(cache, [source], lambda folder: None) != made
