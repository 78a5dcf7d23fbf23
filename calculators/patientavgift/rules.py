"""The rules of patient fees and the high-cost protection. No amount, age or share is written
here: each comes from the dated fee data for the visit's date and region, read as
`tables.at(date).hogkostnadsskydd.prisbasbelopp` (OpenFisca's `parameters(date).x.y`).

- The fee of a visit is the region's fee for the provider, profession and contact, or 0 when
  the patient's age makes care free (national ages, then the region's own age rule).
- The national cap is derived from the year's prisbasbelopp by the law's formula (a share of
  it, rounded down to a whole step); a cap stored for the same date must agree with it. A
  region may decide a lower cap.
- The high-cost period is 12 months from the first fee paid. The cap is the one in force on
  the visit's date, the region's when lower. The visit that crosses the cap costs only what
  is left. A patient who already holds a frikort valid on the visit date pays nothing; without
  saying so, only paying the cap in force on the visit date counts as a frikort.
- Nothing is guessed: an unknown fee, age rule or cap is refused, and so is a visit more than
  a year after the newest value the answer would rest on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .data import (
    CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, PROVIDERS, SAME_AS_CLINIC_VISIT,
    Dated, DatedValue, FeeTables, Region,
)
from .errors import CalculatorError, InputError, UnknownFeeError

NATIONAL_CAP = "hogkostnadsskydd.nationellt_tak"
PRISBASBELOPP = "hogkostnadsskydd.prisbasbelopp"
CAP_SHARE = "hogkostnadsskydd.andel_av_prisbasbelopp"
"""The cap's share of the prisbasbelopp, in thousandths."""
CAP_ROUNDING = "hogkostnadsskydd.avrundning"
"""The cap is rounded down to a whole multiple of this amount."""
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


MONTHS = ("januari", "februari", "mars", "april", "maj", "juni",
          "juli", "augusti", "september", "oktober", "november", "december")


