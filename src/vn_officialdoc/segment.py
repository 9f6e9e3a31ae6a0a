"""Stage 3, segment: label every line with a zone (see :class:`~.labels.Zone`).

Zones are labels over line ranges of the normalized text, never copies of it. The head
(header, title, stamp, recipients) and the tail (closing, copies-to, signature, seal)
are labelled by separate passes; everything between is the body.
"""

from __future__ import annotations

from .grammar import Grammar
from .labels import Zone
from .letter import Letter


def _label_head(letter: Letter, grammar: Grammar) -> int:
    """Label header, title, stamp, recipients and noise lines; return the body's first line."""
    return 0


def _label_tail(letter: Letter, grammar: Grammar, body_start: int) -> int:
    """Label closing, copies-to, signature and seal lines; return the body's end."""
    return len(letter.lines)


def segment(letter: Letter, grammar: Grammar) -> Letter:
    for line in letter.lines:
        line.zone = Zone.BLANK if not line.text.strip() else Zone.BODY
    body_start = _label_head(letter, grammar)
    _label_tail(letter, grammar, body_start)
    letter.rebuild_zones()
    return letter
