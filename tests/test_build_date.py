"""Pages follow the calendar: a build on the day a new amount takes effect shows it, in answers
and in the calculator's table, without anyone editing or pushing anything that day."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from .conftest import build_site, make_fixture_project

NEW_CAP = 1650
"""A cap no fee file has, so it can only come from the block this test adds."""


class CapCells(HTMLParser):
    """The last cell of each row of the calculator's fee table: the cap in force."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_table = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("class", "kalk-table") in attrs:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        self._in_cell = self._in_cell and tag != "td"
        self._in_table = self._in_table and tag != "table"

    def handle_data(self, data):
        if self._in_cell:
            self.rows[-1][-1] += data


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The test content, a new national cap from 2027-01-01 and an entry that quotes the cap."""
    root = make_fixture_project(tmp_path_factory.mktemp("datum"))
    cap_file = root / "content/fees/hogkostnadsskydd/nationellt_tak.yml"
    text = cap_file.read_text(encoding="utf-8").rstrip("\n") + "\n"
    # The last value copied, as an editor adds one: its source fields stay as they are.
    last = text[text.rindex("\n  - ") + 1:]
    new = re.sub(r"(?m)^(  - valid_from:|    valid_from:) .*$", r"\1 2027-01-01", last)
    new = re.sub(r"(?m)^(    value:) .*$", rf"\1 {NEW_CAP}", new)
    assert new != last and "2027-01-01" in new and str(NEW_CAP) in new, new
    cap_file.write_text(text + new, encoding="utf-8")
    faq = sorted((root / "content/faq").glob("*.yml"))[0]
    faq.write_text(faq.read_text(encoding="utf-8").rstrip("\n") + (
        "\n\n- id: taket-i-dag\n  question: Hur högt är taket i dag?\n"
        "  answer: Taket är {{ fees.national_cap }}.\n  reviewed: 2026-11-26\n"
    ), encoding="utf-8")
    return root


@pytest.mark.parametrize("day, shown", [("2026-12-31", False), ("2027-01-01", True)])
def test_a_new_cap_appears_on_the_day_it_takes_effect(project, tmp_path, day, shown):
    site = tmp_path / "site"
    result = build_site(site, project / "mkdocs.yml", PORTAL_BUILD_DATE=day)
    assert result.returncode == 0, result.stderr
    amount = f"{NEW_CAP:,}".replace(",", "\u00a0") + "\u00a0kr"
    answer = (site / "fragor/taket-i-dag/index.html").read_text(encoding="utf-8")
    assert (f"Taket är {amount}." in visible_text(answer)) is shown
    table = CapCells()
    table.feed((site / "kalkylator/index.html").read_text(encoding="utf-8"))
    caps = [row[-1] for row in table.rows if row]
    assert caps, "the calculator page has no fee table"
    assert (amount in caps) is shown, caps


def visible_text(page: str) -> str:
    """The visible text of a page, entities decoded."""
    class Text(HTMLParser):
        text = ""

        def handle_data(self, data):
            self.text += data

    collector = Text()
    collector.feed(page)
    return collector.text


def test_an_unreadable_build_date_is_a_swedish_error(project, tmp_path):
    result = build_site(tmp_path / "site", project / "mkdocs.yml", PORTAL_BUILD_DATE="1 januari")
    assert result.returncode != 0
    assert "PORTAL_BUILD_DATE='1 januari' är inget datum" in result.stderr
