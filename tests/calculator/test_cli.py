"""The command line (`python -m patientavgift`) and the browser entry point (`calculate_json`)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

import pytest

from patientavgift import browser
from patientavgift.cli import DATA_ENVIRONMENT, main
from patientavgift.rules import period_end

from .conftest import ROOT

NBSP = "\u00a0"
EXAMPLE = [
    "--region", "SE-AB", "--date", "2026-03-01", "--age", "40", "--provider", "vardcentral",
    "--profession", "lakare", "--contact", "besok", "--paid", "1300",
]
"""The command of the package's documentation, without --json."""
RESULT_KEYS = ["fee", "to_pay", "remaining", "cap", "frikort", "period_end", "sources", "notes"]


@pytest.fixture(autouse=True)
def repository_data(monkeypatch):
    """The command line reads content/fees/ of this checkout, not a file named in the environment."""
    monkeypatch.delenv(DATA_ENVIRONMENT, raising=False)


def run(capsys, arguments: list[str]) -> tuple[int, str, str]:
    code = main(arguments)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_json(capsys, arguments: list[str]) -> tuple[int, dict]:
    code, out, _ = run(capsys, [*arguments, "--json"])
    return code, json.loads(out)


def replaced(arguments: list[str], option: str, value: str | None) -> list[str]:
    """The arguments with `option` set to `value`, or removed when value is None."""
    result, skip = [], False
    for index, argument in enumerate(arguments):
        if skip:
            skip = False
            continue
        if argument == option:
            skip = True
            if value is not None:
                result += [option, value]
            continue
        result.append(argument)
    if option not in arguments and value is not None:
        result += [option, value]
    return result


# --- JSON -------------------------------------------------------------------------------------

def test_documented_command_gives_the_worked_example(capsys):
    code, result = run_json(capsys, EXAMPLE)
    assert code == 0
    assert (result["fee"], result["to_pay"], result["remaining"], result["cap"], result["frikort"]) == (
        275, 150, 0, 1450, True,
    )


def test_json_output_has_exactly_the_result_keys(capsys):
    _, result = run_json(capsys, EXAMPLE)
    assert list(result) == RESULT_KEYS
    assert result["period_end"] is None
    assert all(isinstance(text, str) and text for text in result["sources"] + result["notes"])


def test_json_output_keeps_swedish_letters_unescaped(capsys):
    _, out, _ = run(capsys, [*EXAMPLE, "--json"])
    assert "Högkostnadstak" in out
    assert "\\u00f6" not in out


def test_json_period_end_is_an_iso_date(capsys):
    _, result = run_json(capsys, [*replaced(EXAMPLE, "--paid", "0"), "--period-start", "2025-04-25"])
    assert result["period_end"] == "2026-04-24"


def test_json_error_exits_2_with_an_error_object(capsys):
    code, out, err = run(capsys, [*replaced(EXAMPLE, "--region", "SE-XX"), "--json"])
    assert code == 2
    response = json.loads(out)
    assert list(response) == ["error"]
    assert "Okänd region 'SE-XX'" in response["error"]
    assert err == ""


def test_json_unknown_fee_exits_2(capsys):
    code, result = run_json(capsys, replaced(replaced(EXAMPLE, "--region", "SE-F"), "--contact", "video"))
    assert code == 2
    assert "Vi vet inte vad" in result["error"]


# --- Text -------------------------------------------------------------------------------------

def test_text_output_says_what_to_pay_in_swedish(capsys):
    code, out, _ = run(capsys, EXAMPLE)
    assert code == 0
    assert out.startswith(f"Du betalar 150{NBSP}kr för besöket (ordinarie avgift 275{NBSP}kr).")


def test_text_output_gives_what_is_left_of_the_cap(capsys):
    _, out, _ = run(capsys, EXAMPLE)
    assert f"Kvar till frikort: 0{NBSP}kr av högkostnadstaket 1{NBSP}450{NBSP}kr." in out


