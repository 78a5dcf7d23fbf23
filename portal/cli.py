"""The commands behind build.py, run inside .venv: build, serve, check, test, ...

Every command works on the repository in the current folder (build.py runs it from the
repository root; tests run it in their own project folders)."""

from __future__ import annotations

import argparse
import datetime
import subprocess
import sys
from pathlib import Path
from typing import TextIO

from .model.checks import check_content
from .model.content import Content
from .engines import ENGINES
from .errors import PortalError
from .pipeline import build
from .model.published import update_manifest
from .model.review import report

ROOT = Path.cwd()
SERVE_PORT = 8000


def check(root: Path | None = None, out: TextIO | None = None, err: TextIO | None = None) -> Content:
    """Validate content/ and the published URLs; raises ContentError listing every problem.
    Answers and fee facts due for review are warnings, not errors. `root`, `out` and `err`
    let the tests run the command in-process on their own content."""
    checked = check_content(root or ROOT)
    for warning in checked.warnings:
        print(warning, file=err or sys.stderr)
    print(checked.summary, file=out or sys.stdout)
    return checked.content


def site_options(command: str, arguments: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=f"python3 build.py {command}")
    parser.add_argument("--engine", choices=ENGINES, default=ENGINES[0],
                        help="the site engine that renders the docs tree (default: %(default)s)")
    if command == "build":
        parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="where the site is written")
    else:
        parser.add_argument("--port", type=int, default=SERVE_PORT, help="the port on 127.0.0.1")
    return parser.parse_args(arguments)


def main(argv: list[str]) -> int:
    command, arguments = argv[0], argv[1:]
    try:
        if command == "check":
            check()
            return 0
        # The build runs the same check first (pipeline.py).
        if command == "build":
            options = site_options(command, arguments)
            done = build(ROOT, options.site_dir.resolve(), engine=options.engine)
            print(done.summary(options.engine, options.site_dir))
            return 0
        if command == "serve":
            from .serve import serve

            options = site_options(command, arguments)
            return serve(ROOT, engine=options.engine, port=options.port)
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
