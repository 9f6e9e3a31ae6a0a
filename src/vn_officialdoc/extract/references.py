"""Extract references (documents the letter cites by number) and e-mail addresses.

Reads the title, recipients, body and closing zones (not the header, whose 'Số:' line is
the letter's own number, nor the tail or an appendix). Lines are joined so that a symbol
broken at a '-' or '/' at the end of a line ('18/2025/TT-' + 'BCT') is read whole. A
citation is a number, an optional year and a symbol of code tokens (``references.yaml``:
citation); each token must read as a code (capitals, at most two lower-case letters:
'TTr', 'QĐi'). Each document is kept once, in order of first citation; OCR forms of type
codes are fixed (QD -> QĐ) and recorded in corrections.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import itertools
import re
import unicodedata
from typing import Any

import regex

from ..grammar import Grammar, timed
from ..tones import TONES
from ..labels import SpanLabel, WarningCode, Zone
from ..letter import Letter

ZONES = (Zone.TITLE, Zone.RECIPIENTS, Zone.BODY, Zone.CLOSING, Zone.NOISE)

_TOKEN_SPLIT = re.compile(r"\s*[/\-\u2010-\u2015\u2044]\s*")
#: letters OCR reads for the digit 1 in a number
_ONE = str.maketrans({"I": "1", "l": "1", "|": "1"})


#: a paragraph longer than this many lines is searched in parts
CHUNK_LINES = 40

#: what separates the paragraphs in the text of :func:`_paragraphs`: no character class of
#: the citation patterns or their prefilters takes it, so no match runs over it
_SEP = "\x00"


def _paragraphs(letter: Letter, zones: tuple[Zone, ...]
                ) -> tuple[str, list[tuple[int, int, int, int]], tuple[list, list, list]]:
    """The zone lines as paragraphs (split at blank lines, unless a symbol is broken over
    them, and every CHUNK_LINES lines). Within a paragraph the stripped lines are joined
    with a space, except that a line ending in '-' or '/' is glued to the next (a symbol
    broken at the line end: '18/2025/TT-' + 'BCT').

    All paragraphs are built at once, in one text where they are separated by
    :data:`_SEP`, so that a prefilter is searched once a letter rather than once a
    paragraph (see :func:`_hits`). Returns that text, the paragraphs as (start, end,
    first line, end line) and the lines (line indices, stripped texts, glued to the next
    or not), which :func:`_paragraph_text` reads."""
    wanted = set(zones)
    lines = letter.lines
    # one loop over the zone lines builds the lines' lists and the paragraph starts: a
    # paragraph starts after a gap (a blank line, another zone) that no glue bridges...
    idx: list[int] = []
    texts: list[str] = []
    glue: list[bool] = []
    starts: list[int] = []
    prev, prev_glue = -2, False
    for z in letter.zones:
        if z.label not in wanted:
            continue
        for i in range(z.start, z.end):
            line = lines[i]
            if line.zone in wanted:
                t = line.text.strip()
                if t:
                    if i > prev + 1 and not prev_glue:
                        starts.append(len(texts))
                    prev, prev_glue = i, t[-1] in "-/"
                    idx.append(i)
                    texts.append(t)
                    glue.append(prev_glue)
    n = len(texts)
    ranges = list(zip(starts, starts[1:] + [n]))
    if any(b - a > CHUNK_LINES for a, b in ranges):     # ... and every CHUNK_LINES lines
        ranges = [(c, min(c + CHUNK_LINES, b)) for a, b in ranges
                  for c in range(a, b, CHUNK_LINES)]
    if not any(glue):       # (most letters: no symbol broken over a line end)
        paras = [" ".join(texts[a:b]) for a, b in ranges]
    else:
        paras = [" ".join(texts[a:b]) if not any(glue[a:b - 1]) else "".join(
            [texts[k] if glue[k] else texts[k] + " " for k in range(a, b - 1)]) + texts[b - 1]
            for a, b in ranges]
    ends = list(itertools.accumulate([len(p) + 1 for p in paras]))
    bounds = [(end - len(p) - 1, end - 1, a, b) for end, p, (a, b) in zip(ends, paras, ranges)]
    return _SEP.join(paras), bounds, (idx, texts, glue)


def _paragraph_text(letter: Letter, whole: str, bound: tuple[int, int, int, int],
                    found: tuple[list, list, list]) -> tuple[str, list[tuple[int, int, int]]]:
    """One paragraph of :func:`_paragraphs`: its text and (text offset, line index,
    column) anchors, the column being where the line's text starts (its indent)."""
    start, end, a, b = bound
    idx, texts, glue = found
    out = []
    pos = 0
    for k in range(a, b):
        raw = letter.lines[idx[k]].text
        out.append((pos, idx[k], len(raw) - len(raw.lstrip())))
        pos += len(texts[k]) + (0 if glue[k] else 1)
    return whole[start:end], out


