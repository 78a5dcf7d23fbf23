"""Broken content, one kind of mistake per test: each must be reported at its file and line,
in words an editor can act on, and must stop the build instead of dropping an entry.

They break a copy of the test content (tests/fixtures/content/), so line numbers and ids here
never depend on content/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from portal.model.content import Content
from portal.errors import ContentError

from .conftest import FIXTURES, build_site, fixture_content, make_fixture_project, run_check

LISTNING = "content/faq/listning.yml"


def write(root: Path, relative: str, text: str | bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def entry(entry_id: str = "valja-vardcentral", **fields: str) -> str:
    """One entry in YAML; `fields` replace or add lines (value None removes the key)."""
    values = {
        "id": entry_id,
        "question": "Hur väljer jag vårdcentral?",
        "answer": "|\n    Välj vårdcentral på [1177](https://www.1177.se/).",
        "related": "[behover-jag-vara-listad]",
        "reviewed": "2026-11-25",
    }
    values.update(fields)
    lines = [f"  {key}: {value}" for key, value in values.items() if value is not None]
    lines[0] = "- " + lines[0][2:]
    return "\n".join(lines) + "\n"


SECOND = entry("behover-jag-vara-listad", related="[valja-vardcentral]")
"""With entry(), the two entries of the test content's listning.yml, rewritten line by line."""


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        Content.load(root)
    return [str(problem) for problem in raised.value.problems]


def only_problem(root: Path) -> str:
    found = problems_of(root)
    assert len(found) == 1, found
    return found[0]


def test_the_test_content_is_valid_and_its_listning_file_is_what_these_tests_rewrite():
    content = Content.load(FIXTURES)
    assert content.warnings == []
    assert [e.id for e in content.entries.values() if e.file == LISTNING] == ["valja-vardcentral", "behover-jag-vara-listad"]


