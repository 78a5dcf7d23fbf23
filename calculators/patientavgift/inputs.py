"""Reading a visit from text, the same way for the command line and the browser form.

Both pass the values as strings under the command line's names (`region`, `birth-date`, ...),
so a number, a date or a region's name means exactly the same in both places. People type as
they speak: a region by its code, its name or a short form ("Västra Götaland", "jamtland
harjedalen"), any choice in any case, with or without å, ä and ö.
"""

from __future__ import annotations

import datetime
import re

from .data import (
    CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, PROVIDER_NAMES, PROVIDERS, FeeTables, Region,
)
from .errors import InputError
from .rules import Visit

FIELDS = ("region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start", "frikort")
"""The inputs, by the names used on the command line and in the page's URL."""

YES = ("1", "true", "on", "ja", "yes")
"""How a form, a URL or a person says yes (a checkbox sends "on", the URL frikort=1)."""
NO = ("0", "false", "off", "nej", "no")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"-?\d{1,9}")
_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "è": "e", "ü": "u", "æ": "a", "ø": "o"})
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")
_LABELS = {
    "region": "region", "provider": "vårdgivare", "profession": "yrkesgrupp", "contact": "typ av kontakt",
}
_CHOICES = {
    "provider": (PROVIDERS, PROVIDER_NAMES),
    "profession": (PROFESSIONS, PROFESSION_NAMES),
    "contact": (CONTACTS, CONTACT_NAMES),
}


def fold(text: str) -> str:
    """'Region Jämtland-Härjedalen ' -> 'region jamtland harjedalen': how two spellings of one
    name are compared."""
    return _NOT_A_LETTER.sub(" ", text.casefold().translate(_FOLD)).strip()


def parse_date(text: str, field: str) -> datetime.date:
    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            pass
    raise InputError(f"'{text}' är inget giltigt datum. Skriv det som ÅÅÅÅ-MM-DD, till exempel 2026-03-01.", field=field)


EXAMPLES = {"age": "42", "paid": "300"}
"""A natural example for each number a patient types (an age of 300 reads as a joke)."""


def parse_whole_number(text: str, field: str, what: str) -> int:
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").removesuffix("kr")
    if not _WHOLE_NUMBER.fullmatch(cleaned):
        example = EXAMPLES.get(field, "300")
        raise InputError(f"'{text}' är inget heltal. Skriv {what} med siffror, till exempel {example}.", field=field)
    return int(cleaned)


def parse_yes_no(text: str, field: str) -> bool:
    folded = fold(text)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise InputError(f"'{text}' går inte att läsa som ja eller nej. Skriv 1 för ja eller 0 för nej.", field=field)


def parse_choice(text: str, field: str, names: dict[str, str] | None = None) -> str:
    """The key of a provider, profession or contact, from its key or its Swedish name in any
    case and with or without å, ä, ö ('Video', 'Läkare', 'besök på plats', 'Capio Go'). `names`
    replaces the default names (the data's name of the national clinic)."""
    keys, default_names = _CHOICES[field]
    names = names or default_names
    wanted = fold(text)
    for key in keys:
        spellings = {fold(key), fold(names[key]), fold(names[key]).removeprefix("den ")}
        if wanted in spellings:
            return key
    listed = ", ".join(key if names[key] == key else f"{key} ({names[key]})" for key in keys)
    raise InputError(f"Okänt värde '{text}' för {_LABELS[field]}. Välj ett av: {listed}.", field=field)


def _name_forms(name: str) -> set[str]:
    """The forms people shorten a region's name to: 'Region Jönköpings län' -> 'region
    jonkopings lan', 'jonkopings lan', 'jonkopings', 'jonkoping'; 'Västra Götalandsregionen'
    -> 'vastra gotaland'."""
    forms = {fold(name)}
    for form in list(forms):
        for prefix in ("region ", "regionen "):
            if form.startswith(prefix):
                forms.add(form.removeprefix(prefix))
    for form in list(forms):
        for suffix, replacement in ((" lan", ""), ("s lan", ""), ("sregionen", ""), ("regionen", ""), (" region", "")):
            if form.endswith(suffix) and len(form) > len(suffix) + 2:
                forms.add(form.removesuffix(suffix) + replacement)
    return {form for form in forms if form}


def region_forms(region: Region) -> set[str]:
    """Every spelling that names `region` outright: its code (with or without 'SE-'), its
    name and its other names, in their usual short forms."""
    code = fold(region.code)
    forms = {code, code.removeprefix("se ")}
    for name in (region.name, *region.other_names):
        forms |= _name_forms(name)
    return forms


def resolve_region(text: str, tables: FeeTables) -> str:
    """The code of the region `text` names; a Swedish InputError listing the candidates when it
    could be several, and every region when it names none."""
    forms = _name_forms(text) | {fold(text)}
    named = [code for code, region in tables.regions.items() if forms & region_forms(region)]
    if len(named) == 1:
        return named[0]
    if not named:
        named = [
            code for code, region in tables.regions.items()
            if any(len(form) >= 3 and _starts_a_word(known, form)
                   for form in forms for known in region_forms(region) if not known.startswith("se "))
        ]
    if len(named) == 1:
        return named[0]
    if named:
        listed = ", ".join(f"{tables.regions[code].name} ({code})" for code in named)
        raise InputError(
            f"'{text}' kan betyda flera regioner: {listed}. Skriv regionens hela namn eller kod.",
            field="region", choices=[(code, tables.regions[code].name) for code in named],
        )
    listed = ", ".join(f"{code} {region.name}" for code, region in tables.regions.items())
    raise InputError(
        f"Okänd region '{text}'. Skriv regionens namn eller kod. Sveriges {len(tables.regions)} regioner: {listed}.",
        field="region", choices=[(code, region.name) for code, region in tables.regions.items()],
    )


def _starts_a_word(known: str, typed: str) -> bool:
    """'vast' starts a word of 'vastra gotaland'; 'gotaland' too; 'otaland' does not."""
    return known.startswith(typed) or f" {typed}" in f" {known}"


def visit_from_strings(values: dict, today: datetime.date, tables: FeeTables | None = None) -> Visit:
    """A Visit from string inputs; missing `date` means `today`, missing `paid` means 0.
    With `tables`, a region may be named as people name it; without, only by its code."""
    given = {name: str(value).strip() for name, value in values.items() if value not in (None, "")}
    given = {name: value for name, value in given.items() if value}
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
    region = resolve_region(given["region"], tables) if tables is not None else given["region"].upper()
    return Visit(
        region=region,
        date=parse_date(given["date"], "date") if "date" in given else today,
        provider=parse_choice(given["provider"], "provider", tables.provider_names if tables is not None else None),
        profession=parse_choice(given["profession"], "profession"),
        contact=parse_choice(given["contact"], "contact"),
        paid=parse_whole_number(given["paid"], "paid", "beloppet") if "paid" in given else 0,
        age=parse_whole_number(given["age"], "age", "åldern") if "age" in given else None,
        birth_date=parse_date(given["birth-date"], "birth-date") if "birth-date" in given else None,
        period_start=parse_date(given["period-start"], "period-start") if "period-start" in given else None,
        frikort=parse_yes_no(given["frikort"], "frikort") if "frikort" in given else False,
    )
