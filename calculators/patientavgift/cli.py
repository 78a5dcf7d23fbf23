"""Command line for support staff and tests:

    python -m patientavgift --region Stockholm --date 2026-03-01 --age 40 --provider vardcentral \\
        --profession lakare --contact besok --paid 1300 --json

Every message is Swedish, argparse's own included. Unknown or impossible input exits with
code 2 (and `{"error": ...}` with --json): never a guess. So does fee data that cannot be read
(a file that is not fee data, a mistake in any YAML file): never a traceback.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import re
import sys
from pathlib import Path

from .data import CONTACT_NAMES, CONTACTS, PROFESSION_NAMES, PROFESSIONS, PROVIDER_NAMES, PROVIDERS, FeeTables
from .errors import CalculatorError, InputError
from .inputs import visit_from_strings
from .rules import Result, calculate

DATA_ENVIRONMENT = "PATIENTAVGIFT_DATA"
PROGRAM = "python -m patientavgift"
HELP_HINT = f"Se {PROGRAM} --help."
VALUE_OPTIONS = ("region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start")

# argparse writes its messages in English; each one it can give is said again in Swedish here,
# and anything else becomes a general Swedish message rather than leaking English.
_ARGPARSE_MESSAGES = (
    (re.compile(r"unrecognized arguments: (.*)", re.S), lambda match: f"okänt val eller värde: {match[1]}"),
    (re.compile(r"argument (\S+): expected (?:one|at least one|\d+) argument", re.S),
     lambda match: f"{_option(match[1])} behöver ett värde"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)", re.S),
     lambda match: f"ange antingen {_option(match[1])} eller {_option(match[2])}, inte båda"),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)", re.S),
     lambda match: f"{_option(match[1])} tar inget värde"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)", re.S),
     lambda match: f"{match[1]} kan betyda flera val: {match[2]}"),
    (re.compile(r"the following arguments are required: (.*)", re.S), lambda match: f"{match[1]} saknas"),
    (re.compile(r"one of the arguments (.*) is required", re.S), lambda match: f"ange ett av {match[1]}"),
)


def _option(name: str) -> str:
    """'--age' from argparse's '-a/--age' style names."""
    return name.split("/")[-1]


def swedish(message: str) -> str:
    for pattern, say in _ARGPARSE_MESSAGES:
        match = pattern.fullmatch(message.strip())
        if match:
            return say(match)
    return "kommandot kunde inte läsas"


