"""Runs the OpenFisca-style YAML cases in cases.yml through the same path the command line and
the browser use: string inputs -> inputs.visit_from_strings (with the fee data, which knows the
regions' names) -> rules.calculate."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

import patientavgift
from patientavgift.inputs import visit_from_strings
from patientavgift.rules import calculate

CASES_FILE = Path(__file__).with_name("cases.yml")
TODAY = datetime.date(2026, 3, 1)
"""The 'today' used for cases that give no visit date."""
RESULT_KEYS = {"fee", "to_pay", "remaining", "cap", "frikort", "period_end", "sources", "notes", "basis", "region",
               "frikort_held", "data_until"}
ERROR_TYPES = {"InputError": patientavgift.InputError, "UnknownFeeError": patientavgift.UnknownFeeError}


def load_cases() -> list[dict]:
    cases = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
    assert isinstance(cases, list) and cases, "cases.yml must be a non-empty list"
    return cases


CASES = load_cases()


def test_case_names_are_unique():
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)


def test_every_case_has_input_and_exactly_one_expectation():
    for case in CASES:
        assert set(case) in ({"name", "input", "output"}, {"name", "input", "error"}), case["name"]
        assert all(isinstance(value, str) for value in case["input"].values()), case["name"]
        if "output" in case:
            assert set(case["output"]) <= RESULT_KEYS, case["name"]
        else:
            assert set(case["error"]) <= {"type", "field", "contains"}, case["name"]
            assert isinstance(case["error"].get("contains", ""), (str, list)), case["name"]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_case(tables, case):
    if "error" in case:
        expected = case["error"]
        error_type = ERROR_TYPES.get(expected.get("type"), patientavgift.CalculatorError)
        with pytest.raises(error_type) as raised:
            calculate(tables, visit_from_strings(case["input"], TODAY, tables))
        assert raised.value.exit_code == 2
        if "field" in expected:
            assert raised.value.field == expected["field"]
        contains = expected.get("contains", [])
        for text in [contains] if isinstance(contains, str) else contains:
            assert text in raised.value.message
    else:
        result = calculate(tables, visit_from_strings(case["input"], TODAY, tables)).as_dict()
        actual = {key: result[key] for key in case["output"]}
        assert actual == case["output"]
