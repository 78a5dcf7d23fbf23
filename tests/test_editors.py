"""Editors' tools: schemas, aliases, the published-URL guard, review dates, and the support
staff's list and API, on copies of the test content (tests/fixtures/content/)."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from patientavgift.source.schema import SCHEMA_DIR as FEE_SCHEMA_DIR
from portal.model.content import SCHEMA_DIR, Content
from portal.errors import ContentError
from portal.model.published import MANIFEST, check_published, update_manifest
from portal.model.review import months_before, overdue_entries, overdue_fees, report

from .conftest import build_site, fixture_content, make_fixture_project, run_check

LISTNING = "content/faq/listning.yml"


def rename(root: Path, old: str, new: str, alias: bool) -> None:
    path = root / LISTNING
    text = path.read_text(encoding="utf-8").replace(f"- id: {old}\n", f"- id: {new}\n", 1)
    text = text.replace(f"[{old},", f"[{new},").replace(f", {old}]", f", {new}]").replace(f"[{old}]", f"[{new}]")
    text = text.replace(f"fraga('{old}')", f"fraga('{new}')")
    if alias:
        text = text.replace(f"- id: {new}\n", f"- id: {new}\n  aliases: [{old}]\n", 1)
    path.write_text(text, encoding="utf-8")
    for other in (root / "content" / "faq").glob("*.yml"):
        if other.name != "listning.yml":
            content = other.read_text(encoding="utf-8")
            other.write_text(re.sub(rf"\b{old}\b(?!-)", new, content), encoding="utf-8")


def test_schemas_are_valid_json_schema_documents():
    for path in [*SCHEMA_DIR.glob("*.schema.json"), *FEE_SCHEMA_DIR.glob("*.schema.json")]:
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert schema["$id"] == path.name


def test_renaming_an_id_without_alias_fails_naming_the_fix(fixture_copy):
    rename(fixture_copy, "valja-vardcentral", "valja-vardcentral-hos-oss", alias=False)
    result = run_check(fixture_copy)
    assert result.returncode == 1
    line = next(number for number, text in enumerate((fixture_copy / MANIFEST).read_text().splitlines(), 1)
                if text == "/fragor/valja-vardcentral/")
    assert (f"{MANIFEST.as_posix()}:{line}: /fragor/valja-vardcentral/: adressen är publicerad men leder "
            "inte längre") in result.stderr
    assert ("Är det 'valja-vardcentral-hos-oss' som ersätter den? Skriv då 'aliases: [valja-vardcentral]'"
            in result.stderr)


def test_renaming_with_an_alias_keeps_the_old_url(fixture_copy, tmp_path):
    rename(fixture_copy, "valja-vardcentral", "valja-vardcentral-hos-oss", alias=True)
    content = Content.load(fixture_copy)
    assert check_published(content) == []  # a new URL needs no command; publishing records it
    assert update_manifest(content) == ["/fragor/valja-vardcentral-hos-oss/"]
    assert check_published(content) == []
    assert run_check(fixture_copy).returncode == 0
    site = tmp_path / "site"
    result = build_site(site, make_fixture_project(fixture_copy) / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    redirect = (site / "fragor" / "valja-vardcentral" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../valja-vardcentral-hos-oss/">' in redirect
    assert '<link rel="canonical" href="http://127.0.0.1:8000/fragor/valja-vardcentral-hos-oss/">' in redirect
    assert '<a href="../valja-vardcentral-hos-oss/">' in redirect and 'lang="sv"' in redirect
    api = json.loads((site / "api" / "faq.json").read_text(encoding="utf-8"))
    renamed = next(item for item in api if item["id"] == "valja-vardcentral-hos-oss")
    assert renamed["aliases"] == ["valja-vardcentral"]


def test_renaming_is_a_one_file_edit(fixture_copy, tmp_path):
    """Only the renamed entry's block changes: related lists and fraga() elsewhere that still
    name the old id link to the new page, with a warning naming the new id."""
    content = Content.load(fixture_copy)
    def elsewhere(entry):
        return [ref for ref in entry.related
                if content.entries[ref].file != entry.file and not content.entries[ref].aliases]

    referring = next(entry for entry in content.entries.values() if elsewhere(entry))
    old = elsewhere(referring)[0]
    renamed_file = fixture_copy / content.entries[old].file
    text = renamed_file.read_text(encoding="utf-8")
    renamed_file.write_text(text.replace(f"- id: {old}\n", f"- id: {old}-ny\n  aliases: [{old}]\n", 1), encoding="utf-8")
    result = run_check(fixture_copy)
    assert result.returncode == 0, result.stderr
    index = referring.related.index(old)
    assert (f"varning: {referring.file}:{referring.line_of('related', index)}: related[{index}]: "
            f"'{old}' är ett gammalt id för '{old}-ny'") in result.stderr
    site = tmp_path / "site"
    assert build_site(site, make_fixture_project(fixture_copy) / "mkdocs.yml").returncode == 0
    page = (site / "fragor" / referring.id / "index.html").read_text(encoding="utf-8")
    assert f'href="../{old}-ny/"' in page and f'href="../{old}/"' not in page


def test_an_old_id_in_fraga_links_to_the_new_page(fixture_copy):
    path = fixture_copy / LISTNING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: valja-vardcentral\n", "- id: valja-vardcentral\n  aliases: [gammal-lista]\n", 1)
                    .replace("fraga('valja-vardcentral')", "fraga('gammal-lista')", 1), encoding="utf-8")
    content = Content.load(fixture_copy)
    from portal.model.answers import ENTRY_PAGE, AnswerRenderer

    warnings = [str(w) for w in content.warnings]
    assert any("fraga('gammal-lista'): 'gammal-lista' är ett gammalt id för 'valja-vardcentral'" in w
               for w in warnings), warnings
    html = AnswerRenderer(content).html("Läs {{ fraga('gammal-lista') }}.", ENTRY_PAGE)
    assert '<a href="../valja-vardcentral/">' in html


def test_alias_may_not_be_a_live_id(fixture_copy):
    path = fixture_copy / LISTNING
    path.write_text(path.read_text().replace("- id: valja-vardcentral\n", "- id: valja-vardcentral\n  aliases: [lasa-journal]\n"))
    with pytest.raises(ContentError) as raised:
        Content.load(fixture_copy)
    assert "aliases[0]: 'lasa-journal' är id för en fråga som finns" in str(raised.value)


def test_deleting_an_entry_fails_the_guard(fixture_copy):
    path = fixture_copy / "content" / "faq" / "journal-och-kontakt.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("- id: personuppgifter-fragor")], encoding="utf-8")
    content, _ = Content.collect(fixture_copy)
    assert "personuppgifter-fragor" not in content.entries
    messages = [str(problem) for problem in check_published(content)]
    assert len(messages) == 1
    assert "/fragor/personuppgifter-fragor/: adressen är publicerad men leder inte längre till någon fråga" in messages[0]


def age(content_root: Path, path: str, old: str, new: str) -> None:
    file = content_root / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_review_dates_warn_but_do_not_fail(fixture_copy):
    age(fixture_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2024-01-10")
    age(fixture_copy, "content/fees/regioner/SE-AB.yml", "checked: 2026-11-25", "checked: 2023-05-01")
    result = run_check(fixture_copy)
    assert result.returncode == 0
    assert "varning: content/faq/listning.yml:" in result.stderr
    assert "frågan 'valja-vardcentral' har inte granskats på över 12 månader, senast 2024-01-10" in result.stderr
    assert "varning: content/fees/regioner/SE-AB.yml:" in result.stderr


def test_review_interval_is_configurable(fixture_copy):
    age(fixture_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2026-05-01")
    content = Content.load(fixture_copy)
    today = datetime.date(2026, 12, 1)
    assert overdue_entries(content, today) == []
    age(fixture_copy, "content/site.yml", "fallback:", "review:\n  entry_max_age_months: 6\nfallback:")
    content = Content.load(fixture_copy)
    assert [item.what for item in overdue_entries(content, today)] == [
        "frågan 'valja-vardcentral' har inte granskats på över 6 månader"
    ]


def test_report_lists_what_is_due(fixture_copy):
    age(fixture_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2020-02-02")
    content = Content.load(fixture_copy)
    text = report(content, datetime.date(2026, 11, 26))
    assert "Frågor som inte granskats på över 12 månader: 1" in text
    assert "2020-02-02  content/faq/listning.yml:" in text and "valja-vardcentral" in text
    assert len(overdue_fees(content, datetime.date(2028, 1, 1))) > 20


def test_months_before_handles_month_ends():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)


def test_staff_page_and_api(fixture_site):
    entries = fixture_content().entries
    api = json.loads((fixture_site / "api" / "faq.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in api] == list(entries)
    assert set(api[0]) == {"id", "question", "category", "url", "reviewed", "aliases"}
    assert next(item for item in api if item["id"] == "kontakta-kundtjanst")["aliases"] == ["kundtjanst"]
    staff = (fixture_site / "personal" / "index.html").read_text(encoding="utf-8")
    assert staff.count("data-portal-copy=") == len(entries)
    assert '<meta name="robots" content="noindex">' in staff
    assert "personal/" not in (fixture_site / "index.html").read_text(encoding="utf-8")
