"""Extract the header: format, issuer and parent, number and symbol, type, place, date,
subject, urgency and secrecy.

The head of a letter is read line by line (:func:`scan_head`, also used by the segmenter
to label the head zones). Each line is cut into *pieces* in a fixed order, each piece cut
out before the next is looked for, so that a line that OCR flattened from two columns
('VĂN PHÒNG CHÍNH PHỦ CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Số: 3722/VPCP-CN Hà Nội,
ngày ...', 'quốc tế Long Thành ĐỀN Ngày: ...') gives each column its own piece:

1. lines that are not the letter's (e-signature banners, gazette heads): ``header.yaml`` noise;
2. the incoming stamp (``stamps.yaml``): from a stamp mark or field to the line's end;
3. mottos (``mottos.yaml``);
4. in each part left: number and symbol, place and date, urgency and secrecy, the type
   title (``doc_types.yaml``), the subject prefix, a symbol alone, a date continuation,
   rules and debris, an issuer line (``organs.yaml``), or plain text.

A second pass walks the pieces in order and decides which lines are the header, the title
and subject, the stamp and noise, where the head ends, and which values to keep (the
first of each; the issuer is the last issuer line before the first number, date, title or
subject, its parent the one above). Names are read back against the gazetteer
(:mod:`vn_officialdoc.gazetteer`) only where a name is expected, and every change is on
``letter.corrections``. Nothing is invented: what is not found, or not legible, is null.
"""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
import logging
import operator
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import regex

from ..gazetteer import fold, gazetteer, second_syllables, two_syllable_words
from ..grammar import Grammar, timed
from ..labels import DocFormat, SpanLabel, WarningCode, Zone
from ..letter import Letter
from .. import tones
from ..tones import _skeleton, is_letter, whole_words

log = logging.getLogger(__name__)

_STOP_RULES = ("stop.kinh_gui", "stop.can_cu", "stop.opener", "stop.invitation",
               "stop.dated_opening", "stop.article", "stop.enacting", "stop.noi_nhan",
               "stop.item")
#: right under a type title 'Thực hiện ...' is the subject, not the body (see _stops)
_STOP_RULES_AFTER_TITLE = tuple(r for r in _STOP_RULES if r != "stop.opener")
_NUMBER_RULES = ("number.standard", "number.slash_misread", "number.illegible", "number.glued",
                 "number.alone")
_STAMP_RULES = ("stamp.den_boxed", "stamp.den", "stamp.office_portal", "stamp.field")
_SUBJECT_PREFIX = ("subject.vv", "subject.vv_ocr", "subject.ve_viec", "subject.ve")
_NOISE_RULES = ("noise.esign", "noise.gazette", "noise.draft")
#: the part's shapes tried in a row after the subject prefix (all with prefilters)
_SHAPE_RULES = ("symbol.alone", "date.continuation", "noise.rule")
_MARK_RULES = ("urgency.thuong_khan", "urgency.hoa_toc_hen_gio", "urgency.hoa_toc",
               "urgency.khan", "secrecy.tuyet_mat", "secrecy.toi_mat", "secrecy.mat")
_LOWER = regex.compile(r"\p{Ll}")
_LETTER = regex.compile(r"\p{L}")
_TRIM = regex.compile(r"^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$")
_WS = regex.compile(r"\s+")
_WORD = regex.compile(r"\p{L}+")
_WORD_OR_BREAK = regex.compile(r"\p{L}+|\n")
#: the last word or line break before a position (a search from the right)
_LAST_WORD_OR_BREAK = regex.compile(r"(?r)\p{L}+|\n")
_BROKEN = regex.compile(r"[\p{L}\p{N}]-$")
# compiled once (the regex module's own cache of patterns is shared with every module)
_SUBJECT_AFTER_TITLE = regex.compile(r"\s{1,3}\p{Lu}\p{Ll}")
_DASH_END = regex.compile(r"\p{Pd}\s{0,2}$")
_SYMBOL_SPLIT = regex.compile(r"([-/])")
_SYMBOL_PARTS = regex.compile(r"[-/]")
_NON_SPACE = regex.compile(r"\S+")
_START = operator.attrgetter("start")
#: pieces that make a line part of the header proper
HEADER_KINDS = ("motto", "number", "symbol", "date", "date_cont", "organ", "urgency", "secrecy")
#: the kinds of pieces a stamp's office line holds (one of them an organ)
_OFFICE_KINDS = frozenset(("organ", "debris", "text", "stamp"))


@dataclass
class Piece:
    kind: str            # noise, stamp, motto, number, symbol, date, date_cont, title, subject,
    #                      urgency, secrecy, organ, debris, text
    start: int
    end: int
    text: str
    rule: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class HeadLine:
    index: int
    text: str
    pieces: list[Piece]
    #: the kinds of the pieces, read once (the two passes ask for them several times a
    #: line; the pieces of a line are never changed once it is read)
    _kinds: frozenset[str] | None = field(default=None, init=False, repr=False, compare=False)

    def kinds(self) -> frozenset[str]:
        k = self._kinds
        if k is None:
            k = self._kinds = frozenset([p.kind for p in self.pieces])
        return k

    def first(self, kind: str) -> Piece | None:
        if kind not in self.kinds():     # (most questions: a kind the line has not)
            return None
        for p in self.pieces:
            if p.kind == kind:
                return p
        return None

    def has(self, *kinds: str) -> bool:
        return not self.kinds().isdisjoint(kinds)


@dataclass
class HeadScan:
    """What the head of a letter holds: line pieces, zones, and where the head ends."""

    lines: list[HeadLine] = field(default_factory=list)
    zones: dict[int, Zone] = field(default_factory=dict)
    end: int = 0
    issuer_lines: list[tuple[int, Piece]] = field(default_factory=list)
    subject_lines: list[tuple[int, str, int, int]] = field(default_factory=list)
    title: tuple[int, Piece] | None = None
    stamp_lines: list[int] = field(default_factory=list)
    stamp_office: tuple[int, str] | None = None


def _rule(grammar: Grammar, file: str, rule_id: str):
    """``grammar.rule`` with a per-grammar index (it is called for every head line)."""
    try:
        return grammar.__dict__["_header_rule_index"][file, rule_id]
    except KeyError:
        cache = grammar.__dict__.setdefault("_header_rule_index", {})
        rule = cache[file, rule_id] = grammar.rule(file, rule_id)
        return rule


def _gate(grammar: Grammar, file: str, ids: tuple[str, ...] | None
          ) -> tuple["regex.Pattern | None", bool]:
    rules = grammar.rules(file) if ids is None else [grammar.rule(file, i) for i in ids]
    if rules and all(r.pre is not None and set(r.rule.flags) <= {"i"} for r in rules):
        joined = _joined_prefilters(rules)
        if joined is not None:
            return joined, False
    return grammar.any_of(file, ids), True


def _joined_prefilters(rules: list) -> "regex.Pattern | None":
    """The prefilters of ``rules`` (all with one, flags at most 'i') as one pattern that
    finds something iff one of them does; None if it does not compile."""
    # each prefilter keeps its rule's ignore-case flag on its own alternative
    parts = [f"(?i:{r.pre.pattern})" if "i" in r.rule.flags else f"(?:{r.pre.pattern})"
             for r in rules]
    try:
        # (rules sharing a prefilter give it once: the number rules all have one)
        return regex.compile("|".join(dict.fromkeys(parts)), regex.V0 | regex.UNICODE)
    except regex.error:
        return None


def _anchored(pattern: str) -> bool:
    """Whether a pattern only matches at the start of a text: it begins with '^' and has
    no alternation outside groups (no multi-line flag: the grammar's prefilters have
    none, and _gate takes flags 'i' only)."""
    if not pattern.startswith("^"):
        return False
    depth, i, n = 0, 1, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            j = i + 1
            while j < n and (pattern[j] != "]" or j == i + 1):
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return False
        i += 1
    return True


#: escapes that stand for one character of a class (never a literal letter)
_CLASS_ESCAPE = regex.compile(r"\\(?:[pP]\{[^{}]*\}|[sSdDwW])")
_QUANTIFIER = regex.compile(r"\{\d*(?:,\d*)?\}\+?|[?*+]\+?")


def _required_literals(pattern: str) -> tuple[str, ...] | None:
    """The runs of plain characters a pattern holds at its top level, each of which
    every text it matches contains ('TH\\p{Lu}NG\\s{1,3}B\\p{Lu}O' -> 'TH', 'NG', 'B',
    'O'); None when the pattern is not a simple sequence (a top-level alternation,
    inline flags): a cheap test read from the grammar itself for rules without a
    prefilter. Anything this reading does not know ends a run, so a run is never
    more than the pattern requires."""
    runs: list[str] = []
    run = ""
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        q = _QUANTIFIER.match(pattern, i + 1)
        if ch == "|" or pattern.startswith("(?i", i) or pattern.startswith("(?x", i):
            return None
        if ch.isalnum() or ch in " ,:;-/'\"":
            if q is not None and not q.group(0).startswith(("{1", "+")):
                runs.append(run)          # an optional character ends the run
                run = ""
            elif q is not None:
                runs.append(run + ch)     # at least once: the run ends with it
                run = ""
            else:
                run += ch
            i = q.end() if q is not None else i + 1
            continue
        runs.append(run)
        run = ""
        if ch == "\\":
            m = _CLASS_ESCAPE.match(pattern, i)
            i = m.end() if m is not None else i + 2
        elif ch == "[":
            j = i + 1
            while j < n and pattern[j] != "]" or j == i + 1:
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
        elif ch == "(":
            depth, j = 0, i
            while j < n:
                if pattern[j] == "\\":
                    j += 2
                    continue
                if pattern[j] == "(":
                    depth += 1
                elif pattern[j] == ")":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            i = j + 1                     # nothing is read inside a group
        else:
            i += 1
        q = _QUANTIFIER.match(pattern, i)
        if q is not None:
            i = q.end()
    runs.append(run)
    return tuple(r for r in runs if r)


