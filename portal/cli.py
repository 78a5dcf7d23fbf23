"""The commands behind build.py, run inside .venv: build, serve, check, test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .content import Content
from .errors import PortalError

ROOT = Path(__file__).resolve().parent.parent
SERVE_ADDRESS = "127.0.0.1:8000"


def check() -> Content:
    """Validate content/; raises ContentError listing every problem."""
    content = Content.load(ROOT)
    print(
        f"Innehållet är korrekt: {len(content.entries)} frågor i {len(content.categories)} "
        f"kategorier, {len(content.fees.parameters)} avgiftsparametrar."
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
