"""The calculator plugin: the /kalkylator/ page, the calculator wheel and the self-hosted Pyodide.

The page runs the `patientavgift` package (calculators/) in the browser under Pyodide, the
same code as the command line. At build time this plugin compiles content/fees/ into the
package's `fees.json`, builds the py3-none-any wheel with plain `pip wheel` (pyodide-build
cannot run offline, and pure-Python packages do not need it), and copies Pyodide's runtime
files from the npm package into the site, with a standard library whose start-up modules are
already compiled to bytecode and the rest fetched only if imported (precompile.py), and
precompressed copies of the large files (compress.py). It also computes, with the same rules,
the ordinary fee of every choice for every date range of the data, which the page shows at
once while Python loads. No request goes to a CDN.
"""

from __future__ import annotations

import datetime
import json
import logging
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from patientavgift.data import CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, PROVIDERS, FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.rules import Visit, calculate, cap_in_force, kronor

from ...build_date import build_date
from ...model.fees import write_fee_json
from ..faq.plugin import front_matter
from .buildcache import cached_folder
from .compress import precompressed
from .config import CalculatorConfig
from .precompile import Precompiled

log = logging.getLogger("mkdocs.plugins.portal.calculator")

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
"""Pyodide's runtime as the npm package ships it, each with precompressed copies. No package
wheels (the calculator needs none), so no pyodide-lock.json either: the worker passes Pyodide
the lock file's `info` with no packages. Its python_stdlib.zip is replaced by the precompiled
one and the rest of the standard library."""
PAGE = "kalkylator.md"
OVERVIEW_AGE = 40
"""An adult below every age exemption, for the overview table of ordinary fees."""
OVERVIEW_COLUMNS = (
    ("lakare", "besok"), ("sjukskoterska", "besok"), ("lakare", "video"), ("lakare", "chatt"), ("lakare", "telefon"),
)


