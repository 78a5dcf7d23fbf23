"""A page as data: what a site engine needs to render it, and nothing it must compute."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from ..model.sanitize import html_text

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
"""Swedish month names, so dates read the same whatever the build machine's locale."""

DESCRIPTION_LENGTH = 155
"""Search engines show about this many characters of a meta description."""


def swedish_date(value: datetime.date) -> str:
    """2026-11-25 -> '25 november 2026'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def summary(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """`text` cut at a word to at most `length` characters, with an ellipsis when cut."""
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"


@dataclass
class Page:
    """One page of the site, written to the docs tree as Markdown with front matter.

    Templates (portal/theme/) only print what is here: every value arrives formatted (dates,
    amounts, counts), so they port to any Jinja-like engine."""

    path: str
    """Source path in the docs tree, e.g. `fragor/intyg/index.md` (published at /fragor/intyg/).
    Always a folder's index.md: Zensical resolves the relative links of a body from the
    source file's folder, MkDocs from the published page's; for an index.md both agree."""
    title: str
    """The page title, as plain text."""
    description: str
    """The meta description, as plain text."""
    template: str
    """The template in portal/theme/ that lays the page out."""
    body: str = ""
    """The page's main text as sanitized HTML (the engine passes it through as it is)."""
    data: dict = field(default_factory=dict)
    """What the template shows besides title and body (`page.meta.portal`, which also gets the
    page's `root`), as plain values."""
    searchable: bool = False
    """Whether the site search indexes the page (the answers only)."""

    @classmethod
    def at(cls, url: str, **fields) -> Page:
        """The page published at `url` (relative to the site root, e.g. `fragor/intyg/`)."""
        return cls(path=f"{url}index.md", **fields)

    @property
    def url(self) -> str:
        """The page's address relative to the site root, e.g. `fragor/intyg/`."""
        return self.path.removesuffix("index.md")

    @property
    def root(self) -> str:
        """The relative path from the page back to the site root ('' for the home page); the
        template picks the site-wide values whose links start there (the safety notice)."""
        return "../" * self.url.count("/")

    def markdown(self) -> str:
        """The page as the docs tree holds it. The front matter is written as JSON, which is
        also YAML: dumping YAML for every one of thousands of pages cost more than the rest."""
        # MkDocs, Material and Zensical print the title and description into pages as HTML,
        # unescaped (a page title may hold markup): their text is escaped here, once.
        meta = {
            "title": html_text(self.title),
            "description": html_text(self.description),
            "template": self.template,
            "hide": ["toc"],
            "portal": {**self.data, "root": self.root},
        }
        if not self.searchable:
            meta["search"] = {"exclude": True}
        return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n\n" + self.body


def script_json(value) -> str:
    """`value` as JSON that can stand inside a <script> element (as Jinja's tojson writes it):
    no "</script>" or "<!--" can end or change the element, whatever the data holds."""
    text = json.dumps(value, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e").replace("'", "\\u0027")
