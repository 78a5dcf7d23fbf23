"""The commands behind build.py, run inside .venv: build, serve, check, test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import datetime

from .content import Content, faq_unreadable
from .errors import ContentError, PortalError
from .published import check_published, update_manifest
from .review import overdue_entries, overdue_fees, report

ROOT = Path(__file__).resolve().parent.parent
SERVE_ADDRESS = "127.0.0.1:8000"


def check() -> Content:
    """Validate content/ and the published URLs; raises ContentError listing every problem.
    Answers and fee facts due for review are warnings, not errors."""
    content, problems = Content.collect(ROOT)
    if not faq_unreadable(problems):  # an unreadable entry is not a deleted one
        problems = problems + check_published(content)
    if problems:
        raise ContentError(problems)
    today = datetime.date.today()
    for overdue in overdue_entries(content, today) + overdue_fees(content, today):
        print(f"varning: {overdue}. Granska och uppdatera datumet.", file=sys.stderr)
    print(
        f"Innehållet är korrekt: {len(content.entries)} frågor i {len(content.categories)} "
        f"kategorier, avgifter för {len(content.fees.tables.regions)} regioner och "
        f"{len(content.fees.parameters)} nationella värden."
    )
    return content


def mkdocs(*arguments: str) -> int:
    return subprocess.run([sys.executable, "-m", "mkdocs", *arguments], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, arguments = argv[0], argv[1:]
    try:
        if command == "check":
            check()
            return 0
        if command == "build":
            check()
            return mkdocs("build", *arguments)
        if command == "serve":
            check()
            print(f"Webbplatsen visas på http://{SERVE_ADDRESS}/ och byggs om när du sparar en fil.")
            return mkdocs("serve", "--dev-addr", SERVE_ADDRESS, "--livereload", *arguments)
        if command == "report":
            print(report(Content.load(ROOT), datetime.date.today()))
            return 0
        if command == "urls":
            added = update_manifest(Content.load(ROOT))
            print(f"{len(added)} nya adresser tillagda i content/publicerade-adresser.txt." if added
                  else "Alla adresser finns redan i content/publicerade-adresser.txt.")
            for url in added:
                print(f"  {url}")
            return 0
        if command == "bench":
            from .bench import main as bench

            return bench(arguments)
        if command == "test":
            return subprocess.run([sys.executable, "-m", "pytest", *arguments], cwd=ROOT).returncode
    except PortalError as error:
        print(error.format_message(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    print(f"Okänt kommando: {command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
