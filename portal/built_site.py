"""What is done to the site after the engine has written it: a Content-Security-Policy on
every page, then every internal link checked (filled in by the next commit)."""

from __future__ import annotations

from pathlib import Path


def finish_site(site_dir: Path, site_url: str, *, csp: bool = True) -> None:
    """Nothing yet: the CSP and the link check come in the next commit."""
