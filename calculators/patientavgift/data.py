"""Dated fee data: what the rules look up, never what they contain.

Data comes as one JSON document (compiled by the portal from `content/fees/`, shipped in the
wheel as `fees.json`). Every value carries the date it applies from, its source, the date the
source was checked, and a status. A lookup returns the latest value dated on or before the
date asked for (OpenFisca's rule); before the first value there is none.
"""

from __future__ import annotations

import datetime
import json
import os
from dataclasses import dataclass, field
from typing import Iterable, TypeVar

PROVIDERS = ("vardcentral", "nationell")
"""`vardcentral` = a primary-care clinic; `nationell` = the national online clinic."""
PROFESSIONS = ("lakare", "sjukskoterska", "fysioterapeut", "psykolog", "barnmorska")
CONTACTS = ("besok", "video", "chatt", "telefon")
ALL_PROFESSIONS = "alla"
"""Key of a fee table row that applies to every profession not listed on its own."""
SAME_AS_CLINIC_VISIT = "vardcentral-besok"
"""National-clinic fee that equals the region's fee for a physical vårdcentral visit."""

STATUS_TEXT = {"verified": "", "unverified": "ej bekräftad", "old": "äldre uppgift som kan ha ändrats"}

PROVIDER_NAMES = {"vardcentral": "vårdcentral", "nationell": "den nationella digitala mottagningen"}
PROFESSION_NAMES = {
    "lakare": "läkare", "sjukskoterska": "sjuksköterska", "fysioterapeut": "fysioterapeut",
    "psykolog": "psykolog", "barnmorska": "barnmorska",
}
CONTACT_NAMES = {"besok": "besök på plats", "video": "videobesök", "chatt": "chatt", "telefon": "telefon"}


@dataclass(frozen=True)
class Dated:
    """What every dated fact has: when it applies from and where it comes from."""

    valid_from: datetime.date
    """First day the fact applies."""
    source: str
    """Where it comes from (web page or statute, with the source's own date)."""
    checked: datetime.date
    """When the source was last checked."""
    status: str
    """`verified`, `unverified` or `old`."""

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]

    def citation(self) -> str:
        """'källa (kontrollerad 2026-11-25; ej bekräftad)' for the patient."""
        remark = f"; {self.status_text}" if self.status_text else ""
        return f"{self.source} (kontrollerad {self.checked.isoformat()}{remark})"


@dataclass(frozen=True)
class DatedValue(Dated):
    """An amount or an age from a date on; None means not known."""

    value: int | None = None
    """The amount in whole kronor or the age in years; None when no source gives it."""


@dataclass(frozen=True)
class AgeRule(Dated):
    """Up to which age a region's care is free."""

    kind: str = "unknown"
    """`under` (free below `age`), `end-of-year` (free until 31 December of the year the
    patient turns `age`), or `unknown`."""
    age: int | None = None
    """The age the rule names."""


@dataclass(frozen=True)
class FeeBlock(Dated):
    """A region's fee table from one source: fees[provider][profession][contact]."""

    fees: dict = field(default_factory=dict)
    """Nested mapping; a profession `alla` covers every profession not listed; None = unknown."""
    note: str = ""
    """An explanation shown with the fee."""

    def cell(self, provider: str, profession: str, contact: str) -> tuple[bool, int | None]:
        """(whether this block says anything about the cell, and the fee it gives)."""
        rows = self.fees.get(provider, {})
        for row_name in (profession, ALL_PROFESSIONS):
            row = rows.get(row_name)
            if row is not None and contact in row:
                return True, row[contact]
        return False, None


@dataclass(frozen=True)
class NationalClinicRule(Dated):
    """Fees of the national online clinic, which depend on where the patient lives."""

    contacts: tuple[str, ...] = ()
    """The kinds of contact the clinic offers."""
    default: int = 0
    """Fee for residents of regions not listed."""
    regions: dict = field(default_factory=dict)
    """regions[code][contact] = an amount, or `vardcentral-besok`."""
    note: str = ""
    """An explanation shown with the fee."""


T = TypeVar("T", bound=Dated)


def latest(items: Iterable[T], date: datetime.date) -> T | None:
    """The item with the latest `valid_from` on or before `date`."""
    current = None
    for item in sorted(items, key=lambda item: item.valid_from):
        if item.valid_from <= date:
            current = item
    return current


