"""Dated fee parameters from `content/fees/`, in the manner of OpenFisca's parameters.

The folder path is the lookup path: `content/fees/hogkostnadsskydd/nationellt_tak.yml` is
the parameter `hogkostnadsskydd.nationellt_tak`. Every value carries the date it applies
from, its source, when the source was checked and whether it is verified. A lookup returns
the latest value dated on or before the date asked for.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem
from .schema import Validator, load_schema
from .yamlfile import LineDict, YamlFile

STATUS_TEXT = {
    "verified": "",
    "unverified": "ej bekräftat",
    "old": "äldre uppgift",
}
"""How each status is shown to patients (verified values need no remark)."""


def format_kronor(amount: int) -> str:
    """1450 -> '1 450 kr', with a no-break space as Swedish typography wants."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter, valid from a date until the next value's date."""

    valid_from: datetime.date
    """First day the value applies."""
    value: int
    """The amount (whole kronor) or age (years)."""
    unit: str
    """`kr` or `år`."""
    source: str
    """Where the value comes from."""
    checked: datetime.date
    """When the source was last checked."""
    status: str
    """`verified`, `unverified` or `old`."""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    @property
    def year(self) -> int:
        return self.valid_from.year

    def __str__(self) -> str:
        return format_kronor(self.value) if self.unit == "kr" else f"{self.value} år"


@dataclass
class Parameter:
    """A named, dated value such as the national high-cost cap."""

    name: str
    """Dotted name from the file path, e.g. `hogkostnadsskydd.nationellt_tak`."""
    description: str
    """What the value is, in Swedish."""
    values: list[DatedValue] = field(default_factory=list)
    """Values sorted by `valid_from`."""

    def at(self, date: datetime.date) -> DatedValue | None:
        """The latest value dated on or before `date`, or None before the first one."""
        current = None
        for value in self.values:
            if value.valid_from <= date:
                current = value
        return current


@dataclass
class FeeData:
    """All fee parameters, by dotted name."""

    parameters: dict[str, Parameter] = field(default_factory=dict)
    """Parameters by dotted name."""

    @classmethod
    def load(cls, fees_dir: Path, root: Path, problems: list[Problem]) -> "FeeData":
        data = cls()
        if not fees_dir.is_dir():
            return data
        for path in sorted(fees_dir.rglob("*.yml")):
            parameter = _read_parameter(path, fees_dir, root, problems)
            if parameter is not None:
                data.parameters[parameter.name] = parameter
        return data

    def at(self, name: str, date: datetime.date) -> DatedValue | None:
        parameter = self.parameters.get(name)
        return parameter.at(date) if parameter else None


def _read_parameter(path: Path, fees_dir: Path, root: Path, problems: list[Problem]) -> Parameter | None:
    loaded = YamlFile.read(path, root)
    problems.extend(loaded.problems)
    if loaded.data is None:
        return None
    found = Validator(load_schema("fee-parameter"), loaded.display).validate(loaded.data)
    problems.extend(found)
    if found or not isinstance(loaded.data, LineDict):
        return None
    name = ".".join(path.relative_to(fees_dir).with_suffix("").parts)
    parameter = Parameter(name=name, description=str(loaded.data["description"]))
    seen: dict[datetime.date, int] = {}
    values = loaded.data["values"]
    for index, item in enumerate(values):
        valid_from = datetime.date.fromisoformat(item["valid_from"])
        if valid_from in seen:
            problems.append(Problem(loaded.display, values.line_of(index), f"values[{index}].valid_from", (
                f"det finns redan ett värde från {valid_from} (rad {seen[valid_from]}); "
                "ett datum kan bara ha ett värde."
            )))
        seen[valid_from] = values.line_of(index)
        parameter.values.append(DatedValue(
            valid_from=valid_from,
            value=item["value"],
            unit=loaded.data["unit"],
            source=str(item["source"]),
            checked=datetime.date.fromisoformat(item["checked"]),
            status=item["status"],
        ))
    parameter.values.sort(key=lambda value: value.valid_from)
    return parameter
