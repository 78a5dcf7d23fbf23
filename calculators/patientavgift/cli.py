"""Command line for support staff and tests:

    python -m patientavgift --region SE-AB --date 2026-03-01 --age 40 --provider vardcentral \\
        --profession lakare --contact besok --paid 1300 --json

Unknown or impossible input exits with code 2 (and `{"error": ...}` with --json): never a guess.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from pathlib import Path

from .data import CONTACTS, PROFESSIONS, PROVIDERS, FeeTables
from .errors import CalculatorError, InputError
from .inputs import visit_from_strings
from .rules import Result, kronor

DATA_ENVIRONMENT = "PATIENTAVGIFT_DATA"


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as the calculator's own Swedish InputError."""

    def error(self, message: str):  # type: ignore[override]
        raise InputError(f"Fel i kommandot ({message}). Se python -m patientavgift --help.")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m patientavgift",
        allow_abbrev=False,
        description="Räkna ut patientavgiften för ett besök och hur mycket som är kvar till frikort.",
    )
    parser.add_argument("--region", help="regionens kod, t.ex. SE-AB (Stockholm), SE-M (Skåne), SE-O (Västra Götaland)")
    parser.add_argument("--date", help="besöksdag ÅÅÅÅ-MM-DD (standard: i dag)")
    age = parser.add_mutually_exclusive_group()
    age.add_argument("--age", help="patientens ålder i år")
    age.add_argument("--birth-date", help="patientens födelsedatum ÅÅÅÅ-MM-DD")
    parser.add_argument("--provider", help=f"vårdgivare: {', '.join(PROVIDERS)}")
    parser.add_argument("--profession", help=f"yrkesgrupp: {', '.join(PROFESSIONS)}")
    parser.add_argument("--contact", help=f"kontakt: {', '.join(CONTACTS)}")
    parser.add_argument("--paid", help="redan betalt i perioden, hela kronor (standard: 0)")
    parser.add_argument("--period-start", help="datum för första avgiften i perioden ÅÅÅÅ-MM-DD")
    parser.add_argument("--json", action="store_true", help="svara med JSON")
    parser.add_argument("--data", help=f"avgiftsdata (JSON); standard: ${DATA_ENVIRONMENT} eller den inbyggda")
    return parser


def load_tables(explicit: str | None) -> FeeTables:
    """Fee data: --data, then $PATIENTAVGIFT_DATA, then the repository's content/fees/ when run
    from a checkout (so support staff always see the committed YAML), then the bundled copy."""
    path = explicit or os.environ.get(DATA_ENVIRONMENT)
    if path:
        return FeeTables.from_file(Path(path))
    repository = Path(__file__).resolve().parents[2]
    if (repository / "content" / "fees").is_dir():
        try:
            from portal.fees import compile_fees
        except ImportError:
            pass
        else:
            return FeeTables.from_dict(compile_fees(repository))
    return FeeTables.bundled()


def describe(result: Result) -> str:
    lines = [f"Du betalar {kronor(result.to_pay)} för besöket."]
    if result.to_pay != result.fee:
        lines[0] = f"Du betalar {kronor(result.to_pay)} för besöket (ordinarie avgift {kronor(result.fee)})."
    lines.append(f"Kvar till frikort: {kronor(result.remaining)} av högkostnadstaket {kronor(result.cap)}.")
    if result.period_end:
        lines.append(f"Perioden gäller till och med {result.period_end.isoformat()}.")
    lines.extend(result.notes)
    lines.append("Källor:")
    lines.extend(f"- {source}" for source in result.sources)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    wants_json = "--json" in arguments
    try:
        options = build_parser().parse_args(arguments)
        tables = load_tables(options.data)
        values = {name: getattr(options, name.replace("-", "_")) for name in (
            "region", "date", "age", "birth-date", "provider", "profession", "contact", "paid", "period-start",
        )}
        from .rules import calculate

        result = calculate(tables, visit_from_strings(values, datetime.date.today()))
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
