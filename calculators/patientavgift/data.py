"""Dated fee data: what the rules look up, never what they contain.

Data comes as one JSON document (compiled from `content/fees/` by `patientavgift.source`,
shipped in the wheel as `fees.json`). Every value carries its provenance (`Dated`): the date it
applies from and on what that date rests, the source's name, public address and own date, the
date a person last compared it with the source, a status saying what kind of source it is, and
whether the source is old. A lookup returns the latest value dated on or before the date asked for
(OpenFisca's rule); before the first value there is none.
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

STATUSES = {
    "primär": "förstahandskälla, från regionen eller lagen själv",
    "sekundär": "andrahandskälla, någon annan återger uppgiften",
    "beräknad": "beräknad med lagens regel",
    "antagen": "antagen, ingen namngiven källa",
    "okänd": "okänd, ingen källa",
}
"""What kind of source a value rests on (the `status` of the data), with its Swedish name.
Whether the source is old is a separate matter (`old`), as is the basis of `valid_from`."""
STATUS_REMARKS = {
    "primär": "",
    "sekundär": "ej bekräftad av regionen eller myndigheten själv",
    "beräknad": "beräknad med lagens regel och ej bekräftad i någon källa",
    "antagen": "antagen och ej bekräftad",
    "okänd": "okänd",
}
"""What a patient is told about a value of each status ('' = nothing to warn about); each reads
after "uppgiften är"."""
OLD_REMARK = "äldre och kan ha ändrats"
"""What a patient is told about a value from an old source (after "uppgiften är")."""
VALID_FROM_BASES = {
    "källan": "datumet står i källan",
    "källdatum": "källans eget datum, uppgiften kan ha gällt redan tidigare",
    "antagen": "antaget datum, ingen källa säger när uppgiften började gälla",
}
"""On what a value's `valid_from` rests. `källan` when the data says nothing else."""

NATIONAL_CLINIC_NAME = "den digitala mottagningen"
"""What the texts call the national online clinic when the data gives no name. The portal
compiles its real name (content/site.yml: `national_clinic.name`) into the data as
`national_clinic_name`, so patients read the name they know (FeeTables.national_clinic_name)."""
PROVIDER_NAMES = {"vardcentral": "vårdcentral", "nationell": NATIONAL_CLINIC_NAME}
"""Each provider's name in Swedish, with the default name of the national clinic (for the
command line's help, written before any data is read); FeeTables.provider_names has the data's."""
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
    """The source's name (web page, document or statute)."""
    checked: datetime.date
    """When a person last compared the value with the source."""
    status: str
    """What kind of source it rests on: a key of STATUSES."""
    url: str | None = None
    """The source's public address (https), or None when it has none or none is known."""
    source_date: str | None = None
    """The source's own date, ISO 8601: 'ÅÅÅÅ-MM-DD', or 'ÅÅÅÅ' when it gives only a year."""
    valid_from_basis: str = "källan"
    """On what `valid_from` rests: a key of VALID_FROM_BASES."""
    old: bool = False
    """The source is old: the value may have changed since."""

    @property
    def status_label(self) -> str:
        """The status in words, e.g. 'andrahandskälla, någon annan återger uppgiften'."""
        return STATUSES[self.status]

    @property
    def remark(self) -> str:
        """What a patient should know about the value ('' when nothing), e.g. 'antagen och ej
        bekräftad; äldre och kan ha ändrats'."""
        parts = [STATUS_REMARKS[self.status], OLD_REMARK if self.old else ""]
        return "; ".join(part for part in parts if part)

    @property
    def status_text(self) -> str:
        """The remark (kept under this name for the pages that flag uncertain values)."""
        return self.remark

    @property
    def valid_from_basis_text(self) -> str:
        return VALID_FROM_BASES[self.valid_from_basis]

    def source_with_date(self) -> str:
        """'gotland.se, 2019-01-02': the source's name with its own date when it has one."""
        return f"{self.source}, {self.source_date}" if self.source_date else self.source

    def citation(self) -> str:
        """'källa, 2019-01-02 (kontrollerad 2026-11-25; ej bekräftad …)' for the patient."""
        remark = f"; {self.remark}" if self.remark else ""
        return f"{self.source_with_date()} (kontrollerad {self.checked.isoformat()}{remark})"


@dataclass(frozen=True)
class DatedValue(Dated):
    """An amount, an age or a share from a date on; None means not known."""

    value: int | None = None
    """The amount in whole kronor, the age in years or the share in thousandths; None when no
    source gives it."""


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
    """`kr`, `år` or `tusendelar`."""
    values: list[DatedValue]
    """Values, any order."""

    def at(self, date: datetime.date) -> DatedValue | None:
        return latest(self.values, date)


class ParametersAt:
    """The parameters on one date, read as OpenFisca rules read them:
    `tables.at(date).hogkostnadsskydd.prisbasbelopp` is the DatedValue in force (or None)."""

    def __init__(self, tables: "FeeTables", date: datetime.date, prefix: str = "") -> None:
        self._tables = tables
        self._date = date
        self._prefix = prefix

    def __getattr__(self, name: str):
        dotted = f"{self._prefix}{name}"
        if dotted in self._tables.parameters:
            return self._tables.parameters[dotted].at(self._date)
        if any(key.startswith(f"{dotted}.") for key in self._tables.parameters):
            return ParametersAt(self._tables, self._date, f"{dotted}.")
        return None


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
    other_names: tuple[str, ...] = ()
    """Other names people use for the region (e.g. Södermanland), for reading what they type."""

    def cap_entry_at(self, date: datetime.date) -> DatedValue | None:
        """The regional cap entry in force, also when it says the national cap applies."""
        return latest(self.caps, date)

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
    national_clinic_name: str = NATIONAL_CLINIC_NAME
    """The national online clinic's name as patients know it (e.g. Capio Go)."""

    @property
    def provider_names(self) -> dict[str, str]:
        """Each provider's name in Swedish, the national clinic by its name in the data."""
        return PROVIDER_NAMES | {"nationell": self.national_clinic_name}

    @classmethod
    def from_dict(cls, data: dict) -> "FeeTables":
        """Read the compiled document (made from content/fees/ by `patientavgift.source`)."""
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
                    other_names=tuple(item.get("other_names", ())),
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
            national_clinic_name=str(data.get("national_clinic_name") or NATIONAL_CLINIC_NAME),
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

    def at(self, date: datetime.date) -> ParametersAt:
        """The parameters in force on `date`, by attribute: `tables.at(date).alder.avgiftsfritt_fran`."""
        return ParametersAt(self, date)

    def national_clinic_at(self, date: datetime.date) -> NationalClinicRule | None:
        return latest(self.national_clinic, date)


def _dated(item: dict) -> dict:
    url = item.get("url")
    if url is not None and not str(url).startswith("https://"):
        url = None  # only ever link to https; the schema already refuses anything else
    status = item["status"]
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is none of {', '.join(STATUSES)}")
    basis = item.get("valid_from_basis") or "källan"
    if basis not in VALID_FROM_BASES:
        raise ValueError(f"valid_from_basis {basis!r} is none of {', '.join(VALID_FROM_BASES)}")
    return {
        "valid_from": datetime.date.fromisoformat(item["valid_from"]),
        "source": item["source"],
        "checked": datetime.date.fromisoformat(item["checked"]),
        "status": status,
        "url": url,
        "source_date": item.get("source_date"),
        "valid_from_basis": basis,
        "old": bool(item.get("old", False)),
    }


def _dated_value(item: dict) -> DatedValue:
    return DatedValue(**_dated(item), value=item["value"])
