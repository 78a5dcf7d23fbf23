"""The commands behind build.py, run inside .venv: build, serve, check, test."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from .model.checks import check_content
from .model.content import Content
from .errors import PortalError
from .model.published import update_manifest
from .model.review import report

ROOT = Path(__file__).resolve().parent.parent
SERVE_ADDRESS = "127.0.0.1:8000"


def check(root: Path | None = None, out: TextIO | None = None, err: TextIO | None = None) -> Content:
    """Validate content/ and the published URLs; raises ContentError listing every problem.
    Answers and fee facts due for review are warnings, not errors. `root`, `out` and `err`
    let the tests run the command in-process on their own content."""
    checked = check_content(root or ROOT)
    for warning in checked.warnings:
        print(warning, file=err or sys.stderr)
    print(checked.summary, file=out or sys.stdout)
    return checked.content


def mkdocs(*arguments: str) -> int:
    return subprocess.run([sys.executable, "-m", "mkdocs", *arguments], cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    command, arguments = argv[0], argv[1:]
    try:
        if command == "check":
            check()
            return 0
        # MkDocs runs the same check once per build (the portal-faq plugin).
        if command == "build":
            return mkdocs("build", *arguments)
        if command == "serve":
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
        if command == "diff":
            from .diff import main as diff

            return diff(ROOT, arguments)
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
