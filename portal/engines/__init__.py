"""Stage 4: the docs tree -> a rendered site, by a site engine.

Each engine reads the same generated build/mkdocs.yml and docs tree (docs_tree/) and runs in
its own process, with its own command line, as a maintainer would run it. MkDocs + Material
is the default; Zensical (Material's successor) proves that nothing depends on MkDocs
plugins. What each engine cannot do yet is in docs/engines.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..docs_tree import DocsTree
from ..errors import BuildError

ENGINES = ("mkdocs", "zensical")
"""The engines `python3 build.py build --engine NAME` accepts; the first is the default."""


def render(engine: str, tree: DocsTree, site_dir: Path) -> None:
    """Render `tree` into `site_dir` (emptied first) with `engine`."""
    if engine == "mkdocs":
        run(engine, [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(tree.config_file),
                     "--site-dir", str(site_dir)], tree)
    elif engine == "zensical":
        # Zensical has no option for the output folder: it renders into the tree's own.
        run(engine, [zensical_executable(), "build", "--config-file", str(tree.config_file), "--strict"], tree)
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(tree.site_dir, site_dir)
    else:
        raise BuildError(f"Okänd motor '{engine}'. Välj en av: {', '.join(ENGINES)}.", exit_code=2)


def run(engine: str, command: list[str], tree: DocsTree) -> None:
    result = subprocess.run(command, cwd=tree.config_file.parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        raise BuildError(f"{engine} kunde inte bygga webbplatsen (se utskriften ovan).")


def zensical_executable() -> str:
    """Zensical is an optional dependency (requirements-zensical.lock), installed beside MkDocs."""
    executable = shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
    if executable is None:
        raise BuildError("Zensical är inte installerat. Kör python3 build.py build --engine zensical, "
                         "som installerar det från requirements-zensical.lock.")
    return executable
