"""Bytecode for the browser's Python, made at build time by the Pyodide the site ships.

Pyodide ships its standard library as source, so without this every first visit compiles the
~130 modules that Python's start and the calculator import, in WebAssembly: 1.4 of the 2.1
seconds Pyodide takes to start on this machine (docs/performance.md). precompile.mjs runs
Pyodide under Node to compile them once (in_pyodide.py says how), and the result is kept in
the build cache by the hash of everything that went into it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from .buildcache import cached_folder

log = logging.getLogger("mkdocs.plugins.portal.calculator")

HERE = Path(__file__).resolve().parent
SCRIPTS = (HERE / "precompile.mjs", HERE / "in_pyodide.py")
STDLIB = "python_stdlib.zip"


@dataclass(frozen=True)
class Precompiled:
    """The calculator's Python, with bytecode made for the Pyodide that the site ships."""

    stdlib: Path
    """Pyodide's standard library zip with the modules in use as bytecode."""
    wheel: Path
    """The calculator wheel with its modules' bytecode added."""
    stdlib_name: str
    """The standard library's name in the site: it changes with the content (not with the fee
    data, as the wheel's folder does), so browsers can keep the file for good."""

    @classmethod
    def build(cls, pyodide_dir: Path, wheel: Path, cache_dir: Path) -> Precompiled:
        """Compile with Node and Pyodide, or take the cached result for the same inputs."""
        inputs = (pyodide_dir / "package.json", pyodide_dir / STDLIB, wheel, *SCRIPTS)
        target = cached_folder(cache_dir, inputs, lambda folder: compile_with_pyodide(pyodide_dir, wheel, folder))
        content = hashlib.sha256((target / STDLIB).read_bytes()).hexdigest()
        return cls(stdlib=target / STDLIB, wheel=target / wheel.name, stdlib_name=f"python_stdlib.{content[:12]}.zip")


def compile_with_pyodide(pyodide_dir: Path, wheel: Path, target: Path) -> None:
    """Run precompile.mjs, writing the standard library zip and the wheel into `target`."""
    node = shutil.which("node")
    if node is None:
        raise PluginError("Node.js saknas: kalkylatorns Python kompileras med Pyodide i Node. "
                          "Kör python3 build.py, som talar om hur Node.js installeras.")
    process = subprocess.run([node, str(SCRIPTS[0]), str(pyodide_dir), str(wheel), str(target)],
                             capture_output=True, text=True)
    if process.returncode != 0:
        # Node prints the line of minified Pyodide code that failed, a megabyte long.
        lines = [line[:300] for line in (process.stdout + process.stderr).splitlines()]
        raise PluginError("Kunde inte kompilera kalkylatorns Python med Pyodide:\n" + "\n".join(lines[-25:]))
    counts = json.loads(process.stdout.strip().splitlines()[-1])
    log.info("Compiled %s standard library and %s calculator modules for Pyodide",
             counts["stdlib_modules"], counts["package_modules"])
