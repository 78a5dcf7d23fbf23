"""Property tests (Hypothesis) over generated visits: the invariants of the fee and the cap hold
for every region, date, provider, profession, contact, age and amount already paid."""

from __future__ import annotations

import dataclasses
import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patientavgift import CalculatorError, InputError, Visit, calculate
from patientavgift.data import CONTACTS, PROFESSIONS, PROVIDERS
from patientavgift.rules import NATIONAL_CAP, age_on

FIRST_DAY = datetime.date(2019, 1, 1)
LAST_DAY = datetime.date(2026, 12, 31)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def visits(draw, regions: list[str]) -> Visit:
    """A visit with any inputs in range; the patient is given by age or, sometimes, birth date;
    a period start, when given, lies within the 12 months before the visit."""
    date = draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
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
    return Visit(
        region=draw(st.sampled_from(regions)),
        date=date,
        provider=draw(st.sampled_from(PROVIDERS)),
        profession=draw(st.sampled_from(PROFESSIONS)),
        contact=draw(st.sampled_from(CONTACTS)),
        # 0..2000, with amounts close to the caps (1 150-1 450) drawn more often.
        paid=draw(st.integers(min_value=0, max_value=2000) | st.integers(min_value=900, max_value=1450)),
        age=age,
        birth_date=birth_date,
        period_start=period_start,
    )


def patient_age(visit: Visit) -> int:
    return visit.age if visit.age is not None else age_on(visit.birth_date, visit.date)


def outcome(tables, visit: Visit):
    """The result, or the CalculatorError raised; any other exception fails the test."""
    try:
        return calculate(tables, visit)
    except CalculatorError as error:
        return error


@SETTINGS
@given(data=st.data())
def test_generated_visits_are_within_the_cap(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    result = outcome(tables, visit)
    if isinstance(result, CalculatorError):
        return
    assert 0 <= result.to_pay <= result.fee
    assert visit.paid + result.to_pay <= result.cap
    assert result.remaining == result.cap - visit.paid - result.to_pay
    assert result.frikort == (result.remaining == 0)


@SETTINGS
@given(data=st.data())
def test_generated_visits_pay_the_fee_or_what_is_left_of_the_cap(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    result = outcome(tables, visit)
    if isinstance(result, CalculatorError):
        return
    assert result.to_pay == min(result.fee, result.cap - visit.paid)


@SETTINGS
@given(data=st.data())
def test_generated_visits_are_free_from_85(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    result = outcome(tables, visit)
    if isinstance(result, CalculatorError) or patient_age(visit) < 85:
        return
    assert result.fee == 0
    assert result.to_pay == 0


@SETTINGS
@given(data=st.data())
def test_generated_visits_are_free_under_18(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    result = outcome(tables, visit)
    if isinstance(result, CalculatorError) or patient_age(visit) >= 18:
        return
    assert result.fee == 0
    assert result.to_pay == 0


@SETTINGS
@given(data=st.data())
def test_generated_visits_fail_only_with_a_calculator_error_with_a_message(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    try:
        calculate(tables, visit)
    except CalculatorError as error:
        assert isinstance(error.message, str) and error.message.strip()
        assert error.exit_code == 2


@SETTINGS
@given(data=st.data())
def test_generated_results_carry_sources_and_a_period_end_after_a_first_fee(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    result = outcome(tables, visit)
    if isinstance(result, CalculatorError):
        return
    assert result.sources and all(isinstance(source, str) and source for source in result.sources)
    assert all(isinstance(note, str) and note for note in result.notes)
    if visit.period_start is not None:
        assert result.period_end is not None and result.period_end >= visit.date
    elif visit.paid == 0 and result.to_pay > 0:
        assert result.period_end is not None and result.period_end > visit.date


@SETTINGS
@given(data=st.data())
def test_paid_above_the_cap_always_raises_input_error(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    national_cap = tables.parameter(NATIONAL_CAP, visit.date).value  # regional caps are lower
    above = data.draw(st.integers(min_value=national_cap + 1, max_value=national_cap + 5000))
    visit = dataclasses.replace(visit, paid=above)
    try:
        calculate(tables, visit)
    except InputError as error:
        assert error.field == "paid"
    else:
        raise AssertionError(f"paid {above} > cap {national_cap} was accepted")


@SETTINGS
@given(data=st.data())
def test_calculation_is_deterministic(tables, data):
    visit = data.draw(visits(sorted(tables.regions)))
    first, second = outcome(tables, visit), outcome(tables, visit)
    if isinstance(first, CalculatorError):
        assert type(second) is type(first)
        assert (second.message, second.field) == (first.message, first.field)
    else:
        assert first.as_dict() == second.as_dict()