def test_text_output_lists_sources(capsys):
    _, out, _ = run(capsys, EXAMPLE)
    sources = out.split("Källor:\n", 1)[1].splitlines()
    assert sources and all(line.startswith("- ") and "kontrollerad" in line for line in sources)


def test_text_output_without_reduction_names_only_the_fee(capsys):
    _, out, _ = run(capsys, replaced(EXAMPLE, "--paid", "0"))
    assert out.splitlines()[0] == f"Du betalar 275{NBSP}kr för besöket."
    assert "Perioden gäller till och med 2027-02-28." in out


def test_text_error_goes_to_stderr_with_fel(capsys):
    code, out, err = run(capsys, replaced(EXAMPLE, "--paid", "-5"))
    assert code == 2
    assert out == ""
    assert err.startswith("Fel: ")
    assert "0 eller mer" in err


# --- Defaults and missing or contradictory options --------------------------------------------

def test_date_defaults_to_today(capsys):
    arguments = replaced(replaced(EXAMPLE, "--paid", "0"), "--date", None)
    today = datetime.date.today()
    _, without_date = run_json(capsys, arguments)
    _, with_today = run_json(capsys, [*arguments, "--date", today.isoformat()])
    assert without_date == with_today
    assert without_date["period_end"] == period_end(today).isoformat()


def test_missing_region_exits_2(capsys):
    code, out, err = run(capsys, replaced(EXAMPLE, "--region", None))
    assert code == 2
    assert err == "Fel: Ange region.\n"


def test_missing_region_with_json_exits_2_with_error(capsys):
    code, result = run_json(capsys, replaced(EXAMPLE, "--region", None))
    assert code == 2
    assert result == {"error": "Ange region."}


def test_age_and_birth_date_together_exit_2(capsys):
    code, _, err = run(capsys, [*EXAMPLE, "--birth-date", "1986-01-01"])
    assert code == 2
    assert err.startswith("Fel: Fel i kommandot")


def test_unknown_option_exits_2(capsys):
    code, result = run_json(capsys, [*EXAMPLE, "--postnummer", "11122"])
    assert code == 2
    assert "Fel i kommandot" in result["error"]


def test_data_option_reads_the_given_file(capsys, tmp_path, fee_document):
    data = tmp_path / "fees.json"
    data.write_text(json.dumps(fee_document, ensure_ascii=False), encoding="utf-8")
    _, from_file = run_json(capsys, [*EXAMPLE, "--data", str(data)])
    _, from_repository = run_json(capsys, EXAMPLE)
    assert from_file == from_repository


def test_absurdly_long_amount_exits_2(capsys):
    code, _, _ = run(capsys, replaced(EXAMPLE, "--paid", "9" * 5000))
    assert code == 2


def test_visit_in_year_9999_exits_2_or_0(capsys):
    code, _, _ = run(capsys, replaced(replaced(EXAMPLE, "--paid", "0"), "--date", "9999-12-31"))
    assert code in (0, 2)


def test_abbreviated_options_are_refused(capsys):
    # argparse would otherwise take --jso for --json; an exact option list is safer for scripts.
    code, _, err = run(capsys, [*EXAMPLE, "--jso"])
    assert code == 2
    assert err.startswith("Fel: Fel i kommandot")


# --- A real process ---------------------------------------------------------------------------