def _hits(pre, whole: str, bounds: list[tuple[int, int, int, int]]) -> set[int] | None:
    """The paragraphs (indices into ``bounds``) where the pattern ``pre`` finds something,
    one search a paragraph that has a hit (None: no pattern, every paragraph). ``pre`` (the
    citation rules' prefilters) has no anchor or look-around and cannot take :data:`_SEP`
    (tests/test_perf_body3.py), so searching the whole text from a paragraph's start finds
    what searching the paragraph alone finds, or a later paragraph's hit."""
    if pre is None:
        return None
    found: set[int] = set()
    starts = [b[0] for b in bounds]
    m = pre.search(whole)
    while m is not None:
        k = bisect.bisect_right(starts, m.start()) - 1
        found.add(k)
        if k + 1 >= len(bounds):
            break
        m = pre.search(whole, bounds[k + 1][0])
    return found


def _where(anchors: list[tuple[int, int, int]], offset: int) -> tuple[int, int]:
    best = anchors[0]
    for a in anchors:
        if a[0] <= offset:
            best = a
        else:
            break
    return best[1], best[2] + offset - best[0]


def _code_like(token: str) -> bool:
    """A symbol token: capitals (at most two lower-case letters, 'TTr', 'QĐi'), no tone
    mark (a word in capitals such as 'QUYẾT' is not a code)."""
    # (an ASCII token has no tone mark; set and map calls loop in C)
    if not token.isascii() and not TONES.isdisjoint(unicodedata.normalize("NFD", token)):
        return False
    letters = "".join(filter(str.isalpha, token))
    if not letters:
        return bool(token) and token.isdigit() is False
    upper = sum(map(str.isupper, letters))
    lower = len(letters) - upper
    return token[0].isupper() and upper >= 1 and lower <= 2 and (upper >= 2 or any(
        c.isdigit() for c in token))


