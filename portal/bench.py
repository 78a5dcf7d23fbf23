"""`python3 build.py bench --entries N`: build N synthetic entries with the real pipeline.

The entries are made from the real answers' sentences, questions and keywords, so their
length and vocabulary are those of the real content; ids, related links and categories are
spread the way editors would. The build is the real `python3 build.py build` (with the engine
of `--engine`) in a child process, whose wall time and peak memory are measured. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from .engines import ENGINES
from .model.content import Content
from .model.published import MANIFEST, update_manifest

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261125
"""Fixed, so two runs build the same site."""


def synthetic_faq(content: Content, entries: int) -> dict[str, list[dict]]:
    """`entries` entries spread over the real categories, built from real sentences."""
    rng = random.Random(SEED)
    sentences = [
        sentence.strip()
        for entry in content.entries.values()
        for sentence in re.split(r"(?<=[.!?])\s+", re.sub(r"\{\{[^}]*\}\}|\n- |\*\*", " ", entry.answer))
        if len(sentence.split()) >= 4
    ]
    questions = [entry.question for entry in content.entries.values()]
    keywords = sorted({word for entry in content.entries.values() for word in entry.keywords})
    categories = [category.id for category in content.categories]
    ids = [f"fraga-{number:05d}" for number in range(1, entries + 1)]
    files: dict[str, list[dict]] = {category: [] for category in categories}
    for number, entry_id in enumerate(ids):
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            paragraphs.append(" ".join(rng.sample(sentences, rng.randint(2, 4))))
        question = rng.choice(questions)
        files[categories[number % len(categories)]].append({
            "id": entry_id,
            "question": f"{question[:-1]} ({number + 1})?",
            "answer": "\n\n".join(paragraphs) + "\n",
            "keywords": rng.sample(keywords, 8),
            "related": [other for other in rng.sample(ids, min(4, entries)) if other != entry_id][:3],
            "reviewed": "2026-11-25",
        })
    return files


def make_bench_project(target: Path, entries: int) -> None:
    content = Content.load(ROOT)
    shutil.copytree(ROOT / "content", target / "content", ignore=shutil.ignore_patterns("faq"))
    (target / "content" / "faq").mkdir()
    for category, items in synthetic_faq(content, entries).items():
        text = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100)
        (target / "content" / "faq" / f"{category}.yml").write_text(text, encoding="utf-8")
    # The synthetic entries replace the real ones: they are what this site has published.
    (target / MANIFEST).unlink(missing_ok=True)
    update_manifest(Content.load(target))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    shutil.copytree(ROOT / "calculators", target / "calculators",
                    ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    for shared in ("portal", "node_modules", ".cache"):
        (ROOT / shared).mkdir(exist_ok=True)
        (target / shared).symlink_to(ROOT / shared)


def measure_build(project: Path, engine: str = "mkdocs") -> dict:
    site = project / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "build", "--engine", engine, "--site-dir", str(site)],
        cwd=project, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    output = child.stdout.read() if child.stdout else b""
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit("Bygget misslyckades:\n" + output.decode(errors="replace"))
    # Material's index, or Zensical's.
    index = next(path for path in (site / "search" / "search_index.json", site / "search.json") if path.is_file()).read_bytes()
    pages = [path.stat().st_size for path in (site / "fragor").glob("*/index.html")]
    return {
        "build_seconds": round(seconds, 2),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "largest_entry_page_bytes": max(pages),
        "search_index_bytes": len(index),
        "search_index_gzip_bytes": len(gzip.compress(index, compresslevel=6)),
        "site_bytes": sum(path.stat().st_size for path in site.rglob("*") if path.is_file()),
    }


def main(argv: list[str]) -> int:
    if "--calculator" in argv:
        from .bench_calculator import main as calculator

        return calculator(argv)
    if "--pages" in argv:
        from .bench_calculator import page_weights

        return page_weights(argv)
    if "--lighthouse" in argv:
        from .bench_lighthouse import main as lighthouse

        return lighthouse(argv)
    parser = argparse.ArgumentParser(prog="python3 build.py bench")
    parser.add_argument("--entries", type=int, default=1000, help="number of synthetic entries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project and print its path")
    parser.add_argument("--engine", choices=ENGINES, default=ENGINES[0], help="the site engine (default: %(default)s)")
    options = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    try:
        make_bench_project(folder, options.entries)
        result = {"entries": options.entries, "engine": options.engine, **measure_build(folder, options.engine)}
        if options.keep:
            print(f"project: {folder}", file=sys.stderr)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps(result))
    return 0
