"""An old entry URL (an alias) takes the browser to the entry, even without JavaScript."""

from __future__ import annotations

from portal.localsite import serve

from ..conftest import build_site, make_project
from ..test_editors import rename


def test_alias_redirects_without_javascript(browser, content_copy, tmp_path):
    rename(content_copy, "lista-dig", "lista-dig-hos-oss", alias=True)
    site = tmp_path / "site"
    result = build_site(site, make_project(content_copy) / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    with serve(site) as url:
        page.goto(url + "fragor/lista-dig/")
        page.wait_for_url(url + "fragor/lista-dig-hos-oss/")
        assert page.inner_text("h1").strip() == "Hur listar jag mig på en av era vårdcentraler?"
    context.close()
