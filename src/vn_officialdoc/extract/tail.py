"""Line forms of the letter's tail, shared by ``segment._label_tail`` and the signature
and copies-to extractors: signing marks, title lines, personal names, 'đã ký' lines.

The patterns and word lists are in ``grammars/signature.yaml`` and
``grammars/copies_to.yaml``; this module only applies them.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

import regex

from ..grammar import Grammar, timed

#: a title head must match the start of a line at least this well (rapidfuzz ratio)
TITLE_SCORE = 84.0
#: letter pairs every signing mark contains (KT, K/T, TM, T/M, TL, T/L, TUQ, Q.)
_MARK_KEYS = ("KT", "K/T", "TM", "T/M", "TL", "T/L", "TUQ", "Q.")
#: the title after a signing mark is in capitals; OCR may lower a word or two
MARK_CAPITALS = 0.6
#: the characters around a title that are not part of it
_TITLE_EDGE = " _-~.:;,*'\"`"

# some mark key on the line once its spaces are removed ('K T.' -> 'KT.'): one search
# instead of removing the spaces and looking for each key in turn
_MARK_KEY = regex.compile("|".join(" *".join(regex.escape(c) for c in k) for k in _MARK_KEYS))

_WS = regex.compile(r"\s+")
_EDGE = regex.compile(r"^[^\p{L}\d(]+|[^\p{L}\d)]+$")


def lines_in(letter, *labels):
    """(index, line) of the lines in the given zones, read from the zone runs that
    segment built (``letter.zones``; extractors run after segment), so that a letter of a million blank lines is not
    walked line by line once per extractor."""
    wanted = set(labels)
    for z in letter.zones:
        if z.label not in wanted:
            continue
        for i in range(z.start, z.end):
            line = letter.lines[i]
            if line.zone in wanted:
                yield i, line


class _Rules:
    """The rules this module applies, looked up once per grammar (:func:`_rules`)."""

    def __init__(self, grammar: Grammar) -> None:
        rule = functools.partial(grammar.rule, "signature")
        self.markup_tag = grammar.rule("copies_to", "markup.tag")
        self.cut_tag = rule("markup.cut_tag")
        self.name_prefix = rule("name.prefix")
        self.name_syllables = rule("name.syllables")
        self.signed = rule("skip.signed")
        self.esign = rule("skip.esign")
        self.glued = rule("title.glued_debris")


def _rules(grammar: Grammar) -> _Rules:
    cached = grammar.__dict__.get("_tail_rules")
    if cached is None:
        cached = grammar.__dict__["_tail_rules"] = _Rules(grammar)
    return cached


def _blank(m: "regex.Match") -> str:
    return " " * len(m.group(0))


def pattern_first(rule):
    """``rule.match`` with the two steps the other way round: the pattern first, then the
    prefilter where the pattern matched. The same result (a match needs both), and cheaper
    for a rule whose pattern is anchored at the line's start and fails within a few
    characters while its prefilter is searched through the whole line (copies_to.yaml
    heading: about 0.35 instead of 1.5 us on a body line). The pattern keeps its time
    limit (:func:`~.grammar.timed`, read when this is made: make it inside the letter's
    CPU budget, or outside it, where it is used)."""
    rx, pre = rule.regex, rule.pre
    if rx is None:
        return lambda text: None
    pattern = timed(rx.match)

    def match(text: str):
        m = pattern(text)
        if m is not None and pre is not None and pre.search(text) is None:
            return None
        return m

    return match


def plain(text: str, grammar: Grammar) -> str:
    """The line with HTML tags of a transcription blanked out (same length, so offsets
    into it are offsets into the line)."""
    if "<" not in text:
        return text
    rules = _rules(grammar)
    text = rules.markup_tag.regex.sub(_blank, text)
    # a tag whose '>' OCR lost at the line's end ('<brb', '<brP'): signature.yaml markup.cut_tag
    return rules.cut_tag.regex.sub(_blank, text)


def strip_edges(text: str) -> str:
    """Remove punctuation and OCR debris at both ends of a text."""
    return _EDGE.sub("", text).strip()


@dataclass
class Mark:
    authority: str
    text: str      # the mark and what follows it on the line, as printed
    start: int     # offset of the mark in the line
    rule: str


def find_mark(text: str, grammar: Grammar) -> Mark | None:
    """The signing-authority mark on a line (KT., T/M ...), followed by a title in capitals."""
    # every mark key holds a Q, or a T and one of K, M, L, U (tests/test_perf_tail.py):
    # a few quick looks before the key search, which most lines never reach
    if "Q" not in text and ("T" not in text or not (
            "K" in text or "M" in text or "L" in text or "U" in text)):
        return None              # none of the marks' letters (cheap filter before patterns)
    if _MARK_KEY.search(text) is None:
        return None
    if sum(map(str.isupper, text)) < 4:
        return None              # a mark and a title need four capitals at least
    for rule in _mark_rules(grammar):
        m = rule.search(text)
        if m is not None and _upper_share(m.group("rest")) >= MARK_CAPITALS:
            value = rule.value if isinstance(rule.value, dict) else {}
            return Mark(str(value.get("authority")), text[m.start("mark"):].strip(),
                        m.start("mark"), rule.id)
    return None


@functools.lru_cache(maxsize=8)
def _mark_rules(grammar: Grammar) -> tuple:
    """The signing-mark rules (``mark.*``) of signature.yaml, in file order."""
    return tuple(r for r in grammar.rules("signature")
                 if r.id.startswith("mark.") and r.regex is not None)


def _upper_share(text: str) -> float:
    letters = "".join(filter(str.isalpha, text))
    if not letters:
        return 0.0
    return sum(map(str.isupper, letters)) / len(letters)


@dataclass
class Title:
    title: str      # corrected title (head fixed, qualifier as printed)
    printed: str    # the text it was read from
    start: int      # offset in the line
    score: float


@functools.lru_cache(maxsize=8)
def _heads(grammar: Grammar) -> tuple[str, ...]:
    heads = grammar.words("signature", "title.heads")
    return tuple(sorted(heads, key=len, reverse=True))


class _TonelessTable(dict):
    """str.translate table: a character -> the character without its marks (NFD, combining
    marks dropped, Đ/đ -> D/d). Removing marks works character by character (canonical
    reordering only moves marks, which are all dropped), so translating with this table
    gives the same text as normalizing the whole text. Filled as characters are met
    (a table of the grammar-free Unicode data, not of any letter's text); only characters
    below U+2000 (Latin with the Vietnamese letters U+1E00-1EFF, Greek, Cyrillic, the
    marks) are kept, so that the table stays small whatever the input."""

    def __missing__(self, code: int) -> str:
        out = "".join(c for c in unicodedata.normalize("NFD", chr(code))
                      if not unicodedata.combining(c)).replace("Đ", "D").replace("đ", "d")
        if code < 0x2000:
            self[code] = out
        return out


_TONELESS = _TonelessTable()


def _toneless(text: str) -> str:
    return text.translate(_TONELESS)


@functools.lru_cache(maxsize=8)
def _head_prefixes(grammar: Grammar) -> frozenset[str]:
    return frozenset(_toneless(h)[:2] for h in grammar.words("signature", "title.heads"))


def _may_be_title(body: str, grammar: Grammar) -> bool:
    """Cheap filter before fuzzy matching: the first two letters, tones removed, begin
    some title head ('BỌ' -> 'BO' as in 'BỘ TRƯỞNG')."""
    s = body.lstrip(_TITLE_EDGE)
    return _toneless(s[:2]).upper() in _head_prefixes(grammar)


@functools.lru_cache(maxsize=8)
def _heads_by_cut(grammar: Grammar) -> tuple[dict[int, list[tuple[int, str, str]]], int]:
    """For each length a title's first words may have (a cut), the heads compared with
    them: (rank in :func:`_heads`, head, head without marks) of the heads one letter
    shorter, as long, or one letter longer than the cut; and the longest cut."""
    by_cut: dict[int, list[tuple[int, str, str]]] = {}
    for rank, head in enumerate(_heads(grammar)):
        n = len(head)
        for cut in (n - 1, n, n + 1):
            if cut >= 3:
                by_cut.setdefault(cut, []).append((rank, head, _toneless(head)))
    return by_cut, max(by_cut, default=0)


def match_title(text: str, grammar: Grammar, start: int = 0) -> Title | None:
    """A title line: capitals that begin with a known title head (fuzzy, OCR-tolerant).

    A head is compared with the line's first words cut at the end of a word, one letter
    shorter, as long or one letter longer than the head; the best score wins (ties: the
    first in :func:`_heads` order that is longer than the title found so far)."""
    body = text[start:]
    if not _may_be_title(body, grammar):
        return None
    fuzz = rapidfuzz_fuzz()
    lead = len(body) - len(body.lstrip(_TITLE_EDGE))
    body = body[lead:].rstrip(_TITLE_EDGE)
    size = len(body)
    if size < 4 or _upper_share(body) < 0.85:
        return None
    by_cut, longest = _heads_by_cut(grammar)
    # the cuts: word ends (a space after, or the end of the text); only the heads of a
    # fitting length are compared, in the order of _heads then cut (the tie rule needs it)
    tries = []
    pos = body.find(" ", 3, longest + 1)
    while pos >= 0:
        tries.extend((rank, pos, head, bare) for rank, head, bare in by_cut.get(pos, ()))
        pos = body.find(" ", pos + 1, longest + 1)
    if size <= longest:
        tries.extend((rank, size, head, bare) for rank, head, bare in by_cut.get(size, ()))
    # in the order of (rank, cut): the tuples themselves, since a rank is one head (and
    # its bare form), so tuples with equal (rank, cut) are equal
    tries.sort()
    best: Title | None = None
    bare_cands: dict[int, str] = {}
    for _rank, cut, head, bare in tries:
        cand = body[:cut]
        score = fuzz.ratio(cand, head)
        if score < TITLE_SCORE:
            if cut not in bare_cands:
                bare_cands[cut] = _toneless(cand)
            if bare_cands[cut] == bare:
                score = TITLE_SCORE      # only marks differ, what OCR misreads most
        if score >= TITLE_SCORE and (best is None or score > best.score
                                     or (score == best.score and len(head) > len(best.title))):
            rest = body[cut:].strip()
            best = Title(f"{head} {rest}".strip(), body, start + lead, score)
    return best


@functools.lru_cache(maxsize=1)
def rapidfuzz_fuzz():
    """rapidfuzz.fuzz, imported on first use (not when the package is imported) and then
    looked up once instead of an import statement in each call."""
    from rapidfuzz import fuzz

    return fuzz


def title_continues(title: Title, next_text: str, grammar: Grammar) -> Title | None:
    """A title wrapped over two lines ('CHỦ TỊCH' / 'NƯỚC CỘNG HÒA ...'): joined when the
    join starts with a longer known head than the first line alone."""
    nxt = strip_edges(next_text)
    if not nxt or _upper_share(nxt) < 0.85:
        return None
    joined = match_title(f"{title.title} {nxt}", grammar)
    if joined is None:
        return None
    first_head = title.title.split()
    joined_words = joined.title.split()
    for head in _heads(grammar):
        hw = head.split()
        if joined_words[: len(hw)] == hw and len(hw) > len(first_head):
            return joined
    return None


@functools.lru_cache(maxsize=8)
def _surnames(grammar: Grammar) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFC", w)
                     for w in grammar.words("signature", "name.surnames"))


def person_name(text: str, grammar: Grammar) -> tuple[str, int] | None:
    """(name, offset) if ``text`` (debris and a rank such as 'Trung tá' removed) looks like
    a Vietnamese personal name: 2-5 capitalised syllables starting with a family name."""
    raw = text
    s = strip_edges(text)
    if not s:
        return None
    offset = raw.find(s)
    rules = _rules(grammar)
    m = rules.name_prefix.match(s)
    if m is not None:
        offset += m.end()
        s = s[m.end():]
    # the pattern spans the whole text (^...$), so the name is ``s`` itself: its family
    # name is checked first, and the pattern runs only on a text that starts with one
    words = s.split()
    if words and s.isupper() and 3 <= len(words) <= 5:
        # a name printed in capitals ('HOÀNG ĐÌNH PHƯƠNG'): three syllables at least, so
        # that a place in the seal ('HÀ GIANG') is not one; read as printed
        titled = " ".join(w.capitalize() for w in words)
        if words[0].capitalize() in _surnames(grammar) and rules.name_syllables.match(titled):
            return " ".join(words), max(offset, 0)
        return None
    if not words or not _family_name(words[0], grammar):
        return None
    m = rules.name_syllables.match(s)
    if m is None:
        return None
    name = m.group("name")
    if not _family_name(name.split()[0], grammar):
        return None
    return name, max(offset, 0)


def _family_name(word: str, grammar: Grammar) -> bool:
    """A family name of name.surnames, or one with a letter OCR doubled ('Nguyễễn'; the
    signature extractor reads it back)."""
    names = _surnames(grammar)
    if word in names:
        return True
    return any(word[k] == word[k - 1] and word[:k] + word[k + 1:] in names
               for k in range(1, len(word)))


def is_signed_line(text: str, grammar: Grammar) -> bool:
    return _rules(grammar).signed.search(text) is not None


#: every text where skip.esign's prefilter ('ký|ý\s{1,2}bởi|quan\s{0,2}:|mail\s{0,2}:',
#: ignoring case) is found holds one of these once lowered (tests/test_perf_tail4.py)
_ESIGN_WORDS = ("ký", "bởi", "quan", "mail")


def is_esign(text: str, grammar: Grammar) -> bool:
    # a few str tests before the prefilter, an alternation searched ignoring case (about
    # 2.5 us on a line), which most lines do not reach
    # ('İ' lowers to two characters, 'i' and a dot above, where the regex module's
    # ignore-case matches it to 'i': a line holding it skips the str tests)
    low = text.lower()
    if not any(w in low for w in _ESIGN_WORDS) and "\u0130" not in text:
        return False
    return _rules(grammar).esign.search(text) is not None


def trailing_title(text: str, grammar: Grammar) -> Title | None:
    """A title in capitals printed at the end of a copies-to line (two columns merged):
    '- Như Điều 3; THỨ TRƯỞNG THƯỜNG TRỰC', 'Nơi nhận: GIÁM ĐỐC'. The capitals may begin
    with OCR debris ('~~5WT GIÁM ĐÓC'): each start among them is tried, leftmost first."""
    # most lines end in a word that is not in capitals and has no debris glued to
    # capitals: no title then, read from that last word without splitting the line
    last = text[text.rfind(" ") + 1:]
    if not _in_capitals(last.strip(".,;:_-~*")) and not _may_glue(last):
        return None
    words = text.split(" ")
    k = len(words)
    while k > 0 and _in_capitals(words[k - 1].strip(".,;:_-~*")):
        k -= 1
    starts = []
    if k > 0:
        # OCR debris glued before the title's first word ('"fPHỚ GIÁM ĐÓC')
        last = words[k - 1]
        glued = _rules(grammar).glued.search(last) if _may_glue(last) else None
        if glued is not None:
            starts.append(len(" ".join(words[:k - 1])) + (1 if k > 1 else 0) + glued.start("caps"))
    if k == len(words) and not starts:
        return None
    pos = len(" ".join(words[:k])) + (1 if k else 0)
    for w in words[k:]:
        if w.strip():
            starts.append(pos)
        pos += len(w) + 1
    for start in starts:
        found = match_title(text, grammar, start)
        if found is not None:
            return found
    return None


def _in_capitals(w: str) -> bool:
    """Nothing, or a word in capitals: it has letters and all of them are capitals."""
    return not w or (any(map(str.isalpha, w)) and all(map(str.isupper, filter(str.isalpha, w))))


def _may_glue(word: str) -> bool:
    """A necessary condition of signature.yaml title.glued_debris, whose pattern ends in
    two capitals or more ('$' also matches before a final newline): neither of the last
    two characters is lower case or an ASCII character other than A-Z (none of these is
    \\p{Lu} for the regex module, whose Unicode may be newer than str's: tests/test_perf_tail4.py)."""
    if word.endswith("\n"):
        word = word[:-1]
    if len(word) < 2:
        return False
    a, b = word[-2], word[-1]
    return not (a.islower() or b.islower() or a.isascii() and not a.isupper()
                or b.isascii() and not b.isupper())


def trailing_name(text: str, grammar: Grammar) -> tuple[str, int] | None:
    """A signer's name printed after a copies-to entry on the same line:
    '- Ủy ban trung ương Mặt trận Tổ quốc Việt Nam; Hồ Quốc Dũng', or after the full
    stop that closes the filing line: '- Lưu: VT, TT. Nguyễn Như Cường' (only there: in
    another entry the stop may be an abbreviation's, 'TP. Hồ Chí Minh')."""
    seps: tuple[str, ...] = (";", ":")
    if "." in text and grammar.rule("copies_to", "luu").match(text):
        seps = (";", ":", ".")
    for sep in seps:
        k = text.rfind(sep)
        if k >= 0 and k < len(text) - 1:
            found = person_name(text[k + 1:], grammar)
            if found:
                return found[0], k + 1 + found[1]
    return None


_UNSET = object()


class Memo:
    """The answers of the line tests above for one letter, keyed by the text asked about:
    segment's ``_label_tail``, the signature extractor and the copies-to extractor ask
    them of the same tail lines. Get it with :func:`memo`; it lives on the letter
    (``letter.fields['_tail_memo']``, removed by the copies-to extractor, the last to
    read it) and is never shared between letters. Each answer is the function's own for
    that text."""

    __slots__ = ("grammar", "marks", "titles", "trailing_titles", "trailing_names", "names",
                 "skips")

    def __init__(self, grammar: Grammar) -> None:
        self.grammar = grammar
        self.marks: dict[str, Mark | None] = {}          # find_mark
        self.titles: dict[str, Title | None] = {}        # match_title (start 0)
        self.trailing_titles: dict[str, Title | None] = {}
        self.trailing_names: dict[str, tuple[str, int] | None] = {}
        self.names: dict[str, tuple[str, int] | None] = {}   # person_name
        self.skips: dict[str, bool] = {}                 # is_signed_line or is_esign

    # (dict.get and a marker, not try/except KeyError: most first asks are misses, and
    # raising KeyError costs more than the lookup)
    def find_mark(self, text: str) -> Mark | None:
        got = self.marks.get(text, _UNSET)
        if got is _UNSET:
            got = self.marks[text] = find_mark(text, self.grammar)
        return got

    def match_title(self, text: str) -> Title | None:
        got = self.titles.get(text, _UNSET)
        if got is _UNSET:
            got = self.titles[text] = match_title(text, self.grammar)
        return got

    def trailing_title(self, text: str) -> Title | None:
        got = self.trailing_titles.get(text, _UNSET)
        if got is _UNSET:
            got = self.trailing_titles[text] = trailing_title(text, self.grammar)
        return got

    def trailing_name(self, text: str) -> tuple[str, int] | None:
        got = self.trailing_names.get(text, _UNSET)
        if got is _UNSET:
            got = self.trailing_names[text] = trailing_name(text, self.grammar)
        return got

    def person_name(self, text: str) -> tuple[str, int] | None:
        got = self.names.get(text, _UNSET)
        if got is _UNSET:
            got = self.names[text] = person_name(text, self.grammar)
        return got

    def skipped(self, text: str) -> bool:
        """:func:`is_signed_line` or :func:`is_esign`: a line the signature block skips."""
        got = self.skips.get(text)
        if got is None:
            got = self.skips[text] = (is_signed_line(text, self.grammar)
                                      or is_esign(text, self.grammar))
        return got


def memo(letter, grammar: Grammar) -> Memo:
    """The letter's :class:`Memo` (made on first use, again for another grammar)."""
    got = letter.fields.get("_tail_memo")
    if got is None or got.grammar is not grammar:
        got = letter.fields["_tail_memo"] = Memo(grammar)
    return got