class _Tables:
    """The rules and word lists of ``references.yaml`` the extractor reads, looked up
    once per grammar (see :func:`_tables`)."""

    def __init__(self, grammar: Grammar) -> None:
        from ..gazetteer import gazetteer

        rule = functools.partial(grammar.rule, "references")
        self.cite = rule("citation")
        self.cue = rule("number_cue")
        self.own_line = rule("own_number_line")
        fixes_rule = rule("ocr.type_codes")
        self.fixes = fixes_rule.value if isinstance(fixes_rule.value, dict) else {}
        self.eth = rule("ocr.eth")
        self.joint = rule("ocr.type_joint")  # its id names the correction
        self.dot = rule("ocr.dot_in_code")
        self.term = rule("ocr.legislature")
        self.split_no = rule("ocr.split_number")
        # number_cue and ocr.split_number end in '$' and are searched in the 60 characters
        # before a citation: searched from the end (REVERSE), they find the same match or
        # none several times faster (whether there is a match does not depend on the
        # direction, and ocr.split_number's group head, the digits or I between a blank
        # and the last blank, has one place only)
        self.cue_back = regex.compile(self.cue.regex.pattern, self.cue.regex.flags | regex.REVERSE)
        self.split_back = regex.compile(self.split_no.regex.pattern,
                                        self.split_no.regex.flags | regex.REVERSE)
        self.codes = set(grammar.words("references", "type_codes"))
        self.codes_longest = sorted(self.codes, key=len, reverse=True)
        self.types = sorted(grammar.words("references", "doc_types"), key=len, reverse=True)
        # (type, lower case) longest first, and all the lower-case forms for one
        # str.endswith test before the walk
        self.types_lower = [(t, t.lower()) for t in self.types]
        self.any_type = tuple(tl for _, tl in self.types_lower)
        self.lowered = rule("citation_lowercased")
        self.issuer_min = int((rule("ocr.issuer_from_letter").value or {}).get("min_chars", 5))
        self.issuer_levels = tuple(str(v) for v in (rule("ocr.issuer_from_letter").value
                                                    or {}).get("levels", ()))
        self.parts = gazetteer(grammar).symbol_parts
        self.doubled = rule("ocr.doubled_letter")
        self.date_after = rule("date_after")
        self._known_folded: dict[str, str] | None = None
        self._known_codes: set[str] | None = None
        # the prefilters of citation and citation_lowercased joined (see _hits)
        pres = (self.cite.pre, self.lowered.pre)
        self.gate = None
        if all(p is not None for p in pres) and len({p.flags for p in pres}) == 1:
            self.gate = regex.compile("|".join(f"(?:{p.pattern})" for p in pres),
                                      pres[0].flags)
        self.issuer_words = rule("ocr.issuer_from_letter").regex
        self._starting: dict[str, Any] = {}

    def words_starting(self, first: str):
        """The ocr.issuer_from_letter pattern restricted to matches starting with
        ``first`` (a look-ahead for that character before it), compiled once."""
        rx = self._starting.get(first)
        if rx is None:
            rx = self.issuer_words
            rx = regex.compile(f"(?={regex.escape(first)})(?:{rx.pattern})", rx.flags)
            if len(self._starting) < 512:
                self._starting[first] = rx
        return rx

    def known_folded(self, codes: set[str]) -> dict[str, str]:
        """{folded code: code} of ``codes`` and the gazetteer's symbol parts (these win),
        built once (a copy: callers may change it)."""
        if self._known_folded is None or self._known_codes != codes:
            known = {c.casefold(): c for c in codes}
            known.update({p.casefold(): p for p in self.parts})
            self._known_folded, self._known_codes = known, set(codes)
        return dict(self._known_folded)


def _tables(grammar: Grammar) -> _Tables:
    cached = grammar.__dict__.get("_references_tables")
    if cached is None:
        cached = grammar.__dict__["_references_tables"] = _Tables(grammar)
    return cached


def _doc_type(before: str, tables: _Tables) -> str | None:
    """The longest type name ``before`` ends with (case aside), or None."""
    low = before.lower()
    if not low.endswith(tables.any_type):
        return None
    return next((t for t, tl in tables.types_lower if low.endswith(tl)), None)


