"""How text from content/ becomes safe for the place it lands.

Two kinds of value come from content:
- plain text (a question, a title, a fee's source, an opening time): always text, escaped
  for its output context by the functions here or by the template that prints it;
- Markdown (an answer, the home intro, the fallback text): the only content that may become
  markup, and the HTML it becomes is cleaned by an allow-list (`clean_html`) before it is
  put on any page.

The allow-list runs on the final HTML, not on the source text, so no spelling of a tag,
entity or URL can slip past it. It uses nh3 (the Python binding of the Rust sanitizer
ammonia), which parses HTML as a browser does.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "code", "pre", "blockquote", "hr",
    "ul", "ol", "li", "h2", "h3", "h4", "a", "img",
})
"""What an answer's Markdown produces and a patient's page may show."""
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
"""Attributes kept, by tag; every other attribute (event handlers, style, id) is dropped."""
ALLOWED_URL_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
"""URL schemes kept in href and src; javascript:, data: and every other scheme are dropped.
Relative URLs (links inside the site) are kept."""

_MARKDOWN_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_{}[]()#+-.!"})
"""Characters Markdown gives a meaning; a backslash makes each a plain character."""


def clean_html(fragment: str) -> str:
    """`fragment` with only allowed tags, attributes and URL schemes left."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def html_text(value: str) -> str:
    """Plain text as HTML text or an attribute value: `<`, `>`, `&` and both quotes escaped."""
    return html.escape(value, quote=True)


def markdown_text(value: str) -> str:
    """Plain text to put inside Markdown so that it renders as exactly that text: HTML
    characters become entities and Markdown's own characters are escaped with a backslash."""
    return html.escape(value, quote=False).translate(_MARKDOWN_SPECIAL)


def html_link(href: str, text: str) -> str:
    """An `<a>` element with `text` as its text, for Markdown (which passes inline HTML on)."""
    return f'<a href="{html_text(href)}">{markdown_text(text)}</a>'


def plain_text(fragment: str) -> str:
    """The visible text of some HTML, on one line (for descriptions and readability)."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
