"""Plain Swedish by rule, not by memory: one vocabulary (content/ordlista.yml), typography
and readability. Everything here gives warnings, never errors: wording is the editors' call,
and a warning must not stop a fee change from going out.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from patientavgift.source.yamlfile import LineDict

from ..errors import Problem

GLOSSARY_FILE = "content/ordlista.yml"
GLOSSARY_PAGE = "ordlista/"
"""Where the glossary page is, from the site's root."""
DEFAULT_LIX_MAX = 40
"""Above this LIX a text is hard to read for many (LIX 40–50 is newspaper prose)."""

_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_UNIT = (r"kr|kronor|minuter|minut|min|timmar|timme|dagar|dag|dygn|veckor|vecka|månader|månad|år|"
         r"procent|%")
_NUMBER_UNIT = re.compile(rf"(?<![\w\u00a0.,])(\d{{1,3}}(?: \d{{3}})+|\d+) (?:{_UNIT})(?!\w)")
_GROUPED_NUMBER = re.compile(r"(?<![\w\u00a0])\d{1,3}(?: \d{3})+(?![\w\u00a0])")
_PHONE = re.compile(r"(?<!\w)0\d{1,3}[-–]\d{2,3}(?: \d{2,3})+(?!\w)")
_TIME_RANGE = re.compile(
    r"(?:(?<!\w)kl\.?\s*)?(?<![\w.])\d{1,2}(?:[.:]\d{2})?\s*[-–]\s*\d{1,2}(?:[.:]\d{2})?(?!\w|[.:]\d)",
    re.I,
)
_GOOD_TIME_RANGE = re.compile(r"\d{1,2}\.\d{2}–\d{1,2}\.\d{2}")
_DASH_AFTER_DIGIT = re.compile(r"\d\s*[-–]")
"""In every time range and telephone number: a text without it needs neither search (each
tries every position of the text, which made them most of the style check's time)."""
_SPACE_AFTER_DIGIT = re.compile(r"\d ")
"""In every amount with a unit and every number in groups of three digits (as above)."""
_STRAIGHT_QUOTE = re.compile(r"[\"']")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")


@dataclass(frozen=True)
class UserText:
    """A text a patient reads, with where it is written, for the style check."""

    file: str
    """The file it is written in, relative to the repository root."""
    line: int
    """The line its text starts on (a warning adds the lines before the word it is about)."""
    field: str
    """The key it is under (`answer`, `home.intro`), or where in code or a template it is."""
    text: str
    """The text as written; in code and templates, what is not shown is blanked out."""
    markdown: bool = False
    """Markdown typed by an editor (spaces that must not break can be written there)."""
    typed: bool = True
    """Typed by an editor in content/, so typography applies; the calculator's own texts
    (code and templates) are checked for discouraged words only."""


@dataclass
class Term:
    """One word patients may need explained, and the forms the site does not use for it."""

    id: str
    """Permanent id; the explanation is at /ordlista/#<id>."""
    term: str
    """The word as the site writes it."""
    definition: str
    """One or two plain sentences."""
    forms: list[str] = field(default_factory=list)
    """Other inflections that also link to the explanation."""
    avoid: list[tuple[str, int]] = field(default_factory=list)
    """(variant, line) of each word the site does not use for this term."""
    explain: bool = True
    """Whether the first use on a page links to the explanation."""
    line: int = 0
    """The line of the term's entry in content/ordlista.yml."""


@dataclass
class Glossary:
    """The terms of content/ordlista.yml, in file order."""

    terms: list[Term] = field(default_factory=list)

    @classmethod
    def from_data(cls, data, problems: list[Problem]) -> "Glossary":
        glossary = cls()
        seen: dict[str, int] = {}
        for item in data if isinstance(data, list) else []:
            if not isinstance(item, LineDict) or not isinstance(item.get("id"), str):
                continue
            term = Term(
                id=item["id"], term=str(item.get("term", "")), definition=str(item.get("definition", "")),
                forms=[str(form) for form in item.get("forms") or []],
                avoid=[(str(variant), _line_of_item(item, "avoid", index))
                       for index, variant in enumerate(item.get("avoid") or [])],
                explain=item.get("explain", True) is not False, line=item.line_of("id"),
            )
            for word in [term.term, *term.forms, *(variant for variant, _ in term.avoid)]:
                key = word.casefold()
                if key in seen:
                    problems.append(Problem(GLOSSARY_FILE, term.line, "term", (
                        f"'{word}' finns redan i ordlistan (rad {seen[key]}); varje ord får bara stå en gång."
                    )))
                seen.setdefault(key, term.line)
            glossary.terms.append(term)
        return glossary

    def discouraged_uses(self, text: str) -> list[tuple[int, str, Term]]:
        """(offset, the words found, the term to use instead) for every avoided variant."""
        plain = _code_blanked(text)
        variants = tuple(variant for term in self.terms for variant, _ in term.avoid)
        # One search for all of them first: most texts use none, and one pattern per variant
        # over every text was most of the style check's time.
        if not variants or not _any_phrase(variants).search(plain):
            return []
        found = []
        for term in self.terms:
            for variant, _ in term.avoid:
                for match in _phrase(variant).finditer(plain):
                    found.append((match.start(), match.group(0), term))
        return sorted(found, key=lambda item: item[0])

    def link_first_uses(self, html_text: str, root: str) -> str:
        """`html_text` with the first use of each explained term linked to its explanation."""
        terms = [term for term in self.terms if term.explain]
        if not terms:
            return html_text
        linker = _TermLinker(terms, root)
        linker.feed(html_text)
        linker.close()
        return "".join(linker.out)