def extract(letter: Letter, grammar: Grammar) -> Letter:

    refs: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str]] = set()
    own = (letter.fields.get("header.number"), (letter.fields.get("header.symbol") or "").replace(" ", ""))
    tables = _tables(grammar)
    cite, cue, own_line = tables.cite, tables.cue, tables.own_line
    fixes, eth, joint, dot = tables.fixes, tables.eth, tables.joint, tables.dot
    term, codes, types = tables.term, tables.codes, tables.types
    used_lines: list[int] = []
    lowered = tables.lowered
    issuer_min, levels = tables.issuer_min, tables.issuer_levels
    letter_codes: dict[str, dict[str, int]] = {}     # first letter -> _letter_codes
    parts = tables.parts
    doubled = tables.doubled
    cue_back, split_back = timed(tables.cue_back.search), timed(tables.split_back.search)
    # date_after is matched at one place: its prefilter (the cue 'ngày' there) would
    # only look at what the pattern's match looks at first
    date_match = timed(tables.date_after.regex.match)
    whole, bounds, line_at = _paragraphs(letter, ZONES)
    # only the paragraphs where a rule's prefilter finds something are searched with it
    # (both rules' prefilters joined: one search over the letter finds them all; each
    # rule checks its own prefilter again in the paragraph)
    hits = _hits(tables.gate, whole, bounds)
    for para in range(len(bounds)) if hits is None else sorted(hits):
        text, anchors = _paragraph_text(letter, whole, bounds[para], line_at)
        first = len(refs)
        try:
            matches = list(cite.finditer(text))
        except TimeoutError:
            letter.warn("references", WarningCode.AMBIGUOUS,
                        "a paragraph too long to search for citations was skipped")
            continue
        for m in matches:
            printed_symbol = m.group("symbol")
            tokens = _TOKEN_SPLIT.split(printed_symbol)
            keep: list[str] = []
            for tok in tokens:
                if not _code_like(tok):
                    break
                keep.append(tok)
            if not keep or not any(sum(map(str.isupper, t)) >= 2 for t in keep):
                continue
            number, year = m.group("number"), m.group("year")
            year = year.replace(" ", "") if year else year      # '201 4' (citation)
            li, col = _where(anchors, m.start())
            if col < 12 and own_line.match(letter.lines[li].text):
                continue
            before = text[max(0, m.start() - 60): m.start()]
            head = split_back(before)
            if head is not None and len(head.group("head")) + len(number) <= 5:
                # 'số 1 18/2025/NĐ-CP', 'số I 002/QĐ-TTg': a space OCR put inside the number
                printed = head.group("head")
                number = printed.translate(_ONE) + number
                letter.correct(f"{printed} {m.group('number')}", number, "references.ocr.split_number",
                               li, col)
                before = before[:head.start("head")]
            if not number.strip("0"):
                continue          # 'Thông tư số 0 /2016/...': no document is numbered 0
            has_cue = cue_back(before) is not None
            before = cue.regex.sub("", before) if has_cue else before.rstrip()
            doc_type = _doc_type(before, tables)
            if len(keep) == 1 and not year and not has_cue and doc_type is None:
                continue          # '4-CTĐT': one code without 'số' or a type is no citation
            # (ocr.dot_in_code needs a '.', ocr.eth a 'Ð': a sub only where they stand)
            base = [dot.regex.sub("", t) if "." in t else t for t in keep]   # 'QL.CL'
            if len(keep) == len(tokens):
                # 'QH 15', 'QHI 5', 'OH14': the legislature's term after QH
                at = m.end("symbol") - len(tokens[-1])
                qh = term.match(text[at: at + len(tokens[-1]) + 8])
                if qh is not None:
                    base[-1] = "QH" + (qh.group("one") and "1" or "") + qh.group("term")
            for printed, after, rid in ((p, a, "ocr.dot_in_code" if "." in p else "ocr.legislature")
                                        for p, a in zip(keep, base) if p != a):
                letter.correct(printed, after, f"references.{rid}", li, col + m.group(0).find(printed))
            fixed = [str(fixes.get(t, t)) for t in base]
            fixed = [eth.regex.sub(str(eth.value["replace"]), t) if "\u00d0" in t else t
                     for t in fixed]
            fixed = [str(fixes.get(t, t)) for t in fixed]
            if year or len(fixed) >= 2:
                fixed[0] = _type_code(fixed[0], codes)
            elif len(fixed) == 1:
                fixed = _split_glued(fixed[0], tables.codes_longest)
            for before, after in zip(base, fixed if len(fixed) == len(base) else ["-".join(fixed)]):
                if before != after:
                    letter.correct(before, after, "references.ocr.type_codes", li,
                                   col + m.group(0).find(before))
            for k in range(1, len(fixed) if len(fixed) == len(base) else 0):
                single = _undoubled(fixed[k], parts, codes, doubled)
                if single is not None:
                    letter.correct(fixed[k], single, "references.ocr.doubled_letter", li,
                                   col + m.group(0).find(base[k]))
                    fixed[k] = single
                if len(fixed[k]) >= issuer_min and fixed[k] not in codes:
                    written = letter_codes.get(fixed[k][0])
                    if written is None:
                        written = letter_codes[fixed[k][0]] = _letter_codes(
                            letter, grammar, fixed[k][0])
                    good = _issuer_from_letter(fixed[k], written, levels)
                    if good is not None:
                        letter.correct(fixed[k], good, "references.ocr.issuer_from_letter", li,
                                       col + m.group(0).find(base[k]))
                        fixed[k] = good
            # the separators as printed, spaces removed: '635-CV/TU', '11/CT-UBND'
            # (each _TOKEN_SPLIT match holds one separator and blanks)
            printed_seps = _TOKEN_SPLIT.findall(printed_symbol)
            seps = [x.strip() for x in printed_seps] or ["-"]
            if year and len(fixed) >= 2 and fixed[0] in codes and seps[0] in "/\u2044":
                # 'số 90/2018/TT/BTC': after the year, type and issuer are joined by '-'
                # (Nghị định 30/2020 Phụ lục I); the '/' is an OCR misreading
                letter.correct("/", "-", f"references.{joint.id}", li, col)
                seps = ["-"] + seps[1:]
            symbol = fixed[0]
            for sep, tok in zip(seps, fixed[1:]):
                symbol += ("/" if sep in "/\u2044" else "-") + tok
            if year:
                symbol = f"{year}/{symbol}"
            if (number, symbol) == own or (own[0] and number == own[0] and own[1]
                                           and symbol == own[1]):
                continue
            key = (number, year, fixed[-1])
            if key in seen or _same_as_earlier(refs, number, symbol):
                continue
            seen.add(key)
            end = m.start() + len(m.group(0)) - (len(printed_symbol) - len(
                _symbol_prefix(tokens, printed_seps, len(keep))))
            refs.append({"number": number, "symbol": symbol,
                         "doc_type": doc_type[0].upper() + doc_type[1:] if doc_type else None,
                         "date": _date_after(text, end, date_match),
                         "text": text[m.start():end], "line": letter.lines[li].raw_no,
                         "_at": m.start()})
            used_lines.append(li)
            line_text = letter.lines[li].text
            letter.add_span(SpanLabel.REFERENCE, li, min(col, len(line_text)),
                            min(col + end - m.start(), len(line_text)))
        if "-" in text:
            _lowercased(letter, grammar, lowered, text, anchors, refs, first, seen, codes, fixes,
                        types, cue, used_lines)
    for r in refs:
        r.pop("_at", None)
    letter.set("references", refs, lines=used_lines)
    _emails(letter, grammar)
    return letter


