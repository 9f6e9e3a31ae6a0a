"""The speed paths of normalize and tones give what the plain algorithms give.

normalize scans a letter with the one-character substitution rules merged into one class
(compiled with the standard ``re``), reads the distinct words from space-separated tokens
(``str.isalpha`` tokens taken whole) and restores marks from whole-word occurrences found
with ``str.find``. Each shortcut is checked here against the plain way of doing it.
"""

from __future__ import annotations

import collections
import random
import unicodedata
from pathlib import Path

import pytest
import regex

from vn_officialdoc import normalize as norm
from vn_officialdoc import tones
from vn_officialdoc.letter import Letter

ROOT = Path(__file__).resolve().parent.parent
LETTERS = sorted((ROOT / "samples").glob("*.txt")) + sorted(
    (ROOT.parent / "shared" / "corpus" / "dev").glob("*.txt"))


def test_isalpha_letters_are_letters(every_char):
    """distinct_words takes an isalpha token as one \\p{L}+ word, and split() never cuts
    inside a word."""
    letters = set(regex.findall(r"\p{L}", every_char))
    assert {c for c in every_char if c.isalpha()} <= letters
    assert not {c for c in every_char if not c.split()} & letters


def test_merged_class_is_the_rules_classes(grammar, every_char):
    one_char, merged, _ = norm._substitutions_multiline(grammar)
    assert merged, "no one-character rule merged"
    subs = norm._substitutions(grammar)
    union: set[str] = set()
    for k, own in merged:
        rule = subs[k][0]
        scan = rule.pre if rule.pre is not None else rule.regex
        expected = set(scan.findall(every_char))
        assert all(len(c) == 1 for c in expected)
        assert set(own.findall(every_char)) == expected, rule.id
        union |= expected
    assert set(one_char.findall(every_char)) == union


@pytest.mark.parametrize("pattern,chars", [
    ("[\\u201C\\u201D]", "\u201c\u201d"), ("\\|", "|"), ("[*_=~]", "*_=~"),
    ("[\\t\\u2000-\\u2002]", "\t\u2000\u2001\u2002"), ("[ab\\-]", "ab-"),
])
def test_one_char_ranges(pattern, chars):
    ranges = norm._one_char_ranges(pattern)
    got = {chr(c) for a, b in ranges for c in range(ord(a), ord(b) + 1)}
    assert got == set(chars)


@pytest.mark.parametrize("pattern", ["[^ab]", "\\p{L}", "[\\w]", " {2,}", "^ +| +$", "[a-"])
def test_not_one_char(pattern):
    assert norm._one_char_ranges(pattern) is None


def _damaged(text: str, rng: random.Random) -> str:
    marks = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
    words = text.split(" ")
    for i, word in enumerate(words):
        if rng.random() < 0.1:
            d = [rng.choice(marks) if c in marks and rng.random() < 0.3 else c
                 for c in unicodedata.normalize("NFD", word)]
            words[i] = unicodedata.normalize("NFC", "".join(d))
            if rng.random() < 0.2:
                words[i] = words[i].upper()
    return " ".join(words)


def _texts() -> list[str]:
    rng = random.Random(4)
    out = []
    for path in LETTERS[:40]:
        text = path.read_text(encoding="utf-8", errors="replace")
        out += [text, _damaged(text, rng), unicodedata.normalize("NFD", text),
                "".join(c + rng.choice(["", "", "1", "_", ".", "\n", "x\u0301", "ǅ"])
                        for c in text[:3000])]
    return out


def test_distinct_words_is_findall():
    for text in _texts():
        lines = text.split("\n")
        assert tones.distinct_words(lines) == set(regex.findall(r"\p{L}+", "\n".join(lines)))


def _restore_plainly(lines, grammar, min_count=3, ratio=3.0):
    """restore_from_letter the plain way: every line read, every word counted."""
    distinct = set(regex.findall(r"\p{L}+", "\n".join(lines)))
    suspects = {w for w in distinct if tones._suspect(w, grammar)}
    lows = [w.lower() for w in regex.findall(r"\p{L}+|\n", "\n".join(lines))]
    counts = collections.Counter(lows)
    counts.pop("\n", None)
    pairs = collections.Counter(zip(lows, lows[1:]))
    fixes = {}
    for i, line in enumerate(lines):
        words = [(m.start(), m.group(0)) for m in regex.finditer(r"\p{L}+", line)]
        for k, (offset, word) in enumerate(words):
            if word not in suspects:
                continue
            low = word.lower()
            candidates = [c for c in counts if len(c) == len(low) and tones.skeleton(c)
                          == tones.skeleton(low) and tones.is_syllable(c, grammar)]
            if not candidates:
                continue
            prev = words[k - 1][1].lower() if k > 0 else None
            nxt = words[k + 1][1].lower() if k + 1 < len(words) else None
            support = {c: pairs[(prev, c)] + pairs[(c, nxt)] for c in candidates}
            ranked = sorted(candidates, key=lambda c: (support[c], counts[c]), reverse=True)
            best, second = ranked[0], (ranked[1] if len(ranked) > 1 else None)
            if not (support[best] and (second is None or support[best] > support[second])
                    or counts[best] >= min_count
                    and (second is None or counts[best] >= ratio * counts[second])):
                continue
            fixes[(i, offset)] = (word, tones.with_case_of(word, best))
    return fixes


