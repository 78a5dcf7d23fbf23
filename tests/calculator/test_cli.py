"""The command line (`python -m patientavgift`) and the browser entry point (`calculate_json`)."""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys

import pytest

from patientavgift import browser
from patientavgift.cli import DATA_ENVIRONMENT, PROGRAM, main
from patientavgift.rules import period_end

from .conftest import ROOT

NBSP = "\u00a0"
EXAMPLE = [
    "--region", "SE-AB", "--date", "2026-03-01", "--age", "40", "--provider", "vardcentral",
    "--profession", "lakare", "--contact", "besok", "--paid", "1300",
]
"""The command of the package's documentation, without --json."""
RESULT_KEYS = ["fee", "to_pay", "remaining", "cap", "frikort", "period_end", "sources", "notes", "basis", "region",
               "frikort_held", "data_until", "uncertain", "summary", "age"]


@pytest.fixture(autouse=True)
def fixture_data(monkeypatch, fee_file):
    """The command line reads the test content's fee data, named in its environment variable."""
    monkeypatch.setenv(DATA_ENVIRONMENT, str(fee_file))


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
    _, out, _ = run(capsys, replaced(EXAMPLE, "--paid", "300"))
    # The 2026 cap is computed by the law's rule and confirmed by no source: "troligen".
    assert f"Kvar till frikort: troligen 875{NBSP}kr (högkostnadstaket är troligen 1{NBSP}450{NBSP}kr)." in out


def test_text_output_says_what_each_number_rests_on(capsys):
    _, out, _ = run(capsys, EXAMPLE)
    basis = out.split("Bygger på:\n", 1)[1].splitlines()
    assert basis and all(line.startswith("- ") and "Källa: " in line and "kontrollerad" in line for line in basis)
    assert basis[0].startswith(f"- Högkostnadstak: 1{NBSP}450{NBSP}kr. Källa: ")
    assert any("gäller från 2026-01-01" in line and "beräknad med lagens regel" in line for line in basis)


def test_text_output_shows_an_old_source_and_an_assumed_date(capsys):
    _, out, _ = run(capsys, replaced(replaced(EXAMPLE, "--region", "Halland"), "--profession", "sjukskoterska"))
    fee = next(line for line in out.splitlines() if "på vårdcentral i Region Halland:" in line)
    assert "Källa: 1177 Halland, 2019" in fee and "äldre källa" in fee and "antaget datum" in fee


def test_text_output_without_reduction_names_only_the_fee(capsys):
    _, out, _ = run(capsys, replaced(EXAMPLE, "--paid", "0"))
    assert out.splitlines()[0] == f"Du betalar 275{NBSP}kr för besöket."
    assert "Perioden gäller till och med 28 februari 2027." in out


def test_text_error_goes_to_stderr_with_fel(capsys):
    code, out, err = run(capsys, replaced(EXAMPLE, "--paid", "-5"))
    assert code == 2
    assert out == ""
    assert err.startswith("Fel: ")
    assert "0 eller mer" in err


# --- Defaults and missing or contradictory options --------------------------------------------

def test_date_defaults_to_today(capsys):
    # Whatever today is: an answer, or the refusal of a date past the data, the same either way.
    arguments = replaced(replaced(EXAMPLE, "--paid", "0"), "--date", None)
    today = datetime.date.today()
    _, without_date = run_json(capsys, arguments)
    _, with_today = run_json(capsys, [*arguments, "--date", today.isoformat()])
    assert without_date == with_today
    if "error" not in without_date:
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
    assert err.startswith("Fel: Fel i kommandot: ange antingen ")
    assert "--age" in err and "--birth-date" in err and "inte båda" in err and err.endswith(f"Se {PROGRAM} --help.\n")


def test_unknown_option_exits_2(capsys):
    code, result = run_json(capsys, [*EXAMPLE, "--postnummer", "11122"])
    assert code == 2
    assert result == {"error": f"Fel i kommandot: okänt val eller värde: --postnummer 11122. Se {PROGRAM} --help."}


def test_data_option_reads_the_given_file(capsys, tmp_path, fee_document):
    changed = json.loads(json.dumps(fee_document))
    changed["regions"]["SE-AB"]["fees"][0]["vardcentral"]["alla"]["besok"] = 310
    data = tmp_path / "fees.json"
    data.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    _, from_file = run_json(capsys, [*replaced(EXAMPLE, "--paid", "0"), "--data", str(data)])
    _, from_environment = run_json(capsys, replaced(EXAMPLE, "--paid", "0"))
    assert (from_file["fee"], from_environment["fee"]) == (310, 275)


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

def test_module_runs_as_a_program(fee_file):
    environment = {**os.environ, DATA_ENVIRONMENT: str(fee_file)}
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


