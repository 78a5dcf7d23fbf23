"""Errors shown to the people who run the commands: editors, support staff, CI."""

from __future__ import annotations

from dataclasses import dataclass


class PortalError(Exception):
    """Base of every user-facing error; carries the process exit code (as Click does)."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def format_message(self) -> str:
        return str(self)


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


class ContentError(PortalError):
    """The content has problems; every problem found in one run is listed."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.format_message())

    def format_message(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problem"
        lines = [str(problem) for problem in self.problems]
        lines.append(f"{count} {noun} i innehållet. Rätta dem och kör igen: python3 build.py check")
        return "\n".join(lines)
