"""The calculator's page, /kalkylator/: the form, what the worker loads, and the overview table.

The form runs the `patientavgift` package in the browser (calculator_build/); without
JavaScript, the overview table of ordinary fees, computed here by the same rules, answers.
"""

from __future__ import annotations

import datetime

from patientavgift.data import CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.rules import Visit, calculate, cap_in_force, kronor

from ..calculator_build import RUNTIME_FILES, CalculatorBuild
from ..calculator_build.ordinary_fees import OVERVIEW_AGE
from .page import Page, script_json, swedish_date

PAGE = "kalkylator/"
TITLE = "Räkna ut din avgift"
"""The calculator's title in the navigation and on its page."""
OVERVIEW_COLUMNS = (
    ("lakare", "besok"), ("sjukskoterska", "besok"), ("lakare", "video"), ("lakare", "chatt"), ("lakare", "telefon"),
)


def calculator_page(tables: FeeTables, build: CalculatorBuild, national_clinic: str, today: datetime.date) -> Page:
    """The page, with everything its template prints, for the build date `today`."""
    rule = tables.national_clinic_at(today)
    return Page.at(
        PAGE, title=TITLE, template="kalkylator.html",
        description="Räkna ut vad ett vårdbesök kostar och hur mycket du har kvar till frikort.",
        data={"calculator": {
            "regions": [[region.code, region.name] for region in by_name(tables)],
            "professions": [[key, PROFESSION_NAMES[key].capitalize()] for key in PROFESSIONS],
            "contacts": [[key, CONTACT_NAMES[key].capitalize()] for key in CONTACTS],
            "national_clinic": national_clinic,
            # The kinds of contact the national clinic offers today (the form hides the others).
            "national_contacts": " ".join(rule.contacts if rule is not None else CONTACTS),
            "pyodide_url": build.pyodide_url,
            "wheel_url": build.wheel_url,
            "stdlib_url": build.stdlib_url,
            "rest_url": build.rest_url,
            "pyodide_files": ",".join([*RUNTIME_FILES, build.python.stdlib_name]),
            "downloads": [list(download) for download in build.downloads],
            "lock_json": script_json({"info": build.lock_info, "packages": {}}),
            "ordinary_fees_json": script_json(build.ordinary_fees),
            "overview": fee_overview(tables, today),
            "overview_columns": [
                f"{CONTACT_NAMES[contact].capitalize()}, {PROFESSION_NAMES[profession]}"
                for profession, contact in OVERVIEW_COLUMNS
            ],
            "today_text": swedish_date(today),
        }},
    )


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
            "remark": ", ".join(remarks), "sources": "; ".join(block.citation() for block in blocks),
        })
    return rows
