"""Shared fixtures: the real content, and the real MkDocs build of the site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BRIEF_IDS = [
    "hur-fungerar-tjansten", "oppettider-digitala-besok", "oppettider-vardcentral",
    "oppettider-nationell-tjanst", "avgift-vardcentral", "avgift-nationell-tjanst", "avgift-barn",
    "hogkostnadsskydd-frikort", "registrering-hogkostnadskort", "anvanda-frikort", "vard-online",
    "varfor-manga-fragor", "behov-av-fysiskt-besok", "kontakt-igen", "trygg-vard-online",
    "medicinska-foljdfragor", "eget-bankid", "alder-soka-vard", "vard-fran-utlandet",
    "skyddad-identitet", "vardpersonal-online", "recept-online", "fornya-recept", "hamta-ut-recept",
    "provtagning", "remisser", "intyg", "ombud-hamta-recept", "personuppgifter", "teknisk-support",
    "synpunkter", "missnojd", "lista-dig", "maste-vara-listad", "tillgang-till-journal",
    "vem-laser-journal",
]
"""The 36 permanent ids of the content brief: support staff link to /fragor/<id>/."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything under tests/browser/ drives Chromium: `-m "not browser"` runs the rest."""
    browser_tests = Path(__file__).parent / "browser"
    for item in items:
        if browser_tests in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the repository's content/, to break on purpose."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path


def make_project(target: Path) -> Path:
    """A buildable copy of the site project in `target` (content copied unless already there)."""
    if not (target / "content").exists():
        shutil.copytree(ROOT / "content", target / "content")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "calculators", target / "calculators",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    for shared in ("portal", "node_modules", ".cache"):  # .cache: built wheels and bytecode, by hash
        (ROOT / shared).mkdir(exist_ok=True)
        (target / shared).symlink_to(ROOT / shared)
    return target


def run_check(root: Path) -> subprocess.CompletedProcess:
    """The real `check` command (python3 build.py check) on the content below `root`."""
    return subprocess.run(
        [sys.executable, "-c", "import sys, pathlib, portal.cli as cli; cli.ROOT = pathlib.Path(sys.argv[1]); "
         "sys.exit(cli.main(['check']))", str(root)],
        capture_output=True, text=True,
    )


def build_site(site_dir: Path, config: Path = ROOT / "mkdocs.yml", **environment: str) -> subprocess.CompletedProcess:
    """Build with the real mkdocs command, as build.py does (`environment`: extra variables)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--config-file", str(config), "--site-dir", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as `python3 build.py` builds it, in a temporary folder."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir
