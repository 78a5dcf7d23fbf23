"""Shared fixtures: the live content and the test content, and real builds of both.

Behaviour tests run on the test content in tests/fixtures/content/, which only tests change;
tests of the live content/ check what must hold for any correct edit (tests/invariants.py).
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
"""The root of the test content: FIXTURES / "content" is laid out as content/ is."""
FIXTURE_CONTENT = FIXTURES / "content"

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
"""The permanent ids of the content brief: support staff link to /fragor/<id>/. Editors may
retire one only by putting it in another entry's `aliases:`, so each stays served."""


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


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A writable copy of the test content (as `content/` below the returned folder)."""
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    return tmp_path


def make_project(target: Path, content: Path = ROOT / "content") -> Path:
    """A buildable copy of the site project in `target`, with `content` (the live content
    unless told) copied in as content/ unless there already is one."""
    if not (target / "content").exists():
        shutil.copytree(content, target / "content")
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "calculators", target / "calculators",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    for shared in ("portal", "node_modules", ".cache"):  # .cache: built wheels and bytecode, by hash
        (ROOT / shared).mkdir(exist_ok=True)
        (target / shared).symlink_to(ROOT / shared)
    return target


def run_check(root: Path) -> subprocess.CompletedProcess:
    """The real `check` command (what python3 build.py check runs) on the content below `root`,
    in this process: a new Python for each of the hundreds of runs cost a fifth of the suite.
    Its output and exit code are the command's (an unexpected exception fails the test)."""
    from portal import cli
    from portal.errors import PortalError

    out, err = io.StringIO(), io.StringIO()
    try:
        cli.check(root, out=out, err=err)
        code = 0
    except PortalError as error:
        print(error.format_message(), file=err)
        code = error.exit_code
    return subprocess.CompletedProcess(["check", str(root)], code, out.getvalue(), err.getvalue())


def build_site(site_dir: Path, config: Path, *, engine: str = "mkdocs",
               **environment: str) -> subprocess.CompletedProcess:
    """Build the project of `config` with the real build command, as `python3 build.py build`
    runs it (`environment`: extra variables)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **environment}
    return subprocess.run(
        [sys.executable, "-m", "portal.cli", "build", "--engine", engine, "--site-dir", str(site_dir)],
        cwd=config.parent, env=env, capture_output=True, text=True,
    )


def make_fixture_project(target: Path) -> Path:
    """A buildable project in `target` with the test content."""
    return make_project(target, FIXTURE_CONTENT)


@functools.cache
def fixture_content():
    """The test content, loaded (read it, never change it: it is shared)."""
    from portal.model.content import Content

    return Content.load(FIXTURES)


@pytest.fixture(scope="session")
def corpus_check(tmp_path_factory: pytest.TempPathFactory):
    """`check` on each case of the broken-content corpus, run once per session and shared by
    tests/test_corpus.py and tests/test_docs.py: a function from case name to the run."""
    from .test_corpus import overlay

    @functools.cache
    def run(case: str) -> subprocess.CompletedProcess:
        root = tmp_path_factory.mktemp(f"corpus-{case}")
        shutil.copytree(FIXTURE_CONTENT, root / "content")
        overlay(case, root)
        return run_check(root)
    return run


def build_in_project(factory: pytest.TempPathFactory, name: str, content: Path, engine: str = "mkdocs") -> Path:
    """The site of `content`, built as `python3 build.py build --engine <engine>` builds it, in
    a project copy of its own (never the repository's build/, which a developer may be using)."""
    project = make_project(factory.mktemp(f"{name}-project"), content)
    site_dir = factory.mktemp(f"{name}-site")
    result = build_site(site_dir, project / "mkdocs.yml", engine=engine)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live site, built with the default engine."""
    return build_in_project(tmp_path_factory, "live", ROOT / "content")


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the test content with Zensical."""
    return build_in_project(tmp_path_factory, "zensical", FIXTURE_CONTENT, engine="zensical")


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the test content with the default engine."""
    return build_in_project(tmp_path_factory, "fixture", FIXTURE_CONTENT)
