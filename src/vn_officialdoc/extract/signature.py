"""Extract the signature: authority mark, title line and signer's name.

Reads the tail zones (SIGNATURE, SEAL and COPIES_TO lines, since OCR of a two-column
tail prints the signature column beside the copies-to list). The parts are found in
reading order:

- marks (``KT.``, ``T/M`` ...; ``grammars/signature.yaml``): the authority is the last
  mark before the name (``TM. ỦY BAN NHÂN DÂN`` / ``KT. CHỦ TỊCH`` -> KT);
- titles: a line (or the capitals at the end of a copies-to line) that starts with a
  known title head, OCR damage corrected by fuzzy matching (recorded in corrections); a
  title wrapped over two lines is joined; the title is the last one before the name;
- the name: a line, or the end of a copies-to line after ';', that reads as a Vietnamese
  personal name (capitalised syllables starting with a family name). Seal text, 'đã ký'
  lines and banners are skipped. A name is never guessed from position.
"""

from __future__ import annotations

import functools
from typing import Any

import regex

from ..grammar import Grammar
from ..labels import SpanLabel, WarningCode, Zone
from ..letter import Letter
from .tail import lines_in as _lines_in
from . import tail as tf

TAIL = (Zone.SIGNATURE, Zone.SEAL, Zone.COPIES_TO)


def _title_part(title, i: int, text: str) -> dict:
    """A signature part for a title found on line ``i`` (up to the line's end)."""
    return {"kind": "title", "value": title.title, "printed": title.printed,
            "score": title.score, "line": i, "start": title.start, "end": len(text.rstrip())}


def _undoubled_name(letter: Letter, grammar: Grammar, name: dict) -> dict:
    """A syllable of the name that is no Vietnamese syllable with a letter OCR doubled
    ('Linhh', 'Thuuận', 'NGHĨAA') is read with it once, when that makes a syllable
    (``tones.is_syllable``); each change is on ``letter.corrections``."""
    from ..tones import is_syllable

    words = name["value"].split(" ")
    changed = False
    at = name["start"]
    for n, w in enumerate(words):
        if not is_syllable(w.lower(), grammar):
            for k in range(1, len(w)):
                if w[k].lower() == w[k - 1].lower():
                    once = w[:k] + w[k + 1:]
                    if is_syllable(once.lower(), grammar):
                        letter.correct(w, once, "signature.name.syllables", name["line"], at)
                        words[n], changed = once, True
                        break
        at += len(w) + 1
    if not changed:
        return name
    return {**name, "value": " ".join(words)}


def _title_after_mark(mark: dict, grammar: Grammar) -> dict | None:
    """The signer's title printed after the mark's own title on the mark line, when the
    line splits into two titles ('KT. BỘ TRƯỞNG THỨ TRƯỞNG', 'TL. BỘ TRƯỞNG VỤ TRƯỞNG VỤ
    PHÁP CHẾ'): the shortest first title whose rest is a title too."""
    text = mark["text"]
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text)][1:]   # after the mark
    for k in range(1, len(words)):
        head = text[words[0][0]:words[k - 1][1]]
        if tf.match_title(head, grammar) is None:
            continue
        rest = tf.match_title(text, grammar, words[k][0])
        if rest is None:
            continue
        return {"kind": "title", "value": rest.title, "printed": rest.printed,
                "score": rest.score, "line": mark["line"],
                "start": mark["start"] + words[k][0], "end": mark["end"]}
    return None


_WORDS = regex.compile(r"\S+")


def _name_part(name: tuple[str, int], i: int) -> dict:
    """A signature part for a signer's name found on line ``i``."""
    return {"kind": "name", "value": name[0], "line": i, "start": name[1],
            "end": name[1] + len(name[0])}


def parts(letter: Letter, grammar: Grammar) -> list[dict[str, Any]]:
    """The signature parts of the tail in reading order: dicts with kind ('mark', 'title',
    'name'), value, line index, start and end (offsets in the line)."""
    out: list[dict[str, Any]] = []
    zone = list(_lines_in(letter, *TAIL))
    memo = tf.memo(letter, grammar)     # what segment already asked of these lines
    skip_next = False
    for n, (i, line) in enumerate(zone):
        if skip_next:
            skip_next = False
            continue
        text = tf.plain(line.text, grammar)
        if line.zone is Zone.SEAL or memo.skipped(text):
            continue
        mark = memo.find_mark(text)
        if mark is not None:
            out.append({"kind": "mark", "value": mark.authority, "text": mark.text, "line": i,
                        "start": mark.start, "end": len(text.rstrip())})
            continue
        if line.zone is Zone.SIGNATURE:
            title = memo.match_title(text)
            if title is not None:
                if n + 1 < len(zone) and zone[n + 1][1].zone is Zone.SIGNATURE:
                    joined = tf.title_continues(title, tf.plain(zone[n + 1][1].text, grammar),
                                                grammar)
                    if joined is not None:
                        title, skip_next = joined, True
                out.append(_title_part(title, i, text))
                continue
            name = memo.person_name(text)
            if name is not None:
                out.append(_name_part(name, i))
            continue
        # a copies-to line: the signature column may be printed at its end
        title = memo.trailing_title(text)
        if title is not None:
            out.append(_title_part(title, i, text))
            continue
        name = memo.trailing_name(text)
        if name is not None:
            out.append(_name_part(name, i))
    return out