def test_module_runs_as_a_program():
    environment = {key: value for key, value in os.environ.items() if key != DATA_ENVIRONMENT}
    completed = subprocess.run(
        [sys.executable, "-m", "patientavgift", *EXAMPLE, "--json"],
        cwd=ROOT, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert (result["fee"], result["to_pay"], result["remaining"], result["cap"], result["frikort"]) == (
        275, 150, 0, 1450, True,
    )


def test_program_exits_2_on_an_error():
    environment = {key: value for key, value in os.environ.items() if key != DATA_ENVIRONMENT}
    completed = subprocess.run(
        [sys.executable, "-m", "patientavgift", *replaced(EXAMPLE, "--region", None)],
        cwd=ROOT, env=environment, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.startswith("Fel: ")


# --- The browser entry point ------------------------------------------------------------------

@pytest.fixture
def browser_tables(monkeypatch, tables):
    """calculate_json with the same data the command line reads from content/fees/ (the bundled
    fees.json is a build product and may be missing or stale in a checkout)."""
    monkeypatch.setattr(browser, "_tables", tables)
    return tables


def browser_answer(request: str, today: str) -> dict:
    """calculate_json's answer without the amounts it adds as text for the page."""
    answer = json.loads(browser.calculate_json(request, today))
    answer.pop("kronor", None)
    return answer


def as_request(arguments: list[str]) -> str:
    """The browser form's JSON for command-line arguments."""
    names = arguments[0::2]
    values = arguments[1::2]
    return json.dumps({name.removeprefix("--"): value for name, value in zip(names, values)})


def test_browser_gives_the_same_result_as_the_command_line(capsys, browser_tables):
    _, from_cli = run_json(capsys, EXAMPLE)
    from_browser = browser_answer(as_request(EXAMPLE), "2026-03-01")
    assert from_browser == from_cli
    assert (from_browser["fee"], from_browser["to_pay"], from_browser["remaining"]) == (275, 150, 0)


@pytest.mark.parametrize("change", [
    ("--region", "SE-Z"), ("--region", "SE-M"), ("--contact", "video"), ("--age", "85"), ("--paid", "0"),
])
def test_browser_and_command_line_agree(capsys, browser_tables, change):
    arguments = replaced(EXAMPLE, *change)
    _, from_cli = run_json(capsys, arguments)
    assert browser_answer(as_request(arguments), "2026-03-01") == from_cli


def test_browser_with_its_bundled_data_gives_the_same_result_as_the_command_line(capsys, monkeypatch):
    bundled = ROOT / "calculators" / "patientavgift" / "fees.json"
    if not bundled.is_file():
        pytest.skip("fees.json is made by the site build (build.py); not built in this checkout")
    monkeypatch.setattr(browser, "_tables", None)
    _, from_cli = run_json(capsys, EXAMPLE)
    assert browser_answer(as_request(EXAMPLE), "2026-03-01") == from_cli


def test_browser_gives_the_amounts_as_the_page_shows_them(browser_tables):
    response = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--paid", "0")), "2026-03-01"))
    assert response["kronor"] == {
        "fee": "275\u00a0kr", "to_pay": "275\u00a0kr", "remaining": "1\u00a0175\u00a0kr", "cap": "1\u00a0450\u00a0kr",
        "paid": "0\u00a0kr",
    }


def test_browser_reports_errors_with_the_field(browser_tables):
    response = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--region", "SE-XX")), "2026-03-01"))
    assert set(response) == {"error", "field"}
    assert response["field"] == "region"
    assert "Okänd region" in response["error"]


def test_browser_reports_the_same_error_message_as_the_command_line(capsys, browser_tables):
    arguments = replaced(EXAMPLE, "--paid", "2000")
    _, from_cli = run_json(capsys, arguments)
    response = json.loads(browser.calculate_json(as_request(arguments), "2026-03-01"))
    assert response == {"error": from_cli["error"], "field": "paid"}


def test_browser_uses_its_today_when_no_date_is_given(browser_tables):
    request = as_request(replaced(replaced(EXAMPLE, "--paid", "0"), "--date", None))
    response = json.loads(browser.calculate_json(request, "2025-04-25"))
    assert (response["cap"], response["period_end"]) == (1450, "2026-04-24")


def test_browser_treats_empty_form_fields_as_not_given(browser_tables):
    request = json.dumps({
        "region": "SE-AB", "date": "2026-03-01", "age": "40", "birth-date": "", "provider": "vardcentral",
        "profession": "lakare", "contact": "besok", "paid": "", "period-start": None,
    })
    response = json.loads(browser.calculate_json(request, "2026-03-01"))
    assert (response["to_pay"], response["remaining"]) == (275, 1175)