def swedish_date(day: datetime.date) -> str:
    """2027-04-24 -> '24 april 2027', as the site's pages write dates (locale-independent)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def one_year_after(day: datetime.date) -> datetime.date:
    """The same day a year later (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return datetime.date(day.year + 1, 2, 28)


def one_year_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (29 February -> 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return datetime.date(day.year - 1, 2, 28)


def period_end(start: datetime.date) -> datetime.date:
    """Last day of a 12-month period starting on `start` (25 April -> 24 April next year)."""
    try:
        next_start = start.replace(year=start.year + 1)
    except ValueError:  # 29 February: the period runs to 28 February
        next_start = datetime.date(start.year + 1, 3, 1)
    return next_start - datetime.timedelta(days=1)


def age_on(birth_date: datetime.date, date: datetime.date) -> int:
    return date.year - birth_date.year - ((date.month, date.day) < (birth_date.month, birth_date.day))


def cap_by_formula(prisbasbelopp: int, share_in_thousandths: int, step: int) -> int:
    """The law's cap: the share of the prisbasbelopp rounded down to a whole step, computed in
    integers so that no rounding error can move it across a step."""
    return prisbasbelopp * share_in_thousandths // (1000 * step) * step


def genitive(name: str) -> str:
    """'Capio Go' -> 'Capio Gos'; a name ending in s, x or z takes no s ('Capio Plus')."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def sentence_start(text: str) -> str:
    """'den digitala mottagningen' -> 'Den digitala mottagningen'. Unlike str.capitalize, the
    rest keeps its case, so a name stays a name ('Capio Go', not 'Capio go')."""
    return text[:1].upper() + text[1:]


def share_text(thousandths: int) -> str:
    """25 -> '0,025'."""
    return f"{thousandths / 1000:.3f}".rstrip("0").replace(".", ",")


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
    frikort: bool = False
    """The patient says they already hold a frikort valid on the visit date."""


@dataclass
class Result:
    """What the visit costs and where the patient stands against the cap."""

    fee: int | None
    """The ordinary fee of this visit for this patient (0 when the age makes it free); None
    only for a frikort holder whose ordinary fee is not known (they pay nothing anyway)."""
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
    """Where each number comes from, with the date it was checked (one line each)."""
    notes: list[str] = field(default_factory=list)
    """Swedish explanations."""
    basis: list[dict] = field(default_factory=list)
    """Each number the answer uses, with its full provenance (see `_Explanation.use`)."""
    region_code: str = ""
    """The region whose fees apply, as understood from the input."""
    region_name: str = ""
    frikort_held: bool = False
    """The patient said they already hold a frikort valid on the visit date."""
    data_until: datetime.date | None = None
    """The last visit date the values this answer rests on cover (a year after the newest)."""
    uncertain: list[str] = field(default_factory=list)
    """Parts of the answer ("fee", "age", "cap") that rest on old or unconfirmed values."""
    age: int | None = None
    """The patient's age on the visit date, as given or from the birth date (a page's link
    carries it instead of the birth date)."""

    @property
    def summary(self) -> list[str]:
        """The answer in a patient's words, first what the visit costs, then what is left;
        "troligen" where it rests on old or unconfirmed data."""
        likely = bool({"fee", "age"} & set(self.uncertain))
        if self.frikort_held:
            first = "Du betalar ingenting för besöket, eftersom du har frikort."
        else:
            first = (f"Besöket kostar dig troligen {kronor(self.to_pay)}" if likely
                     else f"Du betalar {kronor(self.to_pay)} för besöket")
            if self.fee is not None and self.to_pay != self.fee:
                first += f" (ordinarie avgift {'troligen ' if likely else ''}{kronor(self.fee)})"
            first += "."
        lines = [first]
        if not self.frikort:  # a frikort is explained in the notes
            cap_likely = "cap" in self.uncertain
            lines.append(
                f"Kvar till frikort: {'troligen ' if cap_likely else ''}{kronor(self.remaining)} "
                f"(högkostnadstaket är {'troligen ' if cap_likely else ''}{kronor(self.cap)})."
            )
        if self.period_end and not self.frikort:
            lines.append(f"Perioden gäller till och med {swedish_date(self.period_end)}.")
        return lines

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
            "basis": self.basis,
            "region": {"code": self.region_code, "name": self.region_name},
            "frikort_held": self.frikort_held,
            "data_until": self.data_until.isoformat() if self.data_until else None,
            "uncertain": self.uncertain,
            "summary": self.summary,
            "age": self.age,
        }


class _Explanation:
    """Collects, while the rules run, every dated value consulted (for how far the data
    reaches), the numbers used with their provenance, and notes."""

    def __init__(self) -> None:
        self.sources: list[str] = []
        self.notes: list[str] = []
        self.basis: list[dict] = []
        self.consulted: list[Dated] = []
        self.national_cap_from: datetime.date | None = None
        """When the national cap used applies from (it is set once a year)."""
        self.uncertain: set[str] = set()
        """Which parts of the answer ("fee", "age", "cap") rest on old or unconfirmed values."""

    def consult(self, fact: Dated | None) -> None:
        if fact is not None:
            self.consulted.append(fact)

    def use(self, label: str, what: str, value: str, fact: Dated, kind: str = "") -> None:
        """The answer uses `fact`, shown as `what`: `value` (Swedish). `label` heads its line
        under `sources`. `kind` ("fee", "age" or "cap") says which part of the answer rests on
        it, so an old or unconfirmed value makes that part read "troligen"."""
        self.consult(fact)
        if fact.remark and kind:
            self.uncertain.add(kind)
        text = f"{label}: {fact.citation()}"
        if text not in self.sources:
            self.sources.append(text)
        item = {
            "what": what,
            "value": value,
            "source": fact.source,
            "url": fact.url,
            "source_date": fact.source_date,
            "valid_from": fact.valid_from.isoformat(),
            "checked": fact.checked.isoformat(),
            "status": fact.status,
            "status_text": fact.status_label,
            "valid_from_basis": fact.valid_from_basis,
            "valid_from_basis_text": fact.valid_from_basis_text,
            "old": fact.old,
            "remark": fact.remark,
        }
        if item not in self.basis:
            self.basis.append(item)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def newest(self) -> datetime.date | None:
        return max((fact.valid_from for fact in self.consulted), default=None)


class _NeedsBirthDate(InputError):
    """The age in years cannot decide whether care is free; the birth date can."""


def calculate(tables: FeeTables, visit: Visit) -> Result:
    """Apply the rules to one visit; raises InputError or UnknownFeeError instead of guessing."""
    region = _check_visit(tables, visit)
    explanation = _Explanation()
    try:
        result = _calculate(tables, region, visit, explanation)
    except CalculatorError:
        _refuse_beyond_data(visit.date, explanation)  # the more basic reason comes first
        raise
    result.data_until = _refuse_beyond_data(visit.date, explanation)
    return result


def _calculate(tables: FeeTables, region: Region, visit: Visit, explanation: _Explanation) -> Result:
    cap = _cap(tables, region, visit.date, explanation)
    if visit.frikort:
        return _with_frikort(tables, region, visit, cap, explanation)
    if visit.paid > cap:
        raise InputError(
            f"Du har angett att du har betalat {kronor(visit.paid)}, men högkostnadstaket är "
            f"{kronor(cap)}. Mer än taket betalar ingen under en period: kontrollera beloppet. "
            "Har du redan frikort, ange det i stället.",
            field="paid",
        )
    free = _free_by_age(tables, region, visit, explanation)
    fee = 0 if free else _fee(tables, region, visit, explanation)
    if free is None and fee > 0:
        raise _unknown_age_rule(region)
    to_pay = min(fee, cap - visit.paid)
    remaining = cap - visit.paid - to_pay
    frikort = remaining == 0
    if to_pay < fee and visit.paid < cap:
        explanation.note(
            f"Besöket kostar {kronor(to_pay)} i stället för {kronor(fee)}: då når du taket på {kronor(cap)}."
        )
    end = _period_end(visit, to_pay, explanation)
    if frikort:
        until = f" till och med {swedish_date(end)}" if end else " resten av perioden"
        explanation.note(f"Du har frikort{until}. Då är besök i öppen vård gratis i hela landet.")
    elif to_pay > 0 or visit.paid > 0:
        explanation.note(f"Efter besöket har du {kronor(remaining)} kvar innan du får frikort.")
    if to_pay > 0 and not _note_earlier_lower_cap(tables, region, visit, cap, explanation):
        explanation.note(
            "Om du redan har ett frikort som gäller på besöksdagen betalar du ingenting för besöket: ange det i så fall."
        )
    return _result(region, visit, explanation, fee=fee, to_pay=to_pay, remaining=remaining, cap=cap,
                   frikort=frikort, period_end=end)


def _with_frikort(tables: FeeTables, region: Region, visit: Visit, cap: int, explanation: _Explanation) -> Result:
    """A frikort holder pays nothing for the visit, whatever its ordinary fee, even one that
    is not known; what the visit would have cost is still told when it is known."""
    try:
        free = _free_by_age(tables, region, visit, explanation)
        fee: int | None = 0 if free else _fee(tables, region, visit, explanation)
        if free is None and fee:
            raise _unknown_age_rule(region)
    except (UnknownFeeError, _NeedsBirthDate):
        fee = None
    end = period_end(visit.period_start) if visit.period_start is not None else None
    until = f" Det gäller till och med {swedish_date(end)}." if end else ""
    explanation.note(
        f"Du har frikort, så besöket är gratis. Frikortet gäller i öppen vård i hela landet.{until}"
    )
    if fee is None:
        explanation.note("Vad besöket hade kostat utan frikort vet vi inte, men med frikort betalar du ingenting.")
    elif fee > 0:
        explanation.note(f"Utan frikort hade besöket kostat {kronor(fee)}.")
    return _result(region, visit, explanation, fee=fee, to_pay=0, remaining=0, cap=cap, frikort=True, period_end=end)


def _result(region: Region, visit: Visit, explanation: _Explanation, **numbers) -> Result:
    return Result(
        **numbers, sources=explanation.sources, notes=explanation.notes, basis=explanation.basis,
        region_code=region.code, region_name=region.name, frikort_held=visit.frikort,
        uncertain=sorted(explanation.uncertain),
        age=visit.age if visit.age is not None else (
            age_on(visit.birth_date, visit.date) if visit.birth_date is not None else None),
    )


def _unknown_age_rule(region: Region) -> UnknownFeeError:
    return UnknownFeeError(
        f"Vi vet inte upp till vilken ålder vården är gratis i {region.name}, och det avgör "
        "vad besöket kostar i din ålder. Fråga din vårdcentral.",
        field="age",
    )


def _note_earlier_lower_cap(tables: FeeTables, region: Region, visit: Visit, cap: int,
                            explanation: _Explanation) -> bool:
    """Whether the patient has paid at least a lower cap that was in force earlier in the
    period: then they may hold a frikort from back then, which only they can tell (it keeps its
    validity when the cap rises). Says so in a note rather than assuming it either way."""
    if visit.paid == 0:
        return False
    start = visit.period_start or one_year_before(visit.date) + datetime.timedelta(days=1)
    reached = []
    for day in _cap_change_dates(tables, region, start, visit.date):
        try:
            earlier = cap_in_force(tables, region, day)
        except UnknownFeeError:
            continue
        if earlier <= visit.paid < cap:
            reached.append(earlier)
    if not reached:
        return False
    explanation.note(
        f"Du har betalat {kronor(visit.paid)}. Tidigare under perioden var högkostnadstaket "
        f"{kronor(max(reached))}: nådde du det då fick du frikort, och det gäller resten av perioden "
        "även om taket har höjts sedan dess. Har du frikort, ange det, så blir besöket gratis."
    )
    return True


def _cap_change_dates(tables: FeeTables, region: Region, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """`start` and every date a value deciding the cap changed between `start` and `end`."""
    changes = [cap.valid_from for cap in region.caps]
    for name in (NATIONAL_CAP, PRISBASBELOPP, CAP_SHARE, CAP_ROUNDING):
        parameter = tables.parameters.get(name)
        changes += [value.valid_from for value in (parameter.values if parameter else [])]
    return [start] + sorted({day for day in changes if start < day < end})


def _refuse_beyond_data(date: datetime.date, explanation: _Explanation) -> datetime.date | None:
    """The last date the consulted values cover (a year after the newest); refuses a visit
    after it, and notes a visit in a later year than the newest value."""
    newest = explanation.newest()
    if newest is None:
        return None
    last = one_year_after(newest)
    if date > last:
        raise UnknownFeeError(
            f"Vi har uppgifter som räcker till och med {swedish_date(last)}. Besöksdagen "
            f"{swedish_date(date)} ligger senare, och avgifterna och högkostnadstaket kan ha ändrats "
            f"sedan dess. Välj en besöksdag till och med {swedish_date(last)}.",
            field="date",
        )
    if date.year > newest.year:
        explanation.notes.insert(0, (
            f"Vi har inga uppgifter för {date.year} ännu. Beräkningen bygger på de senaste "
            f"uppgifterna (från {swedish_date(newest)}), som kan ha ändrats."
        ))
    elif explanation.national_cap_from is not None and date.year > explanation.national_cap_from.year:
        explanation.notes.insert(0, (
            f"Vi har inget högkostnadstak för {date.year} ännu. Beräkningen använder taket från "
            f"{swedish_date(explanation.national_cap_from)}, som kan ha ändrats."
        ))
    return last


def _check_visit(tables: FeeTables, visit: Visit) -> Region:
    region = tables.regions.get(visit.region)
    if region is None:
        known = ", ".join(f"{code} ({item.name})" for code, item in tables.regions.items())
        raise InputError(f"Okänd region '{visit.region}'. Ange en av regionerna: {known}.", field="region")
    for name, value, allowed in (
        ("provider", visit.provider, PROVIDERS),
        ("profession", visit.profession, PROFESSIONS),
        ("contact", visit.contact, CONTACTS),
    ):
        if value not in allowed:
            raise InputError(f"Okänt värde '{value}'. Välj ett av: {', '.join(allowed)}.", field=name)
    if isinstance(visit.paid, bool) or not isinstance(visit.paid, int) or visit.paid < 0:
        raise InputError("Betalt belopp måste vara ett helt antal kronor, 0 eller mer.", field="paid")
    if not isinstance(visit.frikort, bool):
        raise InputError("Frikort ska anges som ja eller nej.", field="frikort")
    for name, day in (("date", visit.date), ("birth-date", visit.birth_date), ("period-start", visit.period_start)):
        if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
            raise InputError(
                f"Datumet {swedish_date(day)} ligger utanför det som går att räkna på "
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
                f"Perioden som började {swedish_date(visit.period_start)} slutade "
                f"{swedish_date(period_end(visit.period_start))}. Då börjar en ny period med det här besöket: "
                "ange 0 kr som betalt och inget startdatum.",
                field="period-start",
            )
    return region


@dataclass(frozen=True)
class NationalCap:
    """The national cap on a date and what it rests on."""

    value: int
    fact: Dated
    """Its provenance: the stored value's, or the formula's when only the formula gives it."""
    prisbasbelopp: DatedValue | None = None
    """The year's prisbasbelopp, when the formula gives (or confirms) the cap."""
    rule: tuple[DatedValue, ...] = ()
    """The share and the rounding step, when the formula alone gives the cap."""


def national_cap(tables: FeeTables, date: datetime.date) -> NationalCap | None:
    """The national cap in force on `date`: the law's formula applied to the prisbasbelopp, or
    the stored cap when it is newer than the prisbasbelopp known (or that one is unknown).
    A stored cap and a formula for the same date that disagree are refused, never chosen from."""
    law = tables.at(date).hogkostnadsskydd
    stored = law.nationellt_tak if law else None
    base = law.prisbasbelopp if law else None
    share = law.andel_av_prisbasbelopp if law else None
    step = law.avrundning if law else None
    derived = None
    if (base is not None and base.value is not None and share is not None and share.value
            and step is not None and step.value):
        derived = cap_by_formula(base.value, share.value, step.value)
    if derived is not None and (stored is None or stored.valid_from < base.valid_from):
        fact = Dated(
            valid_from=base.valid_from,
            source=(f"Beräknat med lagens regel: {share_text(share.value)} × prisbasbeloppet "
                    f"{kronor(base.value)}, avrundat nedåt till närmaste {kronor(step.value)}"),
            checked=base.checked, status="beräknad", valid_from_basis=base.valid_from_basis,
        )
        return NationalCap(derived, fact, base, (share, step))
    if stored is None or stored.value is None:
        return None
    confirms = derived is not None and stored.valid_from == base.valid_from
    if confirms and derived != stored.value:
        raise UnknownFeeError(
            f"Uppgifterna om högkostnadstaket den {swedish_date(date)} stämmer inte med varandra "
            f"({kronor(stored.value)} mot {kronor(derived)} enligt lagens regel). Vi räknar inte på "
            "motstridiga uppgifter.",
            field="date",
        )
    return NationalCap(stored.value, stored, base if confirms else None)


def cap_in_force(tables: FeeTables, region: Region, date: datetime.date) -> int:
    """The high-cost cap in force on `date` in `region` (the region's own when lower)."""
    return _cap(tables, region, date, _Explanation())


def _cap(tables: FeeTables, region: Region, date: datetime.date, explanation: _Explanation) -> int:
    national = national_cap(tables, date)
    if national is None:
        raise UnknownFeeError(
            f"Vi har inga uppgifter om högkostnadsskyddet den {swedish_date(date)}.", field="date"
        )
    explanation.consult(national.fact)
    explanation.consult(region.cap_entry_at(date))
    regional = region.cap_at(date)
    if regional is not None and regional.value < national.value:
        explanation.use("Högkostnadstak i regionen", f"Högkostnadstak i {region.name}", kronor(regional.value), regional,
                        kind="cap")
        remark = f" (uppgiften är {regional.remark})" if regional.remark else ""
        explanation.note(f"{region.name} har ett lägre högkostnadstak: {kronor(regional.value)}{remark}.")
        return regional.value
    explanation.use("Högkostnadstak", "Högkostnadstak", kronor(national.value), national.fact, kind="cap")
    explanation.national_cap_from = national.fact.valid_from
    if national.prisbasbelopp is not None:
        explanation.use(
            "Prisbasbelopp för högkostnadstaket", f"Prisbasbelopp {national.prisbasbelopp.valid_from.year} (taket räknas fram ur det)",
            kronor(national.prisbasbelopp.value), national.prisbasbelopp,
        )
    _use_rule(national, explanation)
    if national.fact.remark:
        explanation.note(
            f"Högkostnadstaket {kronor(national.value)} för {date.year}: uppgiften är {national.fact.remark}."
        )
    return national.value


def _use_rule(national: NationalCap, explanation: _Explanation) -> None:
    if not national.rule:
        return
    share, step = national.rule
    explanation.use("Lagens regel för taket", "Andel av prisbasbeloppet", share_text(share.value), share)
    explanation.use("Lagens regel för taket", "Taket avrundas nedåt till närmaste", kronor(step.value), step)


def _free_by_age(tables: FeeTables, region: Region, visit: Visit, explanation: _Explanation) -> bool | None:
    """Whether the patient's age makes the visit free; None when the region's rule is unknown
    and it matters (the caller then refuses unless the visit is free anyway)."""
    age = visit.age if visit.age is not None else age_on(visit.birth_date, visit.date)
    ages = tables.at(visit.date).alder
    free_from = ages.avgiftsfritt_fran if ages else None
    if free_from is not None and free_from.value is not None and age >= free_from.value:
        explanation.use("Avgiftsfritt för äldre", "Avgiftsfri vård från", f"{free_from.value} år", free_from, kind="age")
        explanation.note(f"Från {free_from.value} års ålder betalar du ingen avgift i öppen vård.")
        return True
    free_under = ages.avgiftsfritt_under if ages else None
    if free_under is not None and free_under.value is not None and age < free_under.value:
        explanation.use("Avgiftsfritt för barn", "Avgiftsfri vård i hela landet under", f"{free_under.value} år", free_under,
                        kind="age")
        explanation.note(f"Vård för barn och unga under {free_under.value} år är gratis i hela landet.")
        return True
    rule = region.age_rule_at(visit.date)
    explanation.consult(rule)
    if rule is None or rule.kind == "unknown":
        highest = _highest_free_age(tables, visit.date)
        if highest is not None and age >= highest:
            return False
        return None
    described = f"under {rule.age} år" if rule.kind == "under" else f"till och med det år man fyller {rule.age}"
    explanation.use(f"Åldersgräns i {region.name}", f"Avgiftsfri vård i {region.name}", described, rule, kind="age")
    if rule.kind == "under":
        if age < rule.age:
            explanation.note(f"I {region.name} är vården gratis för dig som är under {rule.age} år.")
            return True
        return False
    # "end-of-year": free until 31 December of the year the patient turns rule.age.
    if visit.birth_date is not None:
        free = visit.date.year <= visit.birth_date.year + rule.age
    elif age == rule.age:
        raise _NeedsBirthDate(
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
    # The national clinic by the name patients know it by (site.yml's, compiled into the data).
    clinic = tables.national_clinic_name
    rule = tables.national_clinic_at(visit.date)
    if rule is None:
        raise UnknownFeeError(
            f"Vi har inga uppgifter om {genitive(clinic)} avgifter den {swedish_date(visit.date)}.",
            field="date",
        )
    if visit.contact not in rule.contacts:
        offered = " och ".join(CONTACT_NAMES[contact] for contact in rule.contacts)
        raise InputError(f"{sentence_start(clinic)} har bara {offered}.", field="contact")
    contact = CONTACT_NAMES[visit.contact]
    spec = rule.regions.get(region.code, {}).get(visit.contact, rule.default)
    shown = "samma som ett besök på plats på vårdcentral" if spec == SAME_AS_CLINIC_VISIT else kronor(int(spec))
    explanation.use(
        f"Avgift hos {clinic}",
        f"{sentence_start(contact)} hos {clinic} för dig som bor i {region.name}",
        shown, rule, kind="fee",
    )
    if rule.remark:
        explanation.note(f"{sentence_start(genitive(clinic))} avgifter: uppgiften är {rule.remark}.")
    if rule.note:
        explanation.note(rule.note)
    if spec == SAME_AS_CLINIC_VISIT:
        fee = _clinic_fee(region, visit.date, visit.profession, "besok", f"besök på plats hos {PROFESSION_NAMES[visit.profession]}",
                          explanation, national=(contact, clinic))
        explanation.note(
            f"För dig som bor i {region.name} kostar {contact} hos {clinic} lika mycket som ett besök på plats "
            f"på vårdcentral: {kronor(fee)}."
        )
        return fee
    if spec == 0:
        explanation.note(f"{sentence_start(contact)} hos {clinic} är gratis för dig som bor i {region.name}.")
    return int(spec)


def _clinic_fee(region: Region, date: datetime.date, profession: str, contact: str, what: str,
                explanation: _Explanation, national: tuple[str, str] | None = None) -> int:
    """The vårdcentral fee; `national` (the contact's name, the clinic's name) when the national
    clinic charges the same as a visit at a vårdcentral, so an unknown fee is explained in the
    patient's own terms."""
    fee, block = region.fee_at(date, "vardcentral", profession, contact)
    explanation.consult(block)
    if fee is None or block is None:
        if national is not None:
            national_contact, clinic = national
            raise UnknownFeeError(
                f"För dig som bor i {region.name} kostar {national_contact} hos {clinic} lika mycket som ett "
                f"besök på plats på en vårdcentral i regionen, och den avgiften har vi ingen källa för. "
                f"Fråga {region.name} eller {clinic}.",
                field="contact",
            )
        raise UnknownFeeError(
            f"Vi vet inte vad {what} kostar på vårdcentral i {region.name}: vi har ingen källa "
            "för den avgiften. Fråga vårdcentralen innan besöket.",
            field="contact",
        )
    explanation.use(f"Avgift i {region.name}", f"{what.capitalize()} på vårdcentral i {region.name}", kronor(fee), block,
                    kind="fee")
    remark = f" (uppgiften är {block.remark})" if block.remark else ""
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
            f"{swedish_date(period_end(visit.date))}."
        )
        return period_end(visit.date)
    if visit.paid > 0:
        explanation.note("Ange datum för din första avgift i perioden, så ser du när perioden slutar.")
    return None
