"""Errors the calculator reports to people, in Swedish; each carries its exit code."""

from __future__ import annotations


class CalculatorError(Exception):
    """Base of every user-facing calculator error (as Click's ClickException)."""

    exit_code = 2

    def __init__(self, message: str, field: str | None = None,
                 choices: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        """What is wrong, in Swedish, for the patient or support staff."""
        self.field = field
        """The input it concerns (the command-line name, e.g. `birth-date`), if one."""
        self.choices = choices
        """For a region that names several or none: the (code, name) pairs to choose from."""


class InputError(CalculatorError):
    """The input is impossible or contradicts itself (negative amount, future birth date, ...)."""


class UnknownFeeError(CalculatorError):
    """The fee data does not know the answer; the calculator will not guess."""
