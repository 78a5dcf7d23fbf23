"""The one content check, run by `python3 build.py check` and by every MkDocs build and serve.

Validation (schemas, references, answers rendered exactly as their pages), the published-URL
guard, and the review dates. Problems stop the run; answers and fee facts due for review are
warnings that do not.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from .build_date import build_date
from .content import Content, faq_unreadable
from .errors import ContentError
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
    content, problems = Content.collect(root)
    if not faq_unreadable(problems):  # an unreadable entry is not a deleted one
        problems = problems + check_published(content)
    if problems:
        raise ContentError(problems)
    today = today or build_date()
    warnings = [f"varning: {problem}" for problem in sorted(set(content.warnings))] + [
        f"varning: {overdue}. Granska och uppdatera datumet."
        for overdue in overdue_entries(content, today) + overdue_fees(content, today)
    ]
    return CheckedContent(content, warnings)
