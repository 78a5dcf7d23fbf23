"""The FAQ's pages: home, categories, answers, glossary, the staff list, and the files beside them.

The navigation holds the categories only: Material embeds the whole navigation in every page,
so listing every entry would make the site grow with the square of the number of entries.
"""

from __future__ import annotations

import html
import json

from ..model.answers import ENTRY_PAGE, HOME_PAGE, AnswerRenderer
from ..model.content import Category, Content, Entry
from ..model.sanitize import plain_text
from .page import Page, summary, swedish_date

GLOSSARY_PAGE = "ordlista/"
"""The glossary: every term of content/ordlista.yml with its explanation."""
STAFF_PAGE = "personal/"
"""The support staff's page: every entry with its copy-link button (not in the navigation)."""
FAQ_JSON = "api/faq.json"
"""Every entry for support staff's tools."""


def count_text(count: int) -> str:
    return f"{count} fråga" if count == 1 else f"{count} frågor"


def entry_link(entry: Entry) -> dict:
    return {"id": entry.id, "question": entry.question, "url": entry.url}


def category_link(category: Category) -> dict:
    return {
        "id": category.id, "title": category.title, "url": category.url,
        "description": category.description, "count_text": count_text(len(category.entries)),
        "entries": [entry_link(entry) for entry in category.entries],
    }


class FaqPages:
    """Makes the FAQ's pages from the content, rendering each answer once."""

    def __init__(self, content: Content, renderer: AnswerRenderer | None = None) -> None:
        self.content = content
        """The validated content."""
        self.renderer = renderer or content.renderer or AnswerRenderer(content)
        """Renders answers and site texts (the same renderer `check` uses)."""

    def safety_html(self, root: str) -> str | None:
        """The safety notice with its links relative to `root` (None when site.yml has none)."""
        safety = self.content.site.get("safety")
        return self.renderer.html(safety["text"], root) if safety else None

    def fallback(self) -> dict:
        """The "Hittade du inte svaret?" box of entry pages."""
        fallback = self.content.site["fallback"]
        return {"title": fallback["title"], "html": self.renderer.html(fallback["text"], ENTRY_PAGE)}

    def home(self) -> Page:
        home = self.content.site["home"]
        body = self.renderer.html(home["intro"], HOME_PAGE)
        return Page.at(
            "", title=home["title"], description=summary(plain_text(body)), template="start.html",
            body=body, data={"categories": [category_link(category) for category in self.content.categories]},
        )

    def category(self, category: Category) -> Page:
        return Page.at(
            category.url, title=category.title, description=category.description or category.title,
            template="kategori.html", data={"category": category_link(category)},
        )

    def entry(self, entry: Entry) -> Page:
        body = self.renderer.entry_html(entry)
        return Page.at(
            entry.url, title=entry.question, description=summary(plain_text(body)), template="fraga.html",
            body=body, searchable=True, data={
                "entry": {
                    "id": entry.id, "question": entry.question, "url": entry.url,
                    "category": {"title": entry.category.title, "url": entry.category.url},
                    "reviewed": entry.reviewed.isoformat(), "reviewed_text": swedish_date(entry.reviewed),
                },
                "related": [entry_link(other) for other in self.content.related_entries(entry)],
            },
        )

    def glossary(self) -> Page:
        return Page.at(
            GLOSSARY_PAGE, title="Ordlista", template="ordlista.html",
            description="Förklaringar av ord som används på webbplatsen, till exempel högkostnadsskydd och frikort.",
            data={"terms": [{"id": term.id, "term": term.term, "definition": term.definition}
                            for term in self.content.glossary.terms]},
        )

    def staff(self) -> Page:
        return Page.at(
            STAFF_PAGE, title="Alla frågor för kundtjänst", template="personal.html",
            description="Alla frågor med permanenta länkar att skicka till patienter.",
            data={"categories": [category_link(category) for category in self.content.categories]},
        )

    def pages(self) -> list[Page]:
        """Every FAQ page, in the order the site lists them."""
        pages = [self.home(), *(self.category(category) for category in self.content.categories)]
        pages += [self.entry(entry) for entry in self.content.entries.values()]
        if self.content.glossary.terms:
            pages.append(self.glossary())
        pages.append(self.staff())
        return pages

    def files(self, site_url: str) -> dict[str, str]:
        """Files published as they are, by their path in the site: each old id's redirect
        page and /api/faq.json."""
        files = {}
        for entry in self.content.entries.values():
            for alias in entry.aliases:
                files[f"fragor/{alias}/index.html"] = redirect_page(entry, site_url)
        files[FAQ_JSON] = faq_json(self.content, site_url)
        return files


def absolute_url(site_url: str, path: str) -> str:
    """`path` (site-relative, e.g. fragor/intyg/) under the configured site_url."""
    return (site_url or "/").rstrip("/") + "/" + path.lstrip("/")


def redirect_page(entry: Entry, site_url: str) -> str:
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
<link rel="canonical" href="{html.escape(absolute_url(site_url, entry.url))}">
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


def faq_json(content: Content, site_url: str) -> str:
    """/api/faq.json: every entry for support staff's tools."""
    return json.dumps([
        {
            "id": entry.id,
            "question": entry.question,
            "category": entry.category.id,
            "url": absolute_url(site_url, entry.url),
            "reviewed": entry.reviewed.isoformat(),
            "aliases": entry.aliases,
        }
        for entry in content.entries.values()
    ], ensure_ascii=False, indent=1)