# --- Swedish only, from a real process -------------------------------------------------------

ENGLISH = re.compile(
    r"\b(usage|error|errors|argument|arguments|invalid|choice|options?|optional|positional|required|"
    r"expected|unrecognized|ambiguous|allowed|help message|show|exit|traceback|file|not)\b",
    re.IGNORECASE,
)
"""Words argparse or Python would print in English; none may reach the user."""

REFUSED = [
    ["--help"],
    ["-h"],
    [],
    [*EXAMPLE, "--postnummer", "11122"],
    [*EXAMPLE, "--birth-date", "1986-01-01"],
    [*EXAMPLE, "--jso"],
    [*EXAMPLE, "--date"],
    [*EXAMPLE, "--json=ja"],
    ["positional"],
    replaced(EXAMPLE, "--region", "Narnia"),
    replaced(EXAMPLE, "--region", "Väst"),
    replaced(EXAMPLE, "--contact", "brev"),
    replaced(EXAMPLE, "--profession", "tandläkare"),
    replaced(EXAMPLE, "--provider", "sjukhus"),
    replaced(EXAMPLE, "--date", "2026-02-30"),
    replaced(EXAMPLE, "--date", "2150-01-01"),
    replaced(EXAMPLE, "--paid", "tusen"),
    replaced(EXAMPLE, "--age", "-3"),
    [*EXAMPLE, "--data", "/finns/inte.json"],
]


