"""A spaCy pipeline component: the parser where spaCy users already work.

After ``pip install vn_officialdoc[spacy]`` the factory is found through the
``spacy_factories`` entry point, with no import needed::

    import spacy
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.add_pipe("vn_officialdoc")
    doc = nlp(text_of_one_letter)
    doc._.letter                       # the validated Record
    doc.spans["vn_officialdoc"]        # labelled field spans: ISSUER, NUMBER, DATE, ...

The Doc is built on the text as given (raw); the pipeline works on normalized lines that
keep their raw line numbers and per-character raw columns, so each field span is mapped
back to a character range of the raw text and aligned to tokens with
``doc.char_span(..., alignment_mode="expand")``. Spans may overlap (an item holds a
slogan), which is why they go in a span group and not in ``doc.ents``.

Errors follow spaCy's habit: the component raises (``VnOfficialDocError`` subclasses) and
the caller picks the policy.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from .labels import SpanLabel

#: the default key of the span group
SPANS_KEY = "vn_officialdoc"

if not Doc.has_extension("letter"):
    Doc.set_extension("letter", default=None)


def _column_map(original: str, decoded: str) -> list[int] | None:
    """Column in ``original`` of each char of ``decoded`` when ``decoded`` is its NFC form.

    The reader may compose decomposed (NFD) Vietnamese; composition stays inside one
    starter and its combining marks, so each piece maps onto the piece's first column.
    """
    if original == decoded:
        return None
    cols: list[int] = []
    out: list[str] = []
    start = 0
    for i in range(1, len(original) + 1):
        if i == len(original) or not unicodedata.combining(original[i]):
            piece = unicodedata.normalize("NFC", original[start:i])
            out.append(piece)
            cols.extend([start] * len(piece))
            start = i
    if "".join(out) != decoded:
        return None if len(original) != len(decoded) else list(range(len(decoded)))
    return cols


class OfficialDocComponent:
    """Parses the Doc's text as one letter; sets ``doc._.letter`` and a span group."""

    def __init__(self, spans_key: str = SPANS_KEY):
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        from .pipeline import annotate_text, record_of
        from .review import raw_line_offsets, raw_lines, raw_segments

        letter = annotate_text(doc.text)
        doc._.letter = record_of(letter)
        starts = raw_line_offsets(doc.text)
        given = raw_lines(doc.text)
        decoded = raw_lines(letter.raw) if letter.raw != doc.text else given
        maps: dict[int, list[int] | None] = {}

        def offset(line_no: int, col: int) -> int:
            i = line_no - 1
            if i not in maps:
                maps[i] = _column_map(given[i], decoded[i]) if i < len(decoded) else None
            m = maps[i]
            if m is not None:
                col = m[col] if col < len(m) else len(given[i])
            return starts[i] + min(col, len(given[i]))

        spans = []
        for s in letter.spans:
            segs = raw_segments(letter, s.start, s.end)
            if not segs or segs[-1][0] > len(starts):
                continue
            first, last = segs[0], segs[-1]
            start, end = offset(first[0], first[1]), offset(last[0], last[2])
            if end <= start:
                continue
            span = doc.char_span(start, end, label=s.label.value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "vn_officialdoc",
    default_config={"spans_key": SPANS_KEY},
    assigns=["doc._.letter", "doc.spans"],
)
def make_component(nlp: Language, name: str, spans_key: str) -> OfficialDocComponent:
    """Factory of the ``vn_officialdoc`` component (entry point ``spacy_factories``)."""
    return OfficialDocComponent(spans_key)


#: every label the span group can hold
LABELS: tuple[str, ...] = tuple(label.value for label in SpanLabel)

__all__: list[Any] = ["OfficialDocComponent", "make_component", "SPANS_KEY", "LABELS"]