class CalculatorPlugin(BasePlugin[CalculatorConfig]):
    """Adds the calculator page and everything it loads."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.tables: FeeTables | None = None
        """The fee data compiled for this build."""
        self.python: Precompiled | None = None
        """The calculator wheel and the standard library, compiled for this build's Pyodide."""
        self.pyodide_version = ""
        """Version of the self-hosted Pyodide (from its package.json)."""
        self.lock_info: dict = {}
        """The `info` of Pyodide's lock file (its ABI version is checked at start)."""
        self.compressed: dict[str, dict[str, Path]] = {}
        """Precompressed copies of each runtime file, by name and suffix."""

    def on_config(self, config):
        root = Path(config.config_file_path or ".").parent
        # The FAQ plugin (before this one in mkdocs.yml) has read and validated content/fees/.
        faq = config.plugins.get("portal-faq")
        if faq is None or faq.content is None:
            raise PluginError("portal-calculator behöver portal-faq före sig under plugins: i mkdocs.yml.")
        fees = faq.content.fees
        self.tables = fees.tables
        package_dir = root / self.config.package_dir
        write_fee_json(fees.document, package_dir / "patientavgift" / "fees.json")
        wheel = build_wheel(package_dir, root / self.config.cache_dir)
        pyodide_dir = root / self.config.pyodide_dir
        if not (pyodide_dir / "package.json").is_file():
            raise PluginError(f"Pyodide saknas i {pyodide_dir}; kör python3 build.py (det kör npm ci).")
        self.pyodide_version = json.loads((pyodide_dir / "package.json").read_text())["version"]
        self.lock_info = json.loads((pyodide_dir / "pyodide-lock.json").read_text())["info"]
        self.python = Precompiled.build(pyodide_dir, wheel, root / self.config.bytecode_cache_dir)
        self.compressed = {name: precompressed(pyodide_dir / name, root / self.config.compressed_cache_dir)
                           for name in RUNTIME_FILES}
        if isinstance(config.nav, list):
            config.nav.insert(1, {self.config.nav_title: PAGE})
        return config

    def on_files(self, files: Files, *, config) -> Files:
        assert self.python is not None
        files.append(File.generated(config, PAGE, content=front_matter({
            "title": self.config.nav_title,
            "description": "Räkna ut vad ett vårdbesök kostar och hur mycket du har kvar till frikort.",
            "template": "kalkylator.html",
            "hide": ["toc"],
        }, "")))
        pyodide_dir = Path(config.config_file_path or ".").parent / self.config.pyodide_dir
        for name in RUNTIME_FILES:
            files.append(File.generated(config, f"{self.pyodide_url}{name}", abs_src_path=str(pyodide_dir / name)))
            for suffix, copy in self.compressed[name].items():
                files.append(File.generated(config, f"{self.pyodide_url}{name}{suffix}", abs_src_path=str(copy)))
        for name, path in ((self.python.stdlib_name, self.python.stdlib), (self.python.rest_name, self.python.rest)):
            files.append(File.generated(config, f"{self.pyodide_url}{name}", abs_src_path=str(path)))
        files.append(File.generated(config, self.wheel_url, abs_src_path=str(self.python.wheel)))
        return files

    def on_page_context(self, context, *, page, config, nav):
        if page.file.src_uri != PAGE:
            return context
        assert self.tables is not None and self.python is not None
        today = build_date()
        root = Path(config.config_file_path or ".").parent
        context["calculator"] = {
            "regions": [(region.code, region.name) for region in by_name(self.tables)],
            "professions": [(key, PROFESSION_NAMES[key].capitalize()) for key in PROFESSIONS],
            "contacts": [(key, CONTACT_NAMES[key].capitalize()) for key in CONTACTS],
            "national_clinic": self.national_clinic_name(config),
            "national_contacts": self.national_contacts(today),
            "pyodide_url": self.pyodide_url,
            "wheel_url": self.wheel_url,
            "stdlib_url": f"{self.pyodide_url}{self.python.stdlib_name}",
            "rest_url": f"{self.pyodide_url}{self.python.rest_name}",
            "pyodide_files": [*RUNTIME_FILES, self.python.stdlib_name],
            "downloads": self.downloads(Path(config.config_file_path or ".").parent / self.config.pyodide_dir),
            "lock": {"info": self.lock_info, "packages": {}},
            "ordinary_fees": cached_ordinary_fees(self.tables, self.python.wheel,
                                                  root / self.config.ordinary_fees_cache_dir),
            "overview": fee_overview(self.tables, today),
            "overview_columns": [
                f"{CONTACT_NAMES[contact].capitalize()}, {PROFESSION_NAMES[profession]}"
                for profession, contact in OVERVIEW_COLUMNS
            ],
            "today": today,
        }
        return context

    def downloads(self, pyodide_dir: Path) -> list[tuple[str, int, int]]:
        """What the worker downloads before the first answer, for its progress bar: (address
        relative to the site, bytes it reads, about how many bytes that is on the wire). The
        second figure weighs each file: the WebAssembly is 9.6 MB read but 3.5 MB sent."""
        assert self.python is not None
        files = [(f"{self.pyodide_url}{name}", pyodide_dir / name, self.compressed[name][".gz"]) for name in RUNTIME_FILES]
        files += [(f"{self.pyodide_url}{self.python.stdlib_name}", self.python.stdlib, self.python.stdlib),
                  (self.wheel_url, self.python.wheel, self.python.wheel)]
        return [(url, path.stat().st_size, sent.stat().st_size) for url, path, sent in files]

    @staticmethod
    def national_clinic_name(config) -> str:
        """The national clinic's name as site.yml gives it, so the form says what patients know."""
        faq = config.plugins.get("portal-faq")
        return faq.content.site["national_clinic"]["name"]

    def national_contacts(self, date) -> list[str]:
        """The kinds of contact the national clinic offers on `date` (the form hides the others)."""
        assert self.tables is not None
        rule = self.tables.national_clinic_at(date)
        return list(rule.contacts) if rule is not None else list(CONTACTS)

    @property
    def pyodide_url(self) -> str:
        return f"assets/pyodide/{self.pyodide_version}/"

    @property
    def wheel_url(self) -> str:
        assert self.python is not None
        return f"assets/wheels/{self.python.wheel.parent.name}/{self.python.wheel.name}"


def build_wheel(package_dir: Path, cache_dir: Path) -> Path:
    """The package's py3-none-any wheel, built with `pip wheel` once per distinct content."""
    inputs = [path for path in sorted([package_dir / "pyproject.toml", *(package_dir / "patientavgift").glob("*")])
              if path.is_file() and path.suffix in (".py", ".json", ".toml")]

    def pip_wheel(folder: Path) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
             "--wheel-dir", str(folder), str(package_dir)],
            capture_output=True, text=True,
        )
        if result.returncode != 0 or not list(folder.glob("*-py3-none-any.whl")):
            raise PluginError("Kunde inte bygga kalkylatorns wheel:\n" + result.stdout + result.stderr)
        log.info("Built the calculator wheel")

    return next(cached_folder(cache_dir, inputs, pip_wheel).glob("*-py3-none-any.whl"))


