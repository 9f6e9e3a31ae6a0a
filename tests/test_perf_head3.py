"""Speed round 3 of extract/header and segment: each shortcut gives what the plain form
gives (on the head lines of the samples and dev letters, on the grammar's own cases, and
on random texts)."""

from __future__ import annotations

import random

import pytest

from vn_officialdoc.extract import header
from vn_officialdoc.grammar import call_timeout

from conftest import DEV, SAMPLES


def _texts(grammar) -> list[str]:
    """Lines of the samples and dev letters, the cases of the head's grammars, parts of
    them, and random texts over their characters."""
    out: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")) + sorted(DEV.glob("*.txt"))[:40]:
        out += [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()][:40]
    for file in ("header", "stamps", "mottos", "doc_types", "organs"):
        for r in grammar.rules(file):
            out += [c.text for c in r.rule.cases]
    out += [t[k:] for t in out[:400] for k in (1, 3, 7)]
    chars = sorted(set("".join(out)))
    rnd = random.Random(3)
    out += ["".join(rnd.choice(chars) for _ in range(rnd.randint(0, 30))) for _ in range(2000)]
    return out


@pytest.fixture(scope="module")
def texts(grammar):
    return _texts(grammar)


@pytest.mark.parametrize("pattern, anchored", [
    ("^ab", True), ("^a|b", False), ("^(a|b)c", True), ("^[|]x", True), ("^\\|x", True),
    ("a", False), ("^[]|]x", True), ("(?i:^a)", False), ("^a(?:b|c)|d", False),
])
def test_anchored(pattern, anchored):
    assert header._anchored(pattern) is anchored


@pytest.mark.parametrize("file, ids", [
    ("header", header._NOISE_RULES), ("stamps", header._STAMP_RULES), ("mottos", None),
    ("header", header._NUMBER_RULES), ("header", ("date.full", "date.place_only")),
    ("header", header._SUBJECT_PREFIX), ("header", header._SHAPE_RULES),
    ("header", header._STOP_RULES), ("header", header._STOP_RULES_AFTER_TITLE),
])
def test_gate_is_the_rules_prefilters(grammar, texts, file, ids):
    """A gate finds something where one of its rules' prefilters (or, for rules without
    one, the rule) does, and only there (anchored and floating prefilters apart)."""
    gate = header._gate_test(grammar, file, ids)
    rules = grammar.rules(file) if ids is None else [grammar.rule(file, i) for i in ids]
    for text in texts:
        plain = any((r.pre.search(text) if r.pre is not None else r.search(text))
                    for r in rules)
        assert bool(gate(text)) == plain, (file, text)


def test_marks_joined_is_any_mark(grammar, texts):
    hr = header._head_rules(grammar)
    rules = [grammar.rule("header", i) for i in header._MARK_RULES]
    for text in texts + [t.strip() for t in texts]:
        joined = hr.marks_any.fullmatch(text, timeout=call_timeout()) is not None
        assert joined == any(r.fullmatch(text) for r in rules), text


@pytest.mark.parametrize("file, ids", [("doc_types", None), ("header", header._MARK_RULES)])
def test_candidates_are_the_plain_ones(grammar, texts, file, ids):
    """The grouped runs keep the rules (in order) whose runs are all in the text."""
    rules = grammar.rules(file) if ids is None else [grammar.rule(file, i) for i in ids]
    lits = [header._required_literals(r.regex.pattern) or () if r.regex is not None
            and not r.rule.flags else () for r in rules]
    for text in texts + [t.upper() for t in texts]:
        plain = [r for r, ls in zip(rules, lits) if all(x in text for x in ls)]
        assert header._candidates(grammar, file, ids, text) == plain, text


def test_prefilter_test_is_the_rules_first_step(grammar, texts):
    rule = grammar.rule("header", "number.after_issuer")
    test = header._prefilter_test(rule)
    for text in texts:
        if not test(text):
            assert rule.search(text) is None, text


def test_pattern_first_is_the_rules_match(grammar, texts):
    """segment._pattern_first: the pattern, then the prefilter, gives rule.match's result."""
    from vn_officialdoc.segment import _pattern_first

    for file, rid in (("copies_to", "heading"), ("recipients", "heading"),
                      ("header", "stop.kinh_gui")):
        rule = grammar.rule(file, rid)
        first = _pattern_first(rule)
        for text in texts:
            a, b = first(text), rule.match(text)
            assert (a is None) == (b is None) and (a is None or a.span() == b.span()), text


def test_gate_of_rules_without_prefilters_is_their_patterns(grammar):
    """A group where some rule has no prefilter gets the rules' joined patterns, with the
    time limit outside the CPU budget (once a TypeError: the flag saying so shadowed the
    grammar's `timed`)."""
    ids = tuple(r.id for r in grammar.rules("header") if r.pre is None and r.regex is not None)
    assert ids, "header.yaml has rules without a prefilter"
    gate = header._gate_test(grammar, "header", ids)
    for text in _texts(grammar)[:400] + ["", "Số: 12/UBND-VP", "ngày 5 tháng 3 năm 2O21"]:
        found = any(grammar.rule("header", i).search(text) for i in ids)
        assert bool(gate(text)) == found, text
