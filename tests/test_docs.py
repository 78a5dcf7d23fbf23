"""The editors' guide quotes real error messages; they must stay what `check` really prints
for the broken-content corpus (tests/corpus/, on the test content)."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT
from .test_corpus import EXPECTED


def quoted_messages() -> list[str]:
    """Error lines quoted in CONTRIBUTING.md's code blocks (warnings depend on today's date)."""
    lines, inside = [], False
    for line in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = not inside
        elif inside and re.match(r"content/\S+:\d+: ", line):
            lines.append(line)
    return lines


@pytest.fixture(scope="module")
def corpus_output(corpus_check) -> set[str]:
    """Every line `check` prints for the broken-content corpus."""
    return {line for case in EXPECTED for line in corpus_check(case).stderr.splitlines()}


def test_the_guide_quotes_error_messages():
    assert len(quoted_messages()) >= 20


def test_every_quoted_error_is_what_check_prints(corpus_output):
    stale = [line for line in quoted_messages() if line not in corpus_output]
    assert stale == [], "CONTRIBUTING.md citerar meddelanden som check inte längre skriver"
