"""Stage 3, segment: label every line with a zone (see :class:`~.labels.Zone`).

Zones are labels over line ranges of the normalized text, never copies of it. Three
passes run in order; each labels only lines still marked BODY unless it has strong
evidence, so that later passes do not undo earlier ones:

1. ``_label_head``: header, title/subject, stamp, and noise lines (e-signature banners,
   OCR debris) - the two-column header may come flattened in any order;
2. ``_label_recipients``: the ``Kính gửi`` block;
3. ``_label_tail``: closing, copies-to (``Nơi nhận``), signature and seal lines.

Whatever is left is the body.
"""

from __future__ import annotations

from .grammar import Grammar
from .labels import Zone
from .letter import Letter


def _label_head(letter: Letter, grammar: Grammar) -> None:
    """Label HEADER, TITLE, STAMP and NOISE lines."""


def _label_recipients(letter: Letter, grammar: Grammar) -> None:
    """Label the RECIPIENTS block."""


def _label_tail(letter: Letter, grammar: Grammar) -> None:
    """Label CLOSING, COPIES_TO, SIGNATURE and SEAL lines."""


def segment(letter: Letter, grammar: Grammar) -> Letter:
    for line in letter.lines:
        line.zone = Zone.BLANK if not line.text.strip() else Zone.BODY
    _label_head(letter, grammar)
    _label_recipients(letter, grammar)
    _label_tail(letter, grammar)
    letter.rebuild_zones()
    return letter
