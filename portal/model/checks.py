"""The one content check, run by `python3 build.py check` and by every build and serve (portal/pipeline.py).

Validation (schemas, references, answers rendered exactly as their pages), the published-URL
guard, and the review dates. Problems stop the run; answers and fee facts due for review are
warnings that do not.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .answers import ENTRY_PAGE, AnswerRenderer
from ..build_date import build_date
from .content import Content, faq_unreadable
from ..errors import ContentError, Problem
from .calculator_texts import calculator_texts
from .language import DEFAULT_LIX_MAX, GLOSSARY_FILE, UserText, lix, typography_problems
from .sanitize import plain_text
from .published import check_published
from .review import overdue_entries, overdue_fees


@dataclass
class CheckedContent:
    """Content that passed the check, and what is due for review."""

    content: Content
    """Everything under content/, validated."""
    warnings: list[str]
    """Swedish lines about answers and fee facts due for review."""

    @property
    def summary(self) -> str:
        content = self.content
        return (
            f"Innehållet är korrekt: {len(content.entries)} frågor i {len(content.categories)} "
            f"kategorier, avgifter för {len(content.fees.tables.regions)} regioner och "
            f"{len(content.fees.parameters)} nationella värden."
        )


def check_content(root: Path, today: datetime.date | None = None) -> CheckedContent:
    """Validate everything below `root/content`; raise ContentError listing every problem."""
    with cyclic_gc_paused():
        return _check_content(root, today)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a while (a check, a build), back on after.
    What they read and make (entries, rendered answers, pages) lives until they end, and the
    collector's full passes walked all of it again and again as it grew: 3 s of a build of
    10,000 entries, more than linear in their number. They leave little garbage in cycles
    for it (the peak memory is the same without it)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check_content(root: Path, today: datetime.date | None) -> CheckedContent:
    content, problems = Content.collect(root)
    if not faq_unreadable(problems):  # an unreadable entry is not a deleted one
        problems = problems + check_published(content)
    if problems:
        raise ContentError(problems)
    today = today or build_date()
    found = content.warnings + style_warnings(content)
    warnings = [f"varning: {problem}" for problem in sorted(set(found))] + [
        f"varning: {overdue}. Granska och uppdatera datumet."
        for overdue in overdue_entries(content, today) + overdue_fees(content, today)
    ]
    return CheckedContent(content, warnings)


def user_texts(content: Content) -> list[UserText]:
    """Every text a patient reads: the content's, and the calculator's own (its sentences and
    names, and the words of its page's templates; see calculator_texts.py)."""
    texts: list[UserText] = []
    for entry in content.entries.values():
        texts.append(UserText(entry.file, entry.line_of("question"), "question", entry.question))
        texts.append(UserText(entry.file, entry.answer_line, "answer", entry.answer, markdown=True))
    for category in content.categories:
        for key in ("title", "description"):
            if category.source.get(key):
                texts.append(UserText("content/categories.yml", category.source.line_of(key), key,
                                      str(category.source[key])))
    site = content.site
    for section, key, markdown in (("home", "title", False), ("home", "intro", True), ("fallback", "title", False),
                                   ("fallback", "text", True), ("support", "hours", False),
                                   ("support", "scope", False), ("safety", "text", True)):
        part = site.get(section)
        if isinstance(part, dict) and isinstance(part.get(key), str):
            text = part[key]
            line = getattr(text, "line", None) or (part.line_of(key) if hasattr(part, "line_of") else 1)
            texts.append(UserText("content/site.yml", line, f"{section}.{key}", text, markdown=markdown))
    for term in content.glossary.terms:
        texts.append(UserText(GLOSSARY_FILE, term.line, f"{term.id}.definition", term.definition))
    for file, data in content.fees.files.items():
        texts += fee_sources(file, data)
    return texts + calculator_texts(content)


def fee_sources(file: str, data, path: str = "") -> list[UserText]:
    """The `source` of every dated fee value: the calculator's answer names it ("Bygger på")."""
    found: list[UserText] = []
    if isinstance(data, dict):
        for key, value in data.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "source" and isinstance(value, str) and hasattr(data, "line_of"):
                found.append(UserText(file, data.line_of(key), where, value, typed=False))
            else:
                found += fee_sources(file, value, where)
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found += fee_sources(file, item, f"{path}[{index}]")
    return found


def style_warnings(content: Content) -> list[Problem]:
    """Discouraged words, typography and hard-to-read answers, as warnings."""
    warnings: list[Problem] = []
    for item in user_texts(content):
        text, line = item.text, item.line
        for offset, words, term in content.glossary.discouraged_uses(text):
            warnings.append(Problem(item.file, line + text[:offset].count("\n"), item.field, (
                f"skriv '{term.term}' i stället för '{words}', så att samma sak heter likadant "
                f"överallt (ordlistan, {GLOSSARY_FILE}:{term.line})."
            )))
        if not item.typed:
            continue
        for offset, message in typography_problems(text, item.markdown):
            warnings.append(Problem(item.file, line + text[:offset].count("\n"), item.field, message))
    limit = lix_limit(content)
    renderer = content.renderer or AnswerRenderer(content)
    for entry in content.entries.values():
        score = answer_lix(renderer, entry)
        if score > limit:
            warnings.append(Problem(entry.file, entry.answer_line, "answer", (
                f"svaret är svårläst (LIX {score:.0f}, gränsen är {limit}); skriv kortare meningar "
                "och byt långa ord mot vanliga, kortare ord."
            )))
    return warnings


def lix_limit(content: Content) -> int:
    readability = content.site.get("readability")
    return readability.get("lix_max", DEFAULT_LIX_MAX) if isinstance(readability, dict) else DEFAULT_LIX_MAX


def answer_lix(renderer: AnswerRenderer, entry) -> float:
    """The LIX of an answer as a patient reads it (variables filled in, no markup)."""
    return lix(plain_text(renderer.html(entry.answer, ENTRY_PAGE)))
