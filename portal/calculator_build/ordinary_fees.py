"""The ordinary fee of every choice, for every range of dates, computed at build time.

The calculator page shows it at once while Python loads in the browser (kalkylator.js looks
up the row for the chosen keys and date); the answer then comes from the same rules in
Pyodide. Computed with the calculator's own rules, so the two cannot disagree.
"""

from __future__ import annotations

import datetime

from patientavgift.data import CONTACTS, PROFESSIONS, PROVIDERS, FeeTables
from patientavgift.errors import CalculatorError
from patientavgift.rules import Visit, calculate, kronor

OVERVIEW_AGE = 40
"""An adult below every age exemption, for the ordinary fees."""


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
