"""Speed round 4 of extract/header: each shortcut gives what the plain form gives (on the
samples and dev letters, on the grammar's own tables, and on random texts)."""

from __future__ import annotations

import pytest
import regex

from vn_officialdoc.extract import header
from vn_officialdoc.gazetteer import second_syllables, two_syllable_words
from vn_officialdoc.normalize import normalize
from vn_officialdoc.read import read_text
from vn_officialdoc.segment import segment

from conftest import DEV, SAMPLES

_WORD_OR_BREAK = regex.compile(r"\p{L}+|\n")
_LETTERS = sorted(SAMPLES.glob("*.txt")) + sorted(DEV.glob("*.txt"))[:40]


def _letter(path, grammar):
    return segment(normalize(read_text(path.read_text(encoding="utf-8")), grammar), grammar)


def test_second_syllables_is_the_word_list(grammar):
    """'a b' is a word of the list iff b is among the second syllables of a (for
    syllables without spaces, as the subject's words are)."""
    words = two_syllable_words(grammar)[0]
    table = second_syllables(grammar)
    syllables = sorted({s for w in words for s in w.split(" ")})[:400] + ["xyz", "bổ", "sung"]
    for w in words:
        a, _, b = w.partition(" ")
        if " " not in b:
            assert b in table.get(a, ()), w
    for a in syllables[:60]:
        for b in syllables:
            assert (b in table.get(a, ())) == (f"{a} {b}" in words), (a, b)


def _tokens(text: str) -> list[str]:
    """The words and line breaks of a text, runs of line breaks as one."""
    out: list[str] = []
    for t in _WORD_OR_BREAK.findall(text):
        if not (t == "\n" and out and out[-1] == "\n"):
            out.append(t)
    return out


@pytest.mark.parametrize("path", _LETTERS, ids=lambda p: p.name)
def test_other_text_holds_the_plain_words(path, grammar):
    """_other_text (the letter's joined text, subject lines cut out) reads as the plain
    join of the other non-empty lines: the same words between the same line breaks."""
    letter = _letter(path, grammar)
    scan = header.scan_head(letter, grammar)
    for subject in (scan.subject_lines, [(0, "", 0, 0)], [(len(letter.lines) - 1, "", 0, 0)],
                    [(i, "", 0, 0) for i in range(0, len(letter.lines), 3)]):
        own = {i for i, *_ in subject}
        plain = "\n".join(line.text for i, line in enumerate(letter.lines)
                          if i not in own and line.text).lower()
        got = header._other_text(letter, subject)
        assert _tokens(got.strip("\n")) == _tokens(plain.strip("\n"))


def test_type_codes_is_the_first_rule(grammar):
    codes = header._type_codes(grammar)
    probes = {str(v) for r in grammar.rules("doc_types") if isinstance(r.value, dict)
              for v in r.value.values()} | {"CV", "QĐ", "xx", ""}
    for key in ("code", "party_code"):
        for code in probes:
            plain = next((r.value for r in grammar.rules("doc_types")
                          if isinstance(r.value, dict) and r.value.get(key)
                          and r.value[key] == code), None)
            assert codes.get((key, code)) is plain, (key, code)


@pytest.mark.parametrize("path", _LETTERS, ids=lambda p: p.name)
def test_headline_first_is_the_plain_first(path, grammar):
    scan = header.scan_head(_letter(path, grammar), grammar)
    kinds = ("motto", "number", "symbol", "date", "date_cont", "organ", "urgency", "secrecy",
             "title", "subject", "stamp", "noise", "debris", "text", "none")
    for hl in scan.lines:
        for kind in kinds:
            assert hl.first(kind) is next((p for p in hl.pieces if p.kind == kind), None)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_lowers_counts(n):
    for text in ("", "a", "aB", "abc", "ABC", "aBcDe", "ỦY ban", "x\ny\nz", "ĐỒNG ý"):
        found = header._lowers(n).search(text) is not None
        assert found == (len(regex.findall(r"\p{Ll}", text)) >= n), (n, text)


class _Fake:
    def __init__(self, pre: str, flags=()):
        self.pre = regex.compile(pre, regex.IGNORECASE if "i" in flags else 0)
        self.rule = type("R", (), {"flags": list(flags)})()


@pytest.mark.parametrize("pres, flags, chars", [
    ([r"[,.]\s{0,3}ng", r",\s{0,3}ng"], "i", (",", ".")),
    ([r"S\p{L}"], "", ("S",)),
    ([r"S\p{L}"], "i", None),                 # a cased character under ignore-case
    ([r"a|b"], "", None), ([r"x?y"], "", None), ([r"x{0,2}y"], "", None),
    ([r"x{1,2}y"], "", ("x",)), ([r"^x"], "", None), ([r"[^a]x"], "", None),
    ([r"\p{L}x"], "", None), ([r"(?:x)y"], "", None), ([r"x+y", r"[:;]z"], "", (":", ";", "x")),
])
def test_leading_chars(pres, flags, chars):
    rules = [_Fake(p, flags) for p in pres]
    assert header._leading_chars(rules) == chars
    if chars:
        for text in ("", "abc", "x", ", ngày", "Số", ";z", "Sa", "S"):
            found = any(r.pre.search(text) for r in rules)
            assert not found or any(c in text for c in chars), text
