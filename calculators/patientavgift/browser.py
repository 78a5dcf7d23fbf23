"""The calculator as the page's Web Worker calls it under Pyodide: JSON text in, JSON text out."""

from __future__ import annotations

import datetime
import json

from .data import FeeTables
from .errors import CalculatorError
from .inputs import visit_from_strings
from .rules import calculate, kronor

_tables: FeeTables | None = None

UNKNOWN_AMOUNT = "okänd"
"""How the page shows an amount the data does not give (a frikort holder's unknown fee)."""


def tables() -> FeeTables:
    """The bundled fee data, read once per page."""
    global _tables
    if _tables is None:
        _tables = FeeTables.bundled()
    return _tables


def calculate_json(request: str, today: str) -> str:
    """`request` holds the form's values under the command line's names (`frikort`: "1",
    "true" or "on" for a patient who already holds a frikort); `today` is the browser's local
    date, used when no visit date is given. The answer is the command line's JSON plus
    `kronor`: the amounts as the page shows them ("1\u00a0450\u00a0kr"; "okänd" for an unknown
    fee), so the page formats nothing itself (and the first answer does not wait for the
    browser's number formatting to load). A refusal is `{"error", "field"}`, plus `choices`
    ([{"code", "name"}]) when the region named several regions or none."""
    try:
        values = json.loads(request)
    except ValueError:
        return json.dumps({"error": "Uppgifterna kunde inte läsas. Ladda om sidan.", "field": None}, ensure_ascii=False)
    if not isinstance(values, dict):
        return json.dumps({"error": "Uppgifterna kunde inte läsas. Ladda om sidan.", "field": None}, ensure_ascii=False)
    try:
        browser_today = datetime.date.fromisoformat(today)
    except (TypeError, ValueError):
        return json.dumps({"error": "Datorns datum kunde inte läsas. Ange besöksdagen.", "field": "date"}, ensure_ascii=False)
    try:
        visit = visit_from_strings(values, browser_today, tables())
        result = calculate(tables(), visit)
        amounts = {"fee": result.fee, "to_pay": result.to_pay, "remaining": result.remaining,
                   "cap": result.cap, "paid": visit.paid}
        shown = {name: UNKNOWN_AMOUNT if amount is None else kronor(amount) for name, amount in amounts.items()}
        return json.dumps(result.as_dict() | {"kronor": shown}, ensure_ascii=False)
    except CalculatorError as error:
        answer = {"error": error.message, "field": error.field}
        if error.choices:
            answer["choices"] = [{"code": code, "name": name} for code, name in error.choices]
        return json.dumps(answer, ensure_ascii=False)
