"""The portal's view of the fee data in `content/fees/`.

Reading, validating and compiling the YAML is the calculator's own (`patientavgift.source`), so
the command line and `check` say the same thing about the same file. Here the portal keeps what
it needs besides: the files as read (for review dates) and the calculator's FeeTables. The
compiled document goes into the browser's wheel (portal/calculator_build/wheel.py).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from patientavgift.data import FeeTables
from patientavgift.source import Problem, load_fee_document


class FeeData:
    """The validated fee data, as the calculator's FeeTables plus the compiled document."""

    def __init__(self, document: dict, files: dict | None = None) -> None:
        self.document = document
        """The compiled document (what fees.json holds)."""
        self.tables = FeeTables.from_dict(document)
        """The same data as the calculator reads it."""
        self.files = files or {}
        """Each fee file's data as read, with line numbers, by path (for review dates)."""

    @classmethod
    def load(cls, root: Path, problems: list[Problem], national_clinic_name: str | None = None) -> "FeeData":
        """Read content/fees/ below `root`, adding every problem to `problems`; the national
        clinic's name (site.yml's, already read by the caller) goes into the document."""
        files: dict = {}
        return cls(load_fee_document(root, problems, files, national_clinic_name=national_clinic_name), files)

    @property
    def parameters(self) -> dict:
        return self.tables.parameters

    def at(self, name: str, date: datetime.date):
        return self.tables.parameter(name, date)
