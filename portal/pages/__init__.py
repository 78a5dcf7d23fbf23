"""Stage 2: the model -> pages as data (`SitePages`): every page with its URL, template,
title, HTML body and the values its template prints, the files published as they are, and
the site-wide settings (name, navigation) an engine needs. Nothing here knows an engine."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from ..calculator_build import CalculatorBuild
from ..model.content import Content
from ..model.sanitize import html_text
from .calculator import TITLE as CALCULATOR_TITLE
from .calculator import calculator_page
from .faq import GLOSSARY_PAGE, FaqPages
from .page import Page


@dataclass
class SitePages:
    """Everything the site publishes, as data."""

    pages: list[Page]
    """The pages, each rendered by its template."""
    files: dict[str, str] = field(default_factory=dict)
    """Files published as they are (redirect pages, JSON), by their path in the site."""
    linked: dict[str, Path] = field(default_factory=dict)
    """Built files published as they are (the calculator's), by their path in the site."""
    site_name: str = ""
    """The site's name in the header and the browser tab, escaped for HTML (engines print it as is)."""
    nav: list[dict[str, str]] = field(default_factory=list)
    """The navigation, in mkdocs.yml's form: [{title: page path}], titles escaped for HTML."""
    extra: dict = field(default_factory=dict)
    """Values the templates share, printed once per page rather than stored in every page's
    front matter (which the engines parse with a YAML parser written in Python), and those
    of 404.html, which has no page: `config.extra.portal`."""

    @classmethod
    def make(cls, content: Content, calculator: CalculatorBuild, site_url: str, today: datetime.date) -> SitePages:
        """The pages of `content`, with the calculator's page for its `calculator` build."""
        faq = FaqPages(content)
        pages = faq.pages()
        national_clinic = content.site["national_clinic"]["name"]
        pages.append(calculator_page(content.fees.tables, calculator, national_clinic, today))
        nav = [{"Start": pages[0].path}, {CALCULATOR_TITLE: pages[-1].path}]
        by_url = {page.url: page for page in pages}
        nav += [{html_text(category.title): by_url[category.url].path} for category in content.categories]
        if content.glossary.terms:
            nav.append({"Ordlista": by_url[GLOSSARY_PAGE].path})
        site = content.site
        return cls(
            pages=pages, files=faq.files(site_url), linked=calculator.files, nav=nav,
            site_name=html_text(f"{site['home']['title']} – {site['organisation']['name']}"),
            extra={
                "fallback": faq.fallback(),
                # By the page's path to the site root (page.meta.portal.root).
                "safety_html": {root: faq.safety_html(root) for root in sorted({page.root for page in pages})},
                # 404.html is served at any depth: its links start at the site's own path.
                "safety_html_404": faq.safety_html(site_path(site_url)),
            },
        )


def site_path(site_url: str) -> str:
    """The path the site is published under, e.g. '/' or '/vard/'."""
    return urlsplit(site_url).path.rstrip("/") + "/"