def _candidates(grammar: Grammar, file: str, ids: tuple[str, ...] | None, text: str) -> list:
    """The rules of ``file`` (or the rules ``ids``) that can match ``text``, in order:
    those without every plain run of their pattern in the text (``_required_literals``,
    for rules without flags) cannot match and are not searched."""
    cache = grammar.__dict__.setdefault("_header_literals", {})
    key = (file, ids)
    groups = cache.get(key)
    if groups is None:
        found = _literal_groups(
            grammar.rules(file) if ids is None else [grammar.rule(file, i) for i in ids])
        groups = cache[key] = ([first for first, _ in found], dict(found))
    firsts, members_of = groups
    has = text.__contains__
    out = []
    for first in filter(has, firsts):     # (the runs found in the text, in order)
        # (members: the rules whose longest run is ``first``, with their rank; the other
        # runs of most rules are few, or none: None then)
        for m in members_of[first]:
            if m[2] is None or all(map(has, m[2])):
                out.append(m)
    if len(out) > 1:
        out.sort(key=_RANK)
    return [m[1] for m in out]


_RANK = operator.itemgetter(0)


def _literal_groups(rules: list) -> list[tuple[str, list[tuple[int, Any, tuple[str, ...]]]]]:
    """The rules grouped by the longest plain run of their pattern (tested first: it rules
    out most rules on its own, and once for all the rules that share it), in the order
    the runs first appear: [(run, [(rank of the rule, rule, its other runs), ...])]. A
    run inside the longest one is not tested again; a rule without runs (or with flags)
    has the run '' (found in every text)."""
    groups: dict[str, list] = {}
    for rank, r in enumerate(rules):
        lits = sorted(_required_literals(r.regex.pattern) or (), key=len, reverse=True) \
            if r.regex is not None and not r.rule.flags else []
        first = lits[0] if lits else ""
        more = tuple(dict.fromkeys(x for x in lits[1:] if x not in first))
        groups.setdefault(first, []).append((rank, r, more or None))
    return list(groups.items())