def _line_of_item(item: LineDict, key: str, index: int) -> int:
    value = item.get(key)
    return value.line_of(index) if hasattr(value, "line_of") else item.line_of(key)


@functools.lru_cache(maxsize=None)
def _phrase(words: str) -> re.Pattern:
    """A phrase as whole words, any case, any white space between its words. Cached: every
    text of the style check and every entry page searches for the same few words, and
    compiling them per call cost more than the searches (a third of a 3,000-entry check)."""
    return re.compile(r"(?<!\w)" + _words(words) + r"(?!\w)", re.I)


@functools.lru_cache(maxsize=None)
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern:
    """Matches where any of `phrases` would as `_phrase`: the same whole-word test around one
    alternation (which backtracks into the next phrase), so it finds a match exactly when
    one of theirs does, in one pass over the text."""
    return re.compile(r"(?<!\w)(?:" + "|".join(_words(words) for words in phrases) + r")(?!\w)", re.I)


def _words(words: str) -> str:
    """The words of a phrase as a pattern, any white space between them."""
    return r"\s+".join(re.escape(part) for part in words.split())


def _code_blanked(text: str) -> str:
    """`text` with template code and link targets blanked out, offsets kept."""
    def blank(match: re.Match) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))
    return _LINK_TARGET.sub(blank, _TEMPLATE.sub(blank, text))


class _TermLinker(HTMLParser):
    """Rewrites clean HTML, linking the first use of each term outside links and code."""

    def __init__(self, terms: list[Term], root: str) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.root = root
        self.pending = {term.id: term for term in terms}
        self.words: dict[str, list[str]] = {
            term.id: sorted([term.term, *term.forms], key=len, reverse=True) for term in terms
        }
        """Each term's words, longest first (a longer form wins at the same place)."""
        self.anywhere: re.Pattern = _any_phrase(tuple(word for term in terms for word in self.words[term.id]))
        """Finds the words of every term, linked or not, in one search."""
        self.skip_depth = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in ("a", "code", "pre"):
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in ("a", "code", "pre"):
            self.skip_depth = max(0, self.skip_depth - 1)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_data(self, data):
        if self.skip_depth or not self.pending:
            self.out.append(data)
            return
        while self.pending:
            # The first use of a term not yet linked: the first place where one search for
            # the words of all terms finds one of a pending term's words, and there the
            # first such term in file order. (A search for every word of every term in
            # every text was most of the time the entry pages took.)
            position, first = 0, None
            while first is None:
                found = self.anywhere.search(data, position)
                if found is None:
                    break
                first = next(((match, term) for term in self.pending.values() for word in self.words[term.id]
                              if (match := _phrase(word).match(data, found.start()))), None)
                position = found.start() + 1
            if first is None:
                break
            match, term = first
            del self.pending[term.id]
            self.out.append(data[: match.start()])
            self.out.append(
                f'<a class="portal-term" href="{escape(self.root + GLOSSARY_PAGE)}#{escape(term.id)}">'
                f"{match.group(0)}</a>"
            )
            data = data[match.end():]
        self.out.append(data)


def typography_problems(text: str, markdown: bool) -> list[tuple[int, str]]:
    """(offset, Swedish message) for each typographic slip in typed text. Spaces that must not
    break are checked in Markdown only, where an editor can write &nbsp;."""
    plain = _code_blanked(text)
    found: list[tuple[int, str]] = []
    dash_after_digit = _DASH_AFTER_DIGIT.search(plain) is not None
    if markdown:
        found.extend(_space_problems(plain, dash_after_digit))
    for match in _TIME_RANGE.finditer(plain) if dash_after_digit else ():
        shown = match.group(0)
        has_time = "kl" in shown.lower() or re.search(r"\d[.:]\d{2}", shown)
        if has_time and not _GOOD_TIME_RANGE.fullmatch(shown):
            found.append((match.start(), (
                f"tiden '{shown}' är skriven på ett annat sätt än resten av webbplatsen; skriv tider "
                "som 8.00–17.00 (punkt mellan timme och minuter, tankstreck, utan kl.)."
            )))
    for match in _STRAIGHT_QUOTE.finditer(plain):
        found.append((match.start(), (
            f"raka citattecken ({match.group(0)}); använd ”så här” på svenska, och ’ som apostrof."
        )))
    return sorted(found, key=lambda item: item[0])


def _space_problems(plain: str, dash_after_digit: bool) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    phones = list(_PHONE.finditer(plain)) if dash_after_digit else []
    for match in phones:
        found.append((match.start(), (
            f"telefonnumret '{match.group(0)}' har vanliga mellanslag och kan delas på två rader; "
            "använd {{ support.phone_link }} eller skriv &nbsp; i stället för mellanslagen."
        )))
    phones = [match.span() for match in phones]
    for pattern in (_NUMBER_UNIT, _GROUPED_NUMBER) if _SPACE_AFTER_DIGIT.search(plain) else ():
        for match in pattern.finditer(plain):
            if any(start <= match.start() < end for start, end in phones):
                continue
            if pattern is _GROUPED_NUMBER and any(start == match.start() for start, _ in found):
                continue
            shown = match.group(0)
            found.append((match.start(), (
                f"'{shown}' har vanliga mellanslag och kan delas på två rader; skriv "
                f"'{shown.replace(' ', '&nbsp;')}' (hårt mellanslag)."
            )))
    return found


def lix(text: str) -> float:
    """LIX, the Swedish readability index: words per sentence + percentage of long words."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    long_words = sum(1 for word in words if len(word) > 6)
    return len(words) / sentences + 100 * long_words / len(words)


def glossary_path(root: Path) -> Path:
    return root / GLOSSARY_FILE
