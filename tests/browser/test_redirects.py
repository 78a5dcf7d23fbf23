"""An old entry URL (an alias) takes the browser to the entry, even without JavaScript."""

from __future__ import annotations

from ..conftest import fixture_content


def test_alias_redirects_without_javascript(browser, fixture_url):
    content = fixture_content()
    old, entry = next(iter(content.aliases.items()))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(fixture_url + f"fragor/{old}/")
    page.wait_for_url(fixture_url + f"fragor/{entry.id}/")
    assert page.inner_text("h1").strip() == entry.question
    context.close()
