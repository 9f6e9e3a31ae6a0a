"""Stage 4, extract: one extractor per field group, each reading only its zones.

Each extractor has the stage signature ``(letter, grammar) -> Letter`` and writes only
its own draft fields (``letter.fields``) and spans. The order matters where one needs
another's result (the stamp's year-less date needs the issue date), and is written once:
"""

from __future__ import annotations

from ..grammar import Grammar
from ..letter import Letter
from . import copies_to, header, items, recipients, references, signature, slogans, stamp

EXTRACTORS = (
    header.extract,        # format, issuer, parent, number, symbol, type, place, date, subject
    stamp.extract,         # received: number, date, office
    recipients.extract,    # Kính gửi list
    items.extract,         # numbered items as a tree
    slogans.extract,       # quoted / bold catch-phrases
    references.extract,    # cited documents, e-mail addresses
    signature.extract,     # authority mark, title, signer
    copies_to.extract,     # Nơi nhận lines and their notes
)


def extract(letter: Letter, grammar: Grammar) -> Letter:
    for extractor in EXTRACTORS:
        letter = extractor(letter, grammar)
    return letter
