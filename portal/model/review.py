"""Review dates: answers and fee facts that nobody has looked at for too long.

`python3 build.py check` warns (it does not fail) and `python3 build.py report` lists them.
The intervals are set in content/site.yml under `review:` (default 12 months each).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from patientavgift.source.yamlfile import LineDict, LineList

from .content import Content

DEFAULT_MONTHS = 12


@dataclass(frozen=True, order=True)
class Overdue:
    """One thing due for review."""

    date: datetime.date
    """When it was last reviewed or checked."""
    file: str
    """The file it is in."""
    line: int
    """The line of the date."""
    what: str
    """What it is, for the editor."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.what}, senast {self.date.isoformat()}"


def months_before(date: datetime.date, months: int) -> datetime.date:
    year, month = divmod(date.year * 12 + date.month - 1 - months, 12)
    month += 1
    for day in (date.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def review_limits(content: Content) -> tuple[int, int]:
    settings = content.site.get("review") or {}
    return (settings.get("entry_max_age_months", DEFAULT_MONTHS), settings.get("fee_max_age_months", DEFAULT_MONTHS))


def overdue_entries(content: Content, today: datetime.date) -> list[Overdue]:
    months, _ = review_limits(content)
    limit = months_before(today, months)
    return sorted(
        Overdue(entry.reviewed, entry.file, entry.line_of("reviewed"), f"frågan '{entry.id}' har inte granskats på över {months} månader")
        for entry in content.entries.values() if entry.reviewed < limit
    )


def overdue_fees(content: Content, today: datetime.date) -> list[Overdue]:
    _, months = review_limits(content)
    limit = months_before(today, months)
    found: list[Overdue] = []
    for file, data in content.fees.files.items():
        for line, checked, label in _checked_dates(data, ""):
            if checked < limit:
                found.append(Overdue(checked, file, line, f"avgiftsuppgiften {label} har inte kontrollerats på över {months} månader"))
    return sorted(found)


def _checked_dates(data, path: str):
    """(line, date, path) of every `checked:` in a fee file."""
    if isinstance(data, LineDict):
        for key, value in data.items():
            if key == "checked" and isinstance(value, str):
                try:
                    yield data.line_of(key), datetime.date.fromisoformat(value), path or "-"
                except ValueError:
                    continue
            else:
                yield from _checked_dates(value, f"{path}.{key}" if path else key)
    elif isinstance(data, LineList):
        for index, item in enumerate(data):
            yield from _checked_dates(item, f"{path}[{index}]")


def report(content: Content, today: datetime.date) -> str:
    """The editors' review list, in Swedish."""
    entries = overdue_entries(content, today)
    fees = overdue_fees(content, today)
    entry_months, fee_months = review_limits(content)
    lines = [f"Granskning {today.isoformat()}"]
    lines.append(f"\nFrågor som inte granskats på över {entry_months} månader: {len(entries)}")
    lines.extend(f"  {item.date.isoformat()}  {item.file}:{item.line}  {item.what.split(chr(39))[1]}" for item in entries)
    lines.append(f"\nAvgiftsuppgifter som inte kontrollerats på över {fee_months} månader: {len(fees)}")
    lines.extend(f"  {item.date.isoformat()}  {item.file}:{item.line}" for item in fees)
    if not entries and not fees:
        lines.append("\nAllt är granskat i tid.")
    lines.extend(readability_lines(content))
    return "\n".join(lines)


def readability_lines(content: Content) -> list[str]:
    """Each answer's LIX, hardest first, those above the limit in content/site.yml marked."""
    from .answers import AnswerRenderer
    from .checks import answer_lix, lix_limit

    renderer = AnswerRenderer(content)
    limit = lix_limit(content)
    scores = sorted(((answer_lix(renderer, entry), entry) for entry in content.entries.values()),
                    key=lambda item: -item[0])
    above = sum(1 for score, _ in scores if score > limit)
    lines = [f"\nLäsbarhet (LIX; över {limit} är svårläst): {above} svar över gränsen"]
    lines.extend(
        f"  {score:4.0f}{'  för högt' if score > limit else '          '}  {entry.file}:{entry.line}  {entry.id}"
        for score, entry in scores
    )
    return lines
