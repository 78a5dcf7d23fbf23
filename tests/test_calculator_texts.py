"""The calculator's own texts go through the glossary check too (issue 12): its sentences and
name tables in calculators/patientavgift/, the national clinic's name from the data, and the
visible words of the calculator page's templates. Each test puts a discouraged word into one of
them, in a copy of the test content with a glossary of its own, and requires `check` to warn at
the right file and line; none depends on a sentence of the live content or of the package."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from patientavgift import data
from patientavgift.data import NATIONAL_CLINIC_NAME, FeeTables
from patientavgift.source import compile_fees
from portal.model import calculator_texts
from portal.model.calculator_texts import TEMPLATES, visible_template_text
from portal.model.checks import check_content, user_texts
from portal.model.content import Content

from .conftest import ROOT

GLOSSARY = """\
- id: videobesok
  term: videobesök
  definition: Ett besök med bild och ljud.
  avoid: [bildsamtal, samtal med bild]
- id: nationella-kliniken
  term: Exempelvården Direkt
  definition: Vår digitala vårdcentral.
  avoid: [nationella digitala mottagningen, nationella digitala mottagningens]
  explain: false
"""
"""A glossary for the test content (which has none): two terms, each with words to avoid."""
TODAY = datetime.date(2026, 11, 26)
"""A day on which no fixture answer or fee fact is due for review (no other warnings)."""


@pytest.fixture
def content_root(fixture_copy: Path) -> Path:
    (fixture_copy / "content" / "ordlista.yml").write_text(GLOSSARY, encoding="utf-8")
    return fixture_copy


def glossary_warnings(root: Path) -> list[str]:
    """`check`'s warnings about discouraged words, without the leading 'varning: '."""
    return [warning.removeprefix("varning: ") for warning in check_content(root, TODAY).warnings
            if "i stället för" in warning]


