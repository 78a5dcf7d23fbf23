"""Bytecode for the browser's Python, made at build time by the Pyodide the site ships.

Pyodide ships its standard library as source, so without this every first visit compiles the
~130 modules that Python's start and the calculator import, in WebAssembly: 1.4 of the 2.1
seconds Pyodide takes to start on this machine (docs/performance.md), and downloads the 430
modules it never imports. precompile.mjs runs Pyodide under Node to compile the modules in use
into a zip of their own and to put the others into a second zip fetched only when an import
needs it (in_pyodide.py says how); the result is kept in the build cache by the hash of
everything that went into it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError

from .buildcache import cached_folder

log = logging.getLogger("portal.calculator_build")

HERE = Path(__file__).resolve().parent
SCRIPTS = (HERE / "precompile.mjs", HERE / "in_pyodide.py", HERE / "stdlib_fallback.py")
STDLIB = "python_stdlib.zip"
REST = "python_stdlib_rest.zip"


@dataclass(frozen=True)
class Precompiled:
    """The calculator's Python, with bytecode made for the Pyodide that the site ships."""

    stdlib: Path
    """The standard library modules in use, as bytecode, with the fallback for the others."""
    rest: Path
    """Every other module of Pyodide's standard library, as source."""
    wheel: Path
    """The calculator wheel with its modules' bytecode added."""
    stdlib_name: str
    """The standard library's name in the site: it changes with the content (not with the fee
    data, as the wheel's folder does), so browsers can keep the file for good."""
    rest_name: str
    """The second zip's name in the site, likewise."""

    @classmethod
    def build(cls, pyodide_dir: Path, wheel: Path, cache_dir: Path) -> Precompiled:
        """Compile with Node and Pyodide, or take the cached result for the same inputs."""
        inputs = (pyodide_dir / "package.json", pyodide_dir / STDLIB, wheel, *SCRIPTS)
        target = cached_folder(cache_dir, inputs, lambda folder: compile_with_pyodide(pyodide_dir, wheel, folder))
        def named(name: str) -> str:
            content = hashlib.sha256((target / name).read_bytes()).hexdigest()
            return name.replace(".zip", f".{content[:12]}.zip")

        return cls(stdlib=target / STDLIB, rest=target / REST, wheel=target / wheel.name,
                   stdlib_name=named(STDLIB), rest_name=named(REST))


def compile_with_pyodide(pyodide_dir: Path, wheel: Path, target: Path) -> None:
    """Run precompile.mjs, writing the standard library zip and the wheel into `target`."""
    node = shutil.which("node")
    if node is None:
        raise BuildError("Node.js saknas: kalkylatorns Python kompileras med Pyodide i Node. "
                          "Kör python3 build.py, som talar om hur Node.js installeras.")
    process = subprocess.run([node, str(SCRIPTS[0]), str(pyodide_dir), str(wheel), str(target)],
                             capture_output=True, text=True)
    if process.returncode != 0:
        # Node prints the line of minified Pyodide code that failed, a megabyte long.
        lines = [line[:300] for line in (process.stdout + process.stderr).splitlines()]
        raise BuildError("Kunde inte kompilera kalkylatorns Python med Pyodide:\n" + "\n".join(lines[-25:]))
    counts = json.loads(process.stdout.strip().splitlines()[-1])
    log.info("Compiled %s standard library and %s calculator modules for Pyodide (%s more modules "
             "fetched only if imported)", counts["stdlib_modules"], counts["package_modules"], counts["rest_modules"])
