"""The broken-content corpus: realistic editor mistakes, one per folder under tests/corpus/.

Each case folder holds the file(s) that replace (or are added to) a copy of the test content
(tests/fixtures/content/, as content/), each at its path relative to the project root: the test
content's file with one mistake in it. The cases never touch the live content/, so editors'
changes there cannot move a line or lose an entry here. tests/corpus/expected.yml says, for
each case, the problem `python3 build.py check` must print (file, line, field, part of the
message) and which entries are legitimately unreadable because of the break (`lost`); every
other entry of the test content must still load.
A case marked `xfail` documents a product bug: expected.yml holds what SHOULD happen.
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
import yaml

from portal.model.content import Content

from .conftest import FIXTURES, fixture_content

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))
MINIMUM_CASES = 24


def case_files(case: str) -> list[Path]:
    """The case's files, relative to its folder (= relative to the repository root)."""
    folder = CORPUS / case
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def cases(part: str) -> list:
    """Every case as a pytest param; `part` ('check' or 'entries') picks which xfail applies."""
    params = []
    for name in sorted(EXPECTED):
        reason = (EXPECTED[name].get("xfail") or {}).get(part)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def overlay(case: str, root: Path) -> None:
    """Put the case's files over the copy of the test content in `root`."""
    for relative in case_files(case):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / case / relative, target)


def test_the_corpus_is_big_enough():
    assert len(EXPECTED) >= MINIMUM_CASES, sorted(EXPECTED)


def test_every_case_folder_has_an_expectation_and_vice_versa():
    folders = {path.name for path in CORPUS.iterdir() if path.is_dir()}
    assert sorted(folders - set(EXPECTED)) == [], "case folders without an entry in expected.yml"
    assert sorted(set(EXPECTED) - folders) == [], "entries in expected.yml without a case folder"


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_case_is_well_formed(case):
    expected = EXPECTED[case]
    assert set(expected) <= {"file", "line", "field", "contains", "lost", "xfail"}, expected
    assert isinstance(expected["file"], str) and isinstance(expected["line"], int), expected
    assert isinstance(expected["field"], str) and expected["contains"], expected
    assert set(expected["lost"]) <= set(fixture_content().entries), expected["lost"]
    assert set(expected.get("xfail") or {}) <= {"check", "entries"}, expected["xfail"]
    files = case_files(case)
    assert files, f"{case}: the folder holds no file"
    for relative in files:
        assert relative.parts[0] == "content", f"{case}: {relative} is not under content/"
        original = FIXTURES / relative
        if original.is_file():
            assert not filecmp.cmp(original, CORPUS / case / relative, shallow=False), (
                f"{case}: {relative} is identical to the test content's file, so it breaks nothing"
            )


@pytest.mark.parametrize("case", cases("check"))
def test_check_reports_the_problem_at_its_place(case, corpus_check):
    expected = EXPECTED[case]
    result = corpus_check(case)
    assert result.returncode != 0, result.stdout + result.stderr
    prefix = f"{expected['file']}:{expected['line']}: {expected['field']}: "
    matching = [
        line for line in result.stderr.splitlines()
        if line.startswith(prefix) and expected["contains"] in line
    ]
    assert matching, f"no line starting with {prefix!r} containing {expected['contains']!r} in:\n{result.stderr}"


@pytest.mark.parametrize("case", cases("entries"))
def test_no_valid_entry_is_lost(case, fixture_copy):
    expected = EXPECTED[case]
    overlay(case, fixture_copy)
    content, problems = Content.collect(fixture_copy)
    missing = set(fixture_content().entries) - set(expected["lost"]) - set(content.entries)
    assert not missing, f"valid entries lost: {sorted(missing)}"
    assert not set(expected["lost"]) & set(content.entries), "an entry in `lost` still loads"
