"""Stage 5: the site an engine rendered -> the published site. Material's search index gets
the content's hidden keywords (search_index.py); every page gets its Content-Security-Policy
and every internal link is checked (built_site.py), whichever engine rendered it."""

from __future__ import annotations

from pathlib import Path

from ..model.content import Content
from .built_site import finish_site
from .search_index import finish_search


def finish(site_dir: Path, content: Content, site_url: str) -> None:
    """Finish the site in `site_dir`; raises PortalError listing every broken link."""
    finish_search(site_dir, content)
    finish_site(site_dir, site_url)
