"""Property tests (Hypothesis) over generated visits: the invariants of the fee and the cap hold
for every region, every date the data covers, provider, profession, contact, age, amount
already paid and frikort.

A property only bites for the visits the calculator answers, so each test counts how many
generated examples reached a result rather than a refusal (an unknown fee, a date outside the
data), prints it (`pytest -s`) and fails when too few did.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patientavgift import CalculatorError, InputError, Result, Visit, calculate
from patientavgift.data import CONTACTS, PROFESSIONS, PROVIDERS
from patientavgift.rules import age_on, cap_in_force, one_year_after

EXAMPLES = 400
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
MINIMUM_ANSWERED = 0.4
"""The share of generated examples that must reach a result for a property to count (about
0.55-0.85 reach one; the rest are visits the data cannot price, which must be refused)."""


def data_span(tables) -> tuple[datetime.date, datetime.date]:
    """From the first dated value in the data to the last day an answer may rest on its newest."""
    dates = [value.valid_from for parameter in tables.parameters.values() for value in parameter.values]
    for region in tables.regions.values():
        dates += [fact.valid_from for fact in region.caps + region.age_rules + region.fee_blocks]
    dates += [rule.valid_from for rule in tables.national_clinic]
    return min(dates), one_year_after(max(dates))


@st.composite
def visits(draw, tables, frikort: bool | None = False) -> Visit:
    """A visit with any inputs in range; the patient is given by age or, sometimes, birth date;
    a period start, when given, lies within the 12 months before the visit. `frikort`: whether
    the patient holds one (None: either)."""
    first, last = data_span(tables)
    # Any date the data covers, with the years where the cap and then every region have data
    # drawn more often.
    date = draw(st.dates(min_value=first, max_value=last) | st.dates(min_value=datetime.date(2019, 1, 1), max_value=last)
                | st.dates(min_value=datetime.date(2024, 4, 1), max_value=last))
    # All ages 0..110, with adults of working age (who pay) drawn more often than chance would.
    age = draw(st.integers(min_value=0, max_value=110) | st.integers(min_value=20, max_value=84))
    birth_date = None
    if draw(st.booleans()):
        # A birth date that gives this age on the visit date.
        if (date.month, date.day) == (2, 29):
            latest_birth = datetime.date(date.year - age, 2, 28)
        else:
            latest_birth = date.replace(year=date.year - age)
        birth_date = latest_birth - datetime.timedelta(days=draw(st.integers(min_value=0, max_value=364)))
        age = None
    period_start = None
    if draw(st.booleans()):
        period_start = date - datetime.timedelta(days=draw(st.integers(min_value=0, max_value=364)))
    provider = draw(st.sampled_from(PROVIDERS))
    # Every profession and contact, with a doctor's visit (whose fee most regions publish) drawn
    # more often; the national clinic offers chat and video only, so others come up rarely there.
    contacts = st.sampled_from(CONTACTS) | st.just("besok") if provider == "vardcentral" else st.sampled_from(
        ("chatt", "video", "chatt", "video", "besok"))
    return Visit(
        region=draw(st.sampled_from(sorted(tables.regions))),
        date=date,
        provider=provider,
        profession=draw(st.sampled_from(PROFESSIONS) | st.just("lakare")),
        contact=draw(contacts),
        # 0..2000 (above every cap: refused), mostly up to the caps and often close to them.
        paid=draw(st.integers(min_value=0, max_value=1450) | st.integers(min_value=900, max_value=1450)
                  | st.integers(min_value=0, max_value=2000)),
        age=age,
        birth_date=birth_date,
        period_start=period_start,
        frikort=draw(st.booleans()) if frikort is None else frikort,
    )


def patient_age(visit: Visit) -> int:
    return visit.age if visit.age is not None else age_on(visit.birth_date, visit.date)


def outcome(tables, visit: Visit) -> Result | CalculatorError:
    """The result, or the CalculatorError raised; any other exception fails the test."""
    try:
        return calculate(tables, visit)
    except CalculatorError as error:
        return error


def holds(name: str, strategy, check) -> None:
    """Runs `check(example)` over generated examples; `check` returns whether the example
    reached a result. Fails unless enough did."""
    tally: collections.Counter = collections.Counter()

    @SETTINGS
    @given(strategy)
    def run(example):
        tally["answered" if check(example) else "refused"] += 1

    run()
    total = sum(tally.values())
    print(f"\n{name}: {tally['answered']} of {total} generated examples reached a result")
    assert total >= EXAMPLES // 2, f"{name}: only {total} examples ran"
    assert tally["answered"] >= MINIMUM_ANSWERED * total, (
        f"{name}: only {tally['answered']} of {total} examples reached calculate()'s result; the property does not bite"
    )


def test_generated_visits_are_within_the_cap(tables):
    def check(visit):
        result = outcome(tables, visit)
        if isinstance(result, CalculatorError):
            return False
        assert 0 <= result.to_pay <= result.fee
        assert visit.paid + result.to_pay <= result.cap
        assert result.remaining == result.cap - visit.paid - result.to_pay
        assert result.frikort == (result.remaining == 0)
        return True

    holds("within the cap", visits(tables), check)


def test_generated_visits_pay_the_fee_or_what_is_left_of_the_cap(tables):
    def check(visit):
        result = outcome(tables, visit)
        if isinstance(result, CalculatorError):
            return False
        assert result.to_pay == min(result.fee, result.cap - visit.paid)
        return True

    holds("fee or what is left", visits(tables), check)


def test_to_pay_never_rises_as_paid_rises(tables):
    """No jump: the same visit with more already paid never costs more (the issue: 1 399 paid ->
    51 kr, 1 400 -> 0, 1 401 -> 49 when a lower cap from earlier in the period was taken for a
    frikort). Each example also tries the amounts at and next to the caps in force at the start
    of the period and on the visit date, where such a jump would be."""
    amounts = st.lists(st.integers(min_value=0, max_value=1450) | st.integers(min_value=1100, max_value=1450)
                       | st.integers(min_value=0, max_value=2000), min_size=1, max_size=4)

    def caps_around(visit):
        start = visit.period_start or visit.date - datetime.timedelta(days=364)
        found = set()
        for day in (start, visit.date):
            try:
                cap = cap_in_force(tables, tables.regions[visit.region], day)
            except CalculatorError:
                continue
            found |= {cap - 1, cap, cap + 1}
        return found

    def check(example):
        visit, paid = example
        answered = []
        for amount in sorted(set(paid) | caps_around(visit)):
            result = outcome(tables, dataclasses.replace(visit, paid=amount))
            if isinstance(result, Result):
                answered.append((amount, result.to_pay))
        pays = [to_pay for _, to_pay in answered]
        assert pays == sorted(pays, reverse=True), (visit, answered)
        return len(answered) >= 2

    holds("never rises", st.tuples(visits(tables), amounts), check)


def test_a_frikort_holder_pays_nothing_and_is_answered_whenever_others_are(tables):
    def check(visit):
        holder = outcome(tables, dataclasses.replace(visit, frikort=True))
        other = outcome(tables, dataclasses.replace(visit, frikort=False))
        if isinstance(other, Result):
            assert isinstance(holder, Result), (visit, holder.message)
        if isinstance(holder, CalculatorError):
            return False
        assert (holder.to_pay, holder.remaining, holder.frikort, holder.frikort_held) == (0, 0, True, True)
        if isinstance(other, Result):
            assert (holder.fee, holder.cap) == (other.fee, other.cap)
        return True

    holds("frikort holder", visits(tables, frikort=None), check)


def test_generated_visits_are_free_from_85(tables):
    def check(visit):
        visit = dataclasses.replace(visit, age=max(85, patient_age(visit)), birth_date=None)
        result = outcome(tables, visit)
        if isinstance(result, CalculatorError):
            return False
        assert (result.fee, result.to_pay) == (0, 0)
        return True

    holds("free from 85", visits(tables), check)


def test_generated_visits_are_free_under_18(tables):
    def check(visit):
        visit = dataclasses.replace(visit, age=patient_age(visit) % 18, birth_date=None)
        result = outcome(tables, visit)
        if isinstance(result, CalculatorError):
            return False
        assert (result.fee, result.to_pay) == (0, 0)
        return True

    holds("free under 18", visits(tables), check)


def test_generated_visits_fail_only_with_a_calculator_error_with_a_message(tables):
    def check(visit):
        try:
            calculate(tables, visit)
        except CalculatorError as error:
            assert isinstance(error.message, str) and error.message.strip()
            assert error.exit_code == 2
            return False
        return True

    holds("errors", visits(tables, frikort=None), check)


def test_generated_results_carry_their_basis_and_a_period_end_after_a_first_fee(tables):
    def check(visit):
        result = outcome(tables, visit)
        if isinstance(result, CalculatorError):
            return False
        assert result.sources and all(isinstance(source, str) and source for source in result.sources)
        assert result.basis and result.basis[0]["what"].startswith("Högkostnadstak")
        assert all(isinstance(note, str) and note for note in result.notes)
        assert result.data_until is not None and visit.date <= result.data_until
        if visit.period_start is not None:
            assert result.period_end is not None and result.period_end >= visit.date
        elif visit.paid == 0 and result.to_pay > 0:
            assert result.period_end is not None and result.period_end > visit.date
        return True

    holds("basis", visits(tables, frikort=None), check)


def test_paid_above_the_cap_always_raises_input_error(tables):
    def check(example):
        visit, extra = example
        try:
            cap = cap_in_force(tables, tables.regions[visit.region], visit.date)
        except CalculatorError:
            return False
        visit = dataclasses.replace(visit, paid=cap + extra)
        try:
            calculate(tables, visit)
        except InputError as error:
            if error.field != "paid":
                return False  # another input is impossible first (the age, the period)
            return True
        except CalculatorError:
            return False
        raise AssertionError(f"paid {visit.paid} > cap {cap} was accepted")

    holds("paid above the cap", st.tuples(visits(tables), st.integers(min_value=1, max_value=5000)), check)


def test_calculation_is_deterministic(tables):
    def check(visit):
        first, second = outcome(tables, visit), outcome(tables, visit)
        if isinstance(first, CalculatorError):
            assert type(second) is type(first)
            assert (second.message, second.field) == (first.message, first.field)
            return False
        assert first.as_dict() == second.as_dict()
        return True

    holds("deterministic", visits(tables, frikort=None), check)
