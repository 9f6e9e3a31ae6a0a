"""Speed paths of normalize (round 3) give what the plain ways give.

The substitution scans read the one-character rules of a line from the characters found
(a table) and find literal scans ('  ', '^ | $') with ``str.find``; each is checked here
against the regular expressions it stands for.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest
import regex

from vn_officialdoc import normalize as norm

from test_perf_norm import assert_letter_is_its_lines

ROOT = Path(__file__).resolve().parent.parent
ROOT_LETTERS = sorted((ROOT / "samples").glob("*.txt")) + sorted(
    (ROOT.parent / "shared" / "corpus" / "dev").glob("*.txt"))


def test_one_char_table_is_the_classes(grammar, every_char):
    one_char, merged, _ = norm._substitutions_multiline(grammar)
    table = norm._one_char_rules(grammar)
    assert table
    for c in one_char.findall(every_char):
        assert table[c] == {k for k, own in merged if own.match(c)}, c
    assert len(table) == len(one_char.findall(every_char))


def test_one_char_hint_short_and_long(grammar):
    _, merged, _ = norm._substitutions_multiline(grammar)
    rng = random.Random(3)
    chars = "ab \u201c\u2013*|\t\u00a0\u200b'\u2019x_="
    for size in (0, 1, 5, 50, norm._ONE_SCAN_LINE + 10):
        for _ in range(30):
            text = "".join(rng.choice(chars) for _ in range(size))
            assert norm._one_char_hint(text, merged, grammar) == {
                k for k, one in merged if one.search(text)}


@pytest.mark.parametrize("pattern,expected", [
    ("  ", (("  ", False, False),)),
    ("^ | $", ((" ", True, False), (" ", False, True))),
    ("a\\.b|^x$", (("a.b", False, False), ("x", True, True))),
    ("\\|", (("|", False, False),)),
])
def test_literal_alternatives(pattern, expected):
    assert norm._literal_alternatives(pattern) == expected


@pytest.mark.parametrize("pattern", ["[ab]", "a+", "\\d", "a|", "|a", "(a)", "a.b", "^",
                                     "a\\sb", "x{2}", "a$b"])
def test_not_literal_alternatives(pattern):
    assert norm._literal_alternatives(pattern) is None


@pytest.mark.parametrize("pattern", ["  ", "^ | $", "^ab|b$|c", "^a$", "ab\\.", "^  "])
def test_literals_flag_the_lines_the_pattern_matches(pattern):
    scan = norm._Literals(norm._literal_alternatives(pattern))
    rng = random.Random(pattern)
    for _ in range(300):
        lines = ["".join(rng.choice("ab c.") for _ in range(rng.randrange(0, 7)))
                 for _ in range(rng.randrange(1, 8))]
        joined = "\n".join(lines)
        got = scan.lines(f"\n{joined}\n", norm._line_starts(lines))
        assert got == {i for i, line in enumerate(lines) if regex.search(pattern, line)}, lines


@pytest.mark.parametrize("pattern", ["  ", "^ | $", "^ab|b$|c", "^a$", "ab\\.", "^  "])
def test_literals_match_a_line_as_the_pattern(pattern):
    scan = norm._Literals(norm._literal_alternatives(pattern))
    rng = random.Random(pattern)
    for _ in range(2000):
        line = "".join(rng.choice("ab c.") for _ in range(rng.randrange(0, 7)))
        assert scan.matches(line) == bool(regex.search(pattern, line)), line


def test_every_syllable_may_have_candidates(grammar):
    """The skeleton shape (a gate of restore_from_letter) holds the skeleton of every valid
    syllable: onset, vowels and coda from the grammar, any tone on any letter, any case."""
    from vn_officialdoc import tones

    defs = grammar.defs("normalize")
    onsets = [""] + defs["onset"].split("|")
    vowels = defs["vowels"].split("|")
    codas = [""] + defs["coda"].split("|")
    rng = random.Random(5)
    marks = ["", *sorted(tones.TONES)]
    assert tones._skeleton_shape(grammar) is not None
    seen = 0
    for onset in onsets:
        for vowel in vowels:
            for coda in codas:
                word = onset + vowel + coda
                for _ in range(3):
                    i = rng.randrange(len(word))
                    variant = unicodedata.normalize(
                        "NFC", word[:i + 1] + rng.choice(marks) + word[i + 1:])
                    if rng.random() < 0.3:
                        variant = variant.upper()
                    if tones.is_syllable(variant.lower(), grammar):
                        seen += 1
                        assert tones._may_have_candidate(variant, grammar), variant
    assert seen > 5000


def test_unsettled_is_the_plain_way(grammar):
    """unsettled: the words that move in the style or are suspects with a possible
    candidate, whatever the per-grammar memo holds already."""
    from vn_officialdoc import tones

    words = set()
    rng = random.Random(6)
    for text in ["QUYÉT ĐỊNH Quôc chât QĐ HĐND họat hoà hòa thuỷ Lênin zôn ĐT câp bỗổ",
                 *(p.read_text(encoding="utf-8") for p in ROOT_LETTERS[:20])]:
        words |= set(regex.findall(r"\p{L}+", text))
    words = sorted(words)
    for style in (None, "keep", "classic", "new"):
        for _ in range(3):
            some = set(rng.sample(words, len(words) // 2))
            expected = {w for w in some if (
                style is not None and tones.place_tone(w, grammar, style) != w)
                or tones._suspect(w, grammar) and tones._may_have_candidate(w, grammar)}
            assert tones.unsettled(some, grammar, style) == expected


def test_latin1_or_special_class(every_char):
    from vn_officialdoc import encodings

    assert set(encodings._LATIN1_OR_SPECIAL.findall(every_char)) == {
        c for c in every_char if 0x80 <= ord(c) < 0x100 or c in encodings._CP1252_SPECIALS}


def test_words_and_unsettled_is_distinct_words_and_unsettled(grammar):
    from vn_officialdoc import tones

    rng = random.Random(7)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in ROOT_LETTERS[:30]]
    texts += ["QUYÉT ĐỊNH, Quôc. chât: (QĐ) HĐND-họat hoà;hòa thuỷ\u00a0Lênin x\u0301 ǅ 1a2",
              "", "\n\n", "12 34 ."]
    texts += ["".join(c + rng.choice(["", "", "1", "_", ".", "\n", "x\u0301", "ǅ", " ", ",",
                                      ";", ":", "(", ")", '"', "\u00b2", "\u0661", "\u2167"])
                      for c in text[:2000]) for text in texts[:10]]
    for style in (None, "keep", "new"):
        for text in texts:
            lines = text.split("\n")
            words, unsettled = tones.words_and_unsettled(lines, grammar, style)
            assert words == set(regex.findall(r"\p{L}+", text))
            assert unsettled == tones.unsettled(words, grammar, style)


@pytest.mark.parametrize("seed", range(6))
def test_normalize_random_debris_matches_normalize_line(grammar, seed):
    """Per letter (scans, hints, checks after a change) and per line (every rule searched),
    the same text, columns and changes, on lines full of what the rules change."""
    rng = random.Random(seed)
    alphabet = ["a", "b", "Đ", " ", " ", "  ", "*", "**", "_", "=", "~", "|", "\u201c",
                "\u201d", "\u2018", "\u2019", "\u2013", "\u2014", "\t", "\u00a0", "\u200b",
                "-", ".", "e\u0301"]
    lines = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
             for _ in range(60)]
    assert_letter_is_its_lines("\n".join(lines), grammar)
