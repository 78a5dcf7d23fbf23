"""The build, stage by stage; each stage is a folder of portal/ and reads only what the one
before it made:

    content/ --model/--> Content --calculator_build/--> CalculatorBuild
             --pages/--> SitePages --docs_tree/--> build/ --engines/--> site/ --finish/--> site/
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .build_date import build_date
from .calculator_build import CalculatorBuild
from .docs_tree import DocsTree, read_settings
from .engines import render
from .finish import finish
from .model.checks import check_content, cyclic_gc_paused
from .model.content import Content
from .pages import SitePages


@dataclass
class Build:
    """One run of the pipeline: what it built and how long each stage took."""

    content: Content
    """The validated content the site was built from."""
    site: SitePages
    """The pages as data."""
    tree: DocsTree
    """The docs tree the engine rendered."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage, by its folder name."""

    def summary(self, engine: str, site_dir: Path) -> str:
        stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())
        return (f"Webbplatsen är byggd med {engine} i {site_dir}: {len(self.site.pages)} sidor, "
                f"{sum(self.seconds.values()):.1f} s ({stages}).")


def build(root: Path, site_dir: Path, *, engine: str = "mkdocs", extra_files: dict[str, str] | None = None,
          extra_javascript: list[str] = (), tree_dir: Path | None = None, err: TextIO | None = None) -> Build:
    """Build the site of the repository at `root` into `site_dir` (the docs tree in `tree_dir`,
    by default build/). Raises PortalError (the content's problems, a failed stage, broken
    links) and prints the review warnings."""
    with cyclic_gc_paused():
        return _build(root, site_dir, engine=engine, extra_files=extra_files, extra_javascript=extra_javascript,
                      tree_dir=tree_dir, err=err)


def _build(root: Path, site_dir: Path, *, engine: str, extra_files: dict[str, str] | None,
           extra_javascript: list[str], tree_dir: Path | None, err: TextIO | None) -> Build:
    seconds: dict[str, float] = {}
    started = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal started
        now = time.perf_counter()
        seconds[stage] = now - started
        started = now

    checked = check_content(root)
    for warning in checked.warnings:
        print(warning, file=err or sys.stderr)
    content = checked.content
    lap("model")
    calculator = CalculatorBuild.make(root, content.fees.document, content.fees.tables)
    lap("calculator_build")
    settings = read_settings(root)
    site_url = settings.get("site_url") or "/"
    site = SitePages.make(content, calculator, site_url, build_date())
    site.files.update(extra_files or {})
    lap("pages")
    tree = DocsTree.write(site, root, settings, extra_javascript=list(extra_javascript), build_dir=tree_dir)
    lap("docs_tree")
    render(engine, tree, site_dir)
    lap("engines")
    finish(site_dir, content, site_url)
    lap("finish")
    return Build(content=content, site=site, tree=tree, seconds=seconds)
