"""Unit tests of the rules: every worked example of /work/shared/docs/fee-facts.md, the cap
formula against the data, the frikort, how far the data reaches, the explanations (sources,
notes and the provenance of every number), and the dated lookups."""

from __future__ import annotations

import copy
import datetime
import re
from fractions import Fraction

import pytest

from patientavgift import CalculatorError, FeeTables, InputError, UnknownFeeError, Visit, calculate
from patientavgift.data import STATUSES, VALID_FROM_BASES, DatedValue, latest
from patientavgift.rules import (
    FREE_FROM_AGE, FREE_UNDER_AGE, NATIONAL_CAP, cap_by_formula, kronor, national_cap, one_year_after, period_end,
    swedish_date,
)

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
    # Period started 2024-06-01, cap 1 400 reached in 2024 -> frikort to 2025-05-31 (gotland.se
    # 2019): the patient who holds it says so, and pays nothing under the risen cap.
    result = calculate(tables, doctor_visit(date=D(2025, 1, 15), paid=1400, period_start=D(2024, 6, 1), frikort=True))
    assert (result.to_pay, result.frikort, result.period_end) == (0, True, D(2025, 5, 31))


def test_paying_an_earlier_lower_cap_is_not_taken_for_a_frikort(tables):
    # Without saying so, 1 400 paid under a 1 450 cap leaves 50 to pay, and the notes tell the
    # patient that a frikort from back then would make the visit free.
    result = calculate(tables, doctor_visit(date=D(2025, 1, 15), paid=1400, period_start=D(2024, 6, 1)))
    assert (result.cap, result.to_pay, result.remaining) == (1450, 50, 0)
    assert any(f"var högkostnadstaket 1{NBSP}400{NBSP}kr" in note and "ange det" in note for note in result.notes), result.notes


def test_an_unreached_earlier_cap_is_not_mentioned(tables):
    result = calculate(tables, doctor_visit(date=D(2025, 1, 15), paid=1000, period_start=D(2024, 6, 1)))
    assert not any("Tidigare under perioden" in note for note in result.notes)
    assert any("Om du redan har ett frikort" in note for note in result.notes)


def test_without_a_frikort_the_notes_say_a_holder_pays_nothing(tables):
    result = calculate(tables, doctor_visit())
    assert not result.frikort_held
    assert any("frikort som gäller på besöksdagen betalar du ingenting" in note for note in result.notes)


def test_a_frikort_holder_pays_nothing_in_every_region_for_every_visit(tables):
    for code in tables.regions:
        for contact in ("besok", "video", "chatt", "telefon"):
            result = calculate(tables, doctor_visit(region=code, contact=contact, frikort=True))
            assert (result.to_pay, result.remaining, result.frikort, result.frikort_held) == (0, 0, True, True)
            assert any(note.startswith("Du har frikort") for note in result.notes)


def test_a_frikort_holders_unknown_fee_is_said_to_be_unknown(tables):
    result = calculate(tables, doctor_visit(region="SE-F", contact="video", frikort=True))
    assert (result.fee, result.to_pay) == (None, 0)
    assert any("vet vi inte" in note for note in result.notes)


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
    assert any("till och med 24 april 2026" in note for note in result.notes)


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

def test_cap_formula_is_exact_at_the_step():
    assert cap_by_formula(58000, 25, 50) == 1450  # exactly 1 450.00
    assert cap_by_formula(57999, 25, 50) == 1400  # 1 449.975
    assert cap_by_formula(57300, 25, 50) == 1400


def test_national_cap_comes_from_the_formula_when_no_cap_is_stored(fee_document):
    document = copy.deepcopy(fee_document)
    values = document["parameters"][NATIONAL_CAP]["values"]
    values[:] = [value for value in values if value["valid_from"] != "2026-01-01"]
    tables = FeeTables.from_dict(document)
    cap = national_cap(tables, D(2026, 3, 1))
    assert (cap.value, cap.fact.status, cap.prisbasbelopp.value) == (1450, "beräknad", 59200)
    result = calculate(tables, doctor_visit())
    whats = [item["what"] for item in result.basis]
    assert "Andel av prisbasbeloppet" in whats and "Taket avrundas nedåt till närmaste" in whats
    cap_item = next(item for item in result.basis if item["what"] == "Högkostnadstak")
    assert (cap_item["value"], cap_item["status"], cap_item["valid_from"]) == (f"1{NBSP}450{NBSP}kr", "beräknad", "2026-01-01")


