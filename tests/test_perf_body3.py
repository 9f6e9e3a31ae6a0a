"""The speed tricks of extract/references, items, slogans and recipients give the same
results as the plain forms they replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from vn_officialdoc.extract import references
from vn_officialdoc.extract.tail import lines_in
from vn_officialdoc.grammar import load_grammar
from vn_officialdoc.pipeline import annotate_text

ROOT = Path(__file__).resolve().parent.parent
LETTERS = sorted((ROOT / "samples").glob("*.txt")) + sorted(
    (ROOT.parent / "shared" / "corpus" / "dev").glob("*.txt"))
#: OCR'd and noisy renderings of the letters, used where this machine has them
VARIANTS = sorted(Path("/work/perfdata/corpus").glob("*.txt"))


@pytest.fixture(scope="module")
def annotated():
    g = load_grammar()
    return [annotate_text(p.read_text("utf-8"), grammar=g) for p in LETTERS]


def _plain_chunks(letter, zones):
    """The paragraphs as the extractor built them one by one (the plain form)."""
    parts, anchors = [], []
    pos, prev, prev_glue = 0, -1, False
    for i, line in lines_in(letter, *zones):
        raw = line.text
        text = raw.strip()
        if not text:
            continue
        if parts:
            if (i > prev + 1 and not prev_glue) or len(anchors) >= references.CHUNK_LINES:
                yield "".join(parts), anchors
                parts, anchors, pos = [], [], 0
            elif not prev_glue:
                parts.append(" ")
                pos += 1
        anchors.append((pos, i, raw.find(text)))
        parts.append(text)
        pos += len(text)
        prev, prev_glue = i, text[-1] in "-/"
    if parts:
        yield "".join(parts), anchors


@pytest.mark.parametrize("rule_id", ["citation", "citation_lowercased"])
def test_reference_prefilters_are_searched_in_the_joined_paragraphs(rule_id):
    """references._hits searches a prefilter once over all paragraphs separated by
    references._SEP: the prefilter must have no anchor or look-around and no class that
    takes the separator."""
    rule = load_grammar().rule("references", rule_id)
    pre = rule.rule.prefilter
    assert pre is not None
    for bad in ("^", "$", "\\b", "\\B", "[^", "\\S", "\\W", "\\D", "\\P", "\\X", "."):
        assert bad not in pre, (rule_id, bad)
    assert pre.count("(?") == pre.count("(?:"), rule_id     # no look-around, inline flag
    assert not rule.rule.flags, rule_id
    assert rule.pre.search(references._SEP) is None


def test_paragraphs_and_hits_match_the_plain_chunks(annotated):
    g = load_grammar()
    tables = references._tables(g)
    n = 0
    for letter in annotated:
        whole, bounds, line_at = references._paragraphs(letter, references.ZONES)
        chunks = [references._paragraph_text(letter, whole, b, line_at) for b in bounds]
        assert chunks == list(_plain_chunks(letter, references.ZONES))
        hits = references._hits(tables.gate, whole, bounds)
        assert hits == {k for k, (text, _a) in enumerate(chunks)
                        if tables.cite.pre.search(text) or tables.lowered.pre.search(text)}
        n += len(hits)
    assert n > 50


def _plain_item_rule(text, grammar):
    """extract/items.item_rule as it was: every candidate rule's match, prefilter first."""
    import regex

    if len(text.strip()) < 3:
        return None, None
    rules = [r for r in grammar.rules("items") if r.id.startswith("item.")]
    gate = regex.compile("|".join(f"(?:{r.pre.pattern})" for r in rules),
                         regex.V0 | regex.UNICODE)
    if gate.search(text) is None:
        return None, None
    head = text.lstrip()[:6]
    first = next((c for c in head if c.isalnum()), "")
    maybe = set()
    if head[:1] and not head[0].isalnum():
        maybe.add("item.dash")
    if first.isdigit():
        maybe.update(("item.arabic", "item.sub"))
    elif first in "IVX":
        maybe.add("item.roman")
    elif first in "ĐDđd":
        maybe.add("item.article")
    if first.islower() and ")" in head:
        maybe.add("item.letter")
    for r in rules:
        if r.id in maybe:
            m = r.match(text)
            if m is not None:
                return r, m
    return None, None