class _SwedishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="Användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse that speaks Swedish: its help, and its mistakes as the calculator's own
    InputError (exit code 2)."""

    def __init__(self, **options) -> None:
        super().__init__(add_help=False, allow_abbrev=False, formatter_class=_SwedishHelpFormatter, **options)
        self._positionals.title = "Argument"
        self._optionals.title = "Övrigt"

    def error(self, message: str):  # type: ignore[override]
        raise InputError(f"Fel i kommandot: {swedish(message)}. {HELP_HINT}")


def _choices(keys: tuple[str, ...], names: dict[str, str]) -> str:
    return ", ".join(key if names[key] == key else f"{key} ({names[key]})" for key in keys)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROGRAM,
        description="Räkna ut patientavgiften för ett besök och hur mycket som är kvar till frikort.",
        epilog=(
            f"Exempel: {PROGRAM} --region Stockholm --age 40 --provider vardcentral --profession lakare "
            "--contact besok --paid 1300. Stora eller små bokstäver spelar ingen roll, och å, ä och ö "
            "kan skrivas som a och o. Felaktiga uppgifter ger slutkoden 2."
        ),
    )
    visit = parser.add_argument_group("Besöket")
    visit.add_argument("--region", metavar="REGION", help=(
        "regionen vars avgifter gäller: koden (SE-AB), namnet (Region Stockholm) eller en kort form "
        "(Stockholm, Västra Götaland, Skåne)"
    ))
    visit.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="besöksdag (utan den: i dag)")
    visit.add_argument("--provider", metavar="VÅRDGIVARE", help=f"vårdgivare: {_choices(PROVIDERS, PROVIDER_NAMES)}")
    visit.add_argument("--profession", metavar="YRKESGRUPP", help=f"yrkesgrupp: {_choices(PROFESSIONS, PROFESSION_NAMES)}")
    visit.add_argument("--contact", metavar="KONTAKT", help=f"typ av kontakt: {_choices(CONTACTS, CONTACT_NAMES)}")
    patient = parser.add_argument_group("Patienten (ange ålder eller födelsedatum)")
    age = patient.add_mutually_exclusive_group()
    age.add_argument("--age", metavar="ÅR", help="patientens ålder i hela år")
    age.add_argument("--birth-date", metavar="ÅÅÅÅ-MM-DD", help=(
        "patientens födelsedatum (behövs där vården är gratis till och med det år man fyller 19)"
    ))
    period = parser.add_argument_group("Högkostnadsskyddet")
    period.add_argument("--paid", metavar="KRONOR", help="redan betalt under perioden, hela kronor (utan den: 0)")
    period.add_argument("--period-start", metavar="ÅÅÅÅ-MM-DD", help="dagen för första avgiften i perioden")
    period.add_argument("--frikort", action="store_true", help=(
        "jag har redan ett frikort som gäller på besöksdagen (då är besöket gratis)"
    ))
    answer = parser.add_argument_group("Svaret")
    answer.add_argument("--json", action="store_true", help="svara med JSON")
    answer.add_argument("--data", metavar="FIL", help=(
        f"avgiftsdata (JSON); utan den: ${DATA_ENVIRONMENT}, annars content/fees/ eller den inbyggda"
    ))
    answer.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")
    return parser


CHECKOUT = Path(__file__).resolve().parents[2]
"""The repository, when the package runs from a checkout (it holds content/fees/ there)."""
BUNDLED = Path(__file__).resolve().parent / "fees.json"
"""The fee data a build bundles with the package."""
_NOT_FEE_DATA = (KeyError, TypeError, ValueError, AttributeError, IndexError)
"""What reading or calculating with a JSON file that is not fee data raises (fields missing, of
the wrong kind, or with values the data never has)."""


def load_tables(explicit: str | None, checkout: Path | None = CHECKOUT) -> tuple[FeeTables, Path | None]:
    """Fee data, and the JSON file it was read from (None for the YAML, validated as it was read):
    --data, then $PATIENTAVGIFT_DATA, then the checkout's content/fees/ (so support staff always
    see the committed YAML) when PyYAML is there to read it, then the copy bundled in the package.
    Data that cannot be read is refused with a Swedish InputError naming the file (and for the
    YAML, the file and line): never a traceback."""
    path = explicit or os.environ.get(DATA_ENVIRONMENT)
    if path:
        return _from_file(Path(path)), Path(path)
    if checkout is not None and (checkout / "content" / "fees").is_dir() and importlib.util.find_spec("yaml"):
        # The YAML reader is the only part of the package that needs PyYAML, so it is imported
        # here only; its SourceError is a CalculatorError, answered like any other refusal.
        from .source import compile_fees

        return FeeTables.from_dict(compile_fees(checkout)), None
    if not BUNDLED.is_file():
        raise InputError(
            "Paketet har ingen inbyggd avgiftsdata (fees.json görs när webbplatsen byggs). "
            f"Ange en fil med avgiftsdata med --data eller ${DATA_ENVIRONMENT}.",
            field="data",
        )
    return _from_file(BUNDLED), BUNDLED


def _from_file(path: Path) -> FeeTables:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _unreadable(path, "filen är inte text i UTF-8") from None
    except OSError:
        raise InputError(
            f"Avgiftsdatan {path} finns inte eller kunde inte läsas. Kontrollera sökvägen.", field="data",
        ) from None
    try:
        document = json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", 0)
        raise InputError(
            f"{path}:{line}: filen är inte giltig JSON. Ange kalkylatorns avgiftsdata i JSON, gjord av "
            "content/fees/ (python3 build.py gör den).",
            field="data",
        ) from None
    try:
        return FeeTables.from_dict(document)
    except KeyError as error:
        raise _unreadable(path, f"fältet '{error.args[0]}' saknas") from None
    except _NOT_FEE_DATA:
        raise _unreadable(path, "uppgifterna har inte avgiftsdatans form") from None


def _unreadable(path: Path, why: str) -> InputError:
    return InputError(
        f"{path}: filen är inte kalkylatorns avgiftsdata ({why}). Ange avgiftsdata i JSON, gjord av "
        "content/fees/ (python3 build.py gör den).",
        field="data",
    )


def describe_basis(item: dict) -> str:
    """One line of "Bygger på:": the number, its source, what kind of source, and its dates."""
    source = item["source"] + (f", {item['source_date']}" if item["source_date"] else "")
    if item["url"]:
        source += f", {item['url']}"
    when = f"gäller från {item['valid_from']}"
    if item["valid_from_basis"] != "källan":
        when += f" ({item['valid_from_basis_text']})"
    old = "; äldre källa, uppgiften kan ha ändrats" if item["old"] else ""
    return (f"- {item['what']}: {item['value']}. Källa: {source} ({item['status_text']}{old}; {when}; "
            f"kontrollerad {item['checked']}).")


def describe(result: Result) -> str:
    lines = list(result.summary)
    lines.extend(result.notes)
    lines.append("Bygger på:")
    lines.extend(describe_basis(item) for item in result.basis)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    wants_json = "--json" in arguments
    try:
        try:
            options = build_parser().parse_args(arguments)
        except SystemExit as stop:  # --help has been printed
            return stop.code if isinstance(stop.code, int) else 0
        tables, data_file = load_tables(options.data)
        values: dict[str, str | None] = {name: getattr(options, name.replace("-", "_")) for name in VALUE_OPTIONS}
        values["frikort"] = "1" if options.frikort else None
        try:
            result = calculate(tables, visit_from_strings(values, datetime.date.today(), tables))
        except _NOT_FEE_DATA:
            if data_file is None:
                raise  # the YAML was validated: this is a fault in the rules, and must show
            # A JSON file is only checked as far as the rules read it: a wrong value deep inside
            # shows only now.
            raise _unreadable(data_file, "ett värde har fel form") from None
    except CalculatorError as error:
        if wants_json:
            print(json.dumps({"error": error.message}, ensure_ascii=False))
        else:
            print(f"Fel: {error.message}", file=sys.stderr)
        return error.exit_code
    if options.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        print(describe(result))
    return 0