def _lowercased(letter: Letter, grammar: Grammar, rule, text: str, anchors, refs: list,
                first: int, seen: set, codes: set[str], fixes: dict, types: list[str], cue,
                used_lines: list[int]) -> None:
    """Citations of a lower-cased OCR text whose '/' was lost ('quyết định số 2344
    qđ-bgddt', 'nghị định số 37 2025 nd-cp'; ``references.yaml``: citation_lowercased).
    Each code is written back in capitals as the grammars know it ('qđ' -> QĐ, 'ttg' ->
    TTg, 'bgddt' -> BGDĐT: one 'd' read for 'đ'); the first must be a known type code.
    They are put among the chunk's other citations in text order."""
    if "-" not in text:
        return
    known: dict[str, str] = {}
    for m in rule.finditer(text):
        if not known:  # built at the first match only (most chunks have none)
            known = _tables(grammar).known_folded(codes)
        toks = [t for t in re.split(r"\s*-\s*", m.group("symbol")) if t]
        out = []
        for t in toks:
            form = known.get(t)
            if form is None:
                alts = [t[:k] + "đ" + t[k + 1:] for k, ch in enumerate(t) if ch == "d"]
                hits = [known[a] for a in alts if a in known]
                form = hits[0] if len(hits) == 1 else t.upper()
            out.append(str(fixes.get(form, form)))
        if out[0] not in codes:
            continue
        number, year = m.group("number"), m.group("year")
        symbol = "-".join(out)
        if year:
            symbol = f"{year}/{symbol}"
        key = (number, year, out[-1])
        if key in seen or _same_as_earlier(refs, number, symbol):
            continue
        seen.add(key)
        li, col = _where(anchors, m.start("number"))
        before = cue.regex.sub("", text[max(0, m.start() - 60): m.start("number")])
        doc_type = next((t for t in types if before.lower().endswith(t.lower())), None)
        letter.correct(m.group("symbol"), symbol, "references.citation_lowercased", li, col)
        ref = {"number": number, "symbol": symbol,
               "doc_type": doc_type[0].upper() + doc_type[1:] if doc_type else None,
               "date": None, "text": text[m.start("number"):m.end()],
               "line": letter.lines[li].raw_no, "_at": m.start()}
        at = len(refs)
        while at > first and refs[at - 1].get("_at", -1) > m.start():
            at -= 1
        refs.insert(at, ref)
        used_lines.append(li)
        line_text = letter.lines[li].text
        letter.add_span(SpanLabel.REFERENCE, li, min(col, len(line_text)),
                        min(col + m.end() - m.start("number"), len(line_text)))


