"""The rules of patient fees and the high-cost protection. No amount or age is written here:
each comes from the dated fee data for the visit's date and region.

- The fee of a visit is the region's fee for the provider, profession and contact, or 0 when
  the patient's age makes care free (national ages, then the region's own age rule).
- The high-cost period is 12 months from the first fee paid. The cap is the one in force on
  the visit's date, the region's when lower. The visit that crosses the cap costs only what
  is left; then the patient has a frikort for the rest of the period.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .data import (
    CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, PROVIDERS, SAME_AS_CLINIC_VISIT,
    Dated, FeeTables, Region,
)
from .errors import InputError, UnknownFeeError

NATIONAL_CAP = "hogkostnadsskydd.nationellt_tak"
FREE_UNDER_AGE = "alder.avgiftsfritt_under"
FREE_FROM_AGE = "alder.avgiftsfritt_fran"
OLDEST_POSSIBLE_AGE = 130
"""Ages above this are typing errors, not patients."""
EARLIEST_DATE = datetime.date(1870, 1, 1)
LATEST_DATE = datetime.date(2200, 12, 31)
"""Dates outside these are typing errors (and keep date arithmetic far from year 9999)."""


def kronor(amount: int) -> str:
    """1450 -> '1 450 kr' with no-break spaces, as Swedish typography wants."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def period_end(start: datetime.date) -> datetime.date:
    """Last day of a 12-month period starting on `start` (25 April -> 24 April next year)."""
    try:
        next_start = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the period runs to 28 February
        next_start = datetime.date(start.year + 1, 3, 1)
    return next_start - datetime.timedelta(days=1)


