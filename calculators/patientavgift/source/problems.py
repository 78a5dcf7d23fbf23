"""Problems in the YAML files, located well enough for an editor to fix them."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import CalculatorError

CHECK_COMMAND = "python3 build.py check"
"""The command that lists every problem in the content (the editors' guide names it too)."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one content file, located well enough for an editor to fix it."""

    file: str
    """Path of the file, relative to the repository root."""
    line: int
    """1-based line number the problem is on (0 when the whole file is concerned)."""
    field: str
    """The key (or key path) concerned, e.g. `reviewed` or `related[2]`; `-` for the file."""
    message: str
    """What is wrong and how to fix it, in Swedish."""

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


class SourceError(CalculatorError):
    """The fee data's YAML has problems; all of them are kept, the message names the first.

    A CalculatorError, so the command line answers it as it answers any other refusal (exit
    code 2, `{"error": ...}` with --json); the portal turns `problems` into its ContentError."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        """Every problem found, in file and line order."""
        super().__init__(self.summary(), field="data")

    def summary(self) -> str:
        """One Swedish message for the command line: the first problem, and where to see all."""
        if not self.problems:
            return f"Avgiftsdatan kunde inte läsas. Kör {CHECK_COMMAND} för att se varför."
        first = self.problems[0]
        if len(self.problems) == 1:
            return f"Avgiftsdatan har ett fel: {first} Rätta det och kör igen; {CHECK_COMMAND} visar det också."
        return (f"Avgiftsdatan har {len(self.problems)} fel. Det första: {first} "
                f"Kör {CHECK_COMMAND} för att se alla.")
