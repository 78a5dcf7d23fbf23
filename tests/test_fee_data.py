"""The live fee data (content/fees/) and what `check` refuses in it: every value carries its
provenance in the agreed vocabulary, the national cap agrees with the law's formula, and a
cap, a source date or a status that would mislead is refused at its file and line, in Swedish.

Nothing here names a count, a line or a date of the live data: each test finds what it needs in
the data, so that an editor's new dated value (next year's cap, a region's new fees) keeps it
green.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest
import yaml

from patientavgift import FeeTables, UnknownFeeError, Visit, calculate
from patientavgift.data import STATUSES, VALID_FROM_BASES
from patientavgift.rules import (
    CAP_ROUNDING, CAP_SHARE, NATIONAL_CAP, PRISBASBELOPP, cap_by_formula, one_year_after, swedish_date,
)
from patientavgift.source import compile_fees

from .conftest import ROOT, run_check

CAP_FILE = "content/fees/hogkostnadsskydd/nationellt_tak.yml"
_EMBEDDED_DATE = re.compile(r"\(\d{4}(-\d{2}-\d{2})?\)")


@pytest.fixture(scope="module")
def document() -> dict:
    return compile_fees(ROOT)


@pytest.fixture(scope="module")
def tables(document) -> FeeTables:
    return FeeTables.from_dict(document)


def facts(tables: FeeTables) -> list:
    found = [value for parameter in tables.parameters.values() for value in parameter.values]
    for region in tables.regions.values():
        found += region.caps + region.age_rules + region.fee_blocks
    return found + tables.national_clinic


def test_every_value_carries_its_provenance_in_the_vocabulary(tables):
    for fact in facts(tables):
        assert fact.status in STATUSES, fact
        assert fact.valid_from_basis in VALID_FROM_BASES, fact
        assert fact.url is None or re.fullmatch(r"https://[^\s\"'<>`\\]+", fact.url), fact
        assert fact.source_date is None or re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", fact.source_date), fact
        assert fact.checked <= datetime.date.today(), fact
        assert not _EMBEDDED_DATE.search(fact.source), f"källans datum hör hemma i source_date: {fact.source!r}"


def test_unknown_values_and_only_those_have_status_okand(tables):
    for parameter in tables.parameters.values():
        for value in parameter.values:
            assert (value.value is None) == (value.status == "okänd"), (parameter.name, value)
    for region in tables.regions.values():
        for rule in region.age_rules:
            assert (rule.kind == "unknown") == (rule.status == "okänd"), (region.code, rule)


def test_national_cap_agrees_with_the_formula_every_year_the_prisbasbelopp_is_known(tables):
    checked = 0
    for cap in tables.parameters[NATIONAL_CAP].values:
        base = tables.parameter(PRISBASBELOPP, cap.valid_from)
        share, step = tables.parameter(CAP_SHARE, cap.valid_from), tables.parameter(CAP_ROUNDING, cap.valid_from)
        if cap.value is None or base is None or base.value is None or base.valid_from.year != cap.valid_from.year:
            continue
        assert cap.value == cap_by_formula(base.value, share.value, step.value), cap
        checked += 1
    assert checked >= 1


def test_the_newest_cap_is_answered_and_the_day_after_the_data_refused(tables):
    newest = max(value.valid_from for value in tables.parameters[NATIONAL_CAP].values)
    region = next(iter(tables.regions))
    visit = Visit(region=region, date=newest, provider="vardcentral", profession="lakare", contact="besok", age=90)
    result = calculate(tables, visit)
    assert result.data_until is not None and result.data_until >= one_year_after(newest)
    with pytest.raises(UnknownFeeError) as raised:
        calculate(tables, dataclasses.replace(visit, date=result.data_until + datetime.timedelta(days=1)))
    assert raised.value.field == "date" and swedish_date(result.data_until) in raised.value.message


def _cap_with_a_prisbasbelopp(path: Path) -> tuple[int, str]:
    """The index and valid_from of the newest cap whose year has a known prisbasbelopp."""
    caps = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["values"]
    bases = yaml.load((path.parent / "prisbasbelopp.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["values"]
    years = {base["valid_from"][:4] for base in bases if base["value"] != "null"}
    return max((index, cap["valid_from"]) for index, cap in enumerate(caps)
               if cap["valid_from"][:4] in years and cap["value"] != "null")


def _replace_in_item(path: Path, valid_from: str, key: str, new_line: str) -> int:
    """Replaces the `key:` line of the list item dated `valid_from`; returns its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(number for number, line in enumerate(lines) if re.match(rf"\s*- valid_from: ['\"]?{valid_from}", line))
    for number in range(start, len(lines)):
        if re.match(rf"\s*(- )?{key}:", lines[number]):
            indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
            lines[number] = f"{indent}{'- ' if lines[number].lstrip().startswith('- ') else ''}{new_line}\n"
            path.write_text("".join(lines), encoding="utf-8")
            return number + 1
    raise AssertionError(f"no {key} in the item from {valid_from}")


