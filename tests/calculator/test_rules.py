"""Unit tests of the rules: every worked example of /work/shared/docs/fee-facts.md, the cap
formula against the data, the explanations (sources and notes), and the dated lookups."""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

import pytest

from patientavgift import CalculatorError, InputError, UnknownFeeError, Visit, calculate
from patientavgift.data import DatedValue, latest
from patientavgift.rules import FREE_FROM_AGE, FREE_UNDER_AGE, NATIONAL_CAP, kronor, period_end

PRISBASBELOPP = "hogkostnadsskydd.prisbasbelopp"
D = datetime.date
NBSP = "\u00a0"


def doctor_visit(**changes) -> Visit:
    """An adult's physical doctor visit at a vårdcentral in Stockholm (275 kr), 2026-03-01."""
    values = dict(
        region="SE-AB", date=D(2026, 3, 1), provider="vardcentral", profession="lakare",
        contact="besok", paid=0, age=40,
    )
    values.update(changes)
    return Visit(**values)


# --- The cap is applied exactly -------------------------------------------------------------

def test_visit_crossing_the_cap_costs_only_what_is_left(tables):
    # fee-facts §2: cap 1 450, 1 300 already paid, a 275 kr visit costs 150 kr.
    result = calculate(tables, doctor_visit(paid=1300))
    assert (result.cap, result.fee, result.to_pay, result.remaining, result.frikort) == (1450, 275, 150, 0, True)


def test_visit_crossing_the_cap_explains_the_reduced_fee(tables):
    result = calculate(tables, doctor_visit(paid=1300))
    assert any(f"150{NBSP}kr i stället för 275{NBSP}kr" in note for note in result.notes)
    assert any(note.startswith("Du har frikort") for note in result.notes)


def test_visit_just_below_the_cap_gives_no_frikort(tables):
    result = calculate(tables, doctor_visit(paid=1174))
    assert (result.to_pay, result.remaining, result.frikort) == (275, 1, False)


def test_visit_reaching_the_cap_exactly_gives_frikort(tables):
    result = calculate(tables, doctor_visit(paid=1175))
    assert (result.to_pay, result.remaining, result.frikort) == (275, 0, True)


def test_frikort_already_reached_makes_the_visit_free(tables):
    result = calculate(tables, doctor_visit(paid=1450))
    assert (result.fee, result.to_pay, result.remaining, result.frikort) == (275, 0, 0, True)


def test_paid_above_the_cap_is_an_input_error(tables):
    with pytest.raises(InputError) as raised:
        calculate(tables, doctor_visit(paid=1451))
    assert raised.value.field == "paid"


def test_frikort_reached_keeps_its_validity_when_the_cap_rises(tables):
    # Period started 2024-06-01, cap 1 400 reached in 2024 -> frikort to 2025-05-31.
    result = calculate(tables, doctor_visit(date=D(2025, 1, 15), paid=1400, period_start=D(2024, 6, 1)))
    assert result.to_pay == 0
    assert result.frikort


# --- The 12-month period ---------------------------------------------------------------------

def test_period_ends_the_day_before_the_anniversary_of_the_first_fee():
    # fee-facts §2 (1177 Västerbotten): first visit 25 April -> free up to and including 24 April.
    assert period_end(D(2025, 4, 25)) == D(2026, 4, 24)


def test_first_fee_of_a_period_sets_its_end(tables):
    result = calculate(tables, doctor_visit(date=D(2025, 4, 25)))
    assert result.to_pay == 275
    assert result.period_end == D(2026, 4, 24)


def test_period_end_comes_from_the_period_start(tables):
    # The worked example: first fee 25 April, cap reached 10 October.
    result = calculate(tables, doctor_visit(date=D(2025, 10, 10), paid=1300, period_start=D(2025, 4, 25)))
    assert (result.to_pay, result.frikort) == (150, True)
    assert result.period_end == D(2026, 4, 24)
    assert any("till och med 2026-04-24" in note for note in result.notes)


def test_frikort_holds_on_the_last_day_of_the_period(tables):
    result = calculate(tables, doctor_visit(date=D(2026, 4, 24), paid=1450, period_start=D(2025, 4, 25)))
    assert (result.to_pay, result.frikort) == (0, True)


