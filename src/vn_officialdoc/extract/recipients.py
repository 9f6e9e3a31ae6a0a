"""Extract recipients: not yet implemented."""

from __future__ import annotations

from ..grammar import Grammar
from ..letter import Letter


def extract(letter: Letter, grammar: Grammar) -> Letter:
    return letter
