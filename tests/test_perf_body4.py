"""The speed tricks of round 4 in extract/references, items and validate give the same
results as the plain forms they replace."""

from __future__ import annotations

import itertools

import pytest

from vn_officialdoc.extract import references


def _texts_before_citations():
    """Short texts ending like the 60 characters before a citation: the cues as OCR
    writes them, numbers split by a space, and near misses."""
    heads = ["Nghị định", "Quyết định", "Văn bản", "theo", "", "số", "So", "Tờ trình"]
    cues = [" số ", " sô", " Số: ", " SỐ :  ", " số  ", "số ", " s ", " sổ  :", " số: 1 ",
            " số I ", " số l ", " số | ", " số 12 ", " số 123 ", " số 1234 ", " số1 ",
            " số  1  ", " xsố 1 ", " số 1\n", " số 1 \n", " sốa 2 ", " số :1 ", " ", ""]
    tails = ["", " ", "  ", "\t", "\u00a0", "\u3000"]
    for h, c, t in itertools.product(heads, cues, tails):
        yield h + c + t


@pytest.mark.parametrize("rule_id, attr", [("number_cue", "cue_back"),
                                           ("ocr.split_number", "split_back")])
def test_end_anchored_rules_searched_backwards(grammar, rule_id, attr):
    """references searches number_cue and ocr.split_number from the end: the same match
    exists, and ocr.split_number's head is the same."""
    tables = references._tables(grammar)
    rule = grammar.rule("references", rule_id)
    back = getattr(tables, attr)
    cases = list(_texts_before_citations()) + [c.text for c in rule.rule.cases]
    for text in cases:
        fwd, rev = rule.regex.search(text), back.search(text)
        assert (fwd is None) == (rev is None), (rule_id, text)
        if fwd is not None and rule_id == "ocr.split_number":
            assert fwd.span("head") == rev.span("head"), text
            assert fwd.group("head") == rev.group("head"), text


def test_token_subs_need_their_character(grammar):
    """references runs ocr.eth only on a token with 'Ð' and ocr.dot_in_code only on one
    with '.': each pattern matches nothing without that character."""
    eth = grammar.rule("references", "ocr.eth")
    dot = grammar.rule("references", "ocr.dot_in_code")
    for text in ["QĐ", "ĐĐ", "QL.CL", "A.B", "QÐ", "ĐÐ", "Ð", ".", "x.Y", "Đ", "D"]:
        assert (eth.regex.search(text) is None) or "\u00d0" in text, text
        assert (dot.regex.search(text) is None) or "." in text, text
    assert eth.rule.pattern == "Đ?\u00d0" and dot.rule.pattern.startswith("\\.")


def test_title_cue_searched_backwards(grammar):
    """slogans searches title_cue (anchored at the end) from the end: a match exists in
    the same texts."""
    from vn_officialdoc.extract import slogans

    rule = grammar.rule("slogans", "title_cue")
    back = slogans._backwards(rule)
    words = ["Đề án", "đề  án", "chương trình", "Chương trìh", "triển lăm", "mô hình",
             "cụm từ", "loại", "mức", "theo phương châm", "tác phẩm", "kèm theo", "x"]
    fillers = ["", " ", " tranh sơn mài khổ lớn ", " a, b, c, d, e, f, g ", ": ", " 12 - ",
               "\n", " về ", " lắm  "]
    texts = [c.text for c in rule.rule.cases] + [
        a + w + f + e for a in ("", "tổ chức ", "mẫu") for w in words for f in fillers
        for e in ("", " ", ":", " ,")]
    for text in texts:
        assert (rule.regex.search(text) is None) == (back.search(text) is None), text


def _letters():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "samples").glob("*.txt")) + sorted(
        (root.parent / "shared" / "corpus" / "dev").glob("*.txt")) + sorted(
        Path("/work/perfdata/corpus").glob("*.txt"))     # OCR'd variants, where present
    return paths


def _same(found: dict) -> dict:
    """(rule, match) pairs as comparable values (match objects compare by identity)."""
    return {i: (r, m and (m.span(), m.groupdict())) for i, (r, m) in found.items()}


def test_item_helpers_on_their_lines_match_the_plain_walks(grammar):
    """items._walk hands each helper only the lines it can act on: each helper gives the
    same result (and leaves ``found`` the same) as when it walks every body line."""
    from vn_officialdoc.extract import items
    from vn_officialdoc.extract.tail import lines_in
    from vn_officialdoc.labels import Zone
    from vn_officialdoc.pipeline import annotate_text

    n = 0
    for path in _letters():
        letter = annotate_text(path.read_text("utf-8"), grammar=grammar)
        body = list(lines_in(letter, Zone.BODY))
        found, (comma_lines, arabic_lines, stroke_lines, kind_lines) = items._walk(body, grammar)
        plain = {i: items.item_rule(line.text, grammar) for i, line in body}
        assert _same(found) == _same(plain), path.name
        results = []
        for lists in ((comma_lines, arabic_lines, stroke_lines, kind_lines), (body,) * 4):
            f = dict(found)
            commas = items._arabic_commas(letter, grammar, f, lists[0])
            misread = items._roman_misread(letter, grammar, f, lists[1])
            sequence = items._roman_sequence(letter, grammar, f, misread, lists[2])
            order = items._first_kinds(letter, grammar, {**misread, **sequence}, f, lists[3])
            results.append((commas, misread, sequence, order, _same(f)))
        assert results[0] == results[1], path.name
        n += bool(results[0][0] or results[0][1] or results[0][2])
    assert n >= 3       # some letters have OCR-damaged labels the helpers repair
