"""Reading a visit from text, the same way for the command line and the browser form.

Both pass the values as strings under the command line's names (`region`, `birth-date`, ...),
so a number or a date means exactly the same in both places.
"""

from __future__ import annotations

import datetime
import re

from .errors import InputError
from .rules import Visit

FIELDS = ("region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start")
"""The inputs, by the names used on the command line and in the page's URL."""

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"-?\d{1,9}")


def parse_date(text: str, field: str) -> datetime.date:
    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(f"'{text}' är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD, till exempel 2026-03-01.", field=field)


def parse_whole_number(text: str, field: str, what: str) -> int:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("kr")
    if not _WHOLE_NUMBER.fullmatch(cleaned):
        raise InputError(f"'{text}' är inget heltal. Skriv {what} med siffror, till exempel 300.", field=field)
    return int(cleaned)


def visit_from_strings(values: dict, today: datetime.date) -> Visit:
    """A Visit from string inputs; missing `date` means `today`, missing `paid` means 0."""
    given = {name: str(value).strip() for name, value in values.items() if value not in (None, "")}
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise InputError(f"Okänd uppgift: {', '.join(unknown)}.", field=unknown[0])
    for name in ("region", "provider", "profession", "contact"):
        if name not in given:
            raise InputError(f"Ange {_LABELS[name]}.", field=name)
    if "age" in given and "birth-date" in given:
        raise InputError("Ange antingen ålder eller födelsedatum, inte båda.", field="age")
    if "age" not in given and "birth-date" not in given:
        raise InputError("Ange din ålder eller ditt födelsedatum.", field="age")
    return Visit(
        region=given["region"].upper(),
        date=parse_date(given["date"], "date") if "date" in given else today,
        provider=given["provider"],
        profession=given["profession"],
        contact=given["contact"],
        paid=parse_whole_number(given["paid"], "paid", "beloppet") if "paid" in given else 0,
        age=parse_whole_number(given["age"], "age", "åldern") if "age" in given else None,
        birth_date=parse_date(given["birth-date"], "birth-date") if "birth-date" in given else None,
        period_start=parse_date(given["period-start"], "period-start") if "period-start" in given else None,
    )


_LABELS = {"region": "region", "provider": "vårdgivare", "profession": "yrkesgrupp", "contact": "typ av kontakt"}