def line_of(path: Path, text: str) -> int:
    return next(number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_the_calculator_as_it_is_uses_no_discouraged_word(content_root):
    """The package, its templates and the test content's clinic name are clean, so each warning
    below comes from the word the test put in."""
    assert glossary_warnings(content_root) == []


def test_a_discouraged_word_in_a_name_table_is_reported_at_its_definition(content_root, monkeypatch):
    monkeypatch.setitem(data.CONTACT_NAMES, "video", "bildsamtal")
    path = Path(data.__file__)
    line = line_of(path, "CONTACT_NAMES = {")
    assert glossary_warnings(content_root) == [
        f"{path.relative_to(ROOT).as_posix()}:{line}: CONTACT_NAMES[video]: skriv 'videobesök' i stället "
        "för 'bildsamtal', så att samma sak heter likadant överallt (ordlistan, content/ordlista.yml:1)."
    ]


def test_a_discouraged_word_in_a_rule_is_reported_at_its_line(content_root, monkeypatch, tmp_path):
    """A rule's sentence is read from the package's source, f-strings and all, so a reworded or
    new rule is checked without a list of phrases to keep up to date; docstrings are not texts."""
    module = tmp_path / "regler.py"
    module.write_text(
        '"""The nationella digitala mottagningen in a docstring is for developers."""\n'
        "\n"
        "def avgift(datum):\n"
        '    raise ValueError(f"Vi har inga uppgifter om den nationella "\n'
        '                     f"digitala mottagningens avgifter den {datum}.")\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(calculator_texts, "package_modules", lambda: [module])
    assert glossary_warnings(content_root) == [
        f"{module.as_posix()}:4: avgift: skriv 'Exempelvården Direkt' i stället för 'nationella digitala "
        "mottagningens', så att samma sak heter likadant överallt (ordlistan, content/ordlista.yml:5)."
    ]


def test_a_discouraged_word_in_the_page_template_is_reported_at_its_line(content_root, monkeypatch, tmp_path):
    template = tmp_path / "kalkylator.html"
    template.write_text(
        "{#- den nationella digitala mottagningen: a comment is not shown -#}\n"
        "<script>var s = 'den nationella digitala mottagningen';</script>\n"
        '<label title="{{ x }}">Hos {{ calculator.national_clinic | e }}</label>\n'
        "<p>Ett samtal med\n"
        "  bild hos oss.</p>\n"
        '{{ fields.text("age", "Ålder", "Fyll i den nationella digitala mottagningen.", 4) }}\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(calculator_texts, "TEMPLATES", (template,))
    assert glossary_warnings(content_root) == [
        f"{template.as_posix()}:4: -: skriv 'videobesök' i stället för 'samtal med\n  bild', så att samma "
        "sak heter likadant överallt (ordlistan, content/ordlista.yml:1).",
        f"{template.as_posix()}:6: -: skriv 'Exempelvården Direkt' i stället för 'nationella digitala "
        "mottagningen', så att samma sak heter likadant överallt (ordlistan, content/ordlista.yml:5).",
    ]


def test_the_national_clinics_name_in_the_data_is_checked_where_it_is_written(content_root):
    site = content_root / "content" / "site.yml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "  name: Exempelvården Direkt\n", "  name: Den nationella digitala mottagningen\n"), encoding="utf-8")
    line = line_of(site, "name: Den nationella digitala mottagningen")
    assert glossary_warnings(content_root) == [
        f"content/site.yml:{line}: national_clinic.name: skriv 'Exempelvården Direkt' i stället för 'nationella "
        "digitala mottagningen', så att samma sak heter likadant överallt (ordlistan, content/ordlista.yml:5)."
    ]


def test_both_calculator_templates_are_read(content_root):
    """The templates are found where the site's theme keeps them (a move must update TEMPLATES)."""
    files = {item.file for item in user_texts(Content.load(content_root))}
    assert {path.relative_to(ROOT).as_posix() for path in TEMPLATES} <= files


def test_the_visible_text_of_a_template_keeps_its_lines_and_drops_code():
    source = ('{# Kommentar #}<p class="a">Hej {{ namn | e }}</p>\n'
              '<img alt="En bild" src="{{ x }}">{% if y %}Ja{% endif %}\n'
              '{{ f("Etikett", "kod-1") }}<style>p { color: red }</style>\n')
    text = visible_template_text(source)
    assert len(text) == len(source) and text.count("\n") == source.count("\n")
    assert re.findall(r"\S+", text) == ["Hej", "En", "bild", "Ja", "Etikett", "kod-1"]


def test_calculator_texts_are_checked_for_words_only_not_typography(content_root, monkeypatch):
    """The package's messages quote what the user typed with straight quotes ('Narnia'); the
    typography rules are for what editors type in content/."""
    before = check_content(content_root, TODAY).warnings
    monkeypatch.setitem(data.CONTACT_NAMES, "video", 'video "med bild" kl. 8-15')
    assert check_content(content_root, TODAY).warnings == before


def test_the_national_clinics_name_flows_from_site_yml_into_the_data():
    document = compile_fees(ROOT / "tests" / "fixtures")
    assert document["national_clinic_name"] == "Exempelvården Direkt"
    assert FeeTables.from_dict(document).provider_names["nationell"] == "Exempelvården Direkt"
    without = {key: value for key, value in document.items() if key != "national_clinic_name"}
    assert FeeTables.from_dict(without).national_clinic_name == NATIONAL_CLINIC_NAME


def test_a_discouraged_word_in_a_fee_source_is_found_at_its_line(content_root):
    """A fee value's `source` is named in the calculator's answer ("Bygger på"), so it is a
    patient's text too."""
    path = content_root / "content" / "fees" / "nationell.yml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r"^(\s*)source: (.*)$", text, re.M)
    path.write_text(text.replace(old.group(0), f"{old.group(1)}source: Den nationella digitala mottagningens sida", 1),
                    encoding="utf-8")
    line = line_of(path, "source: Den nationella digitala mottagningens sida")
    warnings = glossary_warnings(content_root)
    assert [warning for warning in warnings if warning.startswith(f"content/fees/nationell.yml:{line}: ")
            and "'Exempelvården Direkt'" in warning and "source" in warning.split(":")[2]], warnings
