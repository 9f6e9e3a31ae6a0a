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
    # 'İ' lowers to 'i' + a dot above, yet the regex module's ignore case reads it as 'i'
    "MA\u0130L: x@y.vn", "Email: \u0130",
])
def test_skip_tests_are_the_rules(text):
    grammar = load_grammar()
    for rule_id, fn in (("skip.signed", tail.is_signed_line), ("skip.esign", tail.is_esign)):
        assert fn(text, grammar) == (grammar.rule("signature", rule_id).search(text) is not None)


def test_no_lower_case_letter_is_uppercase():
    """tail._may_glue takes a lower-case character, or an ASCII one other than A-Z, for
    no \\p{Lu} letter: true of every character."""
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000)
    assert not [hex(ord(ch)) for ch in regex.findall(r"\p{Lu}", every)
                if ch.islower() or ch.isascii() and not ch.isupper()]


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


def test_ratio_cutoff_keeps_scores():
    """copies_to._standard asks rapidfuzz for ratios with score_cutoff=STANDARD_SCORE: the
    same score where it is at least that (at exactly 90 too), 0 below."""
    import random

    from rapidfuzz import fuzz

    from vn_officialdoc.extract.copies_to import STANDARD_SCORE

    rng = random.Random(4)
    for n in range(1, 80):
        for _ in range(40):
            a = "".join(rng.choice("abcđ ể") for _ in range(n))
            b = list(a)
            for _ in range(rng.randint(0, max(1, n // 5))):
                k = rng.randrange(len(b) + 1)
                if rng.random() < 0.5 and b:
                    b.pop(min(k, len(b) - 1))
                else:
                    b.insert(k, rng.choice("abcđ ể"))
            b = "".join(b)
            full = fuzz.ratio(a, b)
            cut = fuzz.ratio(a, b, score_cutoff=STANDARD_SCORE)
            assert cut == (full if full >= STANDARD_SCORE else 0)
    assert fuzz.ratio("a" * 9 + "b", "a" * 9 + "c", score_cutoff=STANDARD_SCORE) == 90


def _trailing_title_plain(text, grammar):
    """tail.trailing_title as it was before its fast paths (every word split, the glued
    debris rule searched in the last non-capitals word)."""
    words = text.split(" ")
    k = len(words)
    while k > 0:
        w = words[k - 1].strip(".,;:_-~*")
        if not w or (any(map(str.isalpha, w)) and all(map(str.isupper, filter(str.isalpha, w)))):
            k -= 1
            continue
        break
    starts = []
    if k > 0:
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
        found = tail.match_title(text, grammar, start)
        if found is not None:
            return found
    return None


_TAILS = [
    '- Như Điều 3; "fPHỚ GIÁM ĐÓC', "- Như trên; THỨ TRƯỞNG", "Nơi nhận: GIÁM ĐỐC",
    "- Lưu: VT, KHTC.", "~~5WT GIÁM ĐÓC", "- Sở Y tế; xPHÓ CHỦ TỊCH", "a AB\n", "- Sở; ÁB",
    "- Như trên;", "", " ", "PHÓ CHỦ TỊCH", "- Lưu: VT, P.TH", "CHỦ TỊCH ", "- UBND tỉnh; 2CHỦ TỊCH",
    "- Các Sở, ngành; KT. CHỦ TỊCH", "Nơi nhận: ®%JBÔ TRƯỞNG", "- Ban Bí thư;  PHÓ CHỦ TỊCH  ",
    "BỘ TRƯỞNG", "- X; Bộ TRƯỞNG", "- X; GIÁM ĐỐC SỞ", "-", "- VT", "- Lưu VT", "TM.",
]


@pytest.mark.parametrize("text", _TAILS)
def test_trailing_title_is_the_plain_form(text):
    grammar = load_grammar()
    assert tail.trailing_title(text, grammar) == _trailing_title_plain(text, grammar)


def test_memo_gives_the_functions_answers():
    grammar = load_grammar()

    class _L:
        fields: dict = {}

    memo = tail.memo(_L(), grammar)
    for text in _TAILS + ["Nguyễn Văn An", "(Đã ký)", "Người ký: X", "KT. CHỦ TỊCH"]:
        for _ in range(2):      # asked, then remembered
            assert memo.find_mark(text) == tail.find_mark(text, grammar)
            assert memo.match_title(text) == tail.match_title(text, grammar)
            assert memo.trailing_title(text) == tail.trailing_title(text, grammar)
            assert memo.trailing_name(text) == tail.trailing_name(text, grammar)
            assert memo.person_name(text) == tail.person_name(text, grammar)
            assert memo.skipped(text) == (tail.is_signed_line(text, grammar)
                                          or tail.is_esign(text, grammar))


def test_code_repair_read_with_findall():
    """copies_to.repair_codes reads the rule's matches with findall: the rule must have no
    group (findall would give the groups) and no prefilter (findall does not look for it)."""
    rule = load_grammar().rule("copies_to", "code_repair")
    assert rule.regex.groups == 0 and rule.pre is None
