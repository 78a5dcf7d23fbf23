"""Fixtures for the patient-fee calculator: the fee data of the test content.

The rules are tested on tests/fixtures/content/fees/ (a copy of content/fees/ as it was when the
worked examples in cases.yml were checked against the fee facts), so editors can update the live
fee data without moving what these tests expect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from patientavgift import FeeTables
from patientavgift.source import compile_fees

ROOT = Path(__file__).resolve().parents[2]
"""The repository root (the folder that holds content/fees/)."""
FIXTURES = ROOT / "tests" / "fixtures"
"""The root of the test content, whose content/fees/ the tests calculate with."""


@pytest.fixture(scope="session")
def fee_document() -> dict:
    """The compiled fee document of the test content, as the package compiles it from YAML."""
    return compile_fees(FIXTURES)


@pytest.fixture(scope="session")
def fee_file(fee_document: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The compiled fee document as a file, for the command line's --data and environment."""
    path = tmp_path_factory.mktemp("fees") / "fees.json"
    path.write_text(json.dumps(fee_document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tables(fee_document: dict) -> FeeTables:
    """The fee data as the calculator reads it."""
    return FeeTables.from_dict(fee_document)
