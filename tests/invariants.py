"""What must hold for any correct content, whatever an editor has changed.

Run on the live content/ by tests/test_live_content.py and on copies of it after everyday edits
by tests/test_everyday_edits.py. None of them names a count, a line or a sentence of the
content: each follows from the promises the site makes (published URLs keep working, every
link resolves, every amount has a source) and must keep holding after any edit `check` accepts.
"""

from __future__ import annotations

import datetime
import functools
import html
import json
import re
from pathlib import Path

from portal.finish.built_site import finish_site
from patientavgift.source import compile_fees
from patientavgift.source.schema import SCHEMA_DIR as FEE_SCHEMA_DIR
from portal.model.content import Content
from portal.model.published import read_manifest

from .conftest import BRIEF_IDS, build_site, run_check

SITE_URL = "http://127.0.0.1:8000/"
"""The address the sites are built for in the tests (mkdocs.yml's default site_url)."""
_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
_FRAGA = re.compile(r"""fraga\(\s*(['"])(.*?)\1\s*\)""")
_LOC = re.compile(r"<loc>(.*?)</loc>", re.S)


def check_passes(root: Path) -> str:
    """`python3 build.py check` on the content below `root` accepts it; returns what it printed."""
    result = run_check(root)
    assert result.returncode == 0, result.stderr
    assert "Innehållet är korrekt" in result.stdout + result.stderr
    return result.stderr


def site_builds(root: Path, site_dir: Path) -> None:
    """The project in `root` builds with the real build command, which also checks every link."""
    result = build_site(site_dir, root / "mkdocs.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def no_broken_link(site_dir: Path) -> None:
    """The site's own link check finds nothing: every link between pages, every address in
    sitemap.xml and api/faq.json (the build runs it too; this says so outright)."""
    finish_site(site_dir, SITE_URL, csp=False)


def served_entry(site_dir: Path, url: str) -> Path:
    """The entry page that `url` (/fragor/<id>/) shows, directly or through an alias redirect."""
    page = site_dir / url.strip("/") / "index.html"
    assert page.is_file(), f"{url} finns inte i den byggda webbplatsen"
    text = page.read_text(encoding="utf-8")
    if redirect := _REFRESH.search(text):
        target = (page.parent / html.unescape(redirect.group(1)) / "index.html").resolve()
        assert target.is_file(), f"{url} leder vidare till {redirect.group(1)}, som inte finns"
        page, text = target, target.read_text(encoding="utf-8")
        assert not _REFRESH.search(text), f"{url} leder vidare i flera steg"
    assert 'class="portal-answer"' in text, f"{url} visar ingen fråga"
    return page


def published_urls_are_served(root: Path, site_dir: Path) -> None:
    """Every URL in content/publicerade-adresser.txt shows an entry in the built site."""
    listed = read_manifest(root)
    assert listed, "content/publicerade-adresser.txt listar inga adresser"
    for _, url in listed:
        served_entry(site_dir, url)


def brief_ids_are_served(site_dir: Path) -> None:
    """Every id of the content brief is still served at /fragor/<id>/ (maybe as an alias)."""
    for entry_id in BRIEF_IDS:
        served_entry(site_dir, f"/fragor/{entry_id}/")


def references_resolve(root: Path) -> None:
    """Every id in `related:` and in fraga('…') names an entry or an alias of one."""
    content = Content.load(root)
    for entry in content.entries.values():
        named = entry.related + [match.group(2) for match in _FRAGA.finditer(entry.answer)]
        unresolved = [entry_id for entry_id in named if content.resolve(entry_id) is None]
        assert not unresolved, f"{entry.file}: {entry.id} nämner {unresolved}, som inte finns"


def dated_items(value, where: str = ""):
    """(where, item) for every dict with a valid_from anywhere in the compiled fee document."""
    if isinstance(value, dict):
        if "valid_from" in value:
            yield where, value
        for key, item in value.items():
            yield from dated_items(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from dated_items(item, f"{where}[{index}]")


@functools.cache
def fee_statuses() -> frozenset[str]:
    """Every `status` the fee schemas allow (calculators/patientavgift/source/schemas/fee-*.schema.json)."""
    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            status = node.get("properties", {}).get("status") if isinstance(node.get("properties"), dict) else None
            if isinstance(status, dict):
                found.update(status.get("enum", []))
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in FEE_SCHEMA_DIR.glob("fee-*.schema.json"):
        walk(json.loads(path.read_text(encoding="utf-8")))
    assert found, "fee schemas name no status"
    return frozenset(found)


def amounts_are_sourced(root: Path) -> None:
    """Every dated fee value names its source, when it was checked, and how sure it is."""
    items = list(dated_items(compile_fees(root)))
    assert items, "avgiftsdatan har inga daterade värden"
    for where, item in items:
        assert is_date(item["valid_from"]), f"{where}: valid_from {item['valid_from']!r}"
        assert str(item.get("source") or "").strip(), f"{where}: källa saknas"
        assert is_date(item.get("checked")), f"{where}: checked {item.get('checked')!r}"
        assert item.get("status") in fee_statuses(), f"{where}: status {item.get('status')!r}"


def is_date(value) -> bool:
    try:
        datetime.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def sitemap_paths(site_dir: Path) -> list[str]:
    """The pages the sitemap lists, as paths from the site's root ('' is the home page)."""
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    paths = [html.unescape(loc.strip()).removeprefix(SITE_URL) for loc in _LOC.findall(sitemap)]
    assert paths and all(not path.startswith("http") for path in paths), paths
    return paths


def holds_for_content(root: Path) -> str:
    """The invariants that need no build; returns what `check` printed (its warnings)."""
    printed = check_passes(root)
    references_resolve(root)
    amounts_are_sourced(root)
    return printed


def holds_for_site(root: Path, site_dir: Path) -> None:
    """The invariants of the site built from the content below `root`."""
    no_broken_link(site_dir)
    published_urls_are_served(root, site_dir)
    brief_ids_are_served(site_dir)