def change_dates(tables: FeeTables) -> list[datetime.date]:
    """Every date from which some value of the data applies, in order: between two of them
    every lookup gives the same answer."""
    dates = {value.valid_from for parameter in tables.parameters.values() for value in parameter.values}
    for region in tables.regions.values():
        for facts in (region.caps, region.age_rules, region.fee_blocks):
            dates.update(fact.valid_from for fact in facts)
    dates.update(rule.valid_from for rule in tables.national_clinic)
    return sorted(dates)


def ordinary_fees(tables: FeeTables) -> dict:
    """The ordinary fee (an adult's, before the high-cost protection) of every region,
    provider, profession and contact, computed by the calculator's own rules for each range of
    dates over which its answer cannot change: the page shows it at once while Python loads,
    only looking up the row for the chosen keys and date (kalkylator.js). None where the rules
    give no fee.

    A range starts on each date some value of the data applies from, and on the day after the
    last day an answer's data covers (`data_until`, after which the rules refuse).

    {"dates": [first day of each range], "fees": {region: {provider: {profession: {contact:
    fee, or a list with one fee a range}}}}, "kronor": {fee: the amount as the page shows it}}"""
    keys = [(code, provider, profession, contact) for code in tables.regions for provider in PROVIDERS
            for profession in PROFESSIONS for contact in CONTACTS]
    by_date: dict[datetime.date, list[int | None]] = {}
    dates = set(change_dates(tables))
    while dates - set(by_date):
        for day in sorted(dates - set(by_date)):
            row = []
            for code, provider, profession, contact in keys:
                visit = Visit(region=code, date=day, provider=provider, profession=profession,
                              contact=contact, age=OVERVIEW_AGE)
                try:
                    result = calculate(tables, visit)
                except CalculatorError:
                    row.append(None)
                    continue
                row.append(result.fee)
                until = getattr(result, "data_until", None)
                if until is not None:
                    dates.add(until + datetime.timedelta(days=1))
            by_date[day] = row
    ordered = sorted(by_date)
    fees: dict = {}
    for index, (code, provider, profession, contact) in enumerate(keys):
        row = [by_date[day][index] for day in ordered]
        cell = row[0] if len(set(row)) == 1 else row
        fees.setdefault(code, {}).setdefault(provider, {}).setdefault(profession, {})[contact] = cell
    amounts = sorted({fee for row in by_date.values() for fee in row if fee is not None})
    return {"dates": [day.isoformat() for day in ordered], "fees": fees,
            "kronor": {str(amount): kronor(amount) for amount in amounts}}


def cached_ordinary_fees(tables: FeeTables, wheel: Path, cache_dir: Path) -> dict:
    """ordinary_fees(), computed once per calculator build (about a second): the wheel holds
    the rules and the fee data it depends on, this file the way it is computed."""

    def make(folder: Path) -> None:
        (folder / "ordinary_fees.json").write_text(json.dumps(ordinary_fees(tables)), encoding="utf-8")

    folder = cached_folder(cache_dir, [wheel, Path(__file__)], make)
    return json.loads((folder / "ordinary_fees.json").read_text(encoding="utf-8"))


def by_name(tables: FeeTables) -> list:
    """Regions in Swedish alphabetical order of their names (Region Örebro after Västmanland)."""
    order = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}"})
    return sorted(tables.regions.values(), key=lambda region: region.name.removeprefix("Region ").translate(order))


def fee_overview(tables: FeeTables, date: datetime.date) -> list[dict]:
    """One row per region of ordinary fees on `date`, computed by the calculator's own rules
    (what the page shows without JavaScript)."""
    rows = []
    for region in by_name(tables):
        code = region.code
        cells = []
        for profession, contact in OVERVIEW_COLUMNS:
            visit = Visit(region=code, date=date, provider="vardcentral", profession=profession,
                          contact=contact, age=OVERVIEW_AGE)
            try:
                cells.append(kronor(calculate(tables, visit).fee))
            except CalculatorError:
                cells.append("okänd")
        rule = region.age_rule_at(date)
        if rule is None or rule.kind == "unknown":
            free_age = "okänd"
        elif rule.kind == "under":
            free_age = f"under {rule.age} år"
        else:
            free_age = f"t.o.m. året man fyller {rule.age}"
        try:
            cap = kronor(cap_in_force(tables, region, date))
        except CalculatorError:
            cap = "okänt"
        blocks = [block for block in region.fee_blocks if block.valid_from <= date]
        remarks = sorted({block.status_text for block in blocks if block.status_text})
        rows.append({
            "code": code, "name": region.name, "cells": cells, "free_age": free_age, "cap": cap,
            "remark": ", ".join(remarks), "sources": [block.citation() for block in blocks],
        })
    return rows