def test_period_is_over_the_day_after_its_end(tables):
    with pytest.raises(InputError) as raised:
        calculate(tables, doctor_visit(date=D(2026, 4, 25), paid=1450, period_start=D(2025, 4, 25)))
    assert raised.value.field == "period-start"


def test_period_starting_on_leap_day_ends_on_28_february():
    assert period_end(D(2024, 2, 29)) == D(2025, 2, 28)


def test_first_fee_on_leap_day_ends_the_period_on_28_february(tables):
    result = calculate(tables, Visit(
        region="SE-F", date=D(2024, 2, 29), provider="vardcentral", profession="lakare", contact="besok", age=40,
    ))
    assert result.period_end == D(2025, 2, 28)


def test_leap_day_period_start_covers_28_february_but_not_1_march(tables):
    inside = calculate(tables, doctor_visit(date=D(2025, 2, 28), paid=100, period_start=D(2024, 2, 29)))
    assert inside.period_end == D(2025, 2, 28)
    with pytest.raises(InputError):
        calculate(tables, doctor_visit(date=D(2025, 3, 1), paid=100, period_start=D(2024, 2, 29)))


def test_paid_without_period_start_asks_for_the_start(tables):
    result = calculate(tables, doctor_visit(paid=300))
    assert result.period_end is None
    assert any("första avgift" in note for note in result.notes)


# --- The cap formula against the data --------------------------------------------------------

