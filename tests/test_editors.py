"""Editors' tools: schemas wired into the editor, aliases, the published-URL guard, review
dates, and the support staff's list and API."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest

from portal.content import Content
from portal.errors import ContentError
from portal.published import MANIFEST, check_published, update_manifest
from portal.review import months_before, overdue_entries, overdue_fees, report
from portal.schema import SCHEMA_DIR

from .conftest import BRIEF_IDS, ROOT, build_site, make_project, run_check

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


def test_every_content_file_names_its_schema_for_the_editor():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path in (ROOT / "content").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: första raden ska ange schemat"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.parent == SCHEMA_DIR and schema.is_file(), path
        globs = settings[f"./portal/schemas/{schema.name}"]
        globs = globs if isinstance(globs, list) else [globs]
        assert any(path.relative_to(ROOT).match(glob) for glob in globs), (path, globs)


def test_schemas_are_valid_json_schema_documents():
    for path in SCHEMA_DIR.glob("*.schema.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["$schema"].startswith("https://json-schema.org/")
        assert schema["$id"] == path.name


def test_the_repository_manifest_matches_the_content():
    content = Content.load(ROOT)
    assert check_published(content) == []
    listed = (ROOT / MANIFEST).read_text(encoding="utf-8")
    for entry_id in BRIEF_IDS:
        assert f"/fragor/{entry_id}/\n" in listed


def test_renaming_an_id_without_alias_fails_naming_the_fix(content_copy):
    rename(content_copy, "lista-dig", "lista-dig-hos-oss", alias=False)
    result = run_check(content_copy)
    assert result.returncode == 1
    line = next(number for number, text in enumerate((content_copy / MANIFEST).read_text().splitlines(), 1)
                if text == "/fragor/lista-dig/")
    assert f"{MANIFEST.as_posix()}:{line}: /fragor/lista-dig/: adressen är publicerad men leder inte längre" in result.stderr
    assert "Är det 'lista-dig-hos-oss' som ersätter den? Skriv då 'aliases: [lista-dig]'" in result.stderr


def test_renaming_with_an_alias_keeps_the_old_url(content_copy, tmp_path):
    rename(content_copy, "lista-dig", "lista-dig-hos-oss", alias=True)
    content = Content.load(content_copy)
    assert check_published(content) == []  # a new URL needs no command; publishing records it
    assert update_manifest(content) == ["/fragor/lista-dig-hos-oss/"]
    assert check_published(content) == []
    assert run_check(content_copy).returncode == 0
    site = tmp_path / "site"
    result = build_site(site, make_project(content_copy) / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    redirect = (site / "fragor" / "lista-dig" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../lista-dig-hos-oss/">' in redirect
    assert '<link rel="canonical" href="http://127.0.0.1:8000/fragor/lista-dig-hos-oss/">' in redirect
    assert '<a href="../lista-dig-hos-oss/">' in redirect and 'lang="sv"' in redirect
    api = json.loads((site / "api" / "faq.json").read_text(encoding="utf-8"))
    renamed = next(item for item in api if item["id"] == "lista-dig-hos-oss")
    assert renamed["aliases"] == ["lista-dig"]


def test_renaming_is_a_one_file_edit(content_copy, tmp_path):
    """Only the renamed entry's block changes: related lists and fraga() elsewhere that still
    name the old id link to the new page, with a warning naming the new id."""
    content = Content.load(content_copy)
    referring = next(entry for entry in content.entries.values()
                     if any(content.entries[ref].file != entry.file for ref in entry.related))
    old = next(ref for ref in referring.related if content.entries[ref].file != referring.file)
    renamed_file = content_copy / content.entries[old].file
    text = renamed_file.read_text(encoding="utf-8")
    renamed_file.write_text(text.replace(f"- id: {old}\n", f"- id: {old}-ny\n  aliases: [{old}]\n", 1), encoding="utf-8")
    result = run_check(content_copy)
    assert result.returncode == 0, result.stderr
    index = referring.related.index(old)
    assert (f"varning: {referring.file}:{referring.line_of('related', index)}: related[{index}]: "
            f"'{old}' är ett gammalt id för '{old}-ny'") in result.stderr
    site = tmp_path / "site"
    assert build_site(site, make_project(content_copy) / "mkdocs.yml").returncode == 0
    page = (site / "fragor" / referring.id / "index.html").read_text(encoding="utf-8")
    assert f'href="../{old}-ny/"' in page and f'href="../{old}/"' not in page


def test_an_old_id_in_fraga_links_to_the_new_page(content_copy):
    path = content_copy / LISTNING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("- id: lista-dig\n", "- id: lista-dig\n  aliases: [gammal-lista]\n", 1)
                    .replace("fraga('lista-dig')", "fraga('gammal-lista')", 1), encoding="utf-8")
    content = Content.load(content_copy)
    from portal.answers import ENTRY_PAGE, AnswerRenderer

    warnings = [str(w) for w in content.warnings]
    assert any("fraga('gammal-lista'): 'gammal-lista' är ett gammalt id för 'lista-dig'" in w for w in warnings), warnings
    html = AnswerRenderer(content).html("Läs {{ fraga('gammal-lista') }}.", ENTRY_PAGE)
    assert '<a href="../lista-dig/">' in html


def test_alias_may_not_be_a_live_id(content_copy):
    path = content_copy / LISTNING
    path.write_text(path.read_text().replace("- id: lista-dig\n", "- id: lista-dig\n  aliases: [intyg]\n"))
    with pytest.raises(ContentError) as raised:
        Content.load(content_copy)
    assert "aliases[0]: 'intyg' är id för en fråga som finns" in str(raised.value)


def test_deleting_an_entry_fails_the_guard(content_copy):
    path = content_copy / "content" / "faq" / "journal-och-sakerhet.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("- id: vem-laser-journal")], encoding="utf-8")
    content, _ = Content.collect(content_copy)
    assert "vem-laser-journal" not in content.entries
    messages = [str(problem) for problem in check_published(content)]
    assert len(messages) == 1
    assert "/fragor/vem-laser-journal/: adressen är publicerad men leder inte längre till någon fråga" in messages[0]


def age(content_root: Path, path: str, old: str, new: str) -> None:
    file = content_root / path
    file.write_text(file.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_review_dates_warn_but_do_not_fail(content_copy):
    age(content_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2024-01-10")
    age(content_copy, "content/fees/regioner/SE-AB.yml", "checked: 2026-11-25", "checked: 2023-05-01")
    result = run_check(content_copy)
    assert result.returncode == 0
    assert "varning: content/faq/listning.yml:" in result.stderr
    assert "frågan 'lista-dig' har inte granskats på över 12 månader, senast 2024-01-10" in result.stderr
    assert "varning: content/fees/regioner/SE-AB.yml:" in result.stderr


def test_review_interval_is_configurable(content_copy):
    age(content_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2026-05-01")
    content = Content.load(content_copy)
    today = datetime.date(2026, 12, 1)
    assert overdue_entries(content, today) == []
    age(content_copy, "content/site.yml", "fallback:", "review:\n  entry_max_age_months: 6\nfallback:")
    content = Content.load(content_copy)
    assert [item.what for item in overdue_entries(content, today)] == [
        "frågan 'lista-dig' har inte granskats på över 6 månader"
    ]


def test_report_lists_what_is_due(content_copy):
    age(content_copy, LISTNING, "reviewed: 2026-11-25", "reviewed: 2020-02-02")
    content = Content.load(content_copy)
    text = report(content, datetime.date(2026, 11, 26))
    assert "Frågor som inte granskats på över 12 månader: 1" in text
    assert "2020-02-02  content/faq/listning.yml:" in text and "lista-dig" in text
    assert len(overdue_fees(content, datetime.date(2028, 1, 1))) > 20


def test_months_before_handles_month_ends():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 12) == datetime.date(2025, 1, 15)


def test_staff_page_and_api(built_site):
    api = json.loads((built_site / "api" / "faq.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in api] == list(Content.load(ROOT).entries)
    assert set(api[0]) == {"id", "question", "category", "url", "reviewed", "aliases"}
    staff = (built_site / "personal" / "index.html").read_text(encoding="utf-8")
    assert staff.count("data-portal-copy=") == 36
    assert '<meta name="robots" content="noindex">' in staff
    assert "personal/" not in (built_site / "index.html").read_text(encoding="utf-8")