def test_unknown_key_names_the_key_and_suggests_the_right_one(fixture_copy):
    write(fixture_copy, LISTNING, entry(qestion="Stavfel?") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:7: qestion: okänt fält 'qestion'")
    assert "menade du 'question'?" in problem


def test_duplicate_id_points_at_the_first_use(fixture_copy):
    write(fixture_copy, LISTNING, entry() + SECOND + entry("valja-vardcentral", related="[]"))
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:13: id: id:t 'valja-vardcentral' används redan i {LISTNING}:1")


def test_related_id_that_does_not_exist(fixture_copy):
    write(fixture_copy, LISTNING, entry(related="\n    - behover-jag-vara-listad\n    - finns-inte") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:7: related[1]: det finns ingen fråga med id 'finns-inte'")


def test_empty_question(fixture_copy):
    write(fixture_copy, LISTNING, entry(question='""') + SECOND)
    assert only_problem(fixture_copy).startswith(f"{LISTNING}:2: question: får inte vara tomt")


def test_empty_answer(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer="") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:3: answer: ska vara text, men är tomt")


def test_missing_answer(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer=None) + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:1: answer: fältet 'answer' saknas")


@pytest.mark.parametrize("bad_date", ["2026-02-30", "25/11/2026", "igår"])
def test_bad_date(fixture_copy, bad_date):
    write(fixture_copy, LISTNING, entry(reviewed=bad_date) + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:6: reviewed: '{bad_date}' är inget giltigt datum")
    assert "ÅÅÅÅ-MM-DD" in problem


def test_invalid_utf8_names_the_line(fixture_copy):
    text = (entry() + SECOND).encode("utf-8").replace("Välj".encode(), b"V\xe4lj")
    write(fixture_copy, LISTNING, text)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:4: -: tecken som inte är UTF-8")
    assert "Spara filen med teckenkodningen UTF-8" in problem


def test_tab_indentation_names_every_tabbed_line(fixture_copy):
    text = (entry() + SECOND).replace("  question:", "\tquestion:", 1).replace("  reviewed: 2026-11-25\n- id: behover", "\treviewed: 2026-11-25\n- id: behover")
    write(fixture_copy, LISTNING, text)
    found = problems_of(fixture_copy)
    assert [p.split(": -: ")[0] for p in found] == [f"{LISTNING}:2", f"{LISTNING}:6"], found
    assert all("indragen med tabb" in p for p in found)


def test_yaml_syntax_error(fixture_copy):
    write(fixture_copy, LISTNING, entry(question="Fråga: med kolon?") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:2: -: YAML-syntaxfel")
    assert "citattecken" in problem


def test_duplicate_key_in_one_entry(fixture_copy):
    write(fixture_copy, LISTNING, entry() .replace("  reviewed:", "  question: Igen?\n  reviewed:") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:6: question: nyckeln 'question' finns redan")


def test_wrong_type(fixture_copy):
    write(fixture_copy, LISTNING, entry(related="behover-jag-vara-listad") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:5: related: ska vara en lista, men är texten 'behover-jag-vara-listad'")


def test_bad_id_form(fixture_copy):
    write(fixture_copy, LISTNING, entry() + SECOND.replace("- id: behover-jag-vara-listad", "- id: Behöver_Listad"))
    found = problems_of(fixture_copy)
    assert any(p.startswith(f"{LISTNING}:7: id: 'Behöver_Listad' har fel form") for p in found), found


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "Text <b>fet</b>",
])
def test_raw_html_in_answer_is_refused(fixture_copy, html):
    write(fixture_copy, LISTNING, entry(answer=f"|\n    Rad ett.\n    {html}") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:5: answer: HTML-kod är inte tillåten")


def test_html_in_question_is_refused(fixture_copy):
    write(fixture_copy, LISTNING, entry(question='"<script>alert(1)</script>"') + SECOND)
    assert only_problem(fixture_copy).startswith(f"{LISTNING}:2: question: HTML-kod är inte tillåten")


def test_javascript_link_is_refused(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer="|\n    Rad ett.\n    [klicka](javascript:alert(1))") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:5: answer: länken 'javascript:alert(1)' är inte tillåten")


def test_image_from_another_host_is_refused(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer="|\n    ![bild](https://cdn.example.com/a.png)") + SECOND)
    assert "ligger på en annan webbplats" in only_problem(fixture_copy)


def test_unknown_variable_in_answer(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer="|\n    Rad ett.\n    Mejla {{ support.emial_link }}.") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:5: answer: okänd variabel")


def test_link_to_unknown_entry(fixture_copy):
    write(fixture_copy, LISTNING, entry(answer="|\n    Läs {{ fraga('saknas') }}.") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:4: answer: okänd variabel eller fråga")
    assert "saknas" in problem


def test_file_for_unknown_category(fixture_copy):
    (fixture_copy / LISTNING).rename(fixture_copy / "content/faq/listan.yml")
    found = problems_of(fixture_copy)
    assert any(p.startswith("content/faq/listan.yml:0: -: det finns ingen kategori 'listan'") for p in found)


def test_every_problem_is_reported_in_one_run(fixture_copy):
    write(fixture_copy, LISTNING, entry(qestion="x", reviewed="2026-13-01") + SECOND.replace("Hur väljer jag vårdcentral?", '""'))
    write(fixture_copy, "content/faq/avgifter.yml",
          (fixture_copy / "content/faq/avgifter.yml").read_text().replace("  reviewed:", "\treviewed:", 1))
    found = problems_of(fixture_copy)
    assert len(found) == 4, found
    assert {p.split(":")[0] for p in found} == {LISTNING, "content/faq/avgifter.yml"}


def test_fee_value_must_be_dated_and_sourced(fixture_copy):
    path = "content/fees/hogkostnadsskydd/nationellt_tak.yml"
    text = (fixture_copy / path).read_text().replace("    source: SKR (2023-01-31)\n", "", 1)
    text = text.replace("value: 1400", "value: -1400")
    write(fixture_copy, path, text)
    found = problems_of(fixture_copy)
    assert any(p.startswith(f"{path}:26: values[4].source: fältet 'source' saknas") for p in found), found
    assert any(p.startswith(f"{path}:31: values[5].value: -1400 är för litet") for p in found), found


def test_check_command_fails_with_every_problem(fixture_copy):
    write(fixture_copy, LISTNING, entry(reviewed="2026-02-30") + SECOND)
    result = run_check(fixture_copy)
    assert result.returncode == 1
    assert f"{LISTNING}:6: reviewed: '2026-02-30' är inget giltigt datum" in result.stderr
    assert "1 problem i innehållet" in result.stderr


def test_build_fails_instead_of_dropping_a_broken_entry(fixture_copy, tmp_path):
    make_fixture_project(fixture_copy)
    write(fixture_copy, LISTNING, entry(reviewed="aldrig") + SECOND)
    result = build_site(tmp_path / "out", fixture_copy / "mkdocs.yml")
    assert result.returncode != 0
    assert f"{LISTNING}:6: reviewed: 'aldrig' är inget giltigt datum" in result.stdout + result.stderr
    assert not (tmp_path / "out" / "fragor" / "behover-jag-vara-listad").exists()


REGION = "content/fees/regioner/SE-AB.yml"


def test_region_fee_must_not_be_negative(fixture_copy):
    text = (fixture_copy / REGION).read_text().replace("besok: 275", "besok: -275")
    write(fixture_copy, REGION, text)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{REGION}:17: fees[0].vardcentral.alla.besok: -275 är för litet (minst 0)")


def test_region_unknown_profession_suggests_the_right_key(fixture_copy):
    text = (fixture_copy / REGION).read_text().replace("      alla:", "      läkare:")
    write(fixture_copy, REGION, text)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{REGION}:17: fees[0].vardcentral.läkare: okänt fält 'läkare' (menade du 'lakare'?")


def test_region_fee_block_must_be_dated(fixture_copy):
    text = (fixture_copy / REGION).read_text().replace("  - valid_from: 2024-01-01\n    source: 1177 Stockholm, patientavgifter", "  - source: 1177 Stockholm, patientavgifter")
    write(fixture_copy, REGION, text)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{REGION}:12: fees[0].valid_from: fältet 'valid_from' saknas")


def test_region_file_must_be_named_by_its_code(fixture_copy):
    (fixture_copy / REGION).rename(fixture_copy / "content/fees/regioner/Stockholm.yml")
    found = problems_of(fixture_copy)
    assert any(p.startswith("content/fees/regioner/Stockholm.yml:0: -: 'Stockholm' är ingen regionkod") for p in found), found


def test_two_values_from_the_same_day(fixture_copy):
    path = "content/fees/hogkostnadsskydd/nationellt_tak.yml"
    text = (fixture_copy / path).read_text().replace("valid_from: 2020-01-01", "valid_from: 2019-01-01")
    write(fixture_copy, path, text)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{path}:11: values[1].valid_from: det finns redan ett värde från 2019-01-01 (rad 6)")


def test_a_broken_entry_does_not_hide_the_others_in_its_file(fixture_copy):
    path = "content/faq/avgifter.yml"
    text = (fixture_copy / path).read_text(encoding="utf-8")
    broken_line = text[: text.index("question: Kostar det något för barn och unga?")].count("\n") + 1
    write(fixture_copy, path, text.replace("question: Kostar det något för barn och unga?", "question: Barn: kostar det något?"))
    content, problems = Content.collect(fixture_copy)
    assert [str(p).split(": -: ")[0] for p in problems] == [f"{path}:{broken_line}"]
    assert set(content.entries) == set(fixture_content().entries) - {"avgift-for-barn"}


def test_bad_bytes_in_one_entry_do_not_hide_the_others(fixture_copy):
    path = "content/faq/avgifter.yml"
    raw = (fixture_copy / path).read_bytes().replace("Kostar det något för barn och unga?".encode(), b"Kostar det n\xe5got?")
    write(fixture_copy, path, raw)
    content, problems = Content.collect(fixture_copy)
    assert len(problems) == 1 and "UTF-8" in problems[0].message
    assert set(content.entries) == set(fixture_content().entries)


@pytest.mark.parametrize("expression, message", [
    ("{{ 1/0 }}", "en beräkning eller ett anrop går inte"),
    ("{% for i in range(10000000) %}x{% endfor %}", "{% … %} går inte att använda i texten"),
    ("{{ range(10000000) | join }}", "filtret '| join' går inte"),
    ("{{ 'a' * 1000000000 }}", "en beräkning eller ett anrop går inte"),
    ("{{ 9 ** 9 ** 9 }}", "en beräkning eller ett anrop går inte"),
    ("{{ support.name | replace('a', 'b') }}", "filtret '| replace' går inte"),
    ("{{ support.name | capitalize(1) }}", "filtret '| capitalize' går inte"),
    ("{{ fraga(support.name) }}", "fraga() behöver ett id inom citattecken"),
    ("{{ support.__class__ }}", "okänd variabel eller fråga"),
    ("{{ support.name.upper() }}", "en beräkning eller ett anrop går inte"),
    ("{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}", "för många nivåer"),
    ("{{ [support] }}", "en beräkning eller ett anrop går inte"),
])
def test_only_variables_run_in_a_text(fixture_copy, expression, message):
    """What an editor writes between {{ }} is checked against an allow-list before it runs, so
    a computation is a Swedish file:line error, never a traceback or minutes of CPU."""
    write(fixture_copy, LISTNING, entry(answer=f"|\n    Rad ett.\n    Rad två {expression}.") + SECOND)
    problem = only_problem(fixture_copy)
    assert problem.startswith(f"{LISTNING}:5: answer: "), problem
    assert message in problem, problem


def test_template_errors_are_reported_by_the_check_command(fixture_copy):
    """The command editors run: a Swedish line with file and line, exit code 1, no traceback."""
    write(fixture_copy, LISTNING, entry(answer="|\n    Rad ett.\n    {{ 1/0 }} och {{ range(10**7) }}") + SECOND)
    result = run_check(fixture_copy)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{LISTNING}:5: answer: en beräkning"), result.stderr


def test_variable_values_are_text_in_the_answer(fixture_copy):
    """A value from site.yml is text wherever an answer prints it: Markdown and HTML in it
    are shown as typed, never turned into markup."""
    site = (fixture_copy / "content/site.yml").read_text(encoding="utf-8")
    write(fixture_copy, "content/site.yml", re.sub(
        r"(?m)^  hours: .*$", "  hours: '*8–17* [x](https://example.se) &lt;b&gt; <i>'", site, count=1
    ))
    write(fixture_copy, LISTNING, entry(answer="|\n    Öppet {{ support.hours }}.") + SECOND)
    from portal.model.answers import ENTRY_PAGE, AnswerRenderer

    content = Content.load(fixture_copy)
    html = AnswerRenderer(content).html(content.entries["valja-vardcentral"].answer, ENTRY_PAGE)
    assert html == "<p>Öppet *8–17* [x](https://example.se) &amp;lt;b&amp;gt; &lt;i&gt;.</p>"
