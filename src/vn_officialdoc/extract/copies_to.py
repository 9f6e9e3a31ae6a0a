"""Extract copies-to: the 'Nơi nhận' lines, with their annotations moved to ``note``.

Reads the COPIES_TO zone. The signature column that OCR printed beside the list is cut
off each line first (a signing mark and what follows it, a title in capitals at the end,
a personal name after ';', an '(Đã ký ...)' remark). Then each entry starts at a dash
(or, in a list without dashes, on a new line after one ending in ';' or '.'); a line
without a dash continues the entry above. Leading dashes and trailing ',' ';' '.' are
removed, '(B/c)', '(để báo cáo)' ... go to ``note``, a line that is only an annotation
is the note of the entry above, and OCR debris after the final 'Lưu' entry is dropped.
OCR forms are read back with evidence and recorded in ``letter.corrections``: the
``ocr.*`` rules ('Lưu: VI,' -> 'VT,'), a place against the gazetteer
(:func:`fix_place`), a code one slip from a known code (:func:`repair_codes`), a word's
marks from the two-syllable word list and the letter's own text (:func:`restore_words`);
the last three serve the recipients extractor too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import regex

from ..gazetteer import fold, gazetteer, two_syllable_words
from ..grammar import Grammar, timed
from .. import tones
from ..tones import TONES, is_syllable, key
from ..labels import SpanLabel, WarningCode, Zone
from ..letter import Letter
from .tail import lines_in as _lines_in
from . import tail as tf

_TRAIL = " ,;.:_-~*'\"`"
#: how close an entry must be to a standard addressee to be read as it
STANDARD_SCORE = 90.0
_PAREN = re.compile(r"\([^()]*\)?")
_UNSET: Any = object()
_LETTER_OR_DIGIT = regex.compile(r"[\p{L}\d]")
_LETTER = regex.compile(r"\p{L}")
_SPACE = regex.compile(r"\s")


class _Tables:
    """The rules and word lists this module reads, looked up once per grammar (see
    :func:`_tables`); nothing in it depends on a letter."""

    def __init__(self, grammar: Grammar) -> None:
        rule = functools.partial(grammar.rule, "copies_to")
        self.heading = rule("heading")
        self.bullet = rule("bullet")
        self.dash_led = rule("dash_led")
        self.note = rule("note")
        self.note_line = rule("note_line")
        self.luu = rule("luu")
        self.luu_debris = rule("luu_debris")
        self.bullet_debris = rule("bullet_debris")
        self.code_repair = rule("code_repair")
        self.word_spelling = rule("word_spelling")
        self.place = rule("place_after_unit")
        self.signed = grammar.rule("signature", "skip.signed_inline")
        self.fixes = [r for r in grammar.rules("copies_to") if r.id.startswith("ocr.")]
        self.replace = [str((r.value or {}).get("replace", "")) if isinstance(r.value, dict)
                        else "" for r in self.fixes]
        # each OCR rule's prefilter (else its pattern) with '^' and '$' at every line:
        # searched in the letter's entries joined by newlines, it finds something
        # whenever the rule finds something in some entry alone (it may find more)
        self.fix_lines = [None if r.regex is None else regex.compile(
            (r.pre or r.regex).pattern, (r.pre or r.regex).flags | regex.MULTILINE)
            for r in self.fixes]
        # the standard addressees (name, folded) an entry of each folded length n may
        # score STANDARD_SCORE against, in file order: the ratio is at most
        # 200 * min(n, m) / (n + m) for a standard of folded length m, so the others can
        # never be taken; past twice the longest, none can
        standard = [(std, std.casefold()) for std in grammar.words("copies_to", "standard")]
        longest = max((len(f) for _, f in standard), default=0)
        self.standard_by_length = [
            tuple((std, f) for std, f in standard
                  if 200 * min(n, len(f)) >= STANDARD_SCORE * (n + len(f)))
            for n in range(2 * longest + 2)]
        self.known_codes = frozenset(grammar.words("organs", "organ.abbreviations"))
        # the family names tail.person_name reads a name's first word against
        self.surnames = frozenset(unicodedata.normalize("NFC", w)
                                  for w in grammar.words("signature", "name.surnames"))


def _tables(grammar: Grammar) -> _Tables:
    cached = grammar.__dict__.get("_copies_to_tables")
    if cached is None:
        cached = grammar.__dict__["_copies_to_tables"] = _Tables(grammar)
    return cached


def _cut_signature(text: str, grammar: Grammar, heading: Any = _UNSET,
                   memo: tf.Memo | None = None) -> str:
    """The copies-to part of a line that may also carry the signature column
    (``heading``: the ``heading`` rule's match on ``text``, when the caller has it;
    ``memo``: the letter's :class:`~.tail.Memo`, where segment and the signature
    extractor left their answers about the same lines)."""
    tables = _tables(grammar)
    if memo is None:
        memo = tf.Memo(grammar)
    if heading is _UNSET:
        heading = tables.heading.match(text)
    head_end = heading.end() if heading else 0
    mark = memo.find_mark(text)
    if mark is not None and mark.start >= head_end:
        text = text[: mark.start]
    title = memo.trailing_title(text)
    if title is not None and title.start >= head_end:
        text = text[: title.start]
    name = memo.trailing_name(text)
    if name is not None:
        text = text[: name[1]]
    if "(" in text:       # the remark's pattern starts with '\('
        text = tables.signed.regex.sub("", text)
    if heading:
        text = text[head_end:]
    return text


def _real_word(word: str) -> bool:
    """A word that OCR debris rarely makes: lower case of three letters or more, a
    capitalised word ('Ban'), or an abbreviation in capitals without tone marks ('HĐT')."""
    if len(word) < 2:
        return False          # (a dash, a letter: fewer than two letters in any branch)
    if word.isalpha():
        return _real_letters(word)
    last = word[-1:]
    if word[:-1].isalpha() and not (last.isalpha() or last.isdigit() or last == "&"):
        return _real_letters(word[:-1])   # letters and a closing mark ('trên;'): the same
    if any(map(str.isdigit, word)) and any(map(str.isupper, word)) and not any(
            c in TONES for c in unicodedata.normalize("NFD", word)):
        return True           # a filing code: 'P4', 'QH04', 'H06'
    w = "".join(c for c in word if c.isalpha() or c in "&")
    letters = [c for c in w if c.isalpha()]
    if len(letters) < 2:
        return False
    if w.islower():
        return len(letters) >= 3
    if any(c in TONES for c in unicodedata.normalize("NFD", w)) and not w[1:].islower():
        return False
    if w.isupper():
        return True
    upper = sum(c.isupper() for c in letters)
    if upper >= 2 and len(letters) - upper <= 2:
        return True           # a code with a lower-case letter: 'CTrTT', 'TTgCP'
    return w[0].isupper() and w[1:].islower()


def _real_letters(w: str) -> bool:
    """:func:`_real_word` of a word of letters only (no digit, no '&': the same steps
    with the letters being the word itself)."""
    n = len(w)
    if n < 2:
        return False
    if w.islower():
        return n >= 3
    if not TONES.isdisjoint(unicodedata.normalize("NFD", w)) and not w[1:].islower():
        return False
    if w.isupper():
        return True
    upper = sum(c.isupper() for c in w)
    if upper >= 2 and n - upper <= 2:
        return True
    return w[0].isupper() and w[1:].islower()


def _letter_slips(a: str, b: str) -> bool:
    """Same words, each differing by at most one character ('tôi' for 'tối')."""
    from rapidfuzz.distance import Levenshtein

    wa = re.findall(r"\w+", a)
    wb = re.findall(r"\w+", b)
    return len(wa) == len(wb) and all(Levenshtein.distance(x, y) <= 1 for x, y in zip(wa, wb))


def _standard(letter: Letter, grammar: Grammar, text: str, line_index: int) -> str:
    """An entry that is an OCR misreading of a standard addressee ('Viện kiểm sát nhân
    đân tối cao') is corrected to it; the correction is recorded."""
    fuzz = tf.rapidfuzz_fuzz()      # (imported once, not by an import statement per entry)
    folded = text.casefold()
    by_length = _tables(grammar).standard_by_length
    best, score = None, 0.0
    # (a score under STANDARD_SCORE is never taken: rapidfuzz gives 0 for it, sooner)
    for std, std_folded in by_length[len(folded)] if len(folded) < len(by_length) else ():
        r = fuzz.ratio(folded, std_folded, score_cutoff=STANDARD_SCORE)
        if r > score:
            best, score = std, r
    if best is None or score < STANDARD_SCORE or folded == best.casefold():
        return text
    if not _letter_slips(folded, best.casefold()):
        return text           # another wording ('Thủ tướng và các ...'), not a misreading
    letter.correct(text, best, "copies_to.standard", line_index, 0, score)
    return best


def _clean_luu(text: str, grammar: Grammar | None = None) -> str:
    """The filing line is 'Lưu: VT, CODE, CODE': comma parts after the first are codes
    ('KTTH', 'Vụ HSSV', 'N.chính', 'O.8'); OCR debris after them is dropped, from a part
    that starts in lower case or a word that is no code ('KTTH Đ)..', 'oup. ƒ05'), or
    from a run of capitalised words after a code when one of them is not a Vietnamese
    syllable ('QHĐP Ca Gemg'; 'VP Tỉnh ủy' is kept)."""
    parts = text.split(",")
    kept = [parts[0]]
    for part in parts[1:]:
        judged = _PAREN.sub(" ", part).strip()
        if not judged:
            kept.append(part)
            continue
        if judged[0].islower():
            break
        words = part.split()
        good: list[str] = []
        for k, w in enumerate(words):
            if grammar is not None and good and _code(good[-1]) and _debris_run(words[k:], grammar):
                break
            if w.startswith("(") or _real_word(w.rstrip(".;:")) or (
                    grammar is not None and good and w.rstrip(".;:").islower()
                    and is_syllable(w.rstrip(".;:"), grammar)):
                good.append(w)       # ... or a syllable after a word ('VP Tỉnh ủy')
            else:
                break
        if good:
            kept.append(part[: len(part) - len(part.lstrip())] + " ".join(good))
        if len(good) < len(words):
            break
    else:
        return text           # nothing dropped: keep the line as printed
    return ",".join(kept)


def _code(word: str) -> bool:
    """An office code in capitals ('QHĐP', 'KTTH', 'P4')."""
    w = word.strip(".,;:()")
    return len(w) >= 2 and any(map(str.isalpha, w)) and w.isupper()


def _debris_run(words: list[str], grammar: Grammar) -> bool:
    """Capitalised words that are not codes, one of them no Vietnamese syllable."""
    core = [w.strip(".,;:") for w in words]
    if not core or any(not w or _code(w) or not w[0].isupper() for w in core):
        return False
    return any(not is_syllable(w.lower(), grammar) for w in core)


def _other_column(text: str) -> str:
    """'Văn phòng Quốc hội; ST RRƯC' -> 'Văn phòng Quốc hội;': on a dash line of a dashed
    list whose next line starts another entry, what follows the last ';' without any
    lower-case word and without a closing ';' ',' '.' is the signature column beside the
    list (a title, seal text, a name), not part of the entry ('TT.TU; TT. HĐND TP;' ends
    in ';' and is kept)."""
    core = text.rstrip()
    k = core.rfind(";")
    if k < 0 or k == len(core) - 1:
        return text
    rest = _PAREN.sub(" ", core[k + 1:]).strip()
    if not rest or rest.endswith((";", ",", ".")):
        return text
    firsts = [next((c for c in w if c.isalpha()), "") for w in rest.split()]
    if any(c.islower() for c in firsts):
        return text
    return core[: k + 1]


def _code_like(token: str) -> bool:
    """Capitals (three at least) with at most one lower-case letter: 'HĐĐND', 'ĐfT&CTSV'."""
    if token[1:2].islower() and token[2:3].islower():
        return False          # two lower-case letters already ('Giáo')
    lower = sum(c.islower() for c in token)
    return lower <= 1 and sum(c.isupper() for c in token) >= 3


def _slips(code: str) -> set[str]:
    """The codes one OCR slip away: a doubled letter made single, 'II' made 'H', a
    lower-case letter OCR put among the capitals dropped ('ĐfT&CTSV')."""
    out = set()
    for k, c in enumerate(code):
        if c.islower():
            out.add(code[:k] + code[k + 1:])
    for k in range(1, len(code)):
        if code[k] == code[k - 1]:
            out.add(code[:k] + code[k + 1:])
    start = code.find("II")
    while start >= 0:
        out.add(code[:start] + "H" + code[start + 2:])
        start = code.find("II", start + 1)
    out.discard(code)
    return out


def repair_codes(letter: Letter, grammar: Grammar, entries: list[tuple[str, list[int]]]
                 ) -> list[str]:
    """Rule ``code_repair`` over (text, line indices) entries: an unknown code one slip
    away from exactly one code the abbreviation list or the letter itself knows."""
    tables = _tables(grammar)
    rule = tables.code_repair
    known = tables.known_codes
    # one search over the entries joined by newlines: a word never spans the '\n', which
    # bounds a code as the end of an entry does
    # (in the order the letter writes them, not a set's: the corrections come out in the
    # same order in every process, whatever its hash seed)
    # (findall: the whole matches as the finditer of the rule gives them; the rule has no
    # group and no prefilter, tests/test_perf_tail4.py)
    words = timed(rule.regex.findall)("\n".join(t for t, _ in entries))
    suspects = [w for w in dict.fromkeys(words) if w not in known and _code_like(w)]
    slips = {code: _slips(code) for code in suspects}
    slips = {code: cands for code, cands in slips.items() if cands}
    if not slips:
        return [text for text, _ in entries]
    whole = letter.text

    def count(code: str) -> int:
        """The code as a whole word in the letter: the matches of '(?<![\\p{L}\\d])CODE
        (?![\\p{L}\\d])', found as the search for it finds them (left to right, not
        overlapping) with str.find and one character test at each end."""
        if not code:
            return len(regex.findall(r"(?<![\p{L}\d])(?![\p{L}\d])", whole))
        n, k, at = 0, len(code), whole.find(code)
        while at >= 0:
            if (at == 0 or _LETTER_OR_DIGIT.match(whole, at - 1) is None) and (
                    _LETTER_OR_DIGIT.match(whole, at + k) is None):
                n += 1
                at = whole.find(code, at + k)
            else:
                at = whole.find(code, at + 1)
        return n

    fixes = {}
    for code, cands in slips.items():
        if count(code) > 1:
            continue                       # the letter writes it again: a real code
        cands = {c for c in cands if c in known or count(c) >= 1}
        if len(cands) == 1:
            fixes[code] = cands.pop()
    out = []
    for text, lines in entries:
        for code, good in fixes.items():
            if code in text:
                letter.correct(code, good, f"{rule.file}.{rule.id}", *_where(letter, lines, code))
                text = rule.regex.sub(lambda m: good if m.group(0) == code else m.group(0), text)
        out.append(text)
    return out


def _in_name(found: list[tuple[int, str]], n: int, grammar: Grammar,
             runs: dict[tuple[int, int], bool] | None = None) -> bool:
    """The capitalised word ``found[n]`` is part of a run of capitalised words that
    reads as a personal name ('Thứ trưởng Nguyễn Văn Phúc'; 'Ban Tổ chức' is none).
    ``runs``: the answers for the runs of these ``found`` already read."""
    a = b = n
    while a > 0 and found[a - 1][1][0].isupper():
        a -= 1
    while b + 1 < len(found) and found[b + 1][1][0].isupper():
        b += 1
    if a == b:
        return False
    if runs is not None and (a, b) in runs:
        return runs[(a, b)]
    words = [w for _, w in found[a: b + 1]]
    # a name begins with a family name, and the run's words are letters only (no edge
    # debris to strip; a rank before the name is whole words): without a family name
    # among them, tail.person_name cannot read one
    name = not _tables(grammar).surnames.isdisjoint(words) and tf.person_name(
        " ".join(words), grammar) is not None
    if runs is not None:
        runs[(a, b)] = name
    return name


def restore_words(letter: Letter, grammar: Grammar, entries: list[tuple[str, list[int]]],
                  field: str) -> list[str]:
    """Rule ``word_spelling`` over (text, line indices) entries; changes are recorded
    as ``{field}.word_spelling``."""
    rule = _tables(grammar).word_spelling
    words_list, by_skeleton, _known = two_syllable_words(grammar)
    if not words_list:
        return [text for text, _ in entries]
    skel = tones._skeleton
    placed = _Placed(grammar)         # this call's words -> their classic placement
    classic = placed.__getitem__

    def is_word(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and f"{classic(a)} {classic(b)}" in words_list

    def readings(near: str, sk: str, side: int) -> set[str]:
        pair = f"{skel(near)} {sk}" if side else f"{sk} {skel(near)}"
        return {w.split(" ")[side] for w in by_skeleton.get(pair, ())
                if w.split(" ")[1 - side] == classic(near)}

    lowered: list[str] = []

    def written(a: str, b: str) -> dict[str, int]:
        """How often the letter writes 'a b', by the placement of 'a' and 'b' ('classic'
        or 'new' for the one of them with a mark that differs)."""
        if not lowered:
            lowered.append(letter.text.lower())
        whole = lowered[0]
        got: dict[str, int] = {}
        for style in ("classic", "new"):
            x, y = tones.place_tone(a, grammar, style), tones.place_tone(b, grammar, style)
            if f"{x} {y}" in whole:
                got[style] = _count_pair(whole, x, y)
        return got

    # the words of all entries from one search of the entries joined by newlines (a word
    # is letters only and never spans the '\n'), shared out by offset
    founds: list[list[tuple[int, str]]] = [[] for _ in entries]
    if entries:
        starts, pos = [], 0
        for text, _ in entries:
            starts.append(pos)
            pos += len(text) + 1
        k, last = 0, len(starts) - 1
        for m in rule.finditer("\n".join(text for text, _ in entries)):
            at = m.start()
            while k < last and starts[k + 1] <= at:
                k += 1
            founds[k].append((at - starts[k], m.group(0)))

    out = []
    for (text, lines), found in zip(entries, founds):
        lows = [w.lower() for _, w in found]
        fixed = list(lows)
        cls = [placed[w] for w in lows]
        # pairs[k]: lows[k] and lows[k + 1] make a word (is_word, asked once per pair)
        pairs = [f"{a} {b}" in words_list for a, b in zip(cls, cls[1:])]
        pairs.append(False)
        last = len(lows) - 1
        runs: dict[tuple[int, int], bool] = {}
        for n, (off, word) in enumerate(found):
            if pairs[n] or word.isupper():
                continue                  # makes a word with the next one, or a code
            low = lows[n]
            if n:
                prev = fixed[n - 1]
                if prev is lows[n - 1]:
                    if pairs[n - 1]:
                        continue
                    # no reading can come from a neighbour whose letters (marks aside)
                    # make no listed word with this one (readings() would find none)
                    sk = skel(low)
                    if n == last or f"{sk} {skel(lows[n + 1])}" not in by_skeleton:
                        if f"{skel(prev)} {sk}" not in by_skeleton:
                            continue
                elif is_word(prev, low):
                    continue
            else:
                prev = None
                if n == last or f"{skel(low)} {skel(lows[n + 1])}" not in by_skeleton:
                    continue
            nxt = lows[n + 1] if n < last else None
            if word[0].isupper() and _in_name(found, n, grammar, runs):
                continue                  # a name: 'Nguyễn Văn Phúc'
            sk = skel(low)
            cands = (readings(prev, sk, 1) if prev else set()) | (
                readings(nxt, sk, 0) if nxt else set())
            cands.discard(classic(low))
            if len(cands) != 1:
                continue
            best = cands.pop()
            if len(best) != len(low):
                continue
            seen: dict[str, int] = {}
            for pair in ((prev, best) if prev and is_word(prev, best) else None,
                         (best, nxt) if nxt and is_word(best, nxt) else None):
                for style, k in (written(*pair) if pair else {}).items():
                    seen[style] = seen.get(style, 0) + k
            if not seen and tones.is_syllable(low, grammar):
                continue          # the letter never writes that reading there
            newer = tones.place_tone(best, grammar, "new")
            if newer != best and (seen.get("new", 0) > seen.get("classic", 0) or (
                    low != classic(low) and low == tones.place_tone(low, grammar, "new")) or (
                    not seen and tones.letter_style(letter.text, grammar) == "new")):
                best = newer                  # the placement the letter follows
            new = tones.with_case_of(word, best)
            if new == word:
                continue
            fixed[n] = best
            text = text[:off] + new + text[off + len(word):]
            letter.correct(word, new, f"{field}.word_spelling", *_where(letter, lines, word))
        out.append(text)
    return out


class _Placed(dict):
    """word -> the word with its tone placed the classic way (``tones.place_tone``), filled
    as words are met: one dict lookup instead of a function call per word; lives in one
    call."""

    def __init__(self, grammar: Grammar) -> None:
        super().__init__()
        self.grammar = grammar

    def __missing__(self, word: str) -> str:
        got = self[word] = tones.place_tone(word, self.grammar, "classic")
        return got


def _count_pair(whole: str, x: str, y: str) -> int:
    """The matches of '(?<!\\p{L})X\\sY(?!\\p{L})' in ``whole``, found as the search for it
    finds them (left to right, not overlapping) with str.find and character tests."""
    if not x:
        return len(regex.findall(r"(?<!\p{L})" + regex.escape(x) + r"\s"
                                 + regex.escape(y) + r"(?!\p{L})", whole))
    n, k, at = 0, len(x), whole.find(x)
    while at >= 0:
        end = at + k + 1 + len(y)
        if (at == 0 or _LETTER.match(whole, at - 1) is None) and _SPACE.match(
                whole, at + k) is not None and whole.startswith(y, at + k + 1) and (
                _LETTER.match(whole, end) is None):
            n += 1
            at = whole.find(x, end)
        else:
            at = whole.find(x, at + 1)
    return n


def _where(letter: Letter, lines: list[int], piece: str) -> tuple[int, int]:
    """(line index, column) of ``piece`` in the first of an entry's lines that holds it
    (the entry's first line, column 0, when none does: it was re-joined over a break)."""
    for i in lines:
        col = letter.lines[i].text.find(piece)
        if col >= 0:
            return i, col
    return lines[0], 0


def fix_place(letter: Letter, grammar: Grammar, text: str, lines: list[int]) -> str:
    """'... thành phô Đà Năng' -> '... thành phố Đà Nẵng' (rule ``place_after_unit``): the
    place at the end of an addressee, when its marks-free form is exactly one name of the
    place gazetteer, and its unit word; a name printed right (in either tone placement)
    is left alone. Changes are recorded."""
    if not any(map(str.isupper, text[1:])):
        return text          # no capitalised place name after the first letter
    rule = _tables(grammar).place
    m = rule.search(text)
    if m is None:
        return text
    place = m.group("place")
    cands = {name for _, name in gazetteer(grammar).places.get(fold(place), [])}
    if len(cands) != 1:
        return text
    good = next(iter(cands))
    value = rule.value if isinstance(rule.value, dict) else {}
    unit = m.group("unit")
    good_unit = next((u for u in value.get("units", []) if fold(u) == fold(unit)), None)
    if good_unit is None:
        return text
    good_unit = good_unit if unit[:1].islower() else good_unit[:1].upper() + good_unit[1:]
    if key(good, grammar) == key(place, grammar):
        good = place
    if key(good_unit, grammar) == key(unit, grammar):
        good_unit = unit
    if good == place and good_unit == unit:
        return text
    rule_id = f"{rule.file}.{rule.id}"
    if good != place:
        letter.correct(place, good, rule_id, *_where(letter, lines, place), 100.0)
    if good_unit != unit:
        letter.correct(unit, good_unit, rule_id, *_where(letter, lines, unit))
    return text[: m.start("unit")] + good_unit + text[m.end("unit"): m.start("place")] + good \
        + text[m.end("place"):]


def _debris_after_last_separator(text: str) -> str:
    """'Kiểm toán nhà nước; À2 Z2 „' -> 'Kiểm toán nhà nước;': what follows the last ';'
    is dropped when it has no real word or any word that is not real."""
    core = text.rstrip(" ;,.:_-~*'\"`")
    k = core.rfind(";")
    if k < 0:
        return text
    rest = _PAREN.sub(" ", core[k + 1:])      # '(để b/c)' is a note, judged apart
    words = [w for w in rest.replace(",", " ").split() if any(map(str.isalpha, w))]
    if not words or not all(_real_word(w) for w in words):
        return core[: k + 1]
    return text


def extract(letter: Letter, grammar: Grammar) -> Letter:
    zone = list(_lines_in(letter, Zone.COPIES_TO))
    tables = _tables(grammar)
    # what segment and the signature extractor asked of these lines (this extractor is
    # the last to read the memo: it leaves the letter without it)
    memo = tf.memo(letter, grammar)
    letter.fields.pop("_tail_memo", None)
    bullet = tables.bullet
    note_rule = tables.note
    note_line = tables.note_line
    luu = tables.luu
    luu_debris = tables.luu_debris
    bullet_debris = tables.bullet_debris
    heading = tables.heading
    # (anchored at the line's start: tried pattern first, see tail.pattern_first)
    heading_match = tf.pattern_first(heading)
    # each line as read (HTML tags blanked) and, per text, whether a dash leads it: the
    # same line is asked again as the next line of the one above
    plains = [tf.plain(ln.text, grammar) for _, ln in zone]
    dash_of: dict[str, bool] = {}

    def dash_led(text: str) -> bool:
        got = dash_of.get(text)
        if got is None:
            got = dash_of[text] = tables.dash_led.match(text) is not None
        return got

    dashed = sum(1 for _, ln in zone if dash_led(ln.text)) >= 2

    entries: list[dict[str, Any]] = []   # text, note, spans, closed
    done = False
    for n, (i, line) in enumerate(zone):
        if done:
            break
        raw = plains[n]
        pad = len(raw) - len(raw.lstrip())
        raw = raw.lstrip()
        head = heading_match(raw)
        heading_line = head is not None
        part = _cut_signature(raw, grammar, head, memo)
        offset = (raw.find(part) if part else 0) + pad
        stripped = part.strip()
        if not stripped or not any(map(str.isalpha, stripped)):
            continue
        nl = note_line.match(stripped)
        if nl is not None:
            if entries and not entries[-1]["note"]:
                entries[-1]["note"] = nl.group("note").strip()
            continue
        is_dash = dash_led(stripped)
        if not is_dash:
            bd = bullet_debris.match(stripped)
            if bd is not None and not is_syllable(bd.group("debris"), grammar):
                # 'mg Như trên': the dash OCR'd as 'mg'
                offset += len(part) - len(part.lstrip()) + bd.end()
                part, stripped, is_dash = part.lstrip()[bd.end():], stripped[bd.end():], True
        if heading_line and not is_dash and sum(
                _real_word(w) and not any(c.isdigit() for c in w) for w in stripped.split()) < 2:
            continue      # beside 'Nơi nhận:' only debris of the other column ('Â>', 'chín')
        open_paren = bool(entries) and entries[-1]["paren"] > 0
        if not open_paren and not any(_real_word(w) for w in stripped.split()):
            continue
        b = bullet.match(stripped)
        body = stripped[b.end():] if b else stripped
        body = _debris_after_last_separator(body)
        if dashed and is_dash and (n + 1 == len(zone) or dash_led(plains[n + 1].lstrip())):
            body = _other_column(body)
        start = offset + (len(part) - len(part.lstrip())) + (b.end() if b else 0)
        span = (i, start, start + len(body.rstrip()))
        is_luu = luu.match(body) is not None or luu.match(stripped) is not None
        new = is_dash or is_luu or not entries or (not dashed and entries[-1]["closed"])
        if new:
            entries.append({"parts": [body.strip()], "note": None, "spans": [span],
                            "closed": False, "paren": 0})
        else:
            entries[-1]["parts"].append(body.strip())
            entries[-1]["spans"].append(span)
        entries[-1]["paren"] += body.count("(") - body.count(")")
        entries[-1]["closed"] = body.rstrip().endswith((";", "."))
        if is_luu:
            entries[-1]["luu"] = True
            done = True

    # first the entries' texts and notes (nothing recorded yet) ...
    texts, notes = [], []
    for e in entries:
        text, note = " ".join(e["parts"]), e["note"]
        m = note_rule.search(text)
        if m is not None:
            note = note or m.group("note").strip()
            text = (text[: m.start()] + text[m.end():]).strip()
        if e.get("luu"):
            d = luu_debris.search(text)
            if d is not None:
                text = text[: d.start()]
            text = _clean_luu(text, grammar)
        texts.append(text)
        notes.append(note)
    # ... then the OCR forms: the rules apply in turn to each entry; a rule that finds
    # nothing in any entry as printed (its prefilter, else its pattern, once in all the
    # entries joined) is not tried on an entry no earlier rule has changed
    joined = "\n".join(texts)
    fix_hit = [lines_rx is not None and (  # a prefilter runs without a time limit
        lines_rx.search(joined) if rule.pre is not None
        else timed(lines_rx.search)(joined)) is not None
        for rule, lines_rx in zip(tables.fixes, tables.fix_lines)]
    # the rules before the first one found somewhere are tried on no entry (an entry is
    # changed only by a rule tried on it)
    first = next((k for k, hit in enumerate(fix_hit) if hit), len(fix_hit))
    fixes = list(zip(tables.fixes, tables.replace, fix_hit))[first:]
    out = []
    lines = []
    for e, text, note in zip(entries, texts, notes):
        changed = False
        for rule, rep, hit in fixes:
            if not (hit or changed):
                continue
            found = list(rule.finditer(text))
            if not found:
                continue
            for fm in found:
                letter.correct(fm.group(0), rep, f"copies_to.{rule.id}", e["spans"][0][0])
            text = rule.regex.sub(rep, text)
            changed = True
        text = text.strip().rstrip(_TRAIL).strip()
        if text.endswith(")") and text.count(")") > text.count("("):
            text = text[:-1].rstrip(_TRAIL).strip()     # a stray ')' read at the end
        if not text:
            continue
        text = _standard(letter, grammar, text, e["spans"][0][0])
        text = fix_place(letter, grammar, text, [sp[0] for sp in e["spans"]])
        out.append({"text": text, "note": note, "_lines": [sp[0] for sp in e["spans"]]})
        for i, s, t in e["spans"]:
            if t > s:
                letter.add_span(SpanLabel.COPY_TO, i, s, t)
            lines.append(i)
    for o, text in zip(out, repair_codes(letter, grammar, [(o["text"], o["_lines"]) for o in out])):
        o["text"] = text
    for o, text in zip(out, restore_words(letter, grammar, [(o["text"], o["_lines"]) for o in out],
                                          "copies_to")):
        o["text"] = text
        del o["_lines"]
    letter.set("copies_to", out, lines=lines)
    if zone and not out:
        letter.warn("copies_to", WarningCode.MISSING_FIELD,
                    "a 'Nơi nhận' block was found but no entry in it")
    return letter
