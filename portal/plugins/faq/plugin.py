"""The FAQ plugin: generates the home, category and entry pages from `content/` inside MkDocs.

Pages are added as virtual files in `on_files`, so `mkdocs build` and `mkdocs serve` work
natively and no generated Markdown is ever written to the repository. The navigation holds
the categories only: Material embeds the whole navigation in every page, so listing every
entry would make the site grow with the square of the number of entries.
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import re
from html import unescape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from markupsafe import Markup

from ...model.answers import ENTRY_PAGE, HOME_PAGE, AnswerRenderer
from ...built_site import finish_site
from ...model.checks import check_content
from ...model.content import Category, Content, Entry
from ...errors import ContentError, PortalError
from ...model.sanitize import html_text, plain_text
from ...model.synonyms import Synonyms
from .config import FaqConfig

log = logging.getLogger("mkdocs.plugins.portal.faq")

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
"""Swedish month names, so dates read the same whatever the build machine's locale."""

_DESCRIPTION_LENGTH = 155
"""Search engines show about this many characters of a meta description."""


def swedish_date(value: datetime.date) -> str:
    """2026-11-25 -> '25 november 2026'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def summary(text: str, length: int = _DESCRIPTION_LENGTH) -> str:
    if len(text) <= length:
        return text
    cut = text[: length - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"


HTML_META = ("title", "description")
"""Front matter keys that MkDocs and Material print into pages as HTML, unescaped (a page
title may hold markup in MkDocs): their text is escaped here, once, for every template."""


def front_matter(meta: dict, body: str) -> str:
    """A page: `meta` as front matter (title and description given as plain text), then `body`.
    Written as JSON, which is also YAML: dumping YAML for every one of thousands of pages cost
    more than rendering them."""
    meta = {key: html_text(value) if key in HTML_META else value for key, value in meta.items()}
    return "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\n\n" + body


class FaqPlugin(BasePlugin[FaqConfig]):
    """Builds the portal's pages from the YAML content."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.content: Content | None = None
        """The content loaded for the current build."""
        self.renderer: AnswerRenderer | None = None
        """Renders answers and site texts for the current build."""
        self.pages: dict[str, Entry | Category | None] = {}
        """What each generated page shows, by its source path (None: no single entry or category)."""
        self.fallback_html = ""
        """The "Hittade du inte svaret?" box, rendered once per build."""
        self.serving = False
        """Whether this is `mkdocs serve`, whose live reload injects an inline script."""

    def on_startup(self, *, command, dirty) -> None:
        self.serving = command == "serve"

    def on_config(self, config):
        root = Path(config.config_file_path or ".").parent / self.config.root
        try:
            checked = check_content(root)
        except ContentError as error:
            raise PluginError("Innehållet har fel:\n" + error.format_message()) from None
        for warning in checked.warnings:
            log.info(warning)  # a warning would stop a strict build; being due for review must not
        self.content = checked.content
        self.renderer = AnswerRenderer(self.content)
        self.fallback_html = Markup(self.renderer.html(self.content.site["fallback"]["text"], ENTRY_PAGE))
        site = self.content.site
        # Material prints the site name and navigation titles as HTML: give them as escaped text.
        config.site_name = Markup(html_text(f"{site['home']['title']} – {site['organisation']['name']}"))
        config.nav = [{"Start": "index.md"}] + [
            {Markup(html_text(category.title)): category.src_uri} for category in self.content.categories
        ]
        if self.content.glossary.terms:
            config.nav.append({"Ordlista": GLOSSARY_PAGE})
        return config

    def on_files(self, files: Files, *, config) -> Files:
        assert self.content is not None and self.renderer is not None
        self.pages = {"index.md": None}
        files.append(File.generated(config, "index.md", content=self._home_markdown()))
        for category in self.content.categories:
            self.pages[category.src_uri] = category
            files.append(File.generated(config, category.src_uri, content=front_matter({
                "title": category.title,
                "description": category.description or category.title,
                "template": "kategori.html",
                "search": {"exclude": True},
                "hide": ["toc"],
            }, "")))
        for entry in self.content.entries.values():
            self.pages[entry.src_uri] = entry
            files.append(File.generated(config, entry.src_uri, content=self._entry_markdown(entry)))
            for alias in entry.aliases:
                files.append(File.generated(config, f"fragor/{alias}/index.html", content=redirect_page(entry, config)))
        if self.content.glossary.terms:
            files.append(self._template_page(config, GLOSSARY_PAGE, "ordlista.html", "Ordlista", (
                "Förklaringar av ord som används på webbplatsen, till exempel högkostnadsskydd och frikort."
            )))
        files.append(self._template_page(config, STAFF_PAGE, "personal.html", "Alla frågor för kundtjänst",
                                         "Alla frågor med permanenta länkar att skicka till patienter."))
        files.append(File.generated(config, "api/faq.json", content=faq_json(self.content, config)))
        return files

    def _template_page(self, config, src_uri: str, template: str, title: str, description: str) -> File:
        """A page whose template draws everything from the portal context, left out of search."""
        self.pages[src_uri] = None
        return File.generated(config, src_uri, content=front_matter({
            "title": title, "description": description, "template": template,
            "search": {"exclude": True}, "hide": ["toc"],
        }, ""))

    def on_env(self, env, *, config, files):
        env.filters["svenskt_datum"] = swedish_date
        return env

    def on_page_context(self, context, *, page, config, nav):
        assert self.content is not None and self.renderer is not None
        shown = self.pages.get(page.file.src_uri, False)
        context["portal"] = self._portal_context(self._safety_html(page.url))
        if isinstance(shown, Entry):
            context["entry"] = shown
            context["related"] = self.content.related_entries(shown)
        elif isinstance(shown, Category):
            context["category"] = shown
        return context

    def on_template_context(self, context, *, template_name, config):
        """The 404 page is a template, not a page: it gets the same portal context."""
        if template_name == "404.html" and self.content is not None:
            context["portal"] = self._portal_context(self._safety_html(""))
        return context

    def _portal_context(self, safety_html: Markup | None) -> dict:
        assert self.content is not None
        return {
            "site": self.content.site,
            "categories": self.content.categories,
            "fallback_html": self.fallback_html,
            "glossary": self.content.glossary.terms,
            "safety_html": safety_html,
        }

    def _safety_html(self, page_url: str) -> Markup | None:
        """The safety notice, its links relative to the page at `page_url` (None when
        site.yml has none)."""
        assert self.content is not None and self.renderer is not None
        safety = self.content.site.get("safety")
        if not safety:
            return None
        depth = page_url.rstrip("/").count("/") + 1 if page_url else 0
        return Markup(self.renderer.html(safety["text"], "../" * depth))

    def on_post_build(self, *, config) -> None:
        """Give every entry's search document its hidden keywords and diacritic-free words."""
        assert self.content is not None
        self._finish_search_index(Path(config.site_dir))
        try:
            finish_site(Path(config.site_dir), config.site_url or "/", csp=not self.serving)
        except PortalError as error:
            raise PluginError(error.format_message()) from None

    def _finish_search_index(self, site_dir: Path) -> None:
        index_path = site_dir / "search" / "search_index.json"
        if not index_path.is_file():
            return
        index = json.loads(index_path.read_text(encoding="utf-8"))
        field = self.config.keyword_field
        if field not in index["config"].get("fields", {}):
            raise PluginError(f"Lägg till '{field}' under search: fields: i mkdocs.yml.")
        by_location = {entry.url: entry for entry in self.content.entries.values()}
        for document in index["docs"]:
            document["text"] = plain_search_text(document.get("text", ""))
            entry = by_location.get(document["location"])
            if entry is not None:
                document[field] = search_keywords(entry, document, self.content.synonyms)
        index_path.write_text(
            json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
        (index_path.parent / SEARCH_HELP).write_text(
            json.dumps(search_help(self.content, index["docs"]), ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )

    def _entry_markdown(self, entry: Entry) -> str:
        assert self.renderer is not None
        body = self.renderer.entry_html(entry)
        return front_matter({
            "title": entry.question,
            "description": summary(plain_text(body)),
            "template": "fraga.html",
            "hide": ["toc"],
        }, body)

    def _home_markdown(self) -> str:
        assert self.content is not None and self.renderer is not None
        home = self.content.site["home"]
        body = self.renderer.html(home["intro"], HOME_PAGE)
        return front_matter({
            "title": home["title"],
            "description": summary(plain_text(body)),
            "template": "start.html",
            "search": {"exclude": True},
            "hide": ["toc"],
        }, body)



GLOSSARY_PAGE = "ordlista.md"
"""The glossary: every term of content/ordlista.yml with its explanation."""
STAFF_PAGE = "personal.md"
"""The support staff's page: every entry with its copy-link button (not in the navigation)."""


def absolute_url(config, path: str) -> str:
    """`path` (site-relative, e.g. fragor/intyg/) under the configured site_url."""
    return (config.site_url or "/").rstrip("/") + "/" + path.lstrip("/")


def redirect_page(entry: Entry, config) -> str:
    """A page at an old id's URL that sends the browser on to the entry, without JavaScript."""
    target = f"../{entry.id}/"
    question = html.escape(entry.question)
    return f"""<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{question}</title>
<link rel="canonical" href="{html.escape(absolute_url(config, entry.url))}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<main>
<h1>Sidan har flyttats</h1>
<p>Svaret finns nu här: <a href="{target}">{question}</a></p>
</main>
</body>
</html>
"""


def faq_json(content: Content, config) -> str:
    """/api/faq.json: every entry for support staff's tools."""
    return json.dumps([
        {
            "id": entry.id,
            "question": entry.question,
            "category": entry.category.id,
            "url": absolute_url(config, entry.url),
            "reviewed": entry.reviewed.isoformat(),
            "aliases": entry.aliases,
        }
        for entry in content.entries.values()
    ], ensure_ascii=False, indent=1)


def search_keywords(entry: Entry, document: dict, synonyms: Synonyms) -> str:
    """The hidden search text of an entry: its keywords, the synonyms of the words it uses
    (content/synonymer.yml), and amounts written with spaces ("1 450 kr") also as patients
    type them (1450). Diacritics are folded in the browser (portal-search.js), so the index
    holds each word once."""
    visible = " ".join([document.get("title", ""), document.get("text", "")])
    numbers = {re.sub(r"[\s\u00a0]", "", number) for number in re.findall(r"\d{1,3}(?:[\s\u00a0]\d{3})+", visible)}
    words = list(entry.keywords)
    words += [word for word in synonyms.additions(" ".join([unescape(visible), *words])) if word not in words]
    return html_text(" ".join(words + sorted(numbers)))


SEARCH_HELP = "portal-hjalp.json"
"""Next to the search index: what assets/portal.js offers when a query finds nothing."""


def search_help(content: Content, documents: list[dict]) -> dict:
    """The vocabulary for "menade du …?" (each word as written, with how often it occurs,
    most common first), the categories and the contact routes; and the synonym groups, which
    the search worker (portal-search.js) also applies to the query, so a synonym finds the
    titles and answers that use another word of its group, not only the hidden keywords."""
    counts: dict[str, int] = {}
    for document in documents:
        text = " ".join(unescape(document.get(key, "")) for key in ("title", "text", "keywords"))
        for word in re.findall(r"[^\W\d_]{3,}", text.lower()):
            counts[word] = counts.get(word, 0) + 1
    support = content.site["support"]
    return {
        "words": [[word, count] for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))],
        "categories": [{"title": category.title, "url": f"kategori/{category.id}/"} for category in content.categories],
        "contact": {
            "name": support["name"], "hours": support["hours"], "email": support["email"],
            "phone": support["phone"], "phone_link": f"tel:{support['phone_international']}",
        },
        "synonyms": [list(group) for group in content.synonyms.groups],
    }


def plain_search_text(html_text: str) -> str:
    """Search text without markup: the index is downloaded whole, so every byte counts."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split())
