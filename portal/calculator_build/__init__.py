"""Stage 2b: the calculator for the browser, built from the package and the compiled fee data.

The wheel (wheel.py), the self-hosted Pyodide's runtime files, the standard library compiled
to bytecode by that Pyodide (precompile.py), precompressed copies of the large files
(compress.py) and the table of ordinary fees the page shows while Python loads
(ordinary_fees.py). Each product is kept in `.cache/` by the hash of what went into it
(buildcache.py), so an unchanged calculator costs nothing to rebuild. Nothing is written into
a source folder: the docs tree links these files in by their site addresses (`files`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from patientavgift.data import FeeTables

from ..errors import BuildError
from .buildcache import cached_folder
from .compress import precompressed
from .ordinary_fees import ordinary_fees
from .precompile import Precompiled
from .wheel import browser_modules, write_wheel

RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
"""Pyodide's runtime as the npm package ships it, each with precompressed copies. No package
wheels (the calculator needs none), so no pyodide-lock.json either: the worker passes Pyodide
the lock file's `info` with no packages. Its python_stdlib.zip is replaced by the precompiled
one and the rest of the standard library."""
PACKAGE_DIR = Path("calculators")
"""The calculator's project folder (holds pyproject.toml), relative to the repository root."""
PYODIDE_DIR = Path("node_modules") / "pyodide"
"""The npm package `pyodide` (pinned in package-lock.json), self-hosted with the site."""
CACHE_DIR = Path(".cache") / "calculator"
"""Where this stage keeps its products, one folder per kind, each by the hash of its inputs."""


@dataclass
class CalculatorBuild:
    """Everything the calculator page loads, built for one fee document."""

    pyodide_version: str
    """Version of the self-hosted Pyodide (from its package.json)."""
    lock_info: dict
    """The `info` of Pyodide's lock file (its ABI version is checked at start)."""
    python: Precompiled
    """The calculator wheel and the standard library, compiled for this Pyodide."""
    runtime: dict[str, Path]
    """Pyodide's runtime files by name."""
    compressed: dict[str, dict[str, Path]]
    """Precompressed copies of each runtime file, by name and suffix."""
    ordinary_fees: dict = field(repr=False)
    """The ordinary fee of every choice by date range (ordinary_fees.py)."""

    @classmethod
    def make(cls, root: Path, fee_document: dict, tables: FeeTables) -> CalculatorBuild:
        """Build (or take from the cache) everything for `fee_document` (compiled from
        content/fees/; `tables` is the same data as the calculator reads it)."""
        pyodide_dir = root / PYODIDE_DIR
        if not (pyodide_dir / "package.json").is_file():
            raise BuildError(f"Pyodide saknas i {pyodide_dir}; kör python3 build.py (det kör npm ci).")
        cache = root / CACHE_DIR
        project = root / PACKAGE_DIR
        data = json.dumps(fee_document, ensure_ascii=False, sort_keys=True).encode()
        wheel_folder = cached_folder(cache / "wheel", [project / "pyproject.toml", *browser_modules(project), data],
                                     lambda folder: write_wheel(project, fee_document, folder))
        wheel = next(wheel_folder.glob("*-py3-none-any.whl"))
        python = Precompiled.build(pyodide_dir, wheel, cache / "bytecode")
        fees_folder = cached_folder(cache / "ordinary-fees", [python.wheel, Path(__file__).with_name("ordinary_fees.py")],
                                    lambda folder: (folder / "ordinary_fees.json").write_text(
                                        json.dumps(ordinary_fees(tables)), encoding="utf-8"))
        return cls(
            pyodide_version=json.loads((pyodide_dir / "package.json").read_text())["version"],
            lock_info=json.loads((pyodide_dir / "pyodide-lock.json").read_text())["info"],
            python=python,
            runtime={name: pyodide_dir / name for name in RUNTIME_FILES},
            compressed={name: precompressed(pyodide_dir / name, cache / "compressed") for name in RUNTIME_FILES},
            ordinary_fees=json.loads((fees_folder / "ordinary_fees.json").read_text(encoding="utf-8")),
        )

    @property
    def pyodide_url(self) -> str:
        """Where the runtime is in the site; versioned, so browsers can keep it for good."""
        return f"assets/pyodide/{self.pyodide_version}/"

    @property
    def wheel_url(self) -> str:
        """Where the wheel is in the site; its folder is the hash of its inputs."""
        return f"assets/wheels/{self.python.wheel.parent.name}/{self.python.wheel.name}"

    @property
    def stdlib_url(self) -> str:
        return self.pyodide_url + self.python.stdlib_name

    @property
    def rest_url(self) -> str:
        return self.pyodide_url + self.python.rest_name

    @property
    def files(self) -> dict[str, Path]:
        """Every file the stage adds to the site, by its address in the site."""
        files = {}
        for name, path in self.runtime.items():
            files[self.pyodide_url + name] = path
            for suffix, copy in self.compressed[name].items():
                files[self.pyodide_url + name + suffix] = copy
        files[self.stdlib_url] = self.python.stdlib
        files[self.rest_url] = self.python.rest
        files[self.wheel_url] = self.python.wheel
        return files

    @property
    def downloads(self) -> list[tuple[str, int, int]]:
        """What the worker downloads before the first answer, for its progress bar: (address
        in the site, bytes it reads, about how many bytes that is on the wire). The second
        figure weighs each file: the WebAssembly is 9.6 MB read but 3.5 MB sent."""
        files = [(self.pyodide_url + name, path, self.compressed[name][".gz"]) for name, path in self.runtime.items()]
        files += [(self.stdlib_url, self.python.stdlib, self.python.stdlib),
                  (self.wheel_url, self.python.wheel, self.python.wheel)]
        return [(url, path.stat().st_size, sent.stat().st_size) for url, path, sent in files]