def cut_name(letter: Letter, grammar: Grammar) -> dict[str, Any] | None:
    """A signer's name whose family name OCR cut at the edge of the scan, printed on the
    first line below the signature block (which the segmenter left out of it): 'yến
    Hoàng Oanh', '.Ngu Hoàng Hải', '[ ,ê Mỹ Phong' (``signature.yaml``: name.cut_surname).
    The legible part (two letters at least) must end (or begin) exactly one family name
    of ``name.surnames``
    (marks aside only when none matches with them) and capitalised given names must
    follow; the name is read with that family name, recorded in corrections, and a
    warning says so."""
    tail = [i for i, _ in _lines_in(letter, *TAIL)]
    if not tail:
        return None
    j = tail[-1] + 1
    while j < len(letter.lines) and not letter.lines[j].text.strip():
        j += 1
    if j >= len(letter.lines) or letter.lines[j].zone is not Zone.NOISE:
        return None
    text = letter.lines[j].text
    m = grammar.rule("signature", "name.cut_surname").search(text)
    if m is None:
        return None
    frag = m.group("frag")
    names = _surname_list(grammar)
    family = _family_of(frag, names)
    if family is None:
        return None
    value = f"{family} {m.group('given')}"
    letter.correct(frag, family, "signature.name.cut_surname", j, m.start("frag"))
    letter.warn("signature.signer", WarningCode.AMBIGUOUS,
                f"the family name was read from its legible part {frag!r} as {family!r}")
    return {"kind": "name", "value": value, "line": j, "start": m.start("frag"),
            "end": m.end("given")}


@functools.lru_cache(maxsize=8)
def _surname_list(grammar: Grammar) -> list[str]:
    """name.surnames without repeats, in file order (read only)."""
    return list(dict.fromkeys(grammar.words("signature", "name.surnames")))


def _family_of(frag: str, names: list[str]) -> str | None:
    """The one family name that ``frag`` (lower case: its end; capitalised: its start)
    is part of, with marks, else marks aside (the first listed of those that fold alike)."""
    from .tail import _toneless

    ends = frag[0].islower()
    for fold in (lambda x: x.lower(), lambda x: _toneless(x).lower()):
        f = fold(frag)
        hits = [n for n in names if len(n) > len(f)
                and (fold(n).endswith(f) if ends else fold(n).startswith(f))]
        alike = {_toneless(n).lower() for n in hits}
        if len(alike) == 1:
            return hits[0]
        if hits:
            return None
    return None


def extract(letter: Letter, grammar: Grammar) -> Letter:
    found = parts(letter, grammar)
    if not any(p["kind"] == "name" for p in found):
        cut = cut_name(letter, grammar)
        if cut is not None:
            found.append(cut)
    names = [p for p in found if p["kind"] == "name"]
    marks = [p for p in found if p["kind"] == "mark"]
    titles = [p for p in found if p["kind"] == "title"]
    order = {id(p): k for k, p in enumerate(found)}

    mark = None
    title = None
    name = None
    # the name: the first one after the last mark/title, else the first one
    anchor = max((order[id(p)] for p in marks + titles), default=-1)
    after = [p for p in names if order[id(p)] > anchor]
    # a name in capitals only when no name in the usual case follows (seal text in
    # capitals stands between the title and the name)
    after = [p for p in after if not p["value"].isupper()] or after
    name = after[0] if after else (names[0] if names else None)
    limit = order[id(name)] if name is not None else len(found)
    before_marks = [p for p in marks if order[id(p)] < limit]
    mark = before_marks[-1] if before_marks else (marks[-1] if marks else None)
    mark_pos = order[id(mark)] if mark is not None else -1
    cand = [p for p in titles if mark_pos < order[id(p)] < limit]
    title = cand[-1] if cand else None
    if title is None and mark is not None and mark["value"] != "Q":
        # 'KT. BỘ TRƯỞNG THỨ TRƯỞNG': the signer's title on the mark's own line
        title = _title_after_mark(mark, grammar)
    if title is None and mark is not None and mark["value"] == "Q":
        # 'Q. GIÁM ĐỐC': the acting head's title is the mark line itself
        rest = tf.match_title(mark["text"], grammar, mark["text"].find(" ") + 1)
        if rest is not None:
            title = {"kind": "title", "value": rest.title, "printed": rest.printed,
                     "score": rest.score, "line": mark["line"], "start": mark["start"],
                     "end": mark["end"]}

    if name is not None:
        name = _undoubled_name(letter, grammar, name)
    lines: list[int] = []
    if mark is not None:
        letter.add_span(SpanLabel.AUTHORITY, mark["line"], mark["start"], mark["end"])
        lines.append(mark["line"])
    if title is not None:
        if title["score"] < 100 and title.get("printed") and not title["printed"].startswith(
                title["value"]):
            letter.correct(title["printed"], title["value"], "signature.title.heads",
                           title["line"], title["start"], title["score"])
        letter.add_span(SpanLabel.SIGNER_TITLE, title["line"], title["start"], title["end"])
        lines.append(title["line"])
    if name is not None:
        letter.add_span(SpanLabel.SIGNER, name["line"], name["start"], name["end"])
        lines.append(name["line"])
    sig = {"authority": mark["value"] if mark else None,
           "authority_text": mark["text"] if mark else None,
           "title": title["value"] if title else None,
           "signer": name["value"] if name else None}
    letter.set("signature", sig, lines=lines)
    has_tail = any(True for _ in _lines_in(letter, *TAIL))
    if has_tail and name is None:
        letter.warn("signature.signer", WarningCode.MISSING_FIELD,
                    "no personal name was found in the signature block")
    if has_tail and title is None and mark is None:
        letter.warn("signature.title", WarningCode.MISSING_FIELD,
                    "no signing mark or title was found in the signature block")
    return letter
