"""Errors shown to the people who run the commands: editors, support staff, CI."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from patientavgift.source.problems import Problem


class PortalError(Exception):
    """Base of every user-facing error; carries the process exit code (as Click does)."""

    exit_code: int = 1

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def format_message(self) -> str:
        return str(self)


def __getattr__(name: str):
    # Problem is the calculator's (patientavgift.source, which also reads the fee YAML), and is
    # imported on first use only: build.py imports PortalError with the system python3, before
    # .venv exists, where neither patientavgift nor PyYAML can be imported.
    if name == "Problem":
        from patientavgift.source.problems import Problem

        return Problem
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


class BuildError(PortalError):
    """A build stage could not make its product (a missing tool, a failed compile or engine run)."""

    exit_code = 1