def test_check_refuses_a_cap_that_contradicts_the_formula_at_its_line(content_copy):
    path = content_copy / CAP_FILE
    index, valid_from = _cap_with_a_prisbasbelopp(path)
    line = _replace_in_item(path, valid_from, "value", "value: 1999")
    result = run_check(content_copy)
    assert result.returncode != 0
    expected = f"{CAP_FILE}:{line}: values[{index}].value: högkostnadstaket 1 999 kr för {valid_from[:4]} stämmer inte med lagens regel: "
    assert any(problem.startswith(expected) and "prisbasbeloppet" in problem and "rad " in problem
               for problem in result.stderr.splitlines()), result.stderr


def test_check_accepts_a_lower_regional_cap(content_copy):
    path = next(path for path in sorted((content_copy / "content/fees/regioner").glob("SE-*.yml"))
                if "\ncap:" not in path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nfree_age:", (
        "\ncap:\n  - valid_from: 2024-01-01\n    value: 1000\n    source: Regionens beslut\n"
        "    checked: 2026-11-25\n    status: primär\nfree_age:"), 1), encoding="utf-8")
    result = run_check(content_copy)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key, line, message", [
    ("source_date", "source_date: 2024-02-30", "'2024-02-30' är inget giltigt datum"),
    ("source_date", "source_date: 2999-01-01", "ligger efter dagen den kontrollerades"),
    ("status", "status: okänd", "status okänd passar bara en okänd uppgift"),
    ("status", "status: verified", "'verified' är inte tillåtet (tillåtet: primär, sekundär, beräknad, antagen, okänd)"),
    ("url", "url: http://exempel.se/sida", "har fel form"),
])
def test_check_refuses_misleading_provenance_at_its_line(content_copy, key, line, message):
    path = content_copy / CAP_FILE
    _, valid_from = _cap_with_a_prisbasbelopp(path)
    if key in ("source_date", "url"):
        # Added below the item's source line, as an editor would.
        number = _replace_in_item(path, valid_from, "source", f"source: Testkälla\n    {line}") + 1
    else:
        number = _replace_in_item(path, valid_from, key, line)
    result = run_check(content_copy)
    assert result.returncode != 0
    assert any(problem.startswith(f"{CAP_FILE}:{number}: ") and message in problem
               for problem in result.stderr.splitlines()), result.stderr


def test_check_refuses_a_known_status_for_an_unknown_value(content_copy):
    path = content_copy / CAP_FILE
    _, valid_from = _cap_with_a_prisbasbelopp(path)
    _replace_in_item(path, valid_from, "value", "value: null")
    number = _replace_in_item(path, valid_from, "status", "status: primär")
    result = run_check(content_copy)
    assert any(problem.startswith(f"{CAP_FILE}:{number}: ") and "status ska vara okänd" in problem
               for problem in result.stderr.splitlines()), result.stderr


def test_the_command_line_reads_the_live_data_by_default(tables):
    import json
    import os
    import subprocess
    import sys

    newest = max(value.valid_from for value in tables.parameters[NATIONAL_CAP].values)
    environment = {key: value for key, value in os.environ.items() if key != "PATIENTAVGIFT_DATA"}
    completed = subprocess.run(
        [sys.executable, "-m", "patientavgift", "--region", "stockholm", "--date", newest.isoformat(), "--age", "90",
         "--provider", "Vårdcentral", "--profession", "Läkare", "--contact", "Besök", "--json"],
        cwd=ROOT, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads(completed.stdout)
    assert result["region"]["code"] == "SE-AB" and result["basis"]
