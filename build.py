#!/usr/bin/env python3
"""One entry point for everyone: sets up what is missing, then builds, serves, checks or tests.

    python3 build.py            build the site into site/ (--engine zensical: with Zensical)
    python3 build.py serve      build and serve on http://127.0.0.1:8000/ with live reload
    python3 build.py check      validate content/ only
    python3 build.py test       run every test (unit, build and browser tests)
    python3 build.py report     list answers and fee facts due for review
    python3 build.py urls       add new entry URLs to content/publicerade-adresser.txt
    python3 build.py diff --base REF   what the content changes since git ref REF mean for patients
    python3 build.py bench --entries N   build N synthetic entries; prints timings and sizes

Runs with the system python3 and the standard library only. On first use (and whenever a
lock file changes) it creates .venv from requirements.lock, installs the npm packages from
package-lock.json and, for the tests, Debian's headless Chromium and the optional Zensical
engine (requirements-zensical.lock, also installed for --engine zensical).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
CHROMIUM_PACKAGE = "chromium-headless-shell"
COMMANDS = ("build", "serve", "check", "test", "report", "urls", "diff", "bench")


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, cwd=ROOT, **kwargs)


def fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_python_env() -> None:
    """Create or update .venv so it holds exactly what requirements.lock pins."""
    stamp = VENV / ".portal-stamp"
    wanted = fingerprint(ROOT / "requirements.lock", ROOT / "pyproject.toml", ROOT / "calculators" / "pyproject.toml")
    if stamp.is_file() and stamp.read_text() == wanted and VENV_PYTHON.exists():
        return
    if not VENV_PYTHON.exists():
        run([sys.executable, "-m", "venv", str(VENV)])
    pip = [str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check"]
    run(pip + ["install", "--quiet", "-r", "requirements.lock"])
    run(pip + ["install", "--quiet", "--no-deps", "--no-build-isolation", "-e", "calculators", "-e", "."])
    stamp.write_text(wanted)


def ensure_zensical() -> None:
    """The optional second engine, pinned in requirements-zensical.lock."""
    stamp = VENV / ".zensical-stamp"
    wanted = fingerprint(ROOT / "requirements-zensical.lock")
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    run([str(VENV_PYTHON), "-m", "pip", "--disable-pip-version-check", "install", "--quiet",
         "-r", "requirements-zensical.lock"])
    stamp.write_text(wanted)


def ensure_node_modules() -> None:
    """Install the pinned npm packages: Pyodide (copied into the site) and axe-core (tests)."""
    stamp = ROOT / "node_modules" / ".portal-stamp"
    # package.json too: its `overrides` change what npm ci installs without touching the lock.
    wanted = fingerprint(ROOT / "package.json", ROOT / "package-lock.json")
    if stamp.is_file() and stamp.read_text() == wanted:
        return
    if shutil.which("npm") is None:
        sys.exit("npm saknas. Installera Node.js och npm (t.ex. apt-get install nodejs npm).")
    run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"])
    stamp.write_text(wanted)


def find_chromium() -> str | None:
    # portal.localsite is standard library only, so the system python3 can use it here.
    from portal.errors import PortalError
    from portal.localsite import chromium_path

    try:
        return chromium_path()
    except PortalError:
        return None


def ensure_chromium() -> str:
    """Debian's Chromium for the browser tests; never a browser downloaded by a test tool."""
    found = find_chromium()
    if found:
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        run(["apt-get", "update", "-qq"])
        run(["apt-get", "install", "-y", "-qq", CHROMIUM_PACKAGE],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = find_chromium()
        if found:
            return found
    sys.exit(
        "Chromium saknas för webbläsartesterna. Installera Debians paket: "
        f"sudo apt-get install {CHROMIUM_PACKAGE} (eller sätt PORTAL_CHROMIUM till sökvägen)."
    )


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "build"
    if command in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    if command not in COMMANDS:
        print(f"Okänt kommando '{command}'. Välj ett av: {', '.join(COMMANDS)}.", file=sys.stderr)
        return 2
    ensure_python_env()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if command in ("build", "serve", "test", "bench"):
        ensure_node_modules()
    if command == "test" or "zensical" in argv:
        ensure_zensical()
    if command == "test" or (command == "bench" and {"--calculator", "--pages", "--lighthouse"} & set(argv)):
        env["PORTAL_CHROMIUM"] = ensure_chromium()
    completed = subprocess.run(
        [str(VENV_PYTHON), "-m", "portal.cli", command, *argv[1:]], cwd=ROOT, env=env
    )
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
