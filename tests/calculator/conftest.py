"""Fixtures for the patient-fee calculator: the real fee data from content/fees/."""

from __future__ import annotations

from pathlib import Path

import pytest

from patientavgift import FeeTables
from portal.fees import compile_fees

ROOT = Path(__file__).resolve().parents[2]
"""The repository root (the folder that holds content/fees/)."""


@pytest.fixture(scope="session")
def fee_document() -> dict:
    """The compiled fee document, as the portal compiles it from the YAML files."""
    return compile_fees(ROOT)


@pytest.fixture(scope="session")
def tables(fee_document: dict) -> FeeTables:
    """The fee data as the calculator reads it."""
    return FeeTables.from_dict(fee_document)
