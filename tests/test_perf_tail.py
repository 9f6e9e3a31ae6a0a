"""The speed tricks of segment and extract/tail give the same results as the plain forms."""

from __future__ import annotations

import unicodedata

import pytest
import regex

from vn_officialdoc.extract import tail
from vn_officialdoc.grammar import load_grammar
from vn_officialdoc.normalize import normalize
from vn_officialdoc.read import read_text
from vn_officialdoc import segment


def _toneless_plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
                   ).replace("Đ", "D").replace("đ", "d")


@pytest.mark.parametrize("text", [
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Đồng chí Nguyễn Văn Đức", "BỌ TRƯỞNG", "",
    "e\u0301\u0323 Ω Ö 가 й ǅ ﬁ \u0344 \u1e9b\u0323 \U0001d400", "ĐƯỜNG đường",
])
def test_toneless_table_is_nfd_without_marks(text):
    assert tail._toneless(text) == _toneless_plain(text)


def test_toneless_every_bmp_letter():
    chars = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)
    assert tail._toneless(chars) == _toneless_plain(chars)


def test_recipients_prefilter_is_unanchored():
    """segment._first_heading searches the prefilter in the whole text: it must match a
    line's text inside the letter where it matches the line alone (no anchors, no
    look-arounds, no \\b)."""
    pre = load_grammar().rule("recipients", "heading").rule.prefilter
    assert pre is not None
    assert not regex.search(r"\^|\$|\\[AZzbBG]|\(\?<?[=!]", pre)


@pytest.mark.parametrize("text, first", [
    ("Kính gửi: Sở Y tế\n", 0),
    ("Công văn\nKinh\ngửi các sở\nKính gửi: - Sở Y tế\n", 3),
    ("Kính\ngửi\n\nKính gửi:", 3),
    ("nội dung\nkhông có", None),
])
def test_first_heading_line(text, first):
    grammar = load_grammar()
    letter = normalize(read_text(text), grammar)
    for line in letter.lines:
        line.zone = segment.Zone.BLANK if not line.text.strip() else segment.Zone.BODY
    heading = grammar.rule("recipients", "heading")
    expect = next((i for i, line in enumerate(letter.lines) if line.zone is segment.Zone.BODY
                   and len(line.text) >= 8 and heading.match(line.text)), None)
    assert segment._first_heading(letter, heading) == expect == first


def test_every_mark_key_holds_its_letters():
    """find_mark skips a line without a 'Q', or a 'T' and one of K, M, L, U, before
    searching the keys."""
    assert all("Q" in k or ("T" in k and any(c in k for c in "KMLU")) for k in tail._MARK_KEYS)
