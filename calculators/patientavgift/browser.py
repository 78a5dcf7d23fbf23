"""The calculator as the page's Web Worker calls it under Pyodide: JSON text in, JSON text out."""

from __future__ import annotations

import datetime
import json

from .data import FeeTables
from .errors import CalculatorError
from .inputs import visit_from_strings
from .rules import calculate

_tables: FeeTables | None = None


def tables() -> FeeTables:
    """The bundled fee data, read once per page."""
    global _tables
    if _tables is None:
        _tables = FeeTables.bundled()
    return _tables


def calculate_json(request: str, today: str) -> str:
    """`request` holds the form's values under the command line's names; `today` is the
    browser's local date, used when no visit date is given."""
    try:
        values = json.loads(request)
    except ValueError:
        return json.dumps({"error": "Uppgifterna kunde inte läsas. Ladda om sidan.", "field": None}, ensure_ascii=False)
    try:
        visit = visit_from_strings(values, datetime.date.fromisoformat(today))
        return json.dumps(calculate(tables(), visit).as_dict(), ensure_ascii=False)
    except CalculatorError as error:
        return json.dumps({"error": error.message, "field": error.field}, ensure_ascii=False)
