"""The speed tricks of extract/header and segment give the same results as the plain forms."""

from __future__ import annotations

import itertools

import pytest
import regex

from vn_officialdoc.extract import header
from vn_officialdoc.letter import Letter, Line
from vn_officialdoc.normalize import normalize
from vn_officialdoc.read import read_text
from vn_officialdoc.segment import segment
from vn_officialdoc.tones import _skeleton as skel

from conftest import DEV, SAMPLES

_WORD_OR_BREAK = regex.compile(r"\p{L}+|\n")


def _places_plain(letter: Letter, subject_lines, lows):
    """Every word of the rest of the letter, read one by one (the plain form): each place
    where a word of a subject word's letters stands beside a subject word,
    {skeleton: [(word before, the word, word after), ...]}."""
    near = set(lows)
    wanted = {skel(w) for w in lows}
    own = {i for i, *_ in subject_lines}
    tokens = _WORD_OR_BREAK.findall("\n".join(
        line.text for i, line in enumerate(letter.lines) if i not in own and line.text).lower())
    seen: dict[str, list] = {}
    for j, w in enumerate(tokens):
        if not ((j > 0 and tokens[j - 1] in near) or (j + 1 < len(tokens)
                                                       and tokens[j + 1] in near)):
            continue
        if len(w) >= 2 and skel(w) in wanted:
            a = tokens[j - 1] if j > 0 else "\n"
            b = tokens[j + 1] if j + 1 < len(tokens) else "\n"
            seen.setdefault(skel(w), []).append((None if a == "\n" else a, w,
                                                 None if b == "\n" else b))
    return seen


def _support_plain(places, sk, prev, nxt):
    support: dict[str, int] = {}
    for a, w, b in places.get(sk, ()):
        if (prev is not None and a == prev) or (nxt is not None and b == nxt):
            support[w] = support.get(w, 0) + 1
    return support


def _check(letter: Letter, subject_lines, lows, extra=("của", "phát", "xyz")):
    places = _places_plain(letter, subject_lines, lows)
    other = header._other_text(letter, subject_lines)
    near = set(lows)
    for n, low in enumerate(lows):
        sk = skel(low)
        nxt = lows[n + 1] if n + 1 < len(lows) else None
        # the word before may be a corrected word, not one of the subject's
        for prev in {lows[n - 1] if n else None, *extra}:
            got = header._neighbour_support(other, sk, prev, nxt, near)
            assert got == _support_plain(places, sk, prev, nxt), (low, prev, nxt)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")) + sorted(DEV.glob("*.txt"))[:40],
                         ids=lambda p: p.name)
def test_neighbour_support_is_the_plain_count(path, grammar):
    letter = segment(normalize(read_text(path.read_text(encoding="utf-8")), grammar), grammar)
    scan = header.scan_head(letter, grammar)
    subject = scan.subject_lines or [(0, letter.lines[0].text, 0, 0)]
    lows = [m.group(0).lower() for _i, text, _s, _e in subject
            for m in regex.finditer(r"\p{L}{2,8}", text)]
    if len(lows) < 2:
        # no subject: the words of a line of the body stand for one
        body = next((ln.text for ln in letter.lines if len(ln.text) > 40), "một hai ba")
        lows = [w.lower() for w in regex.findall(r"\p{L}{2,8}", body)]
    _check(letter, subject, lows)


@pytest.mark.parametrize("lines", [
    ["V/v sửa đổi, bỗ sung", "Sửa đối bổ sung; sửa đổi, bổ sung.", "bổ sung sửa đổi"],
    ["Về phát triên", "phát triển\nphát triễn", "(phát)triển phát-triển triển phát",
     "phátriển phát  triển!", "triển"],
    ["công bồ", "Công bố công bố công bồ công", "bố công", "", "   ", "công"],
    ["x İstanbul ab", "x İstanbul ab ab x", "İstanbul ab ßab ab"],
    ["Đảng ủy đảng", "đảng ủy", "ĐẢNG ỦY", "dang uy đang uỷ đảng ủy"],
])
def test_neighbour_support_edge_cases(lines):
    letter = Letter(raw="\n".join(lines), lines=[Line(t, i + 1) for i, t in enumerate(lines)])
    subject = [(0, lines[0], 0, len(lines[0]))]
    lows = [m.group(0).lower() for m in regex.finditer(r"\p{L}{2,8}", lines[0])]
    words = {w.lower() for t in lines for w in regex.findall(r"\p{L}+", t)}
    _check(letter, subject, lows, extra=tuple(itertools.islice(sorted(words), 12)))


_LETTER = regex.compile(r"\p{L}")
_LOWER = regex.compile(r"\p{Ll}")
_TRIM = regex.compile(r"^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$")
_SAMPLE_CHARS = "aĐđBcdểỦY ỷ1２²㆒,.:;-–/()“”'\"§©+ \t\u00a0\u0301ǅΣσ가"


def _random_texts(n: int = 3000):
    import random

    rng = random.Random(11)
    texts = ["", "A", "ab", "ABCD", "ABCd", "AbCd", "ỦY BAN NHÂN DÂN", "Số: 12/UBND",
             "㆒ABC㆒", "²ABC²", " ABC ", "“ABC”"]
    for _ in range(n):
        texts.append("".join(rng.choice(_SAMPLE_CHARS) for _ in range(rng.randint(1, 12))))
    return texts


def test_is_upper_text_is_the_plain_count():
    for text in _random_texts():
        for max_lower in (0, 1, 2):
            plain = (len(_LETTER.findall(text)) >= 4
                     and len(_LOWER.findall(text)) <= max_lower)
            assert header._is_upper_text(text, max_lower) == plain, (text, max_lower)


def test_title_trim_shortcut_is_the_plain_trim():
    """_title_in leaves a part that starts and ends with a letter or a decimal digit as
    it is: the plain trim (header._TRIM) never changes such a part."""
    for text in _random_texts():
        a, z = text[:1], text[-1:]
        if (a.isalpha() or a.isdecimal()) and (z.isalpha() or z.isdecimal()):
            assert _TRIM.sub("", text) == text, text
    assert header._TRIM.pattern == _TRIM.pattern
