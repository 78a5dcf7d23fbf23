"""Every page of the live site in headless Chromium: accessible (axe-core, WCAG 2.1 A/AA), in
Swedish, and loading nothing from another host, whatever editors have put in content/.

The pages are the ones sitemap.xml lists, plus the 404 page, so a new entry or category is
checked the day it is added; how the pages behave is tested on the test content's site."""

from __future__ import annotations

from ..invariants import sitemap_paths
from .conftest import RecordingPage, run_axe


def test_every_live_page_is_accessible_and_stays_on_its_host(browser, built_site, site_url):
    paths = sitemap_paths(built_site) + ["finns-inte/"]
    context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    found = {}
    for path in paths:
        page.goto(site_url + path)
        problems = run_axe(page)
        if page.evaluate("document.documentElement.lang") != "sv":
            problems.append("lang är inte sv")
        if problems:
            found[path] = problems
    context.close()
    assert len(paths) > 3 and any(path.startswith("fragor/") for path in paths), paths
    assert found == {}
    assert RecordingPage(None, requests).outside_requests(site_url) == []