def _undoubled(token: str, parts, codes: set[str], rule) -> str | None:
    """An issuer code that OCR wrote with a letter doubled ('UBND-SYTT'), read back as the
    one known code (organs.yaml abbreviations, type codes) left by writing that letter
    once ('SYT'); a known code is kept (``references.yaml``: ocr.doubled_letter)."""
    if token in parts or token in codes or len(token) < 3:
        return None
    hits = {token[:m.start()] + token[m.start() + 1:] for m in rule.finditer(token)}
    hits = [h for h in hits if h in parts]
    return hits[0] if len(hits) == 1 else None


def _letter_codes(letter: Letter, grammar: Grammar, first: str) -> dict[str, int]:
    """The words in capitals the letter writes that start with ``first`` (its own
    symbol's parts, whatever they start with, among them), with how often: {'ĐHQGHN': 5,
    ...} (``references.yaml``: ocr.issuer_from_letter). :func:`_issuer_from_letter`
    reads only the words starting like the token it reads back, and a search pinned to
    one first letter runs ten times faster than the rule's over the whole letter."""
    out: dict[str, int] = {}
    for w in _tables(grammar).words_starting(first).findall(letter.text):
        out[w] = out.get(w, 0) + 1
    own = letter.fields.get("header.symbol") or ""
    for w in _TOKEN_SPLIT.split(own):
        if w:
            out[w] = out.get(w, 0) + 1
    return out


def _issuer_from_letter(token: str, written: dict[str, int],
                        levels: tuple[str, ...] = ()) -> str | None:
    """An issuer code one letter off (not its first or last) from the one code the letter
    writes elsewhere ('1328/QĐ-ĐHQGNN' in a letter of ĐHQGHN), else None; a code the
    letter itself writes is kept, and so is one whose Party level differs (``levels``:
    'BTGTU' cited in a letter of BTGHU)."""
    if written.get(token):
        # the token itself stands elsewhere only if the letter writes it outside this
        # citation too (it is counted once here)
        if written[token] > 1:
            return None
    hits = [w for w in written if len(w) == len(token) and w != token
            and sum(a != b for a, b in zip(w, token)) == 1
            and w[0] == token[0] and w[-1] == token[-1]]
    if len(hits) != 1:
        return None
    mine = next((v for v in levels if token.endswith(v)), None)
    theirs = next((v for v in levels if hits[0].endswith(v)), None)
    return None if mine != theirs else hits[0]


