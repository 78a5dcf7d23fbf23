"""The live content/ and the site built from it: only what must hold after any correct edit.

Editors change content/ in pull requests, so nothing here names a count, a line or a sentence
of it; behaviour is tested on the test content (tests/fixtures/). The same invariants run after
everyday edits in tests/test_everyday_edits.py.
"""

from __future__ import annotations

import json
import re

from patientavgift.source.schema import SCHEMA_DIR as FEE_SCHEMA_DIR
from portal.model.content import SCHEMA_DIR

from . import invariants
from .conftest import ROOT


def test_the_live_content_passes_the_check():
    invariants.check_passes(ROOT)


def test_every_reference_resolves():
    invariants.references_resolve(ROOT)


def test_every_amount_is_sourced():
    invariants.amounts_are_sourced(ROOT)


def test_every_published_url_is_served_or_redirected(built_site):
    invariants.published_urls_are_served(ROOT, built_site)


def test_every_id_of_the_brief_is_still_served(built_site):
    invariants.brief_ids_are_served(built_site)


def test_the_live_site_has_no_broken_link(built_site):
    invariants.no_broken_link(built_site)


def test_every_content_file_names_its_schema_for_the_editor():
    """A file made in the web editor must start as the others do, so VS Code checks it too."""
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path in (ROOT / "content").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{path}: första raden ska ange schemat"
        schema = (path.parent / match.group(1)).resolve()
        assert schema.parent in (SCHEMA_DIR, FEE_SCHEMA_DIR) and schema.is_file(), path
        globs = settings[f"./{schema.relative_to(ROOT).as_posix()}"]
        globs = globs if isinstance(globs, list) else [globs]
        assert any(path.relative_to(ROOT).match(glob) for glob in globs), (path, globs)
