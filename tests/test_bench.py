"""The benchmark command keeps working: it builds synthetic entries and prints one JSON line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import ROOT


def test_bench_prints_its_figures_as_the_last_line():
    result = subprocess.run(
        [sys.executable, "-m", "portal.cli", "bench", "--entries", "40"],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["entries"] == 40
    assert set(figures) >= {"build_seconds", "peak_rss_mb", "largest_entry_page_bytes",
                            "search_index_bytes", "search_index_gzip_bytes"}
    assert 0 < figures["search_index_gzip_bytes"] < figures["search_index_bytes"]
    assert figures["largest_entry_page_bytes"] < 40_000