def _type_code(token: str, codes: set[str]) -> str:
    """The type code of a symbol, an OCR-damaged form (a digit read into it, a letter
    doubled: 'Q0Đ', 'QĐĐ') corrected to the nearest known code (rapidfuzz ratio >= 80,
    same first letter)."""
    if token in codes or len(token) < 2:
        return token
    damaged = any(c.isdigit() for c in token) or any(a == b for a, b in zip(token, token[1:]))
    if not damaged:
        return token          # 'BTC' is an issuer, not a damaged 'BC'
    from rapidfuzz import fuzz

    best, score = token, 0.0
    for code in codes:
        if code[0] != token[0] or len(code) < 2:
            continue
        r = fuzz.ratio(token, code)
        if r > score:
            best, score = code, r
    return best if score >= 80 else token


def _split_glued(token: str, codes_longest: list[str]) -> list[str]:
    """'QĐUBND' -> ['QĐ', 'UBND']: a known type code glued to an issuer in capitals
    (``codes_longest``: the type codes, longest first)."""
    for code in codes_longest:
        rest = token[len(code):]
        if len(code) >= 2 and token.startswith(code) and len(rest) >= 2 and rest.isupper():
            return [code, rest]
    return [token]


def _same_as_earlier(refs: list[dict[str, Any]], number: str, symbol: str) -> bool:
    """A later citation of the same document in another OCR form ('4017/TT-BNNMT' after
    '4017/TTr-BNNMT'): same number, symbols alike."""
    same = [r for r in refs if r["number"] == number]
    if not same:
        return False
    from rapidfuzz import fuzz

    return any(fuzz.ratio(r["symbol"], symbol) >= 75 for r in same)


def _symbol_prefix(parts: list[str], seps: list[str], n_tokens: int) -> str:
    """The printed symbol cut after its first ``n_tokens`` code tokens (``parts`` and
    ``seps``: the symbol split at _TOKEN_SPLIT, and what it split at)."""
    out = parts[0]
    for k in range(1, n_tokens):
        out += seps[k - 1] + parts[k]
    return out


def _date_after(text: str, end: int, match) -> str | None:
    """The ISO date printed right after a citation ('... ngày 24/8/2021', 'ngày 17 tháng 3
    năm 2026'; ``match``: the match method of rule ``date_after``), or None."""
    m = match(text[end: end + 40])
    if not m:
        return None
    d, mo, y = int(m.group("day")), int(m.group("month")), int(m.group("year"))
    try:
        return _dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _emails(letter: Letter, grammar: Grammar) -> None:
    rule = grammar.rule("references", "email")
    out: list[str] = []
    lines: list[int] = []
    whole = letter.text
    at = whole.find("@")
    if at < 0:      # no address anywhere (the rule's pattern needs '@')
        letter.set("emails", out, lines=lines)
        return
    marked: list[int] = []      # the lines holding an '@', in order
    while at >= 0:
        i = letter.line_index(at)
        marked.append(i)
        at = whole.find("@", letter.line_start(i) + len(letter.lines[i].text))
    # the marked lines of the wanted zone runs, in the order lines_in walks them
    wanted = {z for z in Zone if z not in (Zone.NOISE, Zone.BLANK)}
    for i, line in ((i, letter.lines[i]) for z in letter.zones if z.label in wanted
                    for i in marked[bisect.bisect_left(marked, z.start):
                                    bisect.bisect_left(marked, z.end)]
                    if letter.lines[i].zone in wanted):
        for m in rule.finditer(line.text):
            email = m.group("email").rstrip(".")
            if email not in out:
                out.append(email)
                lines.append(i)
                letter.add_span(SpanLabel.EMAIL, i, m.start("email"), m.start("email") + len(email))
    letter.set("emails", out, lines=lines)