def test_a_stored_cap_newer_than_the_prisbasbelopp_is_used_as_it_is(fee_document):
    document = copy.deepcopy(fee_document)
    document["parameters"][NATIONAL_CAP]["values"].append(
        {"valid_from": "2026-07-01", "value": 1400, "source": "Test", "checked": "2026-11-25", "status": "primär"})
    assert national_cap(FeeTables.from_dict(document), D(2026, 8, 1)).value == 1400


def test_a_stored_cap_that_contradicts_the_formula_is_refused(fee_document):
    document = copy.deepcopy(fee_document)
    for value in document["parameters"][NATIONAL_CAP]["values"]:
        if value["valid_from"] == "2026-01-01":
            value["value"] = 1500
    with pytest.raises(UnknownFeeError) as raised:
        calculate(FeeTables.from_dict(document), doctor_visit())
    assert "stämmer inte" in raised.value.message


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


def test_derived_cap_for_2026_is_flagged_in_the_notes(tables):
    result = calculate(tables, doctor_visit(date=D(2026, 3, 1)))
    assert any("beräknad med lagens regel och ej bekräftad" in note and "2026" in note for note in result.notes), result.notes
    assert any("ej bekräftad" in source for source in result.sources)


def test_cap_from_a_secondary_source_for_2025_is_flagged_in_the_notes(tables):
    result = calculate(tables, doctor_visit(date=D(2025, 3, 1)))
    assert any("ej bekräftad av regionen eller myndigheten själv" in note for note in result.notes), result.notes


def test_a_value_from_a_primary_source_is_not_flagged(tables):
    # Jämtland Härjedalen's own cap and fees (1177 Jämtland Härjedalen) in 2024.
    result = calculate(tables, doctor_visit(region="SE-Z", date=D(2024, 6, 1)))
    assert result.cap == 1300
    assert not any("uppgiften är" in note for note in result.notes), result.notes
    assert {item["status"] for item in result.basis} == {"primär"}


def test_old_fee_is_flagged_as_old(tables):
    result = calculate(tables, doctor_visit(region="SE-N", profession="sjukskoterska"))
    assert result.fee == 100
    assert any("äldre och kan ha ändrats" in note for note in result.notes)
    assert any("1177 Halland, 2019 (kontrollerad" in source for source in result.sources)


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


def all_facts(tables):
    facts = [value for parameter in tables.parameters.values() for value in parameter.values]
    for region in tables.regions.values():
        facts += region.caps + region.age_rules + region.fee_blocks
    return facts + tables.national_clinic


def test_every_dated_fact_has_a_source_a_check_date_and_a_known_status(tables):
    for fact in all_facts(tables):
        assert fact.source.strip() and isinstance(fact.checked, datetime.date), fact
        assert fact.status in STATUSES and fact.valid_from_basis in VALID_FROM_BASES, fact
        assert fact.url is None or fact.url.startswith("https://"), fact
        assert fact.source_date is None or re.fullmatch(r"\d{4}(-\d{2}-\d{2})?", fact.source_date), fact


# --- The provenance of every number -------------------------------------------------------

BASIS_KEYS = {
    "what": str, "value": str, "source": str, "url": (str, type(None)), "source_date": (str, type(None)),
    "valid_from": str, "checked": str, "status": str, "status_text": str, "valid_from_basis": str,
    "valid_from_basis_text": str, "old": bool, "remark": str,
}


def test_every_number_used_has_its_provenance(tables):
    result = calculate(tables, doctor_visit(paid=1300))
    whats = [item["what"] for item in result.basis]
    assert whats[0] == "Högkostnadstak" and any(what.startswith("Prisbasbelopp 2026") for what in whats)
    assert any("på vårdcentral i Region Stockholm" in what for what in whats)
    for item in result.basis:
        assert set(item) == set(BASIS_KEYS), item
        for key, kind in BASIS_KEYS.items():
            assert isinstance(item[key], kind), (key, item)
        assert item["status_text"] == STATUSES[item["status"]]
        datetime.date.fromisoformat(item["valid_from"])
        datetime.date.fromisoformat(item["checked"])


def test_provenance_keeps_the_source_date_out_of_the_name(tables):
    result = calculate(tables, doctor_visit(region="SE-I", date=D(2024, 3, 1)))
    fee = next(item for item in result.basis if "på vårdcentral" in item["what"])
    assert (fee["source"], fee["source_date"], fee["valid_from"]) == ("gotland.se", "2021-02-25", "2021-02-25")
    assert (fee["valid_from_basis"], fee["old"], fee["url"]) == ("källdatum", True, None)
    assert fee["remark"] == "äldre och kan ha ändrats"