def age_on(birth_date: datetime.date, date: datetime.date) -> int:
    return date.year - birth_date.year - ((date.month, date.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class Visit:
    """What the calculator is asked about."""

    region: str
    """ISO 3166-2:SE code of the region whose fees apply, e.g. SE-AB."""
    date: datetime.date
    """Date of the visit."""
    provider: str
    """`vardcentral` or `nationell`."""
    profession: str
    """`lakare`, `sjukskoterska`, `fysioterapeut`, `psykolog` or `barnmorska`."""
    contact: str
    """`besok`, `video`, `chatt` or `telefon`."""
    paid: int = 0
    """Fees already paid in the current high-cost period, whole kronor."""
    age: int | None = None
    """The patient's age on the visit date (or give `birth_date`)."""
    birth_date: datetime.date | None = None
    """The patient's birth date (needed where care is free until the end of a year)."""
    period_start: datetime.date | None = None
    """Date of the first fee of the current period, if one has started."""


@dataclass
class Result:
    """What the visit costs and where the patient stands against the cap."""

    fee: int
    """The ordinary fee of this visit for this patient (0 when the age makes it free)."""
    to_pay: int
    """What the patient pays now."""
    remaining: int
    """Left to pay before frikort, after this visit."""
    cap: int
    """The high-cost cap in force for the visit's date and region."""
    frikort: bool
    """True when the patient has frikort after this visit."""
    period_end: datetime.date | None
    """Last day of the 12-month period, when known."""
    sources: list[str] = field(default_factory=list)
    """Where each number comes from, with the date it was checked."""
    notes: list[str] = field(default_factory=list)
    """Swedish explanations."""

    def as_dict(self) -> dict:
        return {
            "fee": self.fee,
            "to_pay": self.to_pay,
            "remaining": self.remaining,
            "cap": self.cap,
            "frikort": self.frikort,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "sources": self.sources,
            "notes": self.notes,
        }


class _Explanation:
    """Collects sources (once each) and notes while the rules run."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.notes: list[str] = []

    def cite(self, label: str, fact: Dated) -> None:
        text = f"{label}: {fact.citation()}"
        if text not in self.sources:
            self.sources.append(text)

    def note(self, text: str) -> None:
        self.notes.append(text)


def calculate(tables: FeeTables, visit: Visit) -> Result:
    """Apply the rules to one visit; raises InputError or UnknownFeeError instead of guessing."""
    region = _check_visit(tables, visit)
    explanation = _Explanation()
    _note_dates_beyond_data(tables, visit.date, explanation)
    cap = _cap(tables, region, visit.date, explanation)
    kept = _frikort_from_a_lower_cap(tables, region, visit, cap)
    if kept is not None:
        explanation.note(
            f"Du har betalat {kronor(visit.paid)}, vilket var högkostnadstaket när du nådde det. Ett frikort "
            f"gäller resten av perioden även om taket har höjts sedan dess (nu {kronor(cap)})."
        )
        cap = kept
    if visit.paid > cap:
        raise InputError(
            f"Du har angett att du har betalat {kronor(visit.paid)}, men högkostnadstaket är "
            f"{kronor(cap)}. Mer än taket betalar ingen under en period: kontrollera beloppet.",
            field="paid",
        )
    free = _free_by_age(tables, region, visit, explanation)
    fee = 0 if free else _fee(tables, region, visit, explanation)
    if free is None and fee > 0:
        raise UnknownFeeError(
            f"Vi vet inte upp till vilken ålder vården är gratis i {region.name}, och det avgör "
            "vad besöket kostar i din ålder. Fråga din vårdcentral.",
            field="age",
        )
    to_pay = min(fee, cap - visit.paid)
    remaining = cap - visit.paid - to_pay
    frikort = remaining == 0
    if to_pay < fee and visit.paid < cap:
        explanation.note(
            f"Besöket kostar {kronor(to_pay)} i stället för {kronor(fee)}: då når du taket på {kronor(cap)}."
        )
    end = _period_end(visit, to_pay, explanation)
    if frikort:
        until = f" till och med {end.isoformat()}" if end else " resten av perioden"
        explanation.note(f"Du har frikort{until}. Då är besök i öppen vård gratis i hela landet.")
    elif to_pay > 0 or visit.paid > 0:
        explanation.note(f"Efter besöket har du {kronor(remaining)} kvar innan du får frikort.")
    return Result(
        fee=fee, to_pay=to_pay, remaining=remaining, cap=cap, frikort=frikort, period_end=end,
        sources=explanation.sources, notes=explanation.notes,
    )


def _frikort_from_a_lower_cap(tables: FeeTables, region: Region, visit: Visit, cap: int) -> int | None:
    """A frikort keeps its validity when the cap rises: with the period's start known, paying
    exactly a lower cap that was in force during the period means the frikort was reached then."""
    if visit.period_start is None:
        return None
    earlier = set()
    for day in _change_dates(tables, region, visit.period_start, visit.date):
        try:
            earlier.add(cap_in_force(tables, region, day))
        except UnknownFeeError:
            continue
    if visit.paid in earlier and visit.paid < cap:
        return visit.paid
    return None


def _change_dates(tables: FeeTables, region: Region, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """`start` and every date a cap changed between `start` and `end`."""
    national = tables.parameters.get(NATIONAL_CAP)
    changes = [value.valid_from for value in (national.values if national else [])] + [cap.valid_from for cap in region.caps]
    return [start] + sorted({day for day in changes if start < day <= end})


def _note_dates_beyond_data(tables: FeeTables, date: datetime.date, explanation: _Explanation) -> None:
    national = tables.parameters.get(NATIONAL_CAP)
    if national and national.values:
        latest_year = max(value.valid_from.year for value in national.values)
        if date.year > latest_year:
            explanation.note(
                f"Vi har inga uppgifter för {date.year} ännu. Beräkningen bygger på de senaste "
                f"uppgifterna (från {latest_year}), som kan ha ändrats."
            )


def _check_visit(tables: FeeTables, visit: Visit) -> Region:
    region = tables.regions.get(visit.region)
    if region is None:
        known = ", ".join(f"{code} ({item.name})" for code, item in list(tables.regions.items())[:3])
        raise InputError(
            f"Okänd region '{visit.region}'. Ange regionens kod, till exempel {known}.", field="region"
        )
    for name, value, allowed in (
        ("provider", visit.provider, PROVIDERS),
        ("profession", visit.profession, PROFESSIONS),
        ("contact", visit.contact, CONTACTS),
    ):
        if value not in allowed:
            raise InputError(f"Okänt värde '{value}'. Välj ett av: {', '.join(allowed)}.", field=name)
    if isinstance(visit.paid, bool) or not isinstance(visit.paid, int) or visit.paid < 0:
        raise InputError("Betalt belopp måste vara ett helt antal kronor, 0 eller mer.", field="paid")
    for name, day in (("date", visit.date), ("birth-date", visit.birth_date), ("period-start", visit.period_start)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise InputError(
                f"Datumet {day.isoformat()} ligger utanför det som går att räkna på "
                f"({EARLIEST_DATE.year}–{LATEST_DATE.year}). Kontrollera datumet.",
                field=name,
            )
    if (visit.age is None) == (visit.birth_date is None):
        raise InputError("Ange antingen ålder eller födelsedatum.", field="age")
    if visit.birth_date is not None and visit.birth_date > visit.date:
        raise InputError("Födelsedatumet ligger efter besöksdagen. Kontrollera datumen.", field="birth-date")
    age = visit.age if visit.age is not None else age_on(visit.birth_date, visit.date)
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= OLDEST_POSSIBLE_AGE:
        raise InputError(
            f"Åldern måste vara ett helt antal år mellan 0 och {OLDEST_POSSIBLE_AGE}.",
            field="age" if visit.birth_date is None else "birth-date",
        )
    if visit.period_start is not None:
        if visit.period_start > visit.date:
            raise InputError("Perioden kan inte börja efter besöksdagen. Kontrollera datumen.", field="period-start")
        if period_end(visit.period_start) < visit.date:
            raise InputError(
                f"Perioden som började {visit.period_start.isoformat()} slutade "
                f"{period_end(visit.period_start).isoformat()}. Då börjar en ny period med det här besöket: "
                "ange 0 kr som betalt och inget startdatum.",
                field="period-start",
            )
    return region


def cap_in_force(tables: FeeTables, region: Region, date: datetime.date) -> int:
    """The high-cost cap in force on `date` in `region` (the region's own when lower)."""
    return _cap(tables, region, date, _Explanation())


def _cap(tables: FeeTables, region: Region, date: datetime.date, explanation: _Explanation) -> int:
    national = tables.parameter(NATIONAL_CAP, date)
    if national is None or national.value is None:
        raise UnknownFeeError(
            f"Vi har inga uppgifter om högkostnadsskyddet den {date.isoformat()}.", field="date"
        )
    regional = region.cap_at(date)
    if regional is not None and regional.value < national.value:
        explanation.cite("Högkostnadstak i regionen", regional)
        remark = f" ({regional.status_text})" if regional.status_text else ""
        explanation.note(f"{region.name} har ett lägre högkostnadstak: {kronor(regional.value)}{remark}.")
        return regional.value
    explanation.cite("Högkostnadstak", national)
    if national.status_text:
        explanation.note(
            f"Högkostnadstaket {kronor(national.value)} för {date.year}: uppgiften är {national.status_text}."
        )
    return national.value


def _free_by_age(tables: FeeTables, region: Region, visit: Visit, explanation: _Explanation) -> bool | None:
    """Whether the patient's age makes the visit free; None when the region's rule is unknown
    and it matters (the caller then refuses unless the visit is free anyway)."""
    age = visit.age if visit.age is not None else age_on(visit.birth_date, visit.date)
    free_from = tables.parameter(FREE_FROM_AGE, visit.date)
    if free_from is not None and free_from.value is not None and age >= free_from.value:
        explanation.cite("Avgiftsfritt för äldre", free_from)
        explanation.note(f"Från {free_from.value} års ålder betalar du ingen avgift i öppen vård.")
        return True
    free_under = tables.parameter(FREE_UNDER_AGE, visit.date)
    if free_under is not None and free_under.value is not None and age < free_under.value:
        explanation.cite("Avgiftsfritt för barn", free_under)
        explanation.note(f"Vård för barn och unga under {free_under.value} år är gratis i hela landet.")
        return True
    rule = region.age_rule_at(visit.date)
    if rule is None or rule.kind == "unknown":
        highest = _highest_free_age(tables, visit.date)
        if highest is not None and age >= highest:
            return False
        return None
    explanation.cite(f"Åldersgräns i {region.name}", rule)
    if rule.kind == "under":
        if age < rule.age:
            explanation.note(f"I {region.name} är vården gratis för dig som är under {rule.age} år.")
            return True
        return False
    # "end-of-year": free until 31 December of the year the patient turns rule.age.
    if visit.birth_date is not None:
        free = visit.date.year <= visit.birth_date.year + rule.age
    elif age == rule.age:
        raise InputError(
            f"I {region.name} är vården gratis till och med det år du fyller {rule.age}. "
            "Ange ditt födelsedatum, så räknar vi ut om det gäller dig.",
            field="birth-date",
        )
    else:
        free = age < rule.age
    if free:
        explanation.note(
            f"I {region.name} är vården gratis till och med det år du fyller {rule.age}."
        )
    return free


def _highest_free_age(tables: FeeTables, date: datetime.date) -> int | None:
    """The highest age below which any region's known rule makes care free."""
    ages = [
        rule.age + (1 if rule.kind == "end-of-year" else 0)
        for region in tables.regions.values()
        if (rule := region.age_rule_at(date)) is not None and rule.age is not None
    ]
    return max(ages) if ages else None


def _fee(tables: FeeTables, region: Region, visit: Visit, explanation: _Explanation) -> int:
    what = f"{CONTACT_NAMES[visit.contact]} hos {PROFESSION_NAMES[visit.profession]}"
    if visit.provider == "vardcentral":
        return _clinic_fee(region, visit.date, visit.profession, visit.contact, what, explanation)
    rule = tables.national_clinic_at(visit.date)
    if rule is None:
        raise UnknownFeeError(
            f"Vi har inga uppgifter om den nationella digitala mottagningens avgifter den {visit.date.isoformat()}.",
            field="date",
        )
    if visit.contact not in rule.contacts:
        offered = " och ".join(CONTACT_NAMES[contact] for contact in rule.contacts)
        raise InputError(f"Den nationella digitala mottagningen har bara {offered}.", field="contact")
    explanation.cite("Nationella digitala mottagningen", rule)
    if rule.note:
        explanation.note(rule.note)
    spec = rule.regions.get(region.code, {}).get(visit.contact, rule.default)
    if spec == SAME_AS_CLINIC_VISIT:
        fee = _clinic_fee(region, visit.date, visit.profession, "besok", f"besök på plats hos {PROFESSION_NAMES[visit.profession]}", explanation)
        explanation.note(
            f"För dig som bor i {region.name} kostar {CONTACT_NAMES[visit.contact]} hos den nationella "
            f"digitala mottagningen lika mycket som ett besök på plats på vårdcentral: {kronor(fee)}."
        )
        return fee
    if spec == 0:
        explanation.note(
            f"{CONTACT_NAMES[visit.contact].capitalize()} hos den nationella digitala mottagningen är gratis "
            f"för dig som bor i {region.name}."
        )
    return int(spec)


def _clinic_fee(region: Region, date: datetime.date, profession: str, contact: str, what: str,
                explanation: _Explanation) -> int:
    fee, block = region.fee_at(date, "vardcentral", profession, contact)
    if fee is None or block is None:
        raise UnknownFeeError(
            f"Vi vet inte vad {what} kostar på vårdcentral i {region.name}: vi har ingen källa "
            "för den avgiften. Fråga vårdcentralen innan besöket.",
            field="contact",
        )
    explanation.cite(f"Avgift i {region.name}", block)
    remark = f" ({block.status_text})" if block.status_text else ""
    explanation.note(f"{what.capitalize()} på vårdcentral i {region.name} kostar {kronor(fee)}{remark}.")
    if block.note:
        explanation.note(block.note)
    return fee


def _period_end(visit: Visit, to_pay: int, explanation: _Explanation) -> datetime.date | None:
    if visit.period_start is not None:
        return period_end(visit.period_start)
    if visit.paid == 0 and to_pay > 0:
        explanation.note(
            f"Din högkostnadsperiod börjar med det här besöket och gäller till och med "
            f"{period_end(visit.date).isoformat()}."
        )
        return period_end(visit.date)
    if visit.paid > 0:
        explanation.note("Ange datum för din första avgift i perioden, så ser du när perioden slutar.")
    return None
