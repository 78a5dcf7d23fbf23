"""`bench --lighthouse` keeps working: it builds the live site, runs the pinned Lighthouse in
Debian's Chromium and prints a score table (one page and one run here, to stay quick)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.browser
def test_lighthouse_bench_prints_four_scores_for_an_entry_page():
    result = subprocess.run(
        [sys.executable, "-m", "portal.bench_lighthouse", "--pages", "entry", "--runs", "1", "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=170,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("page "))
    assert header.split()[1:] == ["performance", "accessibility", "best-practices", "SEO"]
    # The score table: the lines after its header up to the first blank one (below it, a score
    # under 100 lists its audits on a line that also starts with the page's name).
    table = lines[lines.index(header) + 1:]
    table = table[:table.index("")] if "" in table else table
    # The entry is the sitemap's first, whichever it is: editors may retire any id.
    rows = [line for line in table if re.match(r"entry\s+/fragor/[^/\s]+/\s", line)]
    assert len(rows) == 1, result.stdout
    scores = rows[0].split()[2:]
    assert len(scores) == 4 and all(score.isdigit() and 0 <= int(score) <= 100 for score in scores), rows[0]
    figures = json.loads(lines[-1])
    assert figures["pages"][0]["outside_requests"] == [], "the page asked for something beyond 127.0.0.1"
    for category, score in zip(("performance", "accessibility", "best-practices", "seo"), scores):
        # Every score under 100 comes with the audits that cost its points.
        assert (category in figures["pages"][0]["failing"]) == (int(score) < 100)