# --------------------------------------------------------------------------------------
# pieces of one line
# --------------------------------------------------------------------------------------
def _mask(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``text`` outside ``spans`` (sorted, non-empty after stripping)."""
    if not spans:                        # (most lines: the whole line, stripped)
        lead = len(text) - len(text.lstrip())
        trail = len(text.rstrip())
        return [(lead, trail)] if trail > lead else []
    parts, pos = [], 0
    for s, e in sorted(spans):
        if s > pos:
            parts.append((pos, s))
        pos = max(pos, e)
    if pos < len(text):
        parts.append((pos, len(text)))
    out = []
    for s, e in parts:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


def _is_upper_text(text: str, max_lower: int) -> bool:
    """At least 4 letters and at most ``max_lower`` lower-case ones (each count is one
    search that stops as soon as it is known: n letters in a row, anything between)."""
    if _FOUR_LETTERS.search(text) is None:
        return False
    return _lowers(max_lower + 1).search(text) is None


#: four letters, anything but letters between them (found iff the text has 4 letters)
_FOUR_LETTERS = regex.compile(r"\p{L}(?:\P{L}*\p{L}){3}")
_LOWERS: dict[int, "regex.Pattern"] = {1: _LOWER}


def _lowers(n: int) -> "regex.Pattern":
    """A pattern found in a text iff it has at least ``n`` lower-case letters."""
    found = _LOWERS.get(n)
    if found is None:
        found = _LOWERS[n] = regex.compile(r"\p{Ll}(?:\P{Ll}*\p{Ll}){%d}" % (n - 1))
    return found


def _title_in(seg: str, grammar: Grammar, beside_motto: bool = False
              ) -> tuple[Any, int, int] | None:
    """A type title in a part of a line: the whole part, its start (then the subject
    follows in mixed case), or its end (after stamp debris)."""
    # (a part that starts and ends with a letter or a decimal digit has nothing to trim)
    a, z = seg[:1], seg[-1:]
    core = seg if ((a.isalpha() or a.isdecimal()) and (z.isalpha() or z.isdecimal())
                   ) else _TRIM.sub("", seg)
    if not core or core.isspace():   # (\x1c-\x1f: space to Python, not to the pattern)
        return None
    # (the first and the last word, without splitting the whole part)
    if not (core.split(None, 1)[0].isupper() or core.rsplit(None, 1)[-1].isupper()):
        return None                      # titles are printed in capitals
    off = seg.find(core)
    # only the titles whose plain letters are all in the part are searched
    found = [(rule, m) for rule in _candidates(grammar, "doc_types", None, core)
             for m in (rule.search(core),) if m]
    for rule, m in found:
        if m.start() == 0 and m.end() == len(core):
            return rule, off, off + len(core)
    for rule, m in found:
        if (m.start() == 0 and " " in m.group(0)
                and _SUBJECT_AFTER_TITLE.match(core[m.end():])):
            return rule, off, off + m.end()
        if (m.start() == 0 and " " in m.group(0) and not beside_motto and seg.strip() == core
                and core.isupper() and not _unit_line(core, grammar)):
            return rule, off, off + len(core)     # a longer title: 'THÔNG BÁO KẾT LUẬN'
        if (" " in m.group(0) and m.end() == len(core) and m.start() > 0
                and core[m.start() - 1].isspace()
                and not core[:m.start()].rstrip().endswith(("-", "–"))
                and not _names_organ(core, grammar)):
            # (not the end of an organ's name: 'PHÒNG TÀI CHÍNH - KẾ HOẠCH')
            return rule, off + m.start(), off + m.end()
    return None


def _unit_line(text: str, grammar: Grammar) -> bool:
    """A line that is an administrative unit and a place of the gazetteer ('PHƯỜNG AN
    HẢI BẮC', which reads like 'PHƯƠNG ÁN' with one mark misread): an issuer line, not
    a longer type title (``organs.yaml``: organ.unit_only, organ.admin_unit)."""
    if _rule(grammar, "organs", "organ.unit_only").fullmatch(text) is None:
        return False
    m = _rule(grammar, "organs", "organ.admin_unit").search(text)
    return m is not None and bool(gazetteer(grammar).places.get(fold(m.group("place"))))


class _HeadRules:
    """The rules the line reading tries on every head line, looked up once per grammar
    (an attribute read instead of an index look-up for each rule on each line), with the
    gates of their groups (:func:`_gate_test`)."""

    def __init__(self, grammar: Grammar) -> None:
        rule = grammar.rule
        # rules tried in a row on most lines get one gate for the row too: the joined
        # prefilters, one search where there would be one for each rule
        self.noise_gate = _gate_test(grammar, "header", _NOISE_RULES)
        self.noise = [(rid, rule("header", rid)) for rid in _NOISE_RULES]
        self.stamp_gate = _gate_test(grammar, "stamps", _STAMP_RULES)
        self.den_boxed = rule("stamps", "stamp.den_boxed")
        self.den = rule("stamps", "stamp.den")
        self.office_portal = rule("stamps", "stamp.office_portal")
        self.field = rule("stamps", "stamp.field")
        self.motto_gate = _gate_test(grammar, "mottos", None)
        self.mottos = grammar.rules("mottos")
        self.after_issuer = rule("header", "number.after_issuer")
        self.after_issuer_pre = _prefilter_test(self.after_issuer)
        self.number_gate = _gate_test(grammar, "header", _NUMBER_RULES)
        self.numbers = [(rid, rule("header", rid)) for rid in _NUMBER_RULES]
        self.date_gate = _gate_test(grammar, "header", ("date.full", "date.place_only"))
        self.date_full = rule("header", "date.full")
        self.place_only = rule("header", "date.place_only")
        self.subject_gate = _gate_test(grammar, "header", _SUBJECT_PREFIX)
        self.subjects = [(rid, rule("header", rid)) for rid in _SUBJECT_PREFIX]
        self.shape_gate = _gate_test(grammar, "header", _SHAPE_RULES)
        self.symbol_alone = rule("header", "symbol.alone")
        self.date_cont = rule("header", "date.continuation")
        self.noise_rule = rule("header", "noise.rule")
        self.noise_debris = rule("header", "noise.debris")
        self.organ = rule("organs", "organ.line")
        self.organ_pre = _prefilter_test(self.organ)
        self.organ_max_lower = int((self.organ.value or {}).get("max_lower", 2))
        #: the urgency and secrecy patterns joined (a part is one of them iff it fullmatches)
        self.marks_any = grammar.any_of("header", _MARK_RULES)
        self.beside_motto = rule("organs", "organ.beside_motto")
        self.stops = {after: (_gate_test(grammar, "header", ids), [rule("header", i) for i in ids])
                      for after, ids in ((False, _STOP_RULES), (True, _STOP_RULES_AFTER_TITLE))}


def _prefilter_test(rule) -> Any:
    """``rule``'s prefilter as a test of a text (truthy when the rule may find something
    there: the rule's own first step, without the call through the rule). For a rule
    without flags, the plain runs of the prefilter (``_required_literals``) are looked
    for first with str.__contains__, far cheaper than a search ('S' of 'Số')."""
    if rule.pre is None:
        return lambda text: True
    search = rule.pre.search
    runs = _required_literals(rule.pre.pattern) if not rule.rule.flags else None
    if not runs:
        return search
    return lambda text: all(run in text for run in runs) and search(text)


def _head_rules(grammar: Grammar) -> _HeadRules:
    rules = grammar.__dict__.get("_head_rules")
    if rules is None:
        rules = grammar.__dict__["_head_rules"] = _HeadRules(grammar)
    return rules


def _gate_test(grammar: Grammar, file: str, ids: tuple[str, ...] | None):
    """A test of whether some rule of ``file`` (or the rules ``ids`` of it) can find
    something in a text (truthy then): a cheap test before the rules are tried one by
    one. When every rule has a prefilter, it is their prefilters joined, searched
    without a time limit as each prefilter is (a line of the head is tried against
    every group of rules, and a pattern searched with a time limit costs a clock
    reading or two); otherwise the rules' patterns joined (``grammar.any_of``), with
    the time limit."""
    rules = grammar.rules(file) if ids is None else [grammar.rule(file, i) for i in ids]
    if rules and all(r.pre is not None and set(r.rule.flags) <= {"i"} for r in rules):
        # prefilters anchored at the start and prefilters found anywhere, joined in one
        # pattern, cost more than the two kinds joined apart (the anchored alternatives
        # are then tried at every position: stamps.yaml): two searches then
        anchored = [r for r in rules if _anchored(r.pre.pattern)]
        if anchored and len(anchored) < len(rules):
            first = _joined_prefilters(anchored)
            then = _joined_prefilters([r for r in rules if r not in anchored])
            if first is not None and then is not None:
                return lambda text: first.search(text) or then.search(text)
    pattern, needs_limit = _gate(grammar, file, ids)
    if pattern is None:
        return lambda text: True
    if needs_limit:
        return lambda text: timed(pattern.search)(text)
    firsts = _leading_chars(rules)
    if firsts:
        # (no ',' nor '.' in most parts: the date's prefilters are not searched there)
        search = pattern.search
        return lambda text: any(map(text.__contains__, firsts)) and search(text)
    return pattern.search


#: a pattern's first element: a plain character or a class of plain characters
_LEADING = regex.compile(r"\[([^\]\\^\-\[]+)\]|([^\\\[\](){}|.*+?^$])")


def _leading_chars(rules: list) -> tuple[str, ...] | None:
    """The characters one of which every text that some rule's prefilter finds holds:
    the union of each prefilter's first element, when that is a plain character or a
    class of plain characters, and never optional (no alternation at the top level, no
    quantifier allowing none); under flag 'i' only characters without case. None when
    some prefilter does not start so."""
    chars: set[str] = set()
    for r in rules:
        pattern = r.pre.pattern
        m = _LEADING.match(pattern)
        if m is None or _required_literals(pattern) is None:
            return None
        q = _QUANTIFIER.match(pattern, m.end())
        if q is not None and not q.group(0).startswith(("{1", "+")):
            return None
        first = set(m.group(1) or m.group(2))
        if "i" in r.rule.flags and any(c.lower() != c or c.upper() != c or c.casefold() != c
                                       for c in first):
            return None
        chars |= first
    return tuple(sorted(chars))


def analyse_line(index: int, text: str, grammar: Grammar, stamp_ctx: bool,
                 hr: _HeadRules | None = None) -> HeadLine:
    """Cut one head line into pieces (see the module doc for the order); ``hr``: the
    grammar's head rules when the caller has them."""
    if hr is None:
        hr = _head_rules(grammar)
    for rid, rule in hr.noise if hr.noise_gate(text) else ():
        if rule.search(text):
            return HeadLine(index, text, [Piece("noise", 0, len(text), text, rid)])
    pieces: list[Piece] = []
    taken: list[tuple[int, int]] = []
    # (_take, not a closure made for every line: most lines take nothing)
    # the stamp (its rules tried one by one only when one of them finds something)
    if hr.stamp_gate(text):
        m = hr.den_boxed.search(text)
        if m:
            _take(pieces, taken, text, "stamp", m.start(), m.end(), "stamp.den_boxed",
                  {"mark": True})
        else:
            m = hr.den.search(text)
            if m:
                _take(pieces, taken, text, "stamp", m.start(), len(text), "stamp.den",
                      {"mark": True})
        for m in hr.office_portal.finditer(text):
            if not any(s <= m.start() < e for s, e in taken):
                _take(pieces, taken, text, "stamp", m.start(), m.end(),
                      "stamp.office_portal", {"office": True})
        for m in hr.field.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            head = m.group(0)[:1]
            if head == "N" and not (stamp_ctx or any(p.kind == "stamp" for p in pieces)):
                continue                 # 'Ngày ...' only on or right under a stamp line
            if head == "S" and not (stamp_ctx and not text[:m.start()].strip()):
                continue                 # 'Số: 1234' only opening a line under a stamp line
            _take(pieces, taken, text, "stamp", m.start(), len(text), "stamp.field", {})
            break
    # mottos (not the words of a subject line: 'V/v kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam')
    merged: bool | str = False
    if hr.motto_gate(text):                # (no motto anywhere on the line otherwise)
        for rule in hr.mottos:
            for m in rule.finditer(text):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if not _is_upper_text(m.group(0), 0) and any(
                        r.search(text[:m.start()]) for _, r in hr.subjects):
                    continue
                _take(pieces, taken, text, "motto", m.start(), m.end(), rule.id,
                      dict(**(rule.value or {})))
        mottos = [p for p in pieces if p.kind == "motto"]
        # "lower" when the mottos themselves are lower-cased (a lower-cased OCR text)
        merged = bool(mottos) and (
            "lower" if not any(ch.isupper() for p in mottos for ch in p.text) else True)
    # the parts left
    for s, e in _mask(text, taken):
        _analyse_part(text, s, e, grammar, pieces, merged, hr)
    if len(pieces) > 1:
        pieces.sort(key=_START)
    return HeadLine(index, text, pieces)


def _take(pieces: list[Piece], taken: list[tuple[int, int]], text: str, kind: str, s: int,
          e: int, rule: str | None, data: dict[str, Any]) -> None:
    """A piece of ``text[s:e]`` cut out of the line (no other piece is looked for there)."""
    pieces.append(Piece(kind, s, e, text[s:e], rule, data))
    taken.append((s, e))


def _analyse_part(text: str, s: int, e: int, grammar: Grammar, pieces: list[Piece],
                  merged: bool | str, hr: _HeadRules) -> None:
    seg = text[s:e]
    pos = 0
    # an issuer line and the number flattened onto one line: 'BAN DÂN VẬN Số 234-CV/BDVTU'
    # (the rule's prefilter tried here first, as the rule would: most parts have none)
    so = hr.after_issuer.search(seg) if hr.after_issuer_pre(seg) else None
    if so and so.start("so") > 0:
        left = seg[:so.start("so")]
        if _is_upper_text(left, 0) and _number_at(seg[so.start("so"):], hr):
            _analyse_rest(text, s, s + so.start("so"), grammar, pieces, merged, hr)
            _analyse_part(text, s + so.start("so"), e, grammar, pieces, merged, hr)
            return
    # number and symbol at the start of the part
    for rid, rule in hr.numbers if hr.number_gate(seg) else ():  # (no number in the part)
        m = rule.search(seg)
        if m:
            gd = m.groupdict()
            pieces.append(Piece("number", s + m.start(), s + m.end(), m.group(0), rid,
                                {"number": gd.get("number"), "symbol": gd.get("symbol"),
                                 "illegible": rid in ("number.illegible", "number.glued"),
                                 "sym_at": s + m.start("symbol") if gd.get("symbol") else None}))
            pos = m.end()
            break
    rest = seg[pos:]
    if not rest.strip():
        return
    base = s + pos
    # place and date
    m = None
    rid = "date.full"
    if hr.date_gate(rest):
        m = hr.date_full.search(rest)
        if m is None:
            m = hr.place_only.search(rest)
            rid = "date.place_only"
    if m:
        end = m.end() if rid == "date.full" else len(rest)
        shift = _place_shift(m.group("place"))
        start = m.start() + shift
        pieces.append(Piece("date", base + start, base + end, rest[start:end], rid,
                            {**m.groupdict(), "place": m.group("place")[shift:],
                             "place_at": base + m.start("place") + shift}))
        if rest[:start].strip():
            _analyse_rest(text, base, base + start, grammar, pieces, merged, hr)
        if end < len(rest) and rest[end:].strip():
            # the other column after the date: 'Hà Nội, ngày ... Số: 12/UBND'
            _analyse_part(text, base + end, e, grammar, pieces, merged, hr)
        return
    _analyse_rest(text, base, e, grammar, pieces, merged, hr)


def _number_at(seg: str, hr: _HeadRules) -> bool:
    return any(rule.search(seg) for _, rule in hr.numbers[:-1])


def _analyse_rest(text: str, s: int, e: int, grammar: Grammar, pieces: list[Piece],
                  merged: bool | str, hr: _HeadRules) -> None:
    seg = text[s:e]
    lead = len(seg) - len(seg.lstrip())
    s += lead
    seg = seg.strip()
    if not seg:
        return
    # the marks' patterns joined: one call tells a part that is none of them (most parts)
    marks = hr.marks_any
    for rule in (_candidates(grammar, "header", _MARK_RULES, seg)   # the marks' letters
                 if marks is None or timed(marks.fullmatch)(seg) else ()):
        if rule.fullmatch(seg):
            rid = rule.id
            kind = rid.split(".")[0]
            pieces.append(Piece(kind, s, s + len(seg), seg, rid,
                                {"canonical": (rule.value or {}).get("canonical")}))
            return
    t = _title_in(seg, grammar, bool(merged))
    if t:
        rule, ts, te = t
        pieces.append(Piece("title", s + ts, s + te, seg[ts:te], rule.id, dict(rule.value or {})))
        after = seg[te:]
        if after.strip():
            off = te + len(after) - len(after.lstrip())
            pieces.append(Piece("subject", s + off, s + len(seg), seg[off:], None, {}))
        return
    for rid, rule in hr.subjects if hr.subject_gate(seg) else ():  # no trích yếu prefix
        m = rule.search(seg)
        if m:
            pieces.append(Piece("subject", s + m.start("prefix"), s + len(seg),
                                seg[m.start("prefix"):], rid,
                                {"prefix": m.group("prefix"), "prefix_end": s + m.end("prefix"),
                                 "canonical": (rule.value or {}).get("canonical")}))
            return
    if hr.shape_gate(seg):       # a symbol alone, a date continuation, a rule
        m = hr.symbol_alone.fullmatch(seg)
        if m:
            pieces.append(Piece("symbol", s + m.start("symbol"), s + m.end("symbol"),
                                m.group("symbol"), "symbol.alone", {}))
            return
        if hr.date_cont.fullmatch(seg):
            pieces.append(Piece("date_cont", s, s + len(seg), seg, "date.continuation", {}))
            return
        if hr.noise_rule.fullmatch(seg):
            pieces.append(Piece("debris", s, s + len(seg), seg, "noise.rule", {}))
            return
    if hr.noise_debris.fullmatch(seg):
        pieces.append(Piece("debris", s, s + len(seg), seg, "noise.debris", {}))
        return
    # (the rule's prefilter, then the capitals, then the rule: a text line in mixed case
    # that opens with a capital passes the prefilter, and the whole pattern then reads it)
    if (hr.organ_pre(seg) and (merged or _is_upper_text(seg, hr.organ_max_lower))
            and hr.organ.fullmatch(seg)) or (
            merged and hr.beside_motto.fullmatch(seg)
            and (seg.lstrip()[:1].isupper() or merged == "lower")):
        pieces.append(Piece("organ", s, s + len(seg), seg, "organ.line", {"merged": merged}))
        return
    pieces.append(Piece("text", s, s + len(seg), seg, None, {}))


# --------------------------------------------------------------------------------------
# the head of a letter
# --------------------------------------------------------------------------------------
def _stops(text: str, grammar: Grammar, after_title: bool = False) -> bool:
    """Whether the line opens the body. Right under a type title, a line opening with
    'Thực hiện ...' is the title's subject (S004), not the body."""
    gate, rules = _head_rules(grammar).stops[bool(after_title)]
    if not gate(text):
        return False                     # none of the stop rules finds anything
    return any(rule.search(text) for rule in rules)


def scan_head(letter: Letter, grammar: Grammar) -> HeadScan:
    """Read the head of the letter (cached on the letter)."""
    cached = letter.fields.get("_head_scan")
    if isinstance(cached, HeadScan):
        return cached
    scan = _scan(letter, grammar)
    letter.fields["_head_scan"] = scan
    return scan


def _scan(letter: Letter, grammar: Grammar) -> HeadScan:
    scan = HeadScan()
    para = _rule(grammar, "header", "stop.paragraph")
    min_chars = int((para.value or {}).get("min_chars", 60))
    max_chars = int((para.value or {}).get("max_head_chars", 4000))
    max_lines = int((para.value or {}).get("max_head_lines", 150))
    # pass 1: pieces of every line up to a line that opens the body
    stamp_ctx = False
    evidence = False
    after_title = False
    hr = _head_rules(grammar)
    stops = hr.stops                     # (_stops, its rules looked up once a letter)
    for i, line in enumerate(letter.lines):
        text = line.text[:max_chars]
        if not text or text.isspace():   # (a blank line: not text.strip(), without the copy)
            continue
        gate, rules = stops[after_title]
        if gate(text) and any(rule.search(text) for rule in rules):
            break
        if len(scan.lines) >= max_lines:
            break
        hl = analyse_line(i, text, grammar, stamp_ctx, hr)
        kinds = hl.kinds()
        if not evidence and kinds.isdisjoint((
                "motto", "number", "date", "title", "organ", "subject", "stamp", "noise",
                "debris", "symbol", "urgency", "secrecy")):
            if len(text) >= min_chars and para.search(text):
                break
        if not kinds.isdisjoint(("motto", "number", "date", "title", "subject", "organ")):
            evidence = True
        scan.lines.append(hl)
        stamp_ctx = "stamp" in kinds
        if kinds.isdisjoint(("stamp", "noise", "debris")):
            after_title = "title" in kinds and "subject" not in kinds
    _walk(scan, grammar)
    return scan


def _as_subject_text(hl: HeadLine, content: list[Piece]) -> list[Piece]:
    texts = [p for p in content if p.kind in ("text", "subject")]
    demote = [p for p in content if p.kind == "date_cont"
              or (p.kind == "motto" and (texts or p.start > 0 or hl.has("debris"))
                  and not _is_upper_text(p.text, 0))]
    if not demote or len(demote) + len(texts) != len(content):
        return content
    # (debris beside them, '(3/2/1930 - 3/2/2025)', is part of the subject's words too)
    kept = [p for p in hl.pieces if p.kind not in ("stamp", "noise")]
    s = min(p.start for p in kept)
    e = max(p.end for p in kept)
    return [Piece("text", s, e, hl.text[s:e], None, {})]


def _last_word(hl: HeadLine, prev: str, above: "itertools.islice[HeadLine]",
               grammar: Grammar) -> Piece | None:
    """The last word of a wrapped subject alone on its line ('COVID-19', '19' after
    'Covid -'), which the line reading took for a symbol or debris
    (``header.yaml``: subject.last_word): one token, right under a subject line that ends
    in a dash, or (a token with letters) one at least value.min_prev_chars long; a
    symbol only when the number line above already had its own."""
    if not prev:
        return None
    pieces = [p for p in hl.pieces if p.kind not in ("stamp", "noise")]
    if len(pieces) != 1 or pieces[0].kind not in ("debris", "symbol", "text"):
        return None
    p = pieces[0]
    rule = _rule(grammar, "header", "subject.last_word")
    m = rule.fullmatch(p.text)
    if m is None:
        return None
    min_prev = int((rule.value or {}).get("min_prev_chars", 60))
    dash = _DASH_END.search(prev) is not None
    if not (dash or (len(prev) >= min_prev and _LETTER.search(p.text))):
        return None                       # a lone number only after a dash ('Covid -' / '19')
    if p.kind == "symbol" and not any(q.kind == "number" and q.data.get("symbol")
                                      for h in above for q in h.pieces):
        return None
    return Piece("text", p.start, p.end, p.text, rule.id, {})


def _capitals_line(text: str, grammar: Grammar) -> bool:
    """Two words or more in capitals (at most one lower-case letter: OCR debris), which
    never go on with a subject printed in lower case (``header.yaml``:
    subject.capitals_line)."""
    return _is_upper_text(text, 1) and _rule(grammar, "header", "subject.capitals_line"
                                             ).search(text) is not None


def _more_header(lines: list[HeadLine], k: int, scan: HeadScan) -> bool:
    """Whether a line after ``lines[k]`` holds a number, date, motto or title of a kind
    not seen up to ``k``."""
    seen = {p.kind for hl in lines[:k] for p in hl.pieces}
    want = {"number", "date", "motto", "title"} - seen
    return bool(want) and any(p.kind in want for hl in lines[k + 1:] for p in hl.pieces)


def _capital_subject_start(hl: HeadLine, content: list[Piece], below: list[HeadLine],
                           lower: Any, grammar: Grammar, scan: HeadScan) -> list[Piece]:
    """The first line under the type title, in capitals, read as an issuer or as another
    type title ('THÔNG BÁO' / 'KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY' / 'về công tác ...'),
    is the start of the subject when the line right below it goes on in lower case (the
    rest of the trích yếu, ``header.yaml``: subject.lower_start), or when it is right under
    the title and names neither an organ nor a signer's title (a trích yếu printed all in
    capitals: 'ĐỀ ÁN' / 'PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG ...'; not 'BỘ TRƯỞNG BỘ ...')."""
    if not content or any(p.kind not in ("organ", "title") for p in content):
        return content
    nxt = [p for p in below[0].pieces if p.kind not in ("stamp", "noise", "debris")] \
        if below else []
    lower_below = (bool(below) and below[0].index == hl.index + 1 and bool(nxt)
                   and nxt[0].kind in ("text", "subject") and lower.search(nxt[0].text))
    if not lower_below and not (
            scan.title is not None and scan.title[0] == hl.index - 1
            and len(content) == 1 and content[0].kind == "organ"
            and not _names_organ(content[0].text, grammar)
            and _signer_title(content[0].text, grammar) is None):
        return content
    s, e = content[0].start, content[-1].end
    return [Piece("text", s, e, hl.text[s:e], None, {})]


def _capitals_going_on(hl: HeadLine, content: list[Piece], scan: HeadScan,
                       grammar: Grammar) -> bool:
    """Right under a subject line in capitals, a line read as an organ that names no
    organ (no local or central organ name opens it) goes on with the subject."""
    if (len(content) != 1 or content[0].kind != "organ" or not scan.subject_lines
            or scan.subject_lines[-1][0] != hl.index - 1
            or _LOWER.search(scan.subject_lines[-1][1])):
        return False
    return not _names_organ(content[0].text, grammar)


def _names_organ(text: str, grammar: Grammar) -> bool:
    """A local or central organ's name opens ``text`` (marks aside)."""
    words = fold(text).split()
    local, central = _local_names(grammar), gazetteer(grammar).organs
    return any(" ".join(words[:n]) in local or " ".join(words[:n]) in central
               for n in range(1, min(len(words), 8) + 1))


def _signer_title(text: str, grammar: Grammar) -> Any:
    """The signer's title that opens ``text`` ('BỘ TRƯỞNG BỘ ...', 'CHỦ TỊCH ...'), if any
    (``signature.yaml``: title.heads)."""
    from .tail import match_title

    return match_title(text, grammar)


def _cited_number(hl: HeadLine, content: list[Piece], above: list[HeadLine],
                  lower: Any) -> bool:
    """A line inside the subject that starts in lower case and holds a number ('số
    22/2021/TT-BGDĐT ...') when the letter's own number was read above it."""
    return (bool(content) and any(p.kind == "number" for p in content)
            and lower.search(content[0].text) is not None
            and any(p.kind == "number" for h in above for p in h.pieces))


def _sentence(hl: HeadLine, para: Any, min_chars: int) -> bool:
    """The line opens with running text of ``min_chars`` or more that reads as a
    paragraph (``header.yaml``: stop.paragraph): a capital, then lower case."""
    first = next((p for p in hl.pieces if p.kind not in ("stamp", "noise", "debris")), None)
    return (first is not None and first.kind == "text" and len(first.text) >= min_chars
            and para.search(first.text) is not None)


def _add_subject(scan: HeadScan, i: int, p: Piece, nxt: HeadLine | None,
                 grammar: Grammar) -> bool:
    """A subject line's text, without the stamp's office name that OCR read at its end
    ('V/v ... chất SỞ NỘI VỤ TỈNH CAO BẰNG' over 'lượng ... ĐẾN Số: 2231')."""
    end = p.end
    heading = _rule(grammar, "header", "subject.kinh_gui_inside").search(p.text, 1)
    if heading is not None:
        # 'Về việc ... Kính gửi: Các đơn vị ...': the recipients' heading read onto the
        # subject's line ends the subject there (the addressees are not read from it)
        scan.subject_lines.append((i, p.text[:heading.start()].rstrip(), p.start,
                                   p.start + len(p.text[:heading.start()].rstrip())))
        return True
    if nxt is not None and any(q.kind == "stamp" and q.data.get("mark") for q in nxt.pieces):
        m = _rule(grammar, "header", "subject.stamp_office_end").search(p.text)
        if m is not None and _LOWER.search(p.text[:m.start()]):
            office = p.text[m.start():].strip()
            scan.stamp_office = scan.stamp_office or (i, office)
            end = p.start + m.start()
    scan.subject_lines.append((i, p.text[:end - p.start], p.start, end))
    return False


def _office_before_mark(hl: HeadLine) -> bool:
    """The stamp's office and its mark on one line: 'SỞ TÀI CHÍNH ĐẾN Số: 401'."""
    org = hl.first("organ")
    return org is not None and any(p.kind == "stamp" and p.data.get("mark")
                                   and p.start >= org.end for p in hl.pieces)


def _any_header(lines: list[HeadLine], k: int) -> bool:
    """Whether a line after ``lines[k]`` holds a header part, a title or a subject."""
    return any(hl.has(*HEADER_KINDS, "title", "subject") for hl in lines[k + 1:])


def _walk(scan: HeadScan, grammar: Grammar) -> None:
    """Pass 2: zones, the end of the head, and the pieces that hold the values."""
    lines = scan.lines
    # an e-signature banner before the header: everything above its last line is banner
    first_ev = next((k for k, hl in enumerate(lines)
                     if hl.has("motto", "number", "date", "title")), len(lines))
    last_noise = max((k for k in range(first_ev) if lines[k].has("noise")), default=-1)
    ratio = float((_rule(grammar, "header", "subject.capital_start").value or {})
                  .get("max_width_ratio", 1.5))
    lower = _rule(grammar, "header", "subject.lower_start")
    capital = _rule(grammar, "header", "subject.capital_start")
    open_end = _rule(grammar, "header", "subject.open_end")

    para = _rule(grammar, "header", "stop.paragraph")
    min_chars = int((para.value or {}).get("min_chars", 60))
    seen_main = False        # a number, date, title or subject has been seen
    seen_other = False       # a number, title or subject has been seen
    issuer_at = -1           # the last issuer line (its index in ``lines``)
    subject_open = False
    subject_done = False
    end_at = len(lines)
    for k, hl in enumerate(lines):
        i = hl.index
        if k <= last_noise:
            scan.zones[i] = Zone.NOISE
            continue
        kinds = hl.kinds()
        content = [p for p in hl.pieces if p.kind not in ("stamp", "noise", "debris")]
        # a capital line right above a stamp mark is the stamp's office
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if ("organ" in kinds and kinds <= _OFFICE_KINDS
                and ((nxt is not None
                      and any(p.kind == "stamp" and p.data.get("mark") for p in nxt.pieces))
                     or _office_before_mark(hl))):
            scan.zones[i] = Zone.STAMP
            org = hl.first("organ")
            scan.stamp_office = (i, org.text if org else hl.text.strip())
            scan.stamp_lines.append(i)
            if subject_open:
                subject_open, subject_done = False, True
            continue
        if subject_open:
            # inside the subject, a motto in running text ('... nước Cộng hòa xã hội chủ
            # nghĩa Việt Nam') and a 'tháng 1/2025' are words of the subject
            if not scan.subject_lines:
                content = _capital_subject_start(hl, content, lines[k + 1:k + 2], lower,
                                                 grammar, scan)
            elif _capitals_going_on(hl, content, scan, grammar):
                # 'VỀ VIỆC TĂNG CƯỜNG KIỂM SÁT' / 'GIẢI QUYẾT TIN BÁO VỀ TỘI PHẠM': a
                # subject in capitals wraps onto a line that reads like an organ
                content = [Piece("text", content[0].start, content[0].end, content[0].text,
                                 None, {})]
            elif _cited_number(hl, content, lines[:k], lower):
                # 'số 22/2021/TT-BGDĐT ngày 20/7/2021' going on with the subject: a
                # document the subject cites, not the letter's own number (its date,
                # read as debris, with it)
                kept = [p for p in hl.pieces if p.kind not in ("stamp", "noise")]
                s, e = kept[0].start, kept[-1].end
                content = [Piece("text", s, e, hl.text[s:e], None, {})]
            content = _as_subject_text(hl, content)
            prev = scan.subject_lines[-1][1] if scan.subject_lines else ""
            last = _last_word(hl, prev, itertools.islice(lines, k), grammar)
            if last is not None:
                content = [last]
            body = [p for p in content if p.kind in ("text", "subject")]
            others = [p for p in content if p.kind not in ("text", "subject")]
            if body and not others:
                t = " ".join(p.text for p in body)
                go_on = (not prev or lower.search(t) or open_end.search(prev)
                         or (capital.search(t) and len(t) <= ratio * max(len(prev), 1))
                         or last is not None
                         or (not _LOWER.search(prev) and not _LOWER.search(t)
                             and len(t) <= ratio * max(len(prev), 1)))   # all in capitals
                if go_on and prev and _LOWER.search(prev) and _capitals_line(t, grammar):
                    go_on = False         # the body's authority line: 'HIỆU TRƯỞNG TRƯỜNG ...'
                if go_on:
                    cut = False
                    for p in body:
                        cut = _add_subject(scan, i, p, nxt, grammar) or cut
                    if cut:
                        subject_open, subject_done = False, True
                    scan.zones[i] = Zone.TITLE
                    if "stamp" in kinds:
                        scan.stamp_lines.append(i)
                    continue
                subject_open, subject_done = False, True
                end_at = k
                break
            if not content:
                scan.zones[i] = Zone.STAMP if "stamp" in kinds else Zone.NOISE
                if "stamp" in kinds:
                    scan.stamp_lines.append(i)
                continue
            subject_open, subject_done = False, True
            if scan.title is not None and not hl.has("motto", "number", "date", "symbol",
                                                     "date_cont"):
                end_at = k
                break
        if not content:
            if "stamp" in kinds:
                scan.zones[i] = Zone.STAMP
                scan.stamp_lines.append(i)
            else:
                scan.zones[i] = Zone.NOISE
            continue
        if subject_done and scan.title is not None and kinds & {"organ", "text"} and not \
                hl.has("motto", "number", "date", "symbol", "date_cont"):
            end_at = k
            break
        if subject_done and _sentence(hl, para, min_chars):
            # a paragraph of running text after the subject is the body, though it cites
            # a document by number and date ('Thực hiện Luật ... số 16/2017/QH14 ...')
            end_at = k
            break
        zone = None
        for p in content:
            if p.kind == "organ":
                if not seen_main or (not seen_other and (
                        not scan.issuer_lines or issuer_at >= k - 1)):
                    # before the number, title and subject; after a date only when the
                    # issuer lines come together (the right column flattened first:
                    # motto, date, then 'UBND TỈNH ...' / 'SỞ ...')
                    scan.issuer_lines.append((i, p))
                    issuer_at = k
                elif scan.title is not None or subject_done:
                    # a capital line after the subject is the body's authority line
                    pass
            elif p.kind == "title" and scan.title is None:
                scan.title = (i, p)
                seen_main = seen_other = True
                subject_open = True
                zone = Zone.TITLE
            elif p.kind == "subject" and not subject_done and not scan.subject_lines:
                cut = _add_subject(scan, i, p, nxt, grammar)
                subject_open = not cut
                subject_done = cut
                seen_main = seen_other = True
                zone = Zone.TITLE
            elif p.kind in ("number", "date"):
                seen_main = True
                seen_other = seen_other or p.kind == "number"
        if zone is None:
            if hl.has(*HEADER_KINDS):
                zone = Zone.HEADER
            elif hl.has("text"):
                # running text ends the head, unless header parts not seen yet follow
                # (OCR debris between the issuer and the number)
                if (seen_main or scan.issuer_lines) and not _more_header(lines, k, scan):
                    end_at = k
                    break
                if not (seen_main or scan.issuer_lines) and not _any_header(lines, k):
                    # no header part above or below: the letter has no header (a page
                    # that begins mid-sentence), and this line is its body, not noise
                    end_at = k
                    break
                zone = Zone.NOISE
            else:
                zone = Zone.NOISE
        if scan.title is not None and scan.title[0] == i and hl.has(*HEADER_KINDS):
            zone = Zone.TITLE
        scan.zones[i] = zone
        if "stamp" in kinds:
            scan.stamp_lines.append(i)
    scan.lines = lines[:end_at]
    for hl in lines[end_at:]:
        scan.zones.pop(hl.index, None)
        if hl.index in scan.stamp_lines:
            scan.stamp_lines.remove(hl.index)
    scan.end = lines[end_at].index if end_at < len(lines) else (
        lines[-1].index + 1 if lines else 0)


# --------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------
def _digits(raw: str | None, grammar: Grammar) -> int | None:
    """A day/month/year part read leniently (OCR letters for digits), or None."""
    if raw is None:
        return None
    table = ocr_digits(grammar)
    s = raw.strip().rstrip("_.,;").translate(table)
    if not s.isdecimal():            # (not isdigit: '²', '①' are digits int() cannot read)
        return None
    return int(s)


def _iso(day: int | None, month: int | None, year: int | None) -> str | None:
    if day is None or month is None or year is None:
        return None
    try:
        return _dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _printed(letter: Letter, index: int, start: int, end: int) -> str:
    """Text of a line as printed: typographic quotes and dashes the normaliser unified are
    taken back from the raw line."""
    line = letter.lines[index]
    text = line.text[start:end]
    if '"' not in text and "'" not in text:
        return text
    raw_lines = letter.fields.get("_raw_lines")
    if raw_lines is None:
        raw_lines = letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        letter.fields["_raw_lines"] = raw_lines
    if line.raw_no - 1 >= len(raw_lines):
        return text
    raw = raw_lines[line.raw_no - 1]
    out = []
    for k, ch in enumerate(text):
        if ch in "\"'":
            col = line.raw_col(start + k)
            if 0 <= col < len(raw):
                rc = raw[col]
                if rc != ch and unicodedata.category(rc) in ("Pi", "Pf", "Po"):
                    ch = rc
        out.append(ch)
    return "".join(out)


def _fix_symbol(letter: Letter, grammar: Grammar, raw: str, index: int, col: int) -> str:
    gz = gazetteer(grammar)
    sym = _WS.sub("", raw).strip(".,;:")
    fixed = _rule(grammar, "header", "symbol.eth").regex.sub("Đ", sym)
    if fixed != sym:
        letter.correct(sym, fixed, "symbol.eth", index, col)
        sym = fixed
    known = _casefolded_parts(grammar, gz)
    lowered = not any(ch.isupper() for ch in sym)
    parts = _SYMBOL_SPLIT.split(sym)
    out = []
    for part in parts:
        if part in ("-", "/") or part in gz.symbol_parts or part.isdigit():
            out.append(part)
            continue
        new = part
        if lowered and part.casefold() in known:
            new = known[part.casefold()]
        elif "D" in part and part.replace("D", "Đ") in gz.symbol_parts:
            new = part.replace("D", "Đ")
        elif lowered:
            new = part.upper()
        out.append(new)
    fixed = "".join(out)
    if fixed != sym:
        letter.correct(sym, fixed, "organ.abbreviations", index, col)
    return fixed


def _casefolded_parts(grammar: Grammar, gz: Any) -> dict[str, str]:
    """{casefolded symbol part: symbol part} of the gazetteer, built once per grammar."""
    cached = grammar.__dict__.get("_header_casefolded_parts")
    if cached is None or cached[0] is not gz:
        cached = grammar.__dict__["_header_casefolded_parts"] = (
            # (sorted: the same part wins in every process whatever its hash seed; an
            # all-capitals spelling last, so it wins over a mixed-case one)
            gz, {p.casefold(): p for p in sorted(gz.symbol_parts,
                                                 key=lambda p: (p.isupper(), p))})
    return cached[1]


def _fix_place_in(letter: Letter, grammar: Grammar, name: str, index: int, col: int) -> str:
    """An organ name whose administrative unit is followed by a damaged place name."""
    m = _rule(grammar, "organs", "organ.admin_unit").search(name)
    if not m:
        return name
    place = m.group("place")
    hit = gazetteer(grammar).place(place)
    if hit is None:
        return name
    # (only before a known place: 'QUẢN LÝ CHẤT LƯỢNG' holds no unit word)
    name = _fix_unit_word(letter, grammar, name, m, index, col)
    # in capitals as the line is (OCR may leave a lower-case letter: 'QUẢNG NGÃl')
    upper = sum(c.isupper() for c in place) > sum(c.islower() for c in place)
    good = hit.name.upper() if upper else hit.name
    if good == place or _same_syllables(place, good, grammar):
        return name     # (a mark placed the other accepted way, 'HOÀ', is no misreading)
    letter.correct(place, good, "organ.admin_unit", index, col + m.start("place"), hit.score)
    return name[:m.start("place")] + good + name[m.end("place"):]


def _same_syllables(a: str, b: str, grammar: Grammar) -> bool:
    """The same words but for where a tone mark sits ('HOÀ' / 'HÒA')."""
    def classic(t: str) -> str:
        return " ".join(tones.place_tone(w, grammar, "classic") for w in t.split())

    return len(a) == len(b) and classic(a) == classic(b)


def _fix_unit_word(letter: Letter, grammar: Grammar, name: str, m: Any, index: int,
                   col: int) -> str:
    """The unit word of an organ.admin_unit match with its marks ('TINH' -> 'TỈNH',
    ``organs.yaml``: organ.unit_words), in capitals only; same length, so the match's
    offsets stay right."""
    unit = m.group("unit")
    if not unit.isupper():
        return name
    good = _unit_words(grammar).get(fold(unit))
    if good is None or good == unit or len(good) != len(unit):
        return name
    letter.correct(unit, good, "organ.unit_words", index, col + m.start("unit"))
    return name[:m.start("unit")] + good + name[m.end("unit"):]


@functools.lru_cache(maxsize=8)
def _unit_words(grammar: Grammar) -> dict[str, str]:
    return {fold(w): w for w in grammar.words("organs", "organ.unit_words")}


def _fix_organ(letter: Letter, grammar: Grammar, name: str, index: int, col: int) -> str:
    clean = _TRIM.sub("", name)
    hit = gazetteer(grammar).organ(clean)
    tp = _rule(grammar, "organs", "organ.abbreviated_unit")
    if hit is not None and hit.name != clean and tp.search(clean) and fold(
            tp.regex.sub(str((tp.value or {}).get("expands", "")) + " ", clean)) == fold(hit.name):
        return clean          # the same name with 'TP.' for 'THÀNH PHỐ': kept as printed
    if hit is not None and hit.name != clean:
        if hit.score < 100 or fold(hit.name) == fold(clean):
            letter.correct(clean, hit.name, "organ.names", index, col, hit.score)
            return hit.name
    clean = _fix_local_head(letter, grammar, clean, index, col)
    return _fix_place_in(letter, grammar, clean, index, col)


@functools.lru_cache(maxsize=8)
def _local_names(grammar: Grammar) -> dict[str, str]:
    """``organs.yaml`` organ.local_names: {folded name: name}."""
    return {fold(w): w for w in grammar.words("organs", "organ.local_names")}


_WORD_RUN = regex.compile(r"\S+")


def _fix_local_head(letter: Letter, grammar: Grammar, name: str, index: int, col: int
                    ) -> str:
    """The head of an issuer line in capitals whose letters are those of a local body's
    name (``organs.yaml``: organ.local_names), with its marks as that name has them
    ('HUYỆN ÚY YÊN SƠN' -> 'HUYỆN ỦY YÊN SƠN'); the longest such head is taken."""
    local = _local_names(grammar)
    ends = [m.end() for m in _WORD_RUN.finditer(name)]
    folded = fold(name).split()          # (one fold: it keeps the words of the name)
    if len(folded) != len(ends):
        return name                      # a word of marks only: no word-by-word reading
    ends = ends[:8]
    for n in range(len(ends), 1, -1):
        good = local.get(" ".join(folded[:n]))
        if good is None:
            continue
        end = ends[n - 1]
        head = name[:end]
        printed = " ".join(head.split())
        if (good != printed and head.isupper()
                and not _same_syllables(printed, good, grammar)):
            # (a mark placed the other accepted way, 'UỶ BAN', is no misreading)
            letter.correct(head, good, "organ.local_names", index, col)
            return good + name[end:]
        return name
    return name


def _issuer(letter: Letter, grammar: Grammar, scan: HeadScan) -> None:
    gz = gazetteer(grammar)
    unit_only = _rule(grammar, "organs", "organ.unit_only")
    continued = _rule(grammar, "organs", "organ.continued")
    names: list[tuple[str, list[int], int, Piece]] = []
    for i, p in scan.issuer_lines:
        text = _TRIM.sub("", p.text)
        m = unit_only.fullmatch(text)
        if names and m:
            unit = _rule(grammar, "organs", "organ.admin_unit").search(text)
            # the place as printed, or as OCR damaged it ('QUẢNG NGÃl'), or any place
            # under a name without one ('ỦY BAN NHÂN DÂN' / 'XÃ PHÚC SẠN', not listed)
            admin = _rule(grammar, "organs", "organ.admin_unit")
            if unit and (gz.places.get(fold(unit.group("place")))
                         or gz.place(unit.group("place")) is not None
                         or admin.search(names[-1][0]) is None):
                prev, idx, _, first = names[-1]
                names[-1] = (prev + " " + text, idx + [i], i, first)
                continue
        if names and names[-1][2] == i - 1 and _continues_name(text, continued):
            prev, idx, _, first = names[-1]
            names[-1] = (prev + " " + text, idx + [i], i, first)
            continue
        names.append((text, [i], i, p))
    if not names:
        return
    fixed = []
    for text, idx, i, p in names[-2:]:       # the issuer and the line above it
        fixed.append((_fix_organ(letter, grammar, text, idx[0], p.start), idx, p))
    name, idx, p = fixed[-1]
    letter.set("header.issuer.name", name, lines=idx)
    for i in idx:
        letter.add_span(SpanLabel.ISSUER, i, *_span_of(letter, i, scan))
    if len(fixed) > 1 and not gz.is_top_level(name):
        pname, pidx, pp = fixed[-2]
        letter.set("header.issuer.parent", pname, lines=pidx)
        for i in pidx:
            letter.add_span(SpanLabel.ISSUER_PARENT, i, *_span_of(letter, i, scan))


def _continues_name(text: str, rule: Any) -> bool:
    """``organs.yaml`` organ.continued: the line opens with the joining word."""
    m = rule.match(text)
    return m is not None and fold(m.group("word")) in (rule.value or {}).get("words", ())


def _span_of(letter: Letter, index: int, scan: HeadScan) -> tuple[int, int]:
    for hl in scan.lines:
        if hl.index == index:
            org = hl.first("organ")
            if org:
                return org.start, org.end
    return 0, len(letter.lines[index].text)


def ocr_digits(grammar: Grammar) -> dict[int, str]:
    """A str.translate table of the letters OCR reads for digits (``header.yaml``:
    date.ocr_digits; the number and the stamp's number use it too), built once per
    grammar."""
    table = grammar.__dict__.get("_header_ocr_digits")
    if table is None:
        pairs = {}
        for w in grammar.words("header", "date.ocr_digits"):
            a, _, b = w.partition("=")
            pairs[a] = b
        # each character read as its digit (a longer key never stands for one character,
        # and the last pair of a key wins, as in a dict)
        table = {ord(a): b for a, b in pairs.items() if len(a) == 1}
        grammar.__dict__["_header_ocr_digits"] = table
    return table


def _number(letter: Letter, grammar: Grammar, scan: HeadScan) -> None:
    found = None
    for hl in scan.lines:
        p = hl.first("number")
        if p is not None:
            found = (hl, p)
            break
    if found is None:
        return
    hl, p = found
    lines = [hl.index]
    number = p.data.get("number")
    symbol, sym_at, sym_line = p.data.get("symbol"), p.data.get("sym_at"), hl.index
    if symbol is None:
        for other in scan.lines:
            if other.index <= hl.index:
                continue
            sp = other.first("symbol")
            if sp is not None:
                symbol, sym_at, sym_line = sp.text, sp.start, other.index
                lines.append(other.index)
                break
            if other.has("title", "subject", "number"):
                break
    if number is not None:
        s = p.start + p.text.find(number)
        if not number.isdigit():          # 'l42', '4O1': OCR's letters for digits
            read = number.translate(ocr_digits(grammar))
            letter.correct(number, read, p.rule or "number.standard", hl.index, s)
            number = read
        letter.set("header.number", number, lines=[hl.index])
        letter.add_span(SpanLabel.NUMBER, hl.index, s, s + len(number))
    else:
        letter.warn("header.number", WarningCode.MISSING_FIELD,
                    "the number is missing or illegible" if p.data.get("illegible") else None)
    if symbol:
        fixed = _fix_symbol(letter, grammar, symbol, sym_line, sym_at or 0)
        letter.set("header.symbol", fixed, lines=[sym_line])
        if sym_at is not None:
            letter.add_span(SpanLabel.SYMBOL, sym_line, sym_at, sym_at + len(symbol))


def _place_shift(place: str) -> int:
    """Where the place of a date line starts, past words of the other column glued
    before it: leading words in capitals before a word that is not ('NỘI BỘ Đà Nẵng' ->
    'Đà Nẵng'); an abbreviation with a dot ('TP. Hồ Chí Minh') is kept."""
    words = list(_NON_SPACE.finditer(place))
    n = 0
    while (n < len(words) - 1 and words[n].group(0).isupper() and len(words[n].group(0)) > 1
           and not words[n].group(0).endswith(".")
           and not all(w.group(0).isupper() for w in words[n:])):
        n += 1
    return words[n].start() if n else 0


def _year_from_extra_digit(letter: Letter, grammar: Grammar, printed: str, index: int
                           ) -> int | None:
    """A five-digit year ('20235'): OCR added one digit. The candidates are the years
    left by dropping one digit; the letter cannot be older than the documents it cites,
    so those before the latest cited year go, and the nearest one left is kept, with a
    warning naming the candidates. No cited year: null."""
    rule = _rule(grammar, "header", "date.year_extra_digit")
    lo, hi = (int(x) for x in (rule.value or {}).get("range", "1945-2100").split("-"))
    cands = sorted({int(printed[:k] + printed[k + 1:]) for k in range(len(printed))
                    if lo <= int(printed[:k] + printed[k + 1:]) <= hi})
    cited = [int(m.group("year")) for m in rule.finditer(letter.text)
             if m.group("year") != printed]
    if not cands or not cited:
        return None
    floor = max(cited)
    left = [y for y in cands if y >= floor]
    if not left:
        return None
    letter.warn("header.date", WarningCode.AMBIGUOUS,
                f"the year {printed!r} has a digit too many; of {cands} the letter cites "
                f"years up to {floor}, so {left[0]} was kept")
    letter.correct(printed, str(left[0]), rule.id, index)
    return left[0]


def _date(letter: Letter, grammar: Grammar, scan: HeadScan) -> None:
    found = None
    for k, hl in enumerate(scan.lines):
        p = hl.first("date")
        if p is not None:
            found = (k, hl, p)
            break
    if found is None:
        return
    k, hl, p = found
    lines = [hl.index]
    place = p.data.get("place")
    if place:
        place = place.strip()
        hit = gazetteer(grammar).place(place)
        good = place
        if hit is not None and hit.name != place:
            good = hit.name
            letter.correct(place, good, "date.full", hl.index, p.data.get("place_at", 0),
                           hit.score)
        letter.set("header.place", good, lines=[hl.index])
        at = p.data.get("place_at", p.start)
        letter.add_span(SpanLabel.PLACE, hl.index, at, at + len(place))
    groups = p.data
    if p.rule == "date.place_only":
        # the day, month and year may follow on the next lines
        joined = p.text
        for other in scan.lines[k + 1:]:
            cont = other.first("date_cont")
            if cont is None:
                if other.has("text", "title", "subject", "number"):
                    break
                continue
            joined += " " + cont.text
            lines.append(other.index)
        m = _rule(grammar, "header", "date.full").search(joined)
        if m is None:
            letter.warn("header.date", WarningCode.MISSING_FIELD,
                        "the date line has no legible day, month and year")
            return
        groups = m.groupdict()
    day, month = _digits(groups.get("day"), grammar), _digits(groups.get("month"), grammar)
    year = _digits(groups.get("year"), grammar)
    if year is not None and year > 9999:
        year = _year_from_extra_digit(letter, grammar, str(year), hl.index)
    iso = _iso(day, month, year) if year is not None and 1900 <= year <= 2199 else None
    if iso is None:
        letter.warn("header.date", WarningCode.BAD_DATE,
                    f"the date {groups.get('day')!r}/{groups.get('month')!r}/"
                    f"{groups.get('year')!r} is not legible or not a calendar date")
        return
    letter.set("header.date", iso, lines=lines)
    letter.add_span(SpanLabel.DATE, hl.index, p.start, p.end)


def _title_and_subject(letter: Letter, grammar: Grammar, scan: HeadScan) -> None:
    code = None
    if scan.title is not None:
        i, p = scan.title
        name = p.data.get("name")
        code = p.data.get("code") or p.data.get("party_code") or None
        letter.set("header.doc_type", name, lines=[i])
        letter.add_span(SpanLabel.DOC_TYPE, i, p.start, p.end)
    if scan.subject_lines:
        parts = [_printed(letter, i, s, e) for i, text, s, e in scan.subject_lines]
        parts = _subject_spelling(letter, grammar, scan.subject_lines, parts)
        for n, (i, text, s, e) in enumerate(scan.subject_lines):
            if n == 0:
                parts[0] = _subject_prefix(letter, grammar, i, s, parts[0])
            letter.add_span(SpanLabel.SUBJECT, i, s, e)
        joined = ""
        for piece in parts:
            # a word broken at the line end after a hyphen ('Covid-' / '19') is one word
            if joined and _BROKEN.search(joined) and piece[:1].isalnum():
                joined += piece
            else:
                joined = f"{joined} {piece}" if joined else piece
        subject = _WS.sub(" ", joined).strip()
        subject = _close_quote(letter, grammar, subject, scan.subject_lines[-1])
        if subject:
            letter.set("header.subject", subject,
                       lines=sorted({i for i, *_ in scan.subject_lines}))
    letter.fields.pop("_raw_lines", None)
    if code:
        letter.set("header.doc_type_code", code)


def _subject_spelling(letter: Letter, grammar: Grammar,
                      subject_lines: list[tuple[int, str, int, int]], parts: list[str]
                      ) -> list[str]:
    """Subject words whose marks OCR misread into another syllable ('công bồ', 'sửa đối,
    bỗ sung', 'quốc đân', 'phát triên'), read back (``header.yaml``:
    subject.letter_spelling). A word that makes a word of two syllables with a neighbour
    (``words.tsv``: 'chi tiết', 'chuyển giao'), or a capitalised word beside another (a
    name: 'Long Thành'), is never changed. Otherwise it becomes the only reading of the
    same letters (marks and đ/d aside) that makes such a word with a neighbour ('bổ
    sung') and that the rest of the letter also writes beside that neighbour (any such
    reading for a word that is no syllable: 'triên'), or else the reading the rest of the letter writes beside the same neighbour
    at least value.min_support times, where the printed one never stands there, for a
    syllable no word of the list holds ('Chuân chương' -> 'Chuẩn chương'). Each change
    is on ``letter.corrections``."""
    rule = _rule(grammar, "header", "subject.letter_spelling")
    min_support = int((rule.value or {}).get("min_support", 2))
    words = [(k, m.start(), m.group(0)) for k, part in enumerate(parts)
             for m in rule.finditer(part)]
    if len(words) < 2:
        return parts
    _, by_skeleton, known = two_syllable_words(grammar)
    # ('a b' is a word of the list iff b in seconds.get(a, ()): the words hold no spaces)
    seconds = second_syllables(grammar)

    placed: dict[str, str] = {}          # this subject's words, tone placed the classic way

    def classic(w: str) -> str:
        c = placed.get(w)
        if c is None:
            c = placed[w] = tones.place_tone(w, grammar, "classic")
        return c

    def is_word(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and classic(b) in seconds.get(classic(a), ())

    def readings(a: str, b: str, sk: str, side: int) -> set[str]:
        """Syllables of skeleton ``sk`` that make a word with ``a`` before (side 1) or
        ``b`` after (side 0) them."""
        pair = f"{skel(a)} {sk}" if side else f"{sk} {skel(b)}"
        near = classic(a if side else b)
        return {w.split(" ")[side] for w in by_skeleton.get(pair, ())
                if w.split(" ")[1 - side] == near}

    skel = tones._skeleton
    lows = [w.lower() for _, _, w in words]
    fixed = list(lows)
    out = list(parts)
    near = set(lows)
    other: str | None = None             # the rest of the letter, lower case (when needed)
    # whether each word and the next make a word of two syllables, as printed (read once:
    # each pair is asked about from both of its words)
    placed_lows = [classic(w) for w in lows]
    pairs = [b in seconds.get(a, ()) for a, b in zip(placed_lows, placed_lows[1:])]
    for n, (k, off, word) in enumerate(words):
        low = lows[n]
        prev = fixed[n - 1] if n > 0 else None
        nxt = lows[n + 1] if n + 1 < len(lows) else None
        if word.isupper() or (n > 0 and (pairs[n - 1] if prev == lows[n - 1]
                                         else is_word(prev, low))) or (
                nxt is not None and pairs[n]):
            continue
        if word[0].isupper() and tones.is_syllable(low, grammar) and any(
                w[0].isupper() for w in (words[n - 1][2] if n else "x",
                                          words[n + 1][2] if n + 1 < len(words) else "x")):
            continue                      # a name: 'Long Thành', 'Suối Tiên'
        sk = skel(low)
        # (readings only where the list has words of the pair's skeletons: few pairs)
        cands = readings(prev, "", sk, 1) if prev and f"{skel(prev)} {sk}" in by_skeleton \
            else set()
        if nxt and f"{sk} {skel(nxt)}" in by_skeleton:
            cands |= readings("", nxt, sk, 0)
        cands.discard(placed_lows[n])                 # (classic(low))
        if not cands and placed_lows[n] in known:
            continue          # no word to read it as, and a syllable the word list knows
        if len(cands) > 1:
            continue          # several readings: none is chosen, whatever the letter says
        if cands:
            best = next(iter(cands))
            if len(best) != len(low) or not tones.is_syllable(best, grammar):
                continue      # (never kept: the rest of the letter is not read for it)
            # a word of two syllables that the letter also writes beside the same
            # neighbour (its OCR may write the printed reading there too), or the printed
            # reading is no syllable at all ('triên')
            if tones.is_syllable(low, grammar):
                if other is None:
                    other = _other_text(letter, subject_lines)
                support = _neighbour_support(other, sk, prev, nxt, near)
                if not any(classic(w) == best for w in support):
                    continue
        else:
            if other is None:
                other = _other_text(letter, subject_lines)
            support = _neighbour_support(other, sk, prev, nxt, near)
            if not support or low in support:
                continue      # no reading beside the same word, or the printed one too
            ranked = sorted(support, key=support.get, reverse=True)
            if support[ranked[0]] < min_support or (
                    len(ranked) > 1 and support[ranked[1]] >= support[ranked[0]]):
                continue
            best = ranked[0]          # the letter's own reading beside the same word
            if len(best) != len(low) or not tones.is_syllable(best, grammar):
                continue
        if low != classic(low) and low == tones.place_tone(low, grammar, "new"):
            best = tones.place_tone(best, grammar, "new")     # the letter's own placement
        new = tones.with_case_of(word, best)
        if new == word:
            continue
        fixed[n] = best
        out[k] = out[k][:off] + new + out[k][off + len(word):]
        i, _, s, _ = subject_lines[k]
        letter.correct(word, new, rule.id, i, s + off)
    return out


def _other_text(letter: Letter, subject_lines: list[tuple[int, str, int, int]]) -> str:
    """The lines of the letter outside the subject, lower case, joined with line breaks:
    the letter's text (joined once for the letter) with the subject lines cut out. (An
    empty line adds a line break to a line break: words are read between breaks, so the
    same words stand beside the same words as with empty lines left out.)"""
    text = letter.text
    lines = letter.lines
    parts = []
    pos = 0
    for i in sorted({i for i, *_ in subject_lines}):
        start = letter.line_start(i)
        parts.append(text[pos:start])
        pos = start + len(lines[i].text) + 1      # (past the line's break)
    parts.append(text[pos:])
    return "".join(parts).lower()


def _neighbour_support(other: str, sk: str, prev: str | None, nxt: str | None,
                       near: set[str]) -> dict[str, int]:
    """How often the rest of the letter (``other``: :func:`_other_text`) writes each word
    of skeleton ``sk`` right after ``prev`` or right before ``nxt``, {word: count}.

    A place is a word standing beside a subject word (one of ``near``), as reading the
    words of the whole letter one by one finds them (tests/test_perf_head2.py); only the
    words around the places where ``prev`` and ``nxt`` stand (str.find) are read here,
    much cheaper. Each place is counted once (keyed by where its word starts)."""
    skel = _skeleton
    word_after, word_before = timed(_WORD_OR_BREAK.search), timed(_LAST_WORD_OR_BREAK.search)
    found: dict[int, str] = {}
    if prev is not None and all(map(is_letter, prev)):
        for pos in whole_words(other, prev):
            m = word_after(other, pos + len(prev))
            if m is None:
                continue
            w = m.group(0)
            if len(w) < 2 or skel(w) != sk:          # (a line break is one character)
                continue
            if prev not in near:
                # a place is only read beside a subject word: the word after it, then
                b = word_after(other, m.end())
                if b is None or b.group(0) not in near:
                    continue
            found[m.start()] = w
    if nxt is not None and all(map(is_letter, nxt)):    # (nxt is a subject word)
        for pos in whole_words(other, nxt):
            m = word_before(other, 0, pos)
            if m is None:
                continue
            w = m.group(0)
            if len(w) >= 2 and skel(w) == sk:
                found[m.start()] = w
    support: dict[str, int] = {}
    for w in found.values():
        support[w] = support.get(w, 0) + 1
    return support


def _close_quote(letter: Letter, grammar: Grammar, subject: str,
                 last: tuple[int, str, int, int]) -> str:
    rule = _rule(grammar, "header", "subject.closing_quote")
    m = rule.search(subject)
    if not m:
        return subject
    close = str((rule.value or {}).get("replace", "”"))
    opened = subject.count("“") - subject.count("”")
    if close == "”" and opened <= 0:
        if subject.count('"') % 2 == 1:
            close = '"'
        else:
            return subject
    i, text, s, e = last
    letter.correct(m.group(0), close, rule.id, i, s + max(0, text.rfind(m.group(0).strip())))
    return subject[:m.start()] + close


def _subject_prefix(letter: Letter, grammar: Grammar, index: int, start: int, text: str) -> str:
    for rid in _SUBJECT_PREFIX:
        rule = _rule(grammar, "header", rid)
        m = rule.search(text)
        if not m:
            continue
        canonical = (rule.value or {}).get("canonical") if isinstance(rule.value, dict) else None
        printed = m.group("prefix")
        if canonical and fold(printed) != fold(canonical) or (canonical and rid == "subject.vv_ocr"):
            letter.correct(printed, canonical, rid, index, start + m.start("prefix"))
            return text[:m.start("prefix")] + canonical + text[m.end("prefix"):]
        return text
    return text


def _type_from_symbol(letter: Letter, grammar: Grammar, fmt: str) -> None:
    """No legible type title: the type is read from the symbol's code, or is a Công văn."""
    if letter.fields.get("header.doc_type"):
        return
    symbol = letter.fields.get("header.symbol") or ""
    parts = [x for x in _SYMBOL_PARTS.split(symbol) if x and not x.isdigit()]
    key = "party_code" if fmt == DocFormat.PARTY.value else "code"
    if parts:
        value = _type_codes(grammar).get((key, parts[0]))
        if value is not None:
            letter.set("header.doc_type", value["name"],
                       lines=letter.provenance.get("header.symbol") and
                       [i for i, ln in enumerate(letter.lines)
                        if ln.raw_no in letter.provenance["header.symbol"]])
            letter.set("header.doc_type_code", value[key])
            return
    # no type title and no type code: a Công văn (GOLD_SPEC; Nghị định 30/2020 Phụ lục I)
    value = grammar.rule("doc_types", "type.cong_van").value
    letter.set("header.doc_type", value["name"])
    letter.set("header.doc_type_code", value["party_code"])


def _type_codes(grammar: Grammar) -> dict[tuple[str, Any], dict]:
    """{(code or party_code, the code): the value of the first doc_types rule with it},
    built once per grammar."""
    table = grammar.__dict__.get("_header_type_codes")
    if table is None:
        table = {}
        for rule in grammar.rules("doc_types"):
            value = rule.value if isinstance(rule.value, dict) else {}
            for key in ("code", "party_code"):
                code = value.get(key)
                if code and isinstance(code, str):     # (a symbol's part is a str)
                    table.setdefault((key, code), value)
        grammar.__dict__["_header_type_codes"] = table
    return table


def _format(letter: Letter, scan: HeadScan) -> str:
    party = state = None
    for hl in scan.lines:
        if "motto" not in hl.kinds():
            continue                     # (most lines)
        for p in hl.pieces:
            if p.kind != "motto":
                continue
            if p.data.get("format") == "party" and party is None:
                party = (hl.index, p)
            elif p.data.get("format") == "state" and state is None:
                state = (hl.index, p)
    pick = party or state
    if pick is None:
        letter.set("format", DocFormat.UNKNOWN.value)
        return DocFormat.UNKNOWN.value
    fmt = DocFormat.PARTY.value if party else DocFormat.STATE.value
    letter.set("format", fmt, lines=[pick[0]])
    mottos = [(hl.index, p) for hl in scan.lines if "motto" in hl.kinds()
              for p in hl.pieces if p.kind == "motto" and p.data.get("format") == fmt]
    letter.set("header.motto", " - ".join(p.text for _, p in mottos) if fmt == "state"
               else pick[1].text, lines=[i for i, _ in mottos])
    for i, p in mottos:
        letter.add_span(SpanLabel.MOTTO, i, p.start, p.end)
    return fmt


def _marks(letter: Letter, scan: HeadScan) -> None:
    for kind, path, label in (("urgency", "header.urgency", SpanLabel.URGENCY),
                              ("secrecy", "header.secrecy", SpanLabel.SECRECY)):
        for hl in scan.lines:
            p = hl.first(kind)
            if p is not None:
                letter.set(path, p.data.get("canonical") or p.text, lines=[hl.index])
                letter.add_span(label, hl.index, p.start, p.end)
                break


def extract(letter: Letter, grammar: Grammar) -> Letter:
    scan = scan_head(letter, grammar)
    fmt = _format(letter, scan)
    _issuer(letter, grammar, scan)
    _number(letter, grammar, scan)
    _date(letter, grammar, scan)
    _title_and_subject(letter, grammar, scan)
    _type_from_symbol(letter, grammar, fmt)
    _marks(letter, scan)
    return letter
