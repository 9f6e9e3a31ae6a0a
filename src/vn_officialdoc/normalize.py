"""Stage 2, normalize: raw text -> normalized lines, every change on the record.

Each raw line becomes one :class:`Line` (line structure is kept, so raw line numbers
stay exact). The rules of ``grammars/normalize.yaml`` are applied in order; each
substitution keeps a column map back to the raw line, and each change that is more than
white space goes into ``letter.corrections`` with its rule id and raw position.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import itertools
import unicodedata

from . import tones
from .grammar import Grammar, call_timeout
from .letter import Letter, Line

#: rules whose changes are typography, not corrections of content: not listed one by one
_QUIET_RULES = ("space.",)
#: a line longer than this is not letter text (a printed line is under 200 characters, a
#: paragraph kept on one line under 5 000): it is left as read, composed to NFC only
WORD_RULES_MAX_LINE = 20_000


def _line_timeout(text: str) -> float | None:
    """The ``timeout=`` of a substitution pattern on ``text`` (it guards against
    catastrophic backtracking; a long text gets more time), or None inside the letter's
    CPU budget, which guards every pattern (the keyword alone costs about a microsecond a
    call, so it is then left out)."""
    return call_timeout(1.0 + len(text) / 20_000)


def _apply(text: str, cols: list[int] | None, rule, replacement: str, one_char=None
           ) -> tuple[str, list[int] | None, list[tuple[str, str, int]]]:
    """Apply one substitution rule; return new text, new column map and the changes.

    ``cols`` None means "each character at its own raw column" and stays None while every
    match is replaced by as many characters (quotes, dashes). Adjacent matches make one
    change (a run of 100 000 curly quotes is one correction). ``one_char``: the rule's
    pattern when it is one character of a plain class, compiled with ``re`` (the same
    matches, found faster; see :func:`_substitutions_multiline`).
    """
    if one_char is not None:  # (one character: it cannot backtrack)
        matches = list(one_char.finditer(text))
    else:
        # the timeout guards against catastrophic backtracking; a long line gets more time
        t = _line_timeout(text)
        found = rule.regex.finditer(text) if t is None else rule.regex.finditer(text, timeout=t)
        matches = [m for m in found if m.end() > m.start() or replacement]
    if not matches:
        return text, cols, []
    size = len(replacement)
    same_length = size == 1 if one_char is not None else all(
        m.end() - m.start() == size for m in matches)
    if cols is None and not same_length:
        cols = list(range(len(text)))
    end_col = (cols[-1] + 1 if cols else 0) if cols is not None else len(text)
    remap = cols is not None and not same_length  # the columns change
    out: list[str] = []
    out_cols: list[int] = []
    changes: list[tuple[list[str], list[str], int]] = []
    last = 0
    changed_to = -1  # end of the last change, to merge adjacent ones
    for m in matches:
        s, e = m.span()
        out.append(text[last:s])
        col = s if cols is None else cols[s] if s < len(cols) else end_col
        if remap:
            out_cols.extend(cols[last:s])
            out_cols.extend([col] * size)
        found = m.group(0)
        if found != replacement:
            if changes and s == changed_to:
                changes[-1][0].append(found)
                changes[-1][1].append(replacement)
            else:
                changes.append(([found], [replacement], col))
            changed_to = e
        out.append(replacement)
        last = e
    out.append(text[last:])
    if remap:
        out_cols.extend(cols[last:])
        cols = out_cols
    return "".join(out), cols, [("".join(b), "".join(a), c) for b, a, c in changes]


def _compose(text: str) -> tuple[str, list[int]]:
    """NFC of ``text`` and, for each composed character, the raw column it starts at.

    Composition never crosses a starter (a character of combining class 0), so each
    cluster "starter + its combining marks" is composed on its own and its characters
    point at the cluster's first raw column.
    """
    out: list[str] = []
    cols: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        out.append(piece)
        cols.extend(i + min(k, j - i - 1) for k in range(len(piece)))
        i = j
    return "".join(out), cols


@functools.lru_cache(maxsize=8)
def _substitutions(grammar: Grammar) -> tuple:
    """(rule, replacement) of the substitution rules (those with value.replace), in order."""
    out = []
    for rule in grammar.rules("normalize"):
        value = rule.value if isinstance(rule.value, dict) else {}
        if "replace" in value and rule.regex is not None:
            out.append((rule, str(value["replace"])))
    return tuple(out)


_BACKREF = ("\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9",
            "(?P=", "\\g<")


@functools.lru_cache(maxsize=8)
def _any_substitution(grammar: Grammar):
    """One pattern that matches a line iff some substitution rule's pattern does (the
    rules' patterns as alternatives), or None when the rules cannot be joined so
    (flags, back references). A line it does not match is left as is by every rule."""
    subs = _substitutions(grammar)
    import regex
    if not subs or any(rule.rule.flags or any(b in rule.regex.pattern for b in _BACKREF)
                       or regex.search(r"\(\?[a-zA-OQ-Z^-]", rule.regex.pattern)
                       for rule, _ in subs):
        return None  # inline flags or back references would change meaning when joined
    try:
        return regex.compile("|".join(f"(?:{rule.regex.pattern})" for rule, _ in subs),
                             regex.V0 | regex.UNICODE)
    except regex.error:
        return None       # e.g. group names clashing: every rule searched on its own


#: one item of a character class that means the same to ``regex`` and to ``re``: a literal
#: character, a \\uXXXX / \\xXX / \\t-style escape or an escaped punctuation mark
_CLASS_ITEM = r"(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[tfvnr]|\\[^\w\s]|[^\\\[\]\-^\s])"
#: a scan that matches exactly one character of a plain class ('[\u201C\u201D]', '\\|')
_ONE_CHAR = rf"\[(?P<items>(?:{_CLASS_ITEM}(?:-{_CLASS_ITEM})?)+)\]|(?P<one>\\[^\w\s])"
_ESCAPES = {"t": "\t", "f": "\f", "v": "\v", "n": "\n", "r": "\r"}


def _class_char(item: str) -> str:
    """The character one _CLASS_ITEM stands for."""
    if item[:2] in ("\\u", "\\x"):
        return chr(int(item[2:], 16))
    if item.startswith("\\"):
        return _ESCAPES.get(item[1], item[1])
    return item


def _one_char_ranges(pattern: str) -> list[tuple[str, str]] | None:
    """The characters a one-character scan matches, as (first, last) ranges; None when
    ``pattern`` is not such a plain class."""
    import regex
    m = regex.fullmatch(_ONE_CHAR, pattern)
    if m is None:
        return None
    if m.group("one"):
        c = _class_char(m.group("one"))
        return [(c, c)]
    return [(_class_char(a), _class_char(b or a)) for a, b in regex.findall(
        rf"({_CLASS_ITEM})(?:-({_CLASS_ITEM}))?", m.group("items"))]


#: a scan made of literal alternatives, each maybe anchored at the start and/or the end of
#: the line ('  ', '^ | $'): plain characters or escaped punctuation, no other syntax
_LITERAL_ALT = r"(?P<start>\^)?(?P<text>(?:[^\\^$.|?*+()\[\]{}\n\r]|\\[^\w\s])+)(?P<end>\$)?"


def _literal_alternatives(pattern: str) -> tuple[tuple[str, bool, bool], ...] | None:
    """((literal, anchored at the line's start, anchored at its end), ...) of a pattern
    made only of such alternatives; None for any other pattern."""
    import regex
    if not regex.fullmatch(rf"{_LITERAL_ALT}(?:\|{_LITERAL_ALT})*", pattern):
        return None
    return tuple((regex.sub(r"\\(.)", r"\1", m.group("text")), bool(m.group("start")),
                  bool(m.group("end")))
                 for m in regex.finditer(rf"(?:^|(?<=\|)){_LITERAL_ALT}(?=\||$)", pattern))


class _Literals:
    """The scan of a rule made of literal alternatives (:func:`_literal_alternatives`),
    found with ``str.find`` (several times faster than a regex scan of a whole letter)."""

    __slots__ = ("alternatives", "needles")

    def __init__(self, alternatives: tuple[tuple[str, bool, bool], ...]) -> None:
        self.alternatives = alternatives
        #: (what to find in the text padded with a line break at each end, offset of the
        #: literal in it)
        self.needles = tuple(("\n" * start + text + "\n" * end, int(start))
                             for text, start, end in alternatives)

    def matches(self, line: str) -> bool:
        """True when one of the alternatives stands in ``line`` (one line)."""
        for text, start, end in self.alternatives:
            if (line == text if end else line.startswith(text)) if start else (
                    line.endswith(text) if end else text in line):
                return True
        return False

    def lines(self, padded: str, starts: list[int]) -> set[int]:
        """The indices of the lines where one of the alternatives stands; ``padded``: the
        lines joined by line breaks, with a line break before and after; ``starts``: where
        each line starts in the joined lines (without the first line break)."""
        found: set[int] = set()
        n = len(starts)
        for needle, lead in self.needles:
            pos = 0
            while True:
                i = padded.find(needle, pos)
                if i < 0:
                    break
                line = bisect.bisect_right(starts, i + lead - 1) - 1
                found.add(line)
                if line + 1 >= n:
                    break
                pos = starts[line + 1] + 1 - lead   # on to the next line
        return found


@functools.lru_cache(maxsize=8)
def _substitutions_multiline(grammar: Grammar) -> tuple | None:
    """The scans of the substitution rules over a whole letter, one call per scan: None
    when one cannot stand for its per-line scan (string anchors), else (one-character
    class, ((rule index, its own class), ...), ((rule index, pattern), ...)).

    A rule's scan is its pattern (or its prefilter, a necessary condition that scans
    faster) with ``^``/``$`` at every line. The rules whose scan is one character of a
    plain class (quotes, dashes, odd spaces) are merged into one class compiled with the
    standard ``re``, whose character classes scan several times faster than ``regex``'s
    (a one-character class cannot backtrack, so it needs no time limit); it is None when
    no rule is such a class."""
    import re
    import regex

    def one_class(ranges: list[tuple[str, str]]) -> "re.Pattern":
        return re.compile("[" + "".join(
            f"\\U{ord(a):08x}" if a == b else f"\\U{ord(a):08x}-\\U{ord(b):08x}"
            for a, b in ranges) + "]")

    ranges: list[tuple[str, str]] = []
    merged = []
    out = []
    for k, (rule, _) in enumerate(_substitutions(grammar)):
        scan = rule.pre if rule.pre is not None else rule.regex  # a prefilter scans faster
        if any(a in scan.pattern for a in ("\\A", "\\Z", "\\z", "\\G")):
            return None
        one = None if rule.rule.flags else _one_char_ranges(scan.pattern)
        if one is not None:
            ranges.extend(one)
            merged.append((k, one_class(one)))
            continue
        literals = None if rule.rule.flags else _literal_alternatives(scan.pattern)
        if literals is not None:
            out.append((k, _Literals(literals)))
            continue
        out.append((k, regex.compile(scan.pattern, scan.flags | regex.MULTILINE)))
    return (one_class(ranges) if ranges else None), tuple(merged), tuple(out)


@functools.lru_cache(maxsize=8)
def _one_char_rules(grammar: Grammar) -> dict[str, frozenset[int]] | None:
    """{character: the merged one-character rules whose class holds it}, None when the
    classes hold too many characters to list."""
    scans = _substitutions_multiline(grammar)
    if scans is None or scans[0] is None:
        return None
    table: dict[str, set[int]] = {}
    for k, (rule, _) in enumerate(_substitutions(grammar)):
        scan = rule.pre if rule.pre is not None else rule.regex
        ranges = None if rule.rule.flags else _one_char_ranges(scan.pattern)
        for a, b in ranges or ():
            if len(table) + ord(b) - ord(a) > 4096:
                return None
            for c in range(ord(a), ord(b) + 1):
                table.setdefault(chr(c), set()).add(k)
    return {c: frozenset(ks) for c, ks in table.items()}


#: a text up to this long has its one-character rules read from the characters found (one
#: scan); a longer one (maybe thousands of quotes) is searched once per rule
_ONE_SCAN_LINE = 2000


@functools.lru_cache(maxsize=8)
def _one_char_patterns(grammar: Grammar) -> dict[int, "re.Pattern"]:
    """{index of a merged one-character rule without a prefilter: its own class}: the
    rule's pattern itself, compiled with ``re``."""
    scans = _substitutions_multiline(grammar)
    subs = _substitutions(grammar)
    return {} if scans is None else {k: own for k, own in scans[1] if subs[k][0].pre is None}


def _one_char_hint(text: str, merged: tuple, grammar: Grammar) -> set[int]:
    """The merged one-character rules whose class is in ``text``."""
    table = _one_char_rules(grammar) if len(text) <= _ONE_SCAN_LINE else None
    if table is None:
        return {k for k, one in merged if one.search(text)}
    return set().union(*map(table.__getitem__, set(
        _substitutions_multiline(grammar)[0].findall(text))))


#: classes of up to this many characters in all are scanned for with one str.find per
#: character (:func:`_lines_to_substitute`), larger ones with one regex class scan
_FIND_CHARS = 128


def _line_starts(texts: list[str]) -> list[int]:
    """The offset of each text in the texts joined by line breaks."""
    return list(itertools.accumulate(map((1).__add__, map(len, texts[:-1])), initial=0))


def _lines_to_substitute(texts: list[str], grammar: Grammar) -> dict[int, set[int]] | None:
    """{index of an (NFC) text some substitution rule may change: the indices of the rules
    that may}: a superset of what the rules' patterns match line by line, found by one
    scan per rule of the texts joined by line breaks (a match there flags every line it
    touches, and the scan goes on at the next line; a line matched on its own is
    matched, or overlapped by a match, in the joined scan). None: unknown."""
    scans = _substitutions_multiline(grammar)
    if scans is None:
        return None
    one_char, merged, patterns = scans
    joined = "\n".join(texts)
    starts = _line_starts(texts)
    flagged: dict[int, set[int]] = {}
    n = len(texts)
    table = _one_char_rules(grammar) if one_char is not None else None
    if table is not None and len(table) <= _FIND_CHARS:
        # each character of the classes found with str.find (a fast byte search), which
        # beats one regex class scan of the whole letter; a line holding the character
        # gets the rules whose class holds it (as _one_char_hint would)
        find = joined.find
        for ch, rules in table.items():
            if ch == "\n":
                continue  # (a line holds none: the one in ``joined`` is a line break)
            pos = find(ch)
            while pos >= 0:
                line = bisect.bisect_right(starts, pos) - 1
                flagged.setdefault(line, set()).update(rules)
                if line + 1 >= n:
                    break
                pos = find(ch, starts[line + 1])
    elif one_char is not None:
        pos = 0
        while True:
            m = one_char.search(joined, pos)
            if m is None:
                break
            line = bisect.bisect_right(starts, m.start()) - 1
            flagged.setdefault(line, set()).update(_one_char_hint(texts[line], merged, grammar))
            if line + 1 >= n:
                break
            pos = starts[line + 1]
    timeout = _line_timeout(joined)
    padded = None
    for k, pattern in patterns:  # one rule at a time: a joined alternation scans slower
        if isinstance(pattern, _Literals):
            if padded is None:
                padded = f"\n{joined}\n"
            for line in pattern.lines(padded, starts):
                flagged.setdefault(line, set()).add(k)
            continue
        pos = 0
        while pos <= len(joined):
            m = (pattern.search(joined, pos) if timeout is None
                 else pattern.search(joined, pos, timeout=timeout))
            if m is None:
                break
            first = bisect.bisect_right(starts, m.start()) - 1
            last = bisect.bisect_right(starts, max(m.end() - 1, m.start())) - 1
            for line in range(first, last + 1):
                flagged.setdefault(line, set()).add(k)
            # on to the next line: one match a line at most (a line of 10 000 spaces is
            # not 5 000 matches), and the rest of this line is flagged already
            if last + 1 >= n:
                break
            pos = starts[last + 1]
    return flagged


@functools.lru_cache(maxsize=8)
def _tone_rule(grammar: Grammar):
    for rule in grammar.rules("normalize"):
        if rule.id.startswith("tone.") and isinstance(rule.value, dict) \
                and rule.value.get("style") in (*tones.STYLES, tones.LETTER_STYLE):
            return rule
    return None


def normalize_line(raw_line: str, grammar: Grammar, style: str | None = None
                   ) -> tuple[str, list[int], list[tuple]]:
    """Normalize one raw line. Returns (text, raw columns, [(before, after, rule, col)]).

    Steps: NFC (not listed: a change of representation, not of content); the substitution
    rules of normalize.yaml in order (those with ``value.replace``); then tone marks placed
    word by word (rule ``tone.placement``; ``style`` overrides its convention, which
    :func:`normalize` sets per letter). Every character of the result knows its raw
    column; every change that is more than white space is returned with its rule.
    """
    text, cols, changes = _substitute(raw_line, grammar)
    return _place_tones(text, cols, changes, grammar, style)


def _substitute(raw_line: str, grammar: Grammar, hint: set[int] | None = None
               ) -> tuple[str, list[int] | None, list[tuple]]:
    """NFC and the substitution rules of one raw line (the first steps of normalize_line).

    ``hint``: the indices of the rules that may change the line as read (from
    :func:`_lines_to_substitute`, for an NFC line); only they are tried until one
    matches, without a search first (their scan matched). After that (the text changed)
    every later rule is tried, but a rule whose scan is a one-character class or literal
    alternatives only when its scan is in the new text (:func:`_scan_checks`)."""
    text = raw_line
    cols: list[int] | None = None  # None: every character at its own raw column
    changes: list[tuple] = []
    if hint is None and not unicodedata.is_normalized("NFC", text):  # (hinted: NFC)
        text, cols = _compose(text)
    subs = _substitutions(grammar)
    if hint is None:
        any_sub = _any_substitution(grammar)
        t = _line_timeout(text)
        if any_sub is not None and not (any_sub.search(text) if t is None
                                        else any_sub.search(text, timeout=t)):
            subs = ()
    one_char = _one_char_patterns(grammar)
    checks = _scan_checks(grammar) if hint is not None else {}
    changed = False  # (hinted: the text changed, the hint no longer holds)
    for k, (rule, replacement) in enumerate(subs):
        if hint is not None and not changed:
            if k not in hint:
                continue
            # (a rule whose scan matched most often matches: _apply's own scan tells)
        elif k in checks:  # changed: the rule's own scan, on the new text
            if not checks[k](text):
                continue
        elif not (rule.regex.search(text) if (t := _line_timeout(text)) is None
                  else rule.regex.search(text, timeout=t)):
            continue
        before = text
        text, cols, ch = _apply(text, cols, rule, replacement, one_char.get(k))
        if text is not before:
            changed = True
        if ch and not rule.id.startswith(_QUIET_RULES):
            changes.extend((b, a, rule.id, c) for b, a, c in ch)
    return text, cols, changes


@functools.lru_cache(maxsize=8)
def _scan_checks(grammar: Grammar) -> dict:
    """{index of a rule whose scan is a one-character class or literal alternatives: a
    test that its scan is in a line (a line without it is left as is by the rule)}; the
    other rules are tried with a search of their pattern."""
    scans = _substitutions_multiline(grammar)
    if scans is None:
        return {}
    _, merged, patterns = scans
    checks = {k: one.search for k, one in merged}
    checks.update((k, scan.matches) for k, scan in patterns if isinstance(scan, _Literals))
    return checks


def _place_tones(text: str, cols: list[int] | None, changes: list[tuple], grammar: Grammar,
                 style: str | None) -> tuple[str, list[int] | None, list[tuple]]:
    """The tone step of normalize_line, on a line already substituted."""
    tone = _tone_rule(grammar)
    if tone is not None and len(text) <= WORD_RULES_MAX_LINE:
        style = style or tone.value["style"]
        if style == tones.LETTER_STYLE:
            style = tones.letter_style(text, grammar)
        moved = list(tones.place_tones(text, grammar, style))
        if moved:
            chars = list(text)
            for offset, word, new in moved:
                chars[offset:offset + len(word)] = list(new)
                changes.append((word, new, tone.id, offset if cols is None else cols[offset]))
            text = "".join(chars)
    return text, cols, changes


def normalize(letter: Letter, grammar: Grammar) -> Letter:
    """Fill ``letter.lines`` from ``letter.raw``; list content changes in corrections.

    One :class:`Line` per raw line, in order (``lines[i].raw_no == i + 1``): later stages
    rely on it. Lines are never merged here; re-joining wrapped lines is the extractors'
    job.
    """
    raw_lines = letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tone = _tone_rule(grammar)
    style = None
    if tone is not None and tone.value["style"] == tones.LETTER_STYLE:
        style = tones.letter_style(unicodedata.normalize("NFC", letter.raw), grammar)
    n = len(raw_lines)
    has_long = max(map(len, raw_lines)) > WORD_RULES_MAX_LINE
    # a line repeated (page headers, adversarial input) is normalized once
    distinct_lines = dict.fromkeys(raw_lines)
    distinct_lines.pop("", None)
    uniq = [line for line in distinct_lines if len(line) <= WORD_RULES_MAX_LINE] \
        if has_long else list(distinct_lines)
    # a letter in NFC has its lines in NFC (a line break composes with nothing)
    if unicodedata.is_normalized("NFC", letter.raw):
        nfc = None
        flagged = _lines_to_substitute(uniq, grammar)
    else:
        nfc = [unicodedata.is_normalized("NFC", line) for line in uniq]
        flagged = _lines_to_substitute([line if ok else "" for line, ok in zip(uniq, nfc)],
                                       grammar)
    # the lines some rule changes: (text, raw columns, changes); the others stay as read
    seen: dict[str, tuple] = {}
    if nfc is None and flagged is not None:  # only the flagged lines are looked at
        todo = ((uniq[i], hint) for i, hint in flagged.items())
    else:
        todo = ((raw_line, None if flagged is None or not ok else flagged.get(i, ()))
                for i, (raw_line, ok) in enumerate(zip(uniq, nfc or itertools.repeat(True))))
    for raw_line, hint in todo:
        if hint == ():
            continue  # no rule matches it: left as is
        got = _substitute(raw_line, grammar, hint)
        if got[2] or got[0] != raw_line:
            seen[raw_line] = got
    # the letter's distinct words, read once for the tone step and for mark restoration
    texts = [seen[line][0] if line in seen else line for line in uniq] if seen else uniq
    # and among them the words the tone step may move or mark restoration may correct:
    # most letters have none, or only the few suspects such as "QUYÉT" (the others are
    # known per grammar)
    words, unsettled = tones.words_and_unsettled(
        [text for text in texts if len(text) <= WORD_RULES_MAX_LINE] if seen else texts,
        grammar, None if tone is None else style or tone.value["style"])
    # the tone step, only when some word of the letter moves (most letters: none)
    if tone is not None and _some_word_moves(unsettled, grammar, style or tone.value["style"]):
        for raw_line in uniq:
            text, cols, changes = seen.get(raw_line) or (raw_line, None, ())
            got = _place_tones(text, cols, list(changes), grammar, style)
            if got[2] or got[0] != raw_line:
                seen[raw_line] = got
        words = None  # words changed: read again
    # the Line objects: the text of each (most lines as read), then the raw columns and
    # the corrections of the changed ones, in line order
    vocabulary = None
    with _bulk(n):
        if seen or has_long:
            final = {raw_line: got[0] for raw_line, got in seen.items()}
            if has_long:  # not letter text: left as read (NFC)
                final.update((line, unicodedata.normalize("NFC", line)) for line in raw_lines
                             if len(line) > WORD_RULES_MAX_LINE)
            line_texts = list(map(final.get, raw_lines, raw_lines))
        else:
            line_texts = raw_lines
        lines = list(map(Line, line_texts, range(1, n + 1)))
    if seen:
        corrections = letter.corrections
        for i in itertools.compress(range(n), map(seen.__contains__, raw_lines)):
            text, cols, changes = seen[raw_lines[i]]
            if cols is not None and text != raw_lines[i]:
                lines[i].cols = list(cols)
            no = i + 1
            for before, after, rule_id, col in changes:
                corrections.append({"before": before, "after": after, "rule": rule_id,
                                    "line": no, "column": col})
    if has_long:
        line_texts = [text if len(text) <= WORD_RULES_MAX_LINE else "" for text in line_texts]
        if words is not None and any(len(line) > WORD_RULES_MAX_LINE and text
                                     for line, text in zip(raw_lines, line_texts)):
            # a long raw line shorter than the limit once composed: not among ``words``,
            # but its words are counted as candidates
            vocabulary = tones.distinct_words(line_texts)
    suspects = None
    if words is not None:  # (else words changed: restore_from_letter reads them again)
        suspects = {w for w in unsettled if tones._fixable(w, grammar)}
    if suspects is None or suspects:  # (no suspect: nothing to restore)
        _restore_marks(letter, lines, grammar, words, line_texts, vocabulary, suspects)
    letter.lines = lines
    letter.invalidate()
    return letter


#: a letter of more lines than this builds its Line objects with the cyclic garbage
#: collector paused (they hold no cycles; a million of them otherwise cost a dozen full
#: collections, more time than building them)
BULK_LINES = 20_000


@contextlib.contextmanager
def _bulk(n: int):
    if n <= BULK_LINES or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _some_word_moves(words: set[str], grammar: Grammar, style: str) -> bool:
    """True when the tone step may move one of ``words`` (False: it moves none).

    ``letter`` style is decided per line, so it always says True."""
    if style == tones.LETTER_STYLE:
        return True
    return tones.any_word_moves(words, grammar, style)


@functools.lru_cache(maxsize=8)
def _marks_rule(grammar: Grammar):
    return next((r for r in grammar.rules("normalize") if r.id.startswith("ocr.marks")), None)


def _restore_marks(letter: Letter, lines: list[Line], grammar: Grammar,
                   words: set[str] | None = None, texts: list[str] | None = None,
                   vocabulary: set[str] | None = None, suspects: set[str] | None = None
                   ) -> None:
    """Rule ``ocr.marks_from_letter``: marks restored from the letter's own spelling.
    ``words``: the distinct words of the lines (tones.distinct_words), when already read;
    ``texts``: the lines' texts, those over the length limit empty, when already built;
    ``vocabulary``, ``suspects``: see tones.restore_from_letter."""
    rule = _marks_rule(grammar)
    if rule is None or not isinstance(rule.value, dict):
        return
    if texts is None:
        texts = [line.text if len(line.text) <= WORD_RULES_MAX_LINE else "" for line in lines]
    fixes = tones.restore_from_letter(texts, grammar, int(rule.value.get("min_count", 3)),
                                      float(rule.value.get("ratio", 3.0)), words, vocabulary,
                                      suspects)
    for (i, offset), (before, after) in sorted(fixes.items()):
        line = lines[i]
        if line.cols is None:
            line.cols = list(range(len(line.text)))
        line.text = line.text[:offset] + after + line.text[offset + len(before):]
        letter.corrections.append({"before": before, "after": after, "rule": rule.id,
                                   "line": line.raw_no, "column": line.raw_col(offset)})
