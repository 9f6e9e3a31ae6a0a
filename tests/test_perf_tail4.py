"""The speed tricks of round 4 in segment and extract/tail, copies_to, signature give the
same results as the plain forms."""

from __future__ import annotations

import sys

import pytest
import regex

from vn_officialdoc.extract import tail
from vn_officialdoc.grammar import load_grammar


def test_esign_words_gate():
    """tail.is_esign looks for skip.esign only in a text holding one of _ESIGN_WORDS once
    lowered: each alternative of the prefilter holds one, and a character the regex
    module matches to one of their letters ignoring case lowers to that letter."""
    rule = load_grammar().rule("signature", "skip.esign").rule
    assert rule.prefilter == r"ký|ý\s{1,2}bởi|quan\s{0,2}:|mail\s{0,2}:"
    assert rule.flags == ["i"]
    for alternative, word in zip(rule.prefilter.split("|"), tail._ESIGN_WORDS):
        assert word in alternative.replace(r"ý\s{1,2}", "")
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    for x in set("".join(tail._ESIGN_WORDS)):
        for ch in regex.findall(regex.escape(x), every, regex.IGNORECASE | regex.V0):
            assert x in ch.lower(), (hex(ord(ch)), x)


@pytest.mark.parametrize("text", [
    "(Đã ký)", "đã ký", "  (Ký tên và đóng dấu)", "Người ký: CỔNG", "Ký bởi: X", "- Như trên;",
    "Email: a@b.vn", "Cơ quan: Bộ", "x Người ký", "", "\n", "đã ký\n", "Thời gian ký: 28.04",
    "EMAIL: X", "CƠ QUAN : Y", "KÝ BỞI: Z", "Người \u212aý", "NGƯỜI KÝ",
])
def test_skip_tests_are_the_rules(text):
    grammar = load_grammar()
    for rule_id, fn in (("skip.signed", tail.is_signed_line), ("skip.esign", tail.is_esign)):
        assert fn(text, grammar) == (grammar.rule("signature", rule_id).search(text) is not None)


def test_no_lower_case_letter_is_uppercase():
    """tail._may_glue takes a lower-case character, or an ASCII one other than A-Z, for
    no \\p{Lu} letter: true of every character."""
    lu = regex.compile(r"\p{Lu}")
    assert not [hex(c) for c in range(sys.maxunicode + 1)
                if not 0xD800 <= c < 0xE000 and lu.match(chr(c)) and (
                    chr(c).islower() or chr(c).isascii() and not chr(c).isupper())]


def test_glued_debris_ends_in_capitals():
    pattern = load_grammar().rule("signature", "title.glued_debris").rule.pattern
    assert pattern.endswith(r"(?P<caps>\p{Lu}{2,})$")


def test_may_glue_is_necessary():
    """tail._may_glue is False only where title.glued_debris finds nothing."""
    glued = load_grammar().rule("signature", "title.glued_debris")
    alphabet = ['"', "f", "P", "Ớ", "Đ", "ó", "1", "~", "\n", "ǅ", "Ⓐ", "ß", " ", "A"]
    words = [a + b + c for a in alphabet for b in alphabet for c in alphabet]
    words += ['"fPHỚ', "xPHÓ", "Điều", "ĐÓC", "AB\n", "Ab", "", "A", "5WT", "~~5WT"]
    for w in words:
        if glued.search(w) is not None:
            assert tail._may_glue(w), w
