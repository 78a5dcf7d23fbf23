"""The calculator plugin: the /kalkylator/ page, the calculator wheel and the self-hosted Pyodide.

The page runs the `patientavgift` package (calculators/) in the browser under Pyodide, the
same code as the command line. At build time this plugin compiles content/fees/ into the
package's `fees.json`, builds the py3-none-any wheel with plain `pip wheel` (pyodide-build
cannot run offline, and pure-Python packages do not need it), and copies Pyodide's runtime
files from the npm package into the site, with a standard library whose start-up modules are
already compiled to bytecode (precompile.py). No request goes to a CDN.
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

from patientavgift.data import CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.rules import Visit, calculate, cap_in_force, kronor

from ...build_date import build_date
from ...fees import write_fee_json
from ..faq.plugin import front_matter
from .buildcache import cached_folder
from .config import CalculatorConfig
from .precompile import Precompiled

log = logging.getLogger("mkdocs.plugins.portal.calculator")

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
"""Pyodide's runtime as the npm package ships it (no package wheels: the calculator needs
none). Its python_stdlib.zip is replaced by the precompiled one."""
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
        self.python = Precompiled.build(pyodide_dir, wheel, root / self.config.bytecode_cache_dir)
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
        files.append(File.generated(config, f"{self.pyodide_url}{self.python.stdlib_name}",
                                    abs_src_path=str(self.python.stdlib)))
        files.append(File.generated(config, self.wheel_url, abs_src_path=str(self.python.wheel)))
        return files

    def on_page_context(self, context, *, page, config, nav):
        if page.file.src_uri != PAGE:
            return context
        assert self.tables is not None and self.python is not None
        today = build_date()
        context["calculator"] = {
            "regions": [(region.code, region.name) for region in by_name(self.tables)],
            "professions": [(key, PROFESSION_NAMES[key].capitalize()) for key in PROFESSIONS],
            "contacts": [(key, CONTACT_NAMES[key].capitalize()) for key in CONTACTS],
            "pyodide_url": self.pyodide_url,
            "wheel_url": self.wheel_url,
            "stdlib_url": f"{self.pyodide_url}{self.python.stdlib_name}",
            "pyodide_files": [*RUNTIME_FILES, self.python.stdlib_name],
            "overview": fee_overview(self.tables, today),
            "overview_columns": [
                f"{CONTACT_NAMES[contact].capitalize()}, {PROFESSION_NAMES[profession]}"
                for profession, contact in OVERVIEW_COLUMNS
            ],
            "today": today,
        }
        return context

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