def run_program(arguments: list[str], fee_file) -> subprocess.CompletedProcess:
    environment = {**os.environ, DATA_ENVIRONMENT: str(fee_file), "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "patientavgift", *arguments], cwd=ROOT, env=environment,
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


@pytest.mark.parametrize("arguments", REFUSED, ids=lambda arguments: " ".join(arguments)[-60:] or "(inget)")
def test_every_message_of_the_program_is_swedish(arguments, fee_file):
    for extra in ([], ["--json"]):
        completed = run_program([*arguments, *extra], fee_file)
        output = completed.stdout + completed.stderr
        assert "Traceback" not in output, output
        # The words said to the user: the JSON's message (its key `error` is the interface), without
        # the option names and what the user typed, which the messages repeat.
        said = json.loads(completed.stdout).get("error", "") if extra and completed.stdout.startswith("{") else output
        for typed in sorted(arguments, key=len, reverse=True):
            said = said.replace(typed, "")
        said = re.sub(r"--?[a-z][a-z-]*", "", said.replace(PROGRAM, "").replace(DATA_ENVIRONMENT, ""))
        words = ENGLISH.findall(said)
        assert words == [], f"engelska ord {words} i:\n{output}"
        if arguments[:1] in (["--help"], ["-h"]):
            assert completed.returncode == 0 and completed.stdout.startswith("Användning: ")
            continue
        assert completed.returncode == 2, output
        if extra:
            assert list(json.loads(completed.stdout)) == ["error"] and completed.stderr == ""
        else:
            assert completed.stdout == "" and completed.stderr.startswith("Fel: ")


def test_help_describes_every_option_in_swedish(fee_file):
    completed = run_program(["--help"], fee_file)
    for option in ("--region", "--date", "--age", "--birth-date", "--provider", "--profession", "--contact",
                   "--paid", "--period-start", "--frikort", "--json", "--data", "--help"):
        assert option in completed.stdout
    assert "Västra Götaland" in completed.stdout and "frikort som gäller på besöksdagen" in completed.stdout


def test_program_takes_a_region_by_name_and_a_choice_in_any_case(fee_file):
    arguments = replaced(replaced(replaced(EXAMPLE, "--region", "jamtland harjedalen"), "--contact", "Video"),
                         "--paid", "0")
    completed = run_program([*arguments, "--json"], fee_file)
    assert completed.returncode == 0, completed.stdout
    result = json.loads(completed.stdout)
    assert (result["region"]["code"], result["fee"]) == ("SE-Z", 400)


def test_program_takes_a_frikort(fee_file):
    completed = run_program([*replaced(EXAMPLE, "--region", "SE-F"), "--contact", "video", "--frikort"], fee_file)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Du betalar ingenting för besöket, eftersom du har frikort.")


# --- The browser entry point ------------------------------------------------------------------

@pytest.fixture
def browser_tables(monkeypatch, tables):
    """calculate_json with the same data the command line reads (the bundled fees.json is a build
    product and may be missing or stale in a checkout)."""
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


def test_the_browser_wheel_answers_as_the_command_line_does_from_the_yaml(capsys, monkeypatch, tmp_path):
    """The wheel the site build ships (the package's modules and the data compiled from
    content/fees/, calculator_build/wheel.py), unpacked and run alone in a fresh Python, gives
    the command line's answer read from the same YAML."""
    import zipfile

    from patientavgift.source import compile_fees
    from portal.calculator_build.wheel import write_wheel

    wheel = write_wheel(ROOT / "calculators", compile_fees(ROOT), tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "unpacked")
        assert not [name for name in archive.namelist() if name.startswith("patientavgift/source/")]
    monkeypatch.delenv(DATA_ENVIRONMENT)
    _, from_cli = run_json(capsys, EXAMPLE)
    script = ("import json, sys; sys.path.insert(0, sys.argv[2]); from patientavgift import browser; "
              "answer = json.loads(browser.calculate_json(sys.argv[1], '2026-03-01')); answer.pop('kronor', None); "
              "print(json.dumps(answer))")
    # -I -S: nothing but the standard library and the unpacked wheel, as in the browser.
    shipped = subprocess.run([sys.executable, "-I", "-S", "-c", script, as_request(EXAMPLE), str(tmp_path / "unpacked")],
                             capture_output=True, text=True)
    assert shipped.returncode == 0, shipped.stderr
    assert json.loads(shipped.stdout) == from_cli


def test_browser_gives_the_amounts_as_the_page_shows_them(browser_tables):
    response = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--paid", "0")), "2026-03-01"))
    assert response["kronor"] == {
        "fee": "275\u00a0kr", "to_pay": "275\u00a0kr", "remaining": "1\u00a0175\u00a0kr", "cap": "1\u00a0450\u00a0kr",
        "paid": "0\u00a0kr",
    }


def test_browser_reports_errors_with_the_field(browser_tables):
    response = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--paid", "-5")), "2026-03-01"))
    assert set(response) == {"error", "field"}
    assert response["field"] == "paid"


def test_browser_offers_the_regions_to_choose_from(browser_tables):
    unknown = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--region", "SE-XX")), "2026-03-01"))
    assert set(unknown) == {"error", "field", "choices"} and unknown["field"] == "region"
    assert "Okänd region" in unknown["error"]
    assert len(unknown["choices"]) == 21 and {"code": "SE-AB", "name": "Region Stockholm"} in unknown["choices"]
    several = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--region", "väster")), "2026-03-01"))
    assert [choice["code"] for choice in several["choices"]] == ["SE-AC", "SE-Y"]


@pytest.mark.parametrize("value", ["1", "true", "on", True])
def test_browser_reads_a_frikort_from_a_checkbox_or_the_address(browser_tables, value):
    request = json.loads(as_request(replaced(EXAMPLE, "--paid", "0"))) | {"frikort": value}
    response = json.loads(browser.calculate_json(json.dumps(request), "2026-03-01"))
    assert (response["to_pay"], response["frikort"], response["frikort_held"]) == (0, True, True)
    assert response["kronor"]["to_pay"] == "0\u00a0kr"


@pytest.mark.parametrize("value", ["0", "false", "off", "", None, False])
def test_browser_reads_no_frikort(browser_tables, value):
    request = json.loads(as_request(replaced(EXAMPLE, "--paid", "0"))) | {"frikort": value}
    response = json.loads(browser.calculate_json(json.dumps(request), "2026-03-01"))
    assert (response["to_pay"], response["frikort_held"]) == (275, False)


def test_browser_shows_an_unknown_fee_of_a_frikort_holder_as_unknown(browser_tables):
    arguments = replaced(replaced(replaced(EXAMPLE, "--region", "SE-F"), "--contact", "video"), "--paid", "0")
    request = json.loads(as_request(arguments)) | {"frikort": "1"}
    response = json.loads(browser.calculate_json(json.dumps(request), "2026-03-01"))
    assert (response["fee"], response["to_pay"], response["kronor"]["fee"]) == (None, 0, "okänd")


def test_browser_gives_the_basis_of_every_number(browser_tables):
    response = json.loads(browser.calculate_json(as_request(EXAMPLE), "2026-03-01"))
    assert response["region"] == {"code": "SE-AB", "name": "Region Stockholm"}
    assert response["data_until"] == "2027-01-01"
    assert [item["what"] for item in response["basis"]][:2] == ["Högkostnadstak", "Prisbasbelopp 2026 (taket räknas fram ur det)"]
    for item in response["basis"]:
        assert {"what", "value", "source", "url", "source_date", "valid_from", "checked", "status", "status_text"} <= set(item)


def test_browser_reads_a_region_as_people_write_it(browser_tables):
    response = json.loads(browser.calculate_json(as_request(replaced(EXAMPLE, "--region", "västra götaland")), "2026-03-01"))
    assert (response["region"]["code"], response["fee"]) == ("SE-O", 200)


def test_browser_refuses_a_request_that_is_not_an_object(browser_tables):
    response = json.loads(browser.calculate_json("[1, 2]", "2026-03-01"))
    assert set(response) == {"error", "field"} and response["field"] is None


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