def test_restore_from_letter_is_the_plain_way(grammar):
    some = 0
    for text in _texts():
        lines = text.split("\n")
        got = tones.restore_from_letter(lines, grammar)
        assert got == _restore_plainly(lines, grammar)
        some += bool(got)
    assert some > 20


@pytest.mark.parametrize("seed", range(40))
def test_restore_from_letter_is_the_plain_way_on_made_up_letters(grammar, seed):
    """Letters of suspects beside several valid readings of theirs, each written a random
    number of times beside random neighbours (a key with one candidate stops counting
    at min_count; one with several counts them all)."""
    rng = random.Random(seed)
    suspects = ["QUYÉT", "chât", "Quôc", "quyềt", "CHÂT"]
    valid = ["quyết", "QUYẾT", "Quyết", "quyệt", "chất", "chật", "chắt", "quốc", "QUỐC",
             "quộc"]
    others = ["định", "ĐỊNH", "lượng", "gia", "hàng", "x", "12", "ban", "."]
    lines = []
    for _ in range(rng.randrange(3, 30)):
        words = [rng.choice(suspects if r < 0.1 else valid if r < 0.45 else others)
                 for r in (rng.random() for _ in range(rng.randrange(0, 9)))]
        lines.append(" ".join(words))
    for min_count, ratio in ((3, 3.0), (1, 1.0), (5, 2.0)):
        got = tones.restore_from_letter(lines, grammar, min_count, ratio)
        assert got == _restore_plainly(lines, grammar, min_count, ratio), (min_count, lines)


def test_restore_counts_a_long_line_short_once_composed(grammar):
    """A raw line over the length limit is not read for words, but once composed under
    the limit its candidates count (as they always did)."""
    long_line = "a\u0301" * 10_005 + " QUYẾT ĐỊNH QUYẾT ĐỊNH QUYẾT ĐỊNH"
    letter = norm.normalize(Letter(raw=f"QUYÉT ĐỊNH\nquyết x\n{long_line}\nend"), grammar)
    assert [(c["before"], c["after"], c["line"]) for c in letter.corrections] == [
        ("QUYÉT", "QUYẾT", 1)]
    long_line = "a" * 20_001 + " QUYẾT ĐỊNH QUYẾT ĐỊNH QUYẾT ĐỊNH"
    letter = norm.normalize(Letter(raw=f"QUYÉT ĐỊNH\nquyết x\n{long_line}\nend"), grammar)
    assert letter.corrections == []


@pytest.mark.parametrize("raw", [
    "a\u201cb\u201d  c \n \u2013 x\t*y*\n**z** | w\n\n___\n",
    "“x” ‘y’ — z\u00a0\u200bq  \n  lead\ntrail  \n",
    "e\u0302\u0301 “nfd” line  \n*V/v*\n",
])
def test_normalize_lines_match_normalize_line(grammar, raw):
    """Per letter (scans, hints) and per line, the same text, columns and changes."""
    assert_letter_is_its_lines(raw, grammar)


def assert_letter_is_its_lines(raw: str, grammar) -> None:
    """normalize on the whole letter gives, line by line, what normalize_line gives on each
    raw line (text, raw columns, changes; mark restoration aside). Shared with
    test_perf_norm3."""
    letter = norm.normalize(Letter(raw=raw), grammar)
    marks = [c for c in letter.corrections if c["rule"] != "ocr.marks_from_letter"]
    expected = []
    for no, raw_line in enumerate(raw.split("\n"), start=1):
        text, cols, changes = norm.normalize_line(raw_line, grammar)
        line = letter.lines[no - 1]
        assert line.text == text, raw_line
        assert [line.raw_col(i) for i in range(len(text))] == (
            list(range(len(text))) if cols is None else cols[:len(text)])
        expected += [(b, a, r, no, c) for b, a, r, c in changes]
    assert [(c["before"], c["after"], c["rule"], c["line"], c["column"])
            for c in marks] == expected
