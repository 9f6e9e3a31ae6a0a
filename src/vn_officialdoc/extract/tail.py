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

from ..grammar import Grammar

#: a title head must match the start of a line at least this well (rapidfuzz ratio)
TITLE_SCORE = 84.0
#: letter pairs every signing mark contains (KT, K/T, TM, T/M, TL, T/L, TUQ, Q.)
_MARK_KEYS = ("KT", "K/T", "TM", "T/M", "TL", "T/L", "TUQ", "Q.")
#: the title after a signing mark is in capitals; OCR may lower a word or two
MARK_CAPITALS = 0.6

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


def plain(text: str, grammar: Grammar) -> str:
    """The line with HTML tags of a transcription blanked out (same length, so offsets
    into it are offsets into the line)."""
    if "<" not in text:
        return text
    text = grammar.rule("copies_to", "markup.tag").regex.sub(lambda m: " " * len(m.group(0)), text)
    # a tag whose '>' OCR lost at the line's end ('<brb', '<brP'): signature.yaml markup.cut_tag
    return grammar.rule("signature", "markup.cut_tag").regex.sub(lambda m: " " * len(m.group(0)), text)


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
    squeezed = text.replace(" ", "")
    if not any(k in squeezed for k in _MARK_KEYS):
        return None              # none of the marks' letters (cheap filter before patterns)
    if sum(1 for c in text if c.isupper()) < 4:
        return None              # a mark and a title need four capitals at least
    for rule in grammar.rules("signature"):
        if not rule.id.startswith("mark.") or rule.regex is None:
            continue
        m = rule.search(text)
        if m is not None and _upper_share(m.group("rest")) >= MARK_CAPITALS:
            value = rule.value if isinstance(rule.value, dict) else {}
            return Mark(str(value.get("authority")), text[m.start("mark"):].strip(),
                        m.start("mark"), rule.id)
    return None


def _upper_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


@dataclass
class Title:
    title: str      # corrected title (head fixed, qualifier as printed)
    printed: str    # the text it was read from
    start: int      # offset in the line
    score: float


def _heads(grammar: Grammar) -> list[str]:
    heads = grammar.words("signature", "title.heads")
    return sorted(heads, key=len, reverse=True)


def _toneless(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
                   ).replace("Đ", "D").replace("đ", "d")


@functools.lru_cache(maxsize=8)
def _head_prefixes(grammar: Grammar) -> frozenset[str]:
    return frozenset(_toneless(h)[:2] for h in grammar.words("signature", "title.heads"))


def _may_be_title(body: str, grammar: Grammar) -> bool:
    """Cheap filter before fuzzy matching: the first two letters, tones removed, begin
    some title head ('BỌ' -> 'BO' as in 'BỘ TRƯỞNG')."""
    s = body.lstrip(" _-~.:;,*'\"`")
    return _toneless(s[:2]).upper() in _head_prefixes(grammar)


def match_title(text: str, grammar: Grammar, start: int = 0) -> Title | None:
    """A title line: capitals that begin with a known title head (fuzzy, OCR-tolerant)."""
    from rapidfuzz import fuzz

    body = text[start:]
    if not _may_be_title(body, grammar):
        return None
    lead = len(body) - len(body.lstrip(" _-~.:;,*'\"`"))
    body = body[lead:].rstrip(" _-~.:;,*'\"`")
    if len(body) < 4 or _upper_share(body) < 0.85:
        return None
    best: Title | None = None
    for head in _heads(grammar):
        n = len(head)
        for cut in (n - 1, n, n + 1):
            if cut < 3 or cut > len(body):
                continue
            if cut < len(body) and body[cut] != " ":
                continue
            cand = body[:cut]
            score = fuzz.ratio(cand, head)
            if score < TITLE_SCORE and _toneless(cand) == _toneless(head):
                score = TITLE_SCORE      # only marks differ, what OCR misreads most
            if score >= TITLE_SCORE and (best is None or score > best.score
                                         or (score == best.score and len(head) > len(best.title))):
                rest = body[cut:].strip()
                best = Title(f"{head} {rest}".strip(), body, start + lead, score)
    return best


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


def _surnames(grammar: Grammar) -> set[str]:
    return {unicodedata.normalize("NFC", w) for w in grammar.words("signature", "name.surnames")}


def person_name(text: str, grammar: Grammar) -> tuple[str, int] | None:
    """(name, offset) if ``text`` (debris and a rank such as 'Trung tá' removed) looks like
    a Vietnamese personal name: 2-5 capitalised syllables starting with a family name."""
    raw = text
    s = strip_edges(text)
    if not s:
        return None
    offset = raw.find(s)
    rule = grammar.rule("signature", "name.prefix")
    m = rule.match(s)
    if m is not None:
        offset += m.end()
        s = s[m.end():]
    m = grammar.rule("signature", "name.syllables").match(s)
    if m is None:
        return None
    name = m.group("name")
    if name.split()[0] not in _surnames(grammar):
        return None
    return name, max(offset, 0)


def is_signed_line(text: str, grammar: Grammar) -> bool:
    return grammar.rule("signature", "skip.signed").search(text) is not None


def is_esign(text: str, grammar: Grammar) -> bool:
    return grammar.rule("signature", "skip.esign").search(text) is not None


def trailing_title(text: str, grammar: Grammar) -> Title | None:
    """A title in capitals printed at the end of a copies-to line (two columns merged):
    '- Như Điều 3; THỨ TRƯỞNG THƯỜNG TRỰC', 'Nơi nhận: GIÁM ĐỐC'. The capitals may begin
    with OCR debris ('~~5WT GIÁM ĐÓC'): each start among them is tried, leftmost first."""
    words = text.split(" ")
    k = len(words)
    while k > 0:
        w = words[k - 1].strip(".,;:_-~*")
        if not w or (any(c.isalpha() for c in w) and _upper_share(w) == 1.0):
            k -= 1
            continue
        break
    starts = []
    if k > 0:
        # OCR debris glued before the title's first word ('"fPHỚ GIÁM ĐÓC')
        glued = grammar.rule("signature", "title.glued_debris").search(words[k - 1])
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


def trailing_name(text: str, grammar: Grammar) -> tuple[str, int] | None:
    """A signer's name printed after a copies-to entry on the same line:
    '- Ủy ban trung ương Mặt trận Tổ quốc Việt Nam; Hồ Quốc Dũng'."""
    for sep in (";", ":"):
        k = text.rfind(sep)
        if k >= 0 and k < len(text) - 1:
            found = person_name(text[k + 1:], grammar)
            if found:
                return found[0], k + 1 + found[1]
    return None