def _item_lines(grammar):
    lines = set()
    for p in LETTERS + VARIANTS:
        lines.update(p.read_text("utf-8", errors="replace").splitlines())
    for r in grammar.rules("items"):
        lines.update(c.text for c in r.rule.cases)
    heads = ["", " ", "  ", "- ", "-- ", "**", "½", "²", "½1", "(", "•", "+", "\t", "...", "|"]
    labels = ["I", "II", "IV", "X", "1", "12", "1.1", "2.3.4", "a", "đ", "Điều 3", "Diều 4",
              "d", "L", "HH", "1L", "Ⅱ", "١", "x", "ab", "5,"]
    seps = [". ", ".", ") ", ")", " - ", "- ", ": ", " ", "  ", ", ", "/"]
    tails = ["Nội dung", "NỘI DUNG CHƯƠNG", "nội dung", "2026", '"Quote', "(ghi chú)", "", "x"]
    for h in heads:
        for lab in labels:
            for s in seps:
                for t in tails:
                    lines.add(h + lab + s + t)
    return sorted(lines)


def test_item_rule_matches_the_plain_form():
    from vn_officialdoc.extract import items

    g = load_grammar()
    n = 0
    for text in _item_lines(g):
        r1, m1 = items.item_rule(text, g)
        r2, m2 = _plain_item_rule(text, g)
        assert r1 is r2, text
        if r1 is not None:
            n += 1
            assert m1.span() == m2.span() and m1.groupdict() == m2.groupdict(), text
    assert n > 1000


def test_reference_token_shortcuts():
    import re

    from vn_officialdoc.tones import TONES

    assert not any(c.isascii() for c in TONES)     # _code_like skips NFD for ASCII
    split = references._TOKEN_SPLIT
    for sym in ["CV/TU", "QĐ - BGDĐT", "TB /TW", "NĐ\u2010CP", "QĐ\u2044UBND", "TT  /  BTC-X",
                "A", "QĐ-\u2003UBND", "A /B - C\u2015D"]:
        plain = re.findall(r"[/\-\u2010-\u2015\u2044]", split.sub(
            lambda x: x.group(0).strip(), sym)) or ["-"]
        assert ([x.strip() for x in split.findall(sym)] or ["-"]) == plain, sym


def test_capitals_matches_the_plain_form():
    from vn_officialdoc.extract import items

    g = load_grammar()
    for text in _item_lines(g)[::7] + ["ǅǅǅǅ", "ⒶⒷⒸⒹ", "ABCd", "ABCDe", "ABCDEFGHijk", ""]:
        letters = [c for c in text if c.isalpha()]
        plain = len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) >= 0.8
        assert items._capitals(text) == plain, text



def test_code_like_matches_the_plain_form():
    import unicodedata

    from vn_officialdoc.tones import TONES

    def plain(token):
        if any(c in TONES for c in unicodedata.normalize("NFD", token)):
            return False
        letters = [c for c in token if c.isalpha()]
        if not letters:
            return bool(token) and token.isdigit() is False
        upper = sum(c.isupper() for c in letters)
        lower = len(letters) - upper
        return token[0].isupper() and upper >= 1 and lower <= 2 and (upper >= 2 or any(
            c.isdigit() for c in token))

    words = set()
    for p in LETTERS[:40]:
        words.update(p.read_text("utf-8").split())
    words.update(["", "QĐ", "QUYẾT", "TTr", "QĐi", "Q1", "12", "²", "ǅA", "Ⓐ", "UBND", "e\u0301"])
    for w in words:
        for tok in references._TOKEN_SPLIT.split(w):
            assert references._code_like(tok) == plain(tok), tok


def _plain_segments(letter):
    """extract/slogans._segments as it was: every zone line walked."""
    from vn_officialdoc.extract import slogans

    out = []
    if '"' not in letter.text:
        return out
    buf, anchors, open_lines = "", [], 0
    for i, line in lines_in(letter, *slogans.ZONES):
        if not buf and '"' not in line.text:
            continue
        text = line.text.strip()
        if not any(c.isalpha() for c in text):
            continue
        lead = len(line.text) - len(line.text.lstrip())
        if buf:
            buf += " "
        anchors.append((len(buf), i, lead))
        buf += text
        open_lines += 1
        if buf.count('"') % 2 == 0 or open_lines >= 3:
            out.append((buf, anchors))
            buf, anchors, open_lines = "", [], 0
    if buf:
        out.append((buf, anchors))
    return out


def test_slogan_segments_match_the_plain_form(annotated):
    from vn_officialdoc.extract import slogans

    g = load_grammar()
    letters = list(annotated) + [annotate_text(p.read_text("utf-8"), grammar=g)
                                 for p in VARIANTS[:150]]
    letters.append(annotate_text('Kính gửi: A\n\nVăn bản "một\n\n...\nhai" và "ba"\n"bốn', grammar=g))
    n = 0
    for letter in letters:
        fast = slogans._segments(letter)
        assert fast == _plain_segments(letter)
        n += len(fast)
    assert n > 20
