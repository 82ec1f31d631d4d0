"""Errors raised for bad user input: each says what is wrong, where, and how to fix it."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input from the user (data file, weights, judgements, scenario, budget).

    ``where`` names the place (file, row, column or field) so a CLI can print one line and an app
    a readable notice; ``hint`` says how to fix it.

    Parameters
    ----------
    message : str
        What is wrong, e.g. ``"value 'abc' is not a number"``.
    where : str, optional
        The place: file, row and column, or the scenario field (``"matrix.csv, row ARG, column gdp"``).
    hint : str, optional
        How to fix it, one sentence.

    Attributes
    ----------
    message, where, hint : str or None
        As given; ``str(error)`` is :meth:`one_line`.
    """

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """``where: message. hint.`` on one line (what the CLIs print after ``error:``)."""
        parts = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.hint:
            parts.append(self.hint)
        return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


class InconsistentJudgementsWarning(UserWarning):
    """AHP consistency ratio above the accepted threshold (0.10 by default)."""
