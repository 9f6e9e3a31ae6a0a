"""The annotated letter: the object every stage reads and writes.

A :class:`Letter` holds the raw text, the normalized lines (each knowing its raw line
number), the zones (labels over line ranges, never copies of text), the field spans
(offsets into the normalized text) and the draft field values that ``validate`` turns
into the public :class:`~vn_officialdoc.record.Record`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Iterator

from .labels import SpanLabel, WarningCode, WARNING_TEXT, Zone


@dataclass(slots=True)
class Line:
    """One normalized line. ``raw_no`` is its 1-based line number in the raw file."""

    text: str
    raw_no: int
    zone: Zone = Zone.BLANK
    #: raw column (0-based) of each character of ``text``; None when identical to the raw
    cols: list[int] | None = None

    def raw_col(self, i: int) -> int:
        if self.cols is None:
            return i
        if not self.cols:
            return 0
        return self.cols[min(i, len(self.cols) - 1)]


@dataclass
class ZoneSpan:
    """A zone: a label over the lines ``start`` .. ``end - 1`` (indices into Letter.lines)."""

    label: Zone
    start: int
    end: int


@dataclass
class Span:
    """A labelled span of the normalized text: ``letter.text[start:end]``."""

    label: SpanLabel
    start: int
    end: int
    text: str


@dataclass
class Note:
    field: str
    code: WarningCode
    message: str

    def to_dict(self) -> dict:
        return {"field": self.field, "code": self.code.value, "message": self.message}


@dataclass
class Letter:
    raw: str
    path: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    size: int = 0
    lines: list[Line] = field(default_factory=list)
    zones: list[ZoneSpan] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    #: draft values keyed by record path ("header.number", "items", ...)
    fields: dict[str, Any] = field(default_factory=dict)
    #: raw line numbers each field came from, keyed like ``fields``
    provenance: dict[str, list[int]] = field(default_factory=dict)
    corrections: list[dict] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    _text: str | None = field(default=None, repr=False)
    _starts: list[int] | None = field(default=None, repr=False)

    # -- the normalized text and offsets ------------------------------------------
    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "\n".join(line.text for line in self.lines)
            starts, pos = [], 0
            for line in self.lines:
                starts.append(pos)
                pos += len(line.text) + 1
            self._starts = starts
        return self._text

    def invalidate(self) -> None:
        """Call after changing ``lines``: offsets are recomputed on next use."""
        self._text = None
        self._starts = None

    def line_start(self, index: int) -> int:
        self.text  # noqa: B018 - builds the offsets
        assert self._starts is not None
        return self._starts[index]

    def line_index(self, offset: int) -> int:
        self.text  # noqa: B018
        assert self._starts is not None
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def raw_position(self, offset: int) -> tuple[int, int]:
        """Raw (line, column), 1-based line and 0-based column, of a text offset."""
        i = self.line_index(offset)
        line = self.lines[i]
        return line.raw_no, line.raw_col(offset - self.line_start(i))

    # -- zones ---------------------------------------------------------------------
    def zone_lines(self, *labels: Zone) -> Iterator[tuple[int, Line]]:
        """(index, line) of every line in one of the given zones, in order."""
        wanted = set(labels)
        for i, line in enumerate(self.lines):
            if line.zone in wanted:
                yield i, line

    def set_zone(self, start: int, end: int, label: Zone) -> None:
        for i in range(max(0, start), min(end, len(self.lines))):
            if self.lines[i].zone is not Zone.BLANK or label is Zone.BLANK:
                self.lines[i].zone = label

    def rebuild_zones(self) -> None:
        """Recompute ``zones`` (runs of equal labels, blank lines absorbed) from line labels."""
        zones: list[ZoneSpan] = []
        for i, line in enumerate(self.lines):
            if line.zone is Zone.BLANK:
                continue
            if zones and zones[-1].label is line.zone:
                zones[-1].end = i + 1
            else:
                zones.append(ZoneSpan(line.zone, i, i + 1))
        self.zones = zones

    # -- results ---------------------------------------------------------------------
    def add_span(self, label: SpanLabel, line_index: int, start: int = 0,
                 end: int | None = None) -> Span:
        """Add a span over ``lines[line_index].text[start:end]``."""
        text = self.lines[line_index].text
        end = len(text) if end is None else end
        base = self.line_start(line_index)
        span = Span(label, base + start, base + end, text[start:end])
        self.spans.append(span)
        return span

    def add_span_offsets(self, label: SpanLabel, start: int, end: int) -> Span:
        span = Span(label, start, end, self.text[start:end])
        self.spans.append(span)
        return span

    def set(self, path: str, value: Any, lines: list[int] | None = None) -> None:
        """Set a draft field; ``lines`` are indices into ``self.lines`` it came from."""
        self.fields[path] = value
        if lines:
            self.provenance[path] = sorted({self.lines[i].raw_no for i in lines})

    def warn(self, field_name: str, code: WarningCode, message: str | None = None) -> None:
        note = Note(field_name, code, message or WARNING_TEXT[code])
        if not any(n.field == note.field and n.code == note.code for n in self.warnings):
            self.warnings.append(note)

    def correct(self, before: str, after: str, rule: str, line_index: int, col: int = 0,
                score: float | None = None) -> None:
        line = self.lines[line_index]
        entry = {"before": before, "after": after, "rule": rule, "line": line.raw_no,
                 "column": line.raw_col(col)}
        if score is not None:
            entry["score"] = round(score, 1)
        self.corrections.append(entry)
