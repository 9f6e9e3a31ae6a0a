"""Stage 5, validate: turn the draft fields into the pydantic :class:`Record`.

It checks what can be checked without guessing (dates exist, the stamp is not before the
issue date, header fields found or warned about) and never fills a value in: what the
extractors left empty stays ``null`` with a warning that has a code.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from . import __version__
from .grammar import Grammar
from .labels import WarningCode, Zone
from .letter import Letter
from .record import Record

#: header fields that every complete letter carries; a missing one is warned about
EXPECTED_HEADER = ("header.issuer.name", "header.number", "header.date", "header.place")


def _iso_ok(value: str | None) -> bool:
    if value is None:
        return True
    try:
        _dt.date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _items(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # (no call for an empty list of children: most items have none)
    return [{"label": i["label"], "text": i.get("text", ""), "line": i.get("line"),
             "children": [] if c.__class__ is list and not c else _items(c)}
            for i in raw for c in (i.get("children", []),)]


def validate(letter: Letter, grammar: Grammar) -> Letter:
    f = letter.fields
    prov = letter.provenance

    has_text = bool(letter.raw.strip())
    has_header = any(line.zone is Zone.HEADER for line in letter.lines)
    if has_text and not has_header:
        letter.warn("header", WarningCode.NO_HEADER)
    elif has_header:
        for path in EXPECTED_HEADER:
            if f.get(path) is None:
                letter.warn(path, WarningCode.MISSING_FIELD)
    if has_text and f.get("format", "unknown") == "unknown":
        letter.warn("format", WarningCode.UNKNOWN_FORMAT)

    for path in ("header.date",):
        if not _iso_ok(f.get(path)):
            letter.warn(path, WarningCode.BAD_DATE, f"{f[path]!r} is not a calendar date")
            f[path] = None

    received = None
    rec = f.get("received")
    if rec:
        if not _iso_ok(rec.get("date")):
            letter.warn("received.date", WarningCode.BAD_DATE,
                        f"{rec['date']!r} is not a calendar date")
            rec["date"] = None
        received = {"number": rec.get("number"), "date": rec.get("date"),
                    "office": rec.get("office"), "lines": prov.get("received", [])}
        issued = f.get("header.date")
        if received["date"] and issued and received["date"] < issued:
            letter.warn("received.date", WarningCode.INCONSISTENT,
                        f"received {received['date']} before the issue date {issued}")

    header_lines = {k.removeprefix("header."): v for k, v in prov.items()
                    if k.startswith("header.")}
    sig = f.get("signature") or {}
    # one validation of the whole record (pydantic's compiled validator), not one per part
    record = Record.model_validate({
        "pipeline_version": __version__,
        "source": {"path": letter.path, "sha256": letter.sha256, "encoding": letter.encoding,
                   "size": letter.size, "route": f.get("source.route"),
                   "engine": f.get("source.engine")},
        "format": f.get("format", "unknown"),
        "header": {
            "issuer": {"name": f.get("header.issuer.name"),
                       "parent": f.get("header.issuer.parent")},
            "number": f.get("header.number"), "symbol": f.get("header.symbol"),
            "doc_type": f.get("header.doc_type"), "doc_type_code": f.get("header.doc_type_code"),
            "place": f.get("header.place"), "date": f.get("header.date"),
            "subject": f.get("header.subject"), "motto": f.get("header.motto"),
            "urgency": f.get("header.urgency"), "secrecy": f.get("header.secrecy"),
            "lines": header_lines},
        "received": received,
        "recipients": list(f.get("recipients", [])),
        "items": _items(f.get("items", [])),
        "slogans": f.get("slogans", []),
        "references": f.get("references", []),
        "signature": {"authority": sig.get("authority"),
                      "authority_text": sig.get("authority_text"),
                      "title": sig.get("title"), "signer": sig.get("signer"),
                      "lines": prov.get("signature", [])},
        "copies_to": f.get("copies_to", []),
        "emails": list(f.get("emails", [])),
        "corrections": letter.corrections,
        "warnings": [n.to_dict() for n in letter.warnings],
    })
    letter.fields["_record"] = record
    return letter
