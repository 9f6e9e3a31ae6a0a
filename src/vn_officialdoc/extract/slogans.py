"""Extract slogans: catch-phrases (phương châm, khẩu hiệu) set in quotes.

Reads the title, body and closing zones. A quoted phrase (``slogans.yaml``: quoted) is a
slogan unless it is the title or name of something: its text reads as a document title
('V/v ...', 'Quy định về ...'), a cue just before it names a project, programme, event,
work or term ('Đề án', 'Chương trình', 'Vở diễn', 'cụm từ' ...), or it is a proper name
(two or more words, most of them capitalised: 'Hội thánh Đức Chúa Trời'). A single word
in quotes is a term, not a catch-phrase. Bold text is not visible after normalisation
(markdown markers are removed), so bolded deadlines and names are never taken.
"""

from __future__ import annotations

import bisect
import functools

import regex

from ..grammar import CompiledRule, Grammar, timed
from ..labels import SpanLabel, Zone
from ..letter import Letter
from .items import item_rule
from .references import _where

ZONES = (Zone.TITLE, Zone.BODY, Zone.CLOSING)
#: how much text before a quote is searched for a title cue (characters)
CUE_REACH = 80
#: a catch-phrase is short; a longer quote is a passage or a quoted title
MAX_WORDS = 14


def _proper_name(text: str) -> bool:
    words = [w for w in text.replace("-", " ").split() if any(c.isalpha() for c in w)]
    if len(words) < 2:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps / len(words) >= 0.6 and not _motto_form(text)


def _motto_form(text: str) -> bool:
    """'Dân biết - Dân hiểu - Dân tin': three or more short parts joined by ' - '."""
    parts = [p.strip() for p in text.split(" - ")]
    return len(parts) >= 3 and all(0 < len(p.split()) <= 4 for p in parts)


def _segments(letter: Letter) -> list[tuple[str, list[tuple[int, int, int]]]]:
    """Zone lines as quoting units: a line with an odd number of quotes is joined to the
    next (a quote wrapped over the line end), at most three lines."""
    out: list[tuple[str, list[tuple[int, int, int]]]] = []
    whole = letter.text
    at = whole.find('"')
    if at < 0:
        return out                # no quote in the whole letter (one look, not one a line)
    quoted: list[int] = []        # the lines holding a quote, in order
    while at >= 0:
        i = letter.line_index(at)
        quoted.append(i)
        at = whole.find('"', letter.line_start(i) + len(letter.lines[i].text))
    buf, anchors, open_lines = "", [], 0
    for i, line in _quote_lines(letter, quoted, lambda: bool(buf)):
        text = line.text.strip()
        if not any(c.isalpha() for c in text):
            continue              # a quote mark in OCR debris ('`"'), no words
        lead = len(line.text) - len(line.text.lstrip())
        if buf:
            buf += " "
        anchors.append((len(buf), i, lead))
        buf += text
        open_lines += 1
        if buf.count('"') % 2 == 0 or open_lines >= 3:
            out.append((buf, anchors))
            buf, anchors, open_lines = "", [], 0
    if buf:
        out.append((buf, anchors))
    return out


def _quote_lines(letter: Letter, quoted: list[int], is_open):
    """The lines of tail.lines_in(letter, *ZONES) that :func:`_segments` reads: a line
    holding a quote, and while a quote is open (``is_open()``) every line; the lines in
    between are skipped by a jump to the next line of ``quoted`` rather than walked."""
    wanted = set(ZONES)
    lines = letter.lines
    for z in letter.zones:
        if z.label not in wanted:
            continue
        i = z.start
        while i < z.end:
            if not is_open():
                k = bisect.bisect_left(quoted, i)
                if k == len(quoted) or quoted[k] >= z.end:
                    break
                i = quoted[k]
            line = lines[i]
            if line.zone in wanted:
                yield i, line
            i += 1