def test_an_assumed_valid_from_says_so(tables):
    result = calculate(tables, doctor_visit(region="SE-F", date=D(2024, 3, 1)))
    fee = next(item for item in result.basis if "på vårdcentral" in item["what"])
    assert (fee["valid_from_basis"], fee["status"], fee["old"], fee["source_date"]) == ("antagen", "primär", True, None)
    assert "antaget datum" in fee["valid_from_basis_text"]


def test_the_national_clinic_names_no_document_and_says_so(tables):
    result = calculate(tables, doctor_visit(provider="nationell", contact="chatt"))
    clinic = next(item for item in result.basis if "hos Exempelvården Direkt" in item["what"])
    assert clinic["status"] == "antagen"
    assert any("antagen och ej bekräftad" in note for note in result.notes)


def test_no_source_address_is_invented(tables):
    # fee-facts.md gives no address: every value's url is null until an editor adds a real one.
    assert {fact.url for fact in all_facts(tables)} == {None}


# --- How far the data reaches -------------------------------------------------------------

def test_the_data_reaches_one_year_past_the_newest_value_used(tables):
    newest = max(fact.valid_from for fact in all_facts(tables) if fact.valid_from <= D(2026, 3, 1))
    result = calculate(tables, doctor_visit())
    assert result.data_until == one_year_after(newest)
    calculate(tables, doctor_visit(date=result.data_until))
    with pytest.raises(UnknownFeeError) as raised:
        calculate(tables, doctor_visit(date=result.data_until + datetime.timedelta(days=1)))
    assert raised.value.field == "date"
    assert f"till och med {swedish_date(result.data_until)}" in raised.value.message


def test_a_newer_dated_block_moves_how_far_the_data_reaches(fee_document):
    document = copy.deepcopy(fee_document)
    last = max(block["valid_from"] for block in document["regions"]["SE-AB"]["fees"])
    newer = one_year_after(D.fromisoformat(last) if last > "2026-01-01" else D(2026, 1, 1))
    block = copy.deepcopy(document["regions"]["SE-AB"]["fees"][-1]) | {"valid_from": newer.isoformat()}
    document["regions"]["SE-AB"]["fees"].append(block)
    tables = FeeTables.from_dict(document)
    result = calculate(tables, doctor_visit(date=newer))
    assert result.data_until == one_year_after(newer)
    # The cap is set once a year: one from an earlier year than the visit is said to be so.
    assert result.notes[0].startswith(f"Vi har inget högkostnadstak för {newer.year} ännu"), result.notes


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
        return DatedValue(valid_from=D(year, 1, 1), source="test", checked=D(2026, 1, 1), status="primär", value=amount)

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
    assert (nurse_fee, nurse_block.valid_from, nurse_block.status, nurse_block.old) == (100, D(2019, 1, 1), "primär", True)
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


def test_an_assumed_regional_cap_says_so(tables):
    # Uppsala's fees are known from 2024 only; a patient of 90 pays nothing, so the cap shows.
    result = calculate(tables, Visit(region="SE-C", date=D(2023, 6, 1), provider="vardcentral",
                                     profession="lakare", contact="besok", age=90, paid=0))
    assert result.cap == 1200
    assert any("1\u00a0200\u00a0kr (uppgiften är antagen och ej bekräftad)" in note for note in result.notes)


def test_a_later_year_than_the_data_says_the_figures_may_have_changed(tables):
    result = calculate(tables, Visit(region="SE-AB", date=D(2027, 1, 1), provider="vardcentral",
                                     profession="lakare", contact="besok", age=40))
    assert result.notes[0].startswith("Vi har inga uppgifter för 2027")


def test_an_answer_on_old_or_unconfirmed_fees_says_troligen(tables):
    """What a patient reads first is hedged exactly when the fee or age rule it rests on is old
    or unconfirmed; a confirmed, current fee is stated plainly."""
    hedged = plain = 0
    for code, region in tables.regions.items():
        try:
            result = calculate(tables, doctor_visit(region=code, paid=0))
        except CalculatorError:
            continue
        shaky = any(item["remark"] for item in result.basis if not item["what"].startswith(("Högkostnadstak", "Prisbas")))
        first = result.summary[0]
        if shaky:
            hedged += 1
            assert first.startswith("Besöket kostar dig troligen "), (code, first)
        else:
            plain += 1
            assert first.startswith("Du betalar "), (code, first)
    assert hedged and plain, "the fixture data should have both kinds of region"


def test_dates_in_answers_are_written_as_on_the_pages():
    assert swedish_date(D(2027, 4, 24)) == "24 april 2027"
    assert swedish_date(D(2026, 1, 1)) == "1 januari 2026"