def test_national_cap_follows_the_prisbasbelopp_formula_every_year_it_is_known(tables):
    # fee-facts §1: cap = 0.025 × prisbasbelopp, rounded down to the nearest 50 kr.
    checked = []
    for value in tables.parameters[PRISBASBELOPP].values:
        if value.value is None:
            continue
        expected = (Fraction(25, 1000) * value.value // 50) * 50
        cap = tables.parameter(NATIONAL_CAP, value.valid_from)
        assert cap is not None and cap.value == expected, value.valid_from
        checked.append(value.valid_from.year)
    assert sorted(checked) == [2019, 2020, 2021, 2023, 2024, 2025, 2026]


def test_cap_formula_rounds_down_not_to_nearest():
    # 2024: 0.025 × 57 300 = 1 432.50, which rounds down to 1 400 (not up to 1 450).
    assert (Fraction(25, 1000) * 57300 // 50) * 50 == 1400


def test_calculator_uses_the_national_cap_of_the_visit_date(tables):
    for year in range(2019, 2027):
        date = D(year, 6, 1)
        result = calculate(tables, Visit(
            region="SE-F", date=date, provider="vardcentral", profession="lakare", contact="besok", age=40,
        ))
        assert result.cap == tables.parameter(NATIONAL_CAP, date).value, year


# --- Age rules --------------------------------------------------------------------------------

def test_free_from_85_by_law_since_2017(tables):
    free_from = tables.parameter(FREE_FROM_AGE, D(2017, 1, 1))
    assert free_from is not None and free_from.value == 85
    assert tables.parameter(FREE_FROM_AGE, D(2016, 12, 31)) is None


def test_84_year_old_pays_and_85_year_old_does_not(tables):
    assert calculate(tables, doctor_visit(age=84)).to_pay == 275
    result = calculate(tables, doctor_visit(age=85))
    assert (result.fee, result.to_pay) == (0, 0)
    assert any("85" in note for note in result.notes)


def test_children_under_18_are_free_in_every_region(tables):
    assert tables.parameter(FREE_UNDER_AGE, D(2026, 3, 1)).value == 18
    for code in tables.regions:
        result = calculate(tables, doctor_visit(region=code, age=17))
        assert (result.fee, result.to_pay) == (0, 0), code


def test_end_of_year_region_asks_for_birth_date_at_19(tables):
    with pytest.raises(InputError) as raised:
        calculate(tables, doctor_visit(region="SE-D", age=19))
    assert raised.value.field == "birth-date"


def test_unknown_age_rule_is_not_guessed(tables):
    with pytest.raises(UnknownFeeError) as raised:
        calculate(tables, doctor_visit(region="SE-H", age=19))
    assert raised.value.field == "age"


# --- Sources and notes ------------------------------------------------------------------------

SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(och|kr|är|för|du|Du|i)\b")


def test_sources_and_notes_are_non_empty_swedish_strings(tables):
    result = calculate(tables, doctor_visit())
    assert result.sources and result.notes
    for text in result.sources + result.notes:
        assert isinstance(text, str) and text.strip()
        assert SWEDISH.search(text), text


def test_every_source_says_when_it_was_checked(tables):
    result = calculate(tables, doctor_visit())
    assert all(re.search(r"kontrollerad \d{4}-\d{2}-\d{2}", source) for source in result.sources), result.sources


def test_sources_name_cap_and_fee(tables):
    sources = calculate(tables, doctor_visit()).sources
    assert any(source.startswith("Högkostnadstak:") for source in sources)
    assert any(source.startswith("Avgift i Region Stockholm:") for source in sources)
    assert len(sources) == len(set(sources))


def test_unverified_cap_for_2026_is_flagged_in_the_notes(tables):
    result = calculate(tables, doctor_visit(date=D(2026, 3, 1)))
    assert any("ej bekräftad" in note and "2026" in note for note in result.notes), result.notes
    assert any("ej bekräftad" in source for source in result.sources)


def test_unverified_cap_for_2025_is_flagged_in_the_notes(tables):
    result = calculate(tables, doctor_visit(date=D(2025, 3, 1)))
    assert any("ej bekräftad" in note for note in result.notes), result.notes


def test_verified_cap_is_not_flagged(tables):
    result = calculate(tables, doctor_visit(date=D(2024, 3, 1)))
    assert not any("ej bekräftad" in text for text in result.notes + result.sources)


def test_old_fee_is_flagged_as_old(tables):
    result = calculate(tables, doctor_visit(region="SE-N", profession="sjukskoterska"))
    assert result.fee == 100
    assert any("äldre uppgift" in note for note in result.notes)
    assert any("1177 Halland (2019)" in source for source in result.sources)


def test_lower_regional_cap_is_explained(tables):
    result = calculate(tables, doctor_visit(region="SE-Z", date=D(2024, 6, 1)))
    assert result.cap == 1300
    assert any("lägre högkostnadstak" in note for note in result.notes)
    assert any(source.startswith("Högkostnadstak i regionen:") for source in result.sources)


def test_kronor_uses_no_break_spaces():
    assert kronor(1450) == f"1{NBSP}450{NBSP}kr"
    assert kronor(150) == f"150{NBSP}kr"
    assert kronor(0) == f"0{NBSP}kr"


# --- The data the rules read ------------------------------------------------------------------

FEE_FACTS_REGIONS = {
    "SE-AB", "SE-C", "SE-D", "SE-E", "SE-F", "SE-G", "SE-H", "SE-I", "SE-K", "SE-M", "SE-N", "SE-O",
    "SE-S", "SE-T", "SE-U", "SE-W", "SE-X", "SE-Y", "SE-Z", "SE-AC", "SE-BD",
}
"""The 21 regions of fee-facts §4."""


def test_every_region_of_the_fee_facts_has_data(tables):
    assert set(tables.regions) == FEE_FACTS_REGIONS


def test_every_dated_fact_has_a_source_a_check_date_and_a_known_status(tables):
    facts = [value for parameter in tables.parameters.values() for value in parameter.values]
    for region in tables.regions.values():
        facts += region.caps + region.age_rules + region.fee_blocks
    facts += tables.national_clinic
    for fact in facts:
        assert fact.source.strip() and isinstance(fact.checked, datetime.date), fact
        assert fact.status in {"verified", "unverified", "old"}, fact


# --- Dated lookups ----------------------------------------------------------------------------

def test_lookup_returns_the_latest_value_on_or_before_the_date(tables):
    assert tables.parameter(NATIONAL_CAP, D(2023, 12, 31)).value == 1300
    assert tables.parameter(NATIONAL_CAP, D(2024, 1, 1)).value == 1400
    assert tables.parameter(NATIONAL_CAP, D(2024, 7, 1)).value == 1400


def test_lookup_before_the_first_value_returns_none(tables):
    assert tables.parameter(NATIONAL_CAP, D(2018, 12, 31)) is None


def test_lookup_of_an_unknown_parameter_returns_none(tables):
    assert tables.parameter("finns.inte", D(2026, 1, 1)) is None


def test_latest_does_not_depend_on_the_order_of_the_values():
    def value(year: int, amount: int) -> DatedValue:
        return DatedValue(valid_from=D(year, 1, 1), source="test", checked=D(2026, 1, 1), status="verified", value=amount)

    values = [value(2024, 3), value(2020, 1), value(2022, 2)]
    assert latest(values, D(2023, 6, 1)).value == 2
    assert latest(values, D(2024, 1, 1)).value == 3
    assert latest(values, D(2019, 12, 31)) is None


def test_regional_cap_of_null_means_the_national_cap(tables):
    uppsala = tables.regions["SE-C"]
    assert uppsala.cap_at(D(2023, 6, 1)).value == 1200
    assert uppsala.cap_at(D(2024, 6, 1)) is None
    assert uppsala.cap_at(D(2022, 12, 31)) is None


def test_fee_lookup_falls_back_to_an_older_block_for_a_cell_the_newer_one_lacks(tables):
    halland = tables.regions["SE-N"]
    nurse_fee, nurse_block = halland.fee_at(D(2026, 3, 1), "vardcentral", "sjukskoterska", "besok")
    doctor_fee, doctor_block = halland.fee_at(D(2026, 3, 1), "vardcentral", "lakare", "besok")
    assert (nurse_fee, nurse_block.valid_from, nurse_block.status) == (100, D(2019, 1, 1), "old")
    assert (doctor_fee, doctor_block.valid_from) == (200, D(2024, 1, 1))


def test_fee_lookup_does_not_fall_back_past_an_explicit_unknown(tables):
    fee, block = tables.regions["SE-D"].fee_at(D(2026, 3, 1), "vardcentral", "sjukskoterska", "besok")
    assert fee is None and block is not None


# --- Errors -----------------------------------------------------------------------------------

def test_calculator_errors_exit_with_code_2_and_carry_a_field():
    for error_class in (InputError, UnknownFeeError):
        error = error_class("Något är fel.", field="paid")
        assert isinstance(error, CalculatorError)
        assert (error.exit_code, error.message, error.field) == (2, "Något är fel.", "paid")


def test_visit_with_neither_age_nor_birth_date_is_refused(tables):
    with pytest.raises(InputError) as raised:
        calculate(tables, doctor_visit(age=None))
    assert raised.value.field == "age"


def test_paid_that_is_not_a_whole_number_is_refused(tables):
    for paid in (True, 12.5, "100"):
        with pytest.raises(InputError) as raised:
            calculate(tables, doctor_visit(paid=paid))
        assert raised.value.field == "paid"


def test_last_representable_year_is_reported_not_crashed(tables):
    try:
        calculate(tables, doctor_visit(date=D(9999, 12, 31)))
    except CalculatorError:
        pass


def test_national_clinic_is_free_in_kalmar_whatever_the_unknown_age_rule(tables):
    for age in (18, 19, 40):
        result = calculate(tables, Visit(region="SE-H", date=D(2026, 3, 1), provider="nationell",
                                         profession="lakare", contact="chatt", age=age))
        assert (result.fee, result.to_pay) == (0, 0)


def test_unverified_regional_cap_says_so(tables):
    # Uppsala's fees are known from 2024 only; a patient of 90 pays nothing, so the cap shows.
    result = calculate(tables, Visit(region="SE-C", date=D(2023, 6, 1), provider="vardcentral",
                                     profession="lakare", contact="besok", age=90, paid=0))
    assert result.cap == 1200
    assert any("1\u00a0200\u00a0kr (ej bekräftad)" in note for note in result.notes)


def test_a_year_after_the_data_says_the_figures_may_have_changed(tables):
    result = calculate(tables, Visit(region="SE-AB", date=D(2027, 2, 1), provider="vardcentral",
                                     profession="lakare", contact="besok", age=40))
    assert any("Vi har inga uppgifter för 2027" in note for note in result.notes)