@dataclass
class Parameter:
    """A named, dated value, e.g. `hogkostnadsskydd.nationellt_tak`."""

    name: str
    """Dotted name: the file's path under content/fees/."""
    description: str
    """What the value is, in Swedish."""
    unit: str
    """`kr` or `år`."""
    values: list[DatedValue]
    """Values, any order."""

    def at(self, date: datetime.date) -> DatedValue | None:
        return latest(self.values, date)


@dataclass
class Region:
    """One region (ISO 3166-2:SE code) and its fee facts."""

    code: str
    """E.g. SE-AB."""
    name: str
    """E.g. Region Stockholm."""
    caps: list[DatedValue]
    """A lower regional high-cost cap; a value of None means the national cap applies."""
    age_rules: list[AgeRule]
    """Up to which age care is free."""
    fee_blocks: list[FeeBlock]
    """Fee tables, one per source."""

    def cap_at(self, date: datetime.date) -> DatedValue | None:
        found = latest(self.caps, date)
        return found if found is not None and found.value is not None else None

    def age_rule_at(self, date: datetime.date) -> AgeRule | None:
        return latest(self.age_rules, date)

    def fee_at(self, date: datetime.date, provider: str, profession: str, contact: str) -> tuple[int | None, FeeBlock | None]:
        """The fee from the latest block on or before `date` that covers the cell."""
        for block in sorted(self.fee_blocks, key=lambda block: block.valid_from, reverse=True):
            if block.valid_from > date:
                continue
            covered, fee = block.cell(provider, profession, contact)
            if covered:
                return fee, block
        return None, None


@dataclass
class FeeTables:
    """All fee data."""

    parameters: dict[str, Parameter]
    """National parameters by dotted name."""
    regions: dict[str, Region]
    """Regions by code, in code order."""
    national_clinic: list[NationalClinicRule]
    """The national online clinic's rules, dated."""

    @classmethod
    def from_dict(cls, data: dict) -> "FeeTables":
        """Read the compiled document (see the portal's `portal/fees.py`)."""
        return cls(
            parameters={
                name: Parameter(
                    name=name, description=item["description"], unit=item["unit"],
                    values=[_dated_value(value) for value in item["values"]],
                )
                for name, item in data["parameters"].items()
            },
            regions={
                code: Region(
                    code=code,
                    name=item["name"],
                    caps=[_dated_value(value) for value in item.get("cap", [])],
                    age_rules=[
                        AgeRule(**_dated(rule), kind=rule["rule"], age=rule.get("age"))
                        for rule in item["free_age"]
                    ],
                    fee_blocks=[
                        FeeBlock(
                            **_dated(block), note=block.get("note", ""),
                            fees={provider: block[provider] for provider in PROVIDERS if provider in block},
                        )
                        for block in item["fees"]
                    ],
                )
                for code, item in sorted(data["regions"].items())
            },
            national_clinic=[
                NationalClinicRule(
                    **_dated(rule), contacts=tuple(rule["contacts"]), default=rule["default"],
                    regions=rule.get("regions", {}), note=rule.get("note", ""),
                )
                for rule in data["national_clinic"]
            ],
        )

    @classmethod
    def from_json(cls, text: str) -> "FeeTables":
        return cls.from_dict(json.loads(text))

    @classmethod
    def bundled(cls) -> "FeeTables":
        """The data shipped inside the package (`fees.json`, made when the site is built).
        Read as a plain file beside this module: importlib.resources costs the browser a
        noticeable share of the calculator's start-up."""
        with open(os.path.join(os.path.dirname(__file__), "fees.json"), encoding="utf-8") as file:
            return cls.from_json(file.read())

    @classmethod
    def from_file(cls, path: "str | os.PathLike") -> "FeeTables":
        with open(path, encoding="utf-8") as file:
            return cls.from_json(file.read())

    def parameter(self, name: str, date: datetime.date) -> DatedValue | None:
        parameter = self.parameters.get(name)
        return parameter.at(date) if parameter else None

    def national_clinic_at(self, date: datetime.date) -> NationalClinicRule | None:
        return latest(self.national_clinic, date)


def _dated(item: dict) -> dict:
    return {
        "valid_from": datetime.date.fromisoformat(item["valid_from"]),
        "source": item["source"],
        "checked": datetime.date.fromisoformat(item["checked"]),
        "status": item["status"],
    }


def _dated_value(item: dict) -> DatedValue:
    return DatedValue(**_dated(item), value=item["value"])
