"""Helpers for the book's sentences: counts, percentages, and guarded sentences.

A chapter either glues a phrase made by a ``text`` module or guards a fixed sentence with :func:`guard`, which stops
the build with "the sentence '…' no longer holds: …" when its premise breaks. The text is MyST Markdown.
"""

from __future__ import annotations


class SentenceError(AssertionError):
    """A guarded sentence of the book whose premise no longer holds for the parameters it was built with."""


def guard(holds: bool, sentence: str, why: str) -> None:
    """Stop the build, naming the sentence, if its premise does not hold."""
    if not holds:
        raise SentenceError(f"the sentence {sentence!r} no longer holds: {why}")


def percent(share: float, digits: int = 1) -> str:
    return f"{100 * share:.{digits}f} %"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 seed``, ``3 seeds``."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
