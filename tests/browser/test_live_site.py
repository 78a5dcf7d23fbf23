"""Every page of the live site in headless Chromium: accessible (axe-core, WCAG 2.1 A/AA), in
Swedish, and loading nothing from another host, whatever editors have put in content/.

The pages are the ones sitemap.xml lists, plus the 404 page, so a new entry or category is
checked the day it is added; how the pages behave is tested on the test content's site."""

from __future__ import annotations

from ..invariants import sitemap_paths
from .conftest import audit_pages


def test_every_live_page_is_accessible_and_stays_on_its_host(browser, built_site, site_url):
    paths = sitemap_paths(built_site) + ["finns-inte/"]
    assert len(paths) > 3 and any(path.startswith("fragor/") for path in paths), paths
    found, outside = audit_pages(browser, site_url, paths)
    assert found == {}
    assert outside == []