def _line_above(letter: Letter, index: int) -> str:
    """The last CUE_REACH characters of the nearest non-blank line above ``index`` (a
    blank line OCR put between may be skipped) in the slogan zones, or '' when that line
    ends a sentence."""
    for k in range(index - 1, max(-1, index - 3), -1):
        text = letter.lines[k].text.strip()
        if text:
            if letter.lines[k].zone not in ZONES or text.endswith((".", ";", "!", "?")):
                return ""
            return text[-CUE_REACH:]
    return ""


def _wordy(phrase: str) -> bool:
    """Two words or more, made of letters (not OCR debris)."""
    words = [w for w in phrase.split() if sum(c.isalpha() for c in w) >= 2]
    letters = sum(c.isalpha() or c.isspace() for c in phrase)
    return len(words) >= 2 and letters / max(len(phrase), 1) >= 0.8


@functools.lru_cache(maxsize=8)
def _backwards(rule: CompiledRule) -> "regex.Pattern":
    """The rule's pattern searching from the end (REVERSE), compiled once. title_cue ends
    in '$' and only whether it matches the text before a quote is read, which does not
    depend on the direction; from the end, the search does not try every start."""
    return regex.compile(rule.regex.pattern, rule.regex.flags | regex.REVERSE)


def extract(letter: Letter, grammar: Grammar) -> Letter:
    quoted = grammar.rule("slogans", "quoted")
    cue_back = timed(_backwards(grammar.rule("slogans", "title_cue")).search)
    markup = grammar.rule("slogans", "markup_cue")
    follow = grammar.rule("slogans", "list_follow")
    title_text = grammar.rule("slogans", "title_text")
    numbered = grammar.rule("slogans", "numbered")
    slogan_cue = grammar.rule("slogans", "slogan_cue")
    out = []
    lines = []
    seen: set[str] = set()
    raw_cache: list[list[str]] = []

    def raw_line(no: int) -> str:
        if not raw_cache:
            raw_cache.append(letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        lines = raw_cache[0]
        return lines[no - 1] if 0 < no <= len(lines) else ""

    def printed_as(offset: int, anchors) -> str:
        """The raw character a '"' of the normalized text was read from."""
        i, col = _where(anchors, offset)
        line = letter.lines[i]
        raw = raw_line(line.raw_no)
        c = line.raw_col(col)
        return raw[c] if 0 <= c < len(raw) else '"'

    for text, anchors in _segments(letter):
        if '"' not in text:
            continue
        prev_end, prev_kept = -1, None
        for m in quoted.finditer(text):
            phrase = m.group("text").strip().strip(",.;:")
            if printed_as(m.start(), anchors) == "\u201d" or printed_as(m.end() - 1, anchors) == "\u201c":
                continue              # a closing quote paired with the next opening one
            before = text[max(0, m.start() - CUE_REACH): m.start()]
            if m.start() < CUE_REACH:
                # near the start of its line: the cue may end the line above ('mô hình' /
                # 'về "An toàn ..."'), a line break OCR or wrapping put between them
                before = _line_above(letter, anchors[0][1]) + " " + before
            if prev_kept is not None and follow.match(text[prev_end: m.start()]):
                keep = prev_kept          # a list of quotes is judged by its first
            else:
                keep = not (title_text.search(phrase) or cue_back(before)
                            or markup.search(before)
                            or (_proper_name(phrase) and not slogan_cue.search(before)))
            prev_end, prev_kept = m.end(), keep
            if not keep or len(phrase.split()) > MAX_WORDS or not (
                    _wordy(phrase) or numbered.match(phrase)):
                continue
            if item_rule(phrase, grammar)[0] is not None:
                continue              # '"2. Sửa đổi ... như sau:' is quoted text, not a phrase
            if phrase.casefold() in seen:
                continue
            seen.add(phrase.casefold())
            i, col = _where(anchors, m.start("text"))
            out.append({"text": phrase, "line": letter.lines[i].raw_no})
            lines.append(i)
            line_text = letter.lines[i].text
            letter.add_span(SpanLabel.SLOGAN, i, min(col, len(line_text)),
                            min(col + len(m.group("text")), len(line_text)))
    letter.set("slogans", out, lines=lines)
    return letter
