"""Extract recipients: the ``Kính gửi`` list, one string per addressee.

Reads the RECIPIENTS zone only. Each addressee starts at a dash (or, in a list without
dashes, on its own line); a line without a dash under an unfinished addressee is its
wrapped continuation and is re-joined. Dashes and trailing ',' ';' '.' are removed.
A place ending an addressee and words whose marks OCR misread are read back as in
copies-to (:func:`.copies_to.fix_place`, :func:`.copies_to.restore_words`).
"""

from __future__ import annotations

import regex

from ..grammar import Grammar
from ..labels import SpanLabel, WarningCode, Zone
from ..letter import Letter
from .copies_to import fix_place, restore_words
from .tail import lines_in as _lines_in

_TRAIL = " ,;.:*_"
#: an addressee and its ';' in a line of several
_SEMI = regex.compile(r"[^;]+;?")


def extract(letter: Letter, grammar: Grammar) -> Letter:
    zone = list(_lines_in(letter, Zone.RECIPIENTS))
    if not zone:
        letter.set("recipients", [])
        return letter
    heading = grammar.rule("recipients", "heading")
    dash = grammar.rule("recipients", "dash")
    numbered = grammar.rule("recipients", "numbered")
    numbers = False    # the list is numbered from its first addressee on ('1. Ông ...')
    # (text, [(line index, start, end)]) per addressee
    found: list[tuple[list[str], list[tuple[int, int, int]]]] = []
    closed = True      # the last addressee ended with ';' or '.' (or there is none)
    dashed = False     # the list uses dashes
    for n, (i, line) in enumerate(zone):
        text = line.text
        pos = 0
        if n == 0:
            m = heading.match(text)
            if m is None:
                continue
            pos = m.start("rest")
        # an addressee may follow another on the same line: '... tỉnh; - Các sở'
        seg_start = pos
        d = dash.match(text[pos:])
        if not found and text[pos:].lstrip().startswith("1"):
            # the first addressee, on the 'Kính gửi' line or under it, is '1. ...'
            numbers = numbered.match(text[pos:]) is not None
        if d is None and numbers:
            d = numbered.match(text[pos:])
        is_new = d is not None
        if d is not None:
            seg_start = pos + d.end()
            dashed = True
        seg = text[seg_start:].rstrip()
        if n == 0 and d is None and ";" in seg.rstrip(";"):
            # several addressees on the heading line, without dashes: 'Kính gửi: Bộ Tài
            # chính; Bộ Kế hoạch và Đầu tư.' (a dashed addressee keeps its ';' inside)
            for part in _SEMI.finditer(seg):
                body = part.group(0).strip(" *_")
                if body.strip(_TRAIL):
                    a = seg_start + part.start() + (len(part.group(0))
                                                    - len(part.group(0).lstrip(" *_")))
                    found.append(([body], [(i, a, a + len(body))]))
            closed = seg.endswith((";", "."))
            continue
        body = seg.strip(" *_")
        if not body:
            continue
        lstrip = len(seg) - len(seg.lstrip(" *_"))
        span = (i, seg_start + lstrip, seg_start + len(seg.rstrip(" *_")))
        if found and not is_new and not (closed and not dashed):
            found[-1][0].append(body)
            found[-1][1].append(span)
        else:
            found.append(([body], [span]))
        closed = body.endswith((";", ".")) or (not dashed and body.endswith(","))
    out = []
    where = []
    for parts, spans in found:
        value = " ".join(parts).strip().rstrip(_TRAIL).strip()
        if not value:
            continue
        value = fix_place(letter, grammar, value, [i for i, _, _ in spans])
        out.append(value)
        where.append([i for i, _, _ in spans])
        for i, s, e in spans:
            letter.add_span(SpanLabel.RECIPIENT, i, s, e)
    out = restore_words(letter, grammar, list(zip(out, where)), "recipients")
    letter.set("recipients", out, lines=[i for i, _ in zone])
    if not out:
        letter.warn("recipients", WarningCode.MISSING_FIELD,
                    "a 'Kính gửi' line was found but no addressee after it")
    return letter
