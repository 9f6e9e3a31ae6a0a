"""Extract the incoming stamp (dấu ĐẾN): received number, date and office.

The stamp's lines are found by the head reading (:func:`~.header.scan_head`): the line
with the ĐẾN mark, the stamp-field lines right after it, and the office line above it.
The number and date are read from the stamp's text only (``stamps.yaml``), so the stamp
number is never the letter's own. A part that is not fully legible is null. A date
printed without a year ('11/8') takes the year that puts it on or just after the issue
date (warning W011); without an issue date, the year of the symbol ('2026/TT-BCT') is the
issue year. With no stamp, ``received`` stays null.
"""

from __future__ import annotations

import datetime as _dt

import regex

from ..gazetteer import gazetteer
from ..grammar import Grammar
from ..labels import SpanLabel, WarningCode
from ..letter import Letter
from .header import ocr_digits, scan_head

_YEAR = regex.compile(r"(?<!\d)((?:19|20|21)\d{2})(?!\d)")


def _issue_anchor(letter: Letter) -> tuple[_dt.date | None, int | None]:
    """The issue date, or failing it the issue year read from the symbol."""
    iso = letter.fields.get("header.date")
    if iso:
        try:
            return _dt.date.fromisoformat(iso), None
        except ValueError:
            pass
    m = _YEAR.search(letter.fields.get("header.symbol") or "")
    return None, int(m.group(1)) if m else None


def infer_year(day: int, month: int, issued: _dt.date | None, year: int | None
               ) -> _dt.date | None:
    """The date (day, month) on or just after ``issued``; in ``year`` if only that is known."""
    if issued is not None:
        for y in (issued.year, issued.year + 1):
            try:
                d = _dt.date(y, month, day)
            except ValueError:
                continue
            if d >= issued:
                return d
        return None
    if year is not None:
        try:
            return _dt.date(year, month, day)
        except ValueError:
            return None
    return None


def extract(letter: Letter, grammar: Grammar) -> Letter:
    scan = scan_head(letter, grammar)
    marks = [hl for hl in scan.lines if "stamp" in hl.kinds()    # (most lines: no stamp)
             and any(p.kind == "stamp" and p.data.get("mark") for p in hl.pieces)]
    if not marks:
        return letter
    first = marks[0]
    # the stamp: the mark line and the stamp lines right after it
    block = [first]
    after = False
    for hl in scan.lines:
        if hl.index == first.index:
            after = True
            continue
        if not after:
            continue
        if any(p.kind == "stamp" for p in hl.pieces) and hl.index in scan.stamp_lines:
            block.append(hl)
        elif hl.index - block[-1].index > 2:
            break
    number = date = None
    lines = [hl.index for hl in block]
    num_rule = grammar.rule("stamps", "stamp.number")
    date_rule = grammar.rule("stamps", "stamp.date")
    for hl in block:
        for p in hl.pieces:
            if p.kind != "stamp" or p.data.get("office"):
                continue
            if number is None:
                m = num_rule.search(p.text)
                if m:
                    number = m.group("number")
                    s = p.start + m.start("number")
                    letter.add_span(SpanLabel.RECEIVED, hl.index, s, s + len(number))
                    if not number.isdigit():      # '4O1': OCR's letter for a digit
                        read = number.translate(ocr_digits(grammar))
                        letter.correct(number, read, "stamps.stamp.number", hl.index, s)
                        number = read
            if date is None:
                m = date_rule.search(p.text)
                if m:
                    date = _date(letter, m, hl.index)
                    letter.add_span(SpanLabel.RECEIVED, hl.index, p.start + m.start(),
                                    p.start + m.end())
    office = None
    if scan.stamp_office is not None:
        i, text = scan.stamp_office
        office = text.strip(" :|")
        lines.append(i)
    else:
        for hl in scan.lines:
            p = next((p for p in hl.pieces if p.data.get("office")), None)
            if p is not None:
                hit = gazetteer(grammar).organ(p.text)
                office = hit.name if hit else p.text
                if hit and hit.name != p.text:
                    letter.correct(p.text, hit.name, "organ.names", hl.index, p.start, hit.score)
                lines.append(hl.index)
                break
    if number is None:
        letter.warn("received.number", WarningCode.MISSING_FIELD,
                    "the stamp's number is missing or illegible")
    if date is None:
        letter.warn("received.date", WarningCode.MISSING_FIELD,
                    "the stamp's date is missing or illegible")
    letter.set("received", {"number": number, "date": date, "office": office},
               lines=sorted(set(lines)))
    return letter


def _date(letter: Letter, m: "regex.Match", index: int) -> str | None:
    day, month = int(m.group("day")), int(m.group("month"))
    year = m.group("year")
    if year:
        y = int(year)
        if len(year) == 2:
            y += 2000
        try:
            return _dt.date(y, month, day).isoformat()
        except ValueError:
            letter.warn("received.date", WarningCode.BAD_DATE,
                        f"the stamp date {m.group(0)!r} is not a calendar date")
            return None
    issued, issue_year = _issue_anchor(letter)
    d = infer_year(day, month, issued, issue_year)
    if d is None:
        letter.warn("received.date", WarningCode.MISSING_FIELD,
                    f"the stamp date {m.group(0)!r} has no year and the issue date is unknown")
        return None
    letter.warn("received.date", WarningCode.YEAR_INFERRED,
                f"the stamp date {m.group(0).strip()!r} has no year; {d.year} puts it on or "
                f"just after the issue {'date' if issued else 'year'}")
    return d.isoformat()
