"""Grammar lint: every file validates, every pattern compiles with `regex`, uses Unicode
property classes rather than hand-listed Vietnamese letters, cannot backtrack
catastrophically, and every rule id has at least one case that passes."""

from __future__ import annotations

import time
import unicodedata

import pytest
import regex

from vn_officialdoc.errors import GrammarError
from vn_officialdoc.grammar import GrammarFile, load_grammar

GRAMMAR = load_grammar()
RULES = list(GRAMMAR.all_rules())
IDS = [f"{r.file}:{r.id}" for r in RULES]

_CLASS = regex.compile(r"\[(?:\\.|[^\]\\])*\]")


def _vietnamese_letters(s: str) -> int:
    n = 0
    for ch in set(s):
        if ord(ch) > 127 and unicodedata.category(ch).startswith("L"):
            n += 1
    return n


def test_grammar_files_exist():
    assert {"normalize"} <= set(GRAMMAR.files), "core grammar files are missing"
    assert len(RULES) > 0


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_has_cases(rule):
    assert rule.rule.note, f"{rule} has no note"
    assert rule.rule.source, f"{rule} has no source"
    assert rule.rule.cases, f"{rule} has no test case"


@pytest.mark.parametrize("rule", RULES, ids=IDS)
def test_rule_cases(rule):
    for case in rule.rule.cases:
        if rule.regex is None:
            # a word list or data rule: its cases say whether the text is in the list
            listed = case.text in rule.rule.words or (
                isinstance(rule.value, str) and case.text == rule.value)
            assert listed == case.match, f"{rule}: {case.text!r} listed={listed}"
            continue
        m = rule.search(case.text)
        assert (m is not None) == case.match, f"{rule}: {case.text!r} matched={m is not None}"
        if m is not None and isinstance(case.expect, dict):
            got = {k: m.groupdict().get(k) for k in case.expect}
            assert got == case.expect, f"{rule}: {case.text!r}"
        elif m is not None and isinstance(case.expect, str):
            assert m.group(0) == case.expect, f"{rule}: {case.text!r}"


@pytest.mark.parametrize("rule", [r for r in RULES if r.rule.pattern], ids=[i for r, i in zip(RULES, IDS) if r.rule.pattern])
def test_no_hand_listed_letters(rule):
    for cls in _CLASS.findall(rule.rule.pattern):
        assert _vietnamese_letters(cls) < 3, (
            f"{rule}: character class {cls} lists Vietnamese letters; use \\p{{L}} / \\p{{Lu}}")


_ADVERSARIAL = [
    "a " * 10000, "Số " * 5000, "-" * 20000, '"' * 20000, "1." * 10000, "1.1." * 5000,
    "ngày " * 4000, " " * 20000 + "x", "Đ" * 20000, "/" * 20000, "(" * 10000,
    "KÍNH GỬI " * 2000, "aaaaaaaaaaaaaaaaaaaa" * 1000 + "!",
]


@pytest.mark.parametrize("rule", [r for r in RULES if r.rule.pattern], ids=[i for r, i in zip(RULES, IDS) if r.rule.pattern])
def test_no_catastrophic_backtracking(rule):
    for text in _ADVERSARIAL:
        t0 = time.perf_counter()
        try:
            for _ in rule.finditer(text):
                pass
        except TimeoutError:
            pytest.fail(f"{rule} timed out on {text[:20]!r}...")
        assert time.perf_counter() - t0 < 1.0, f"{rule} is slow on {text[:20]!r}..."


def test_unknown_key_rejected():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        GrammarFile.model_validate({"note": "x", "rules": [{"id": "a", "pattren": "x"}]})


def _assert_rejected(folder):
    load_grammar.cache_clear()
    try:
        with pytest.raises(GrammarError):
            load_grammar(str(folder))
    finally:
        load_grammar.cache_clear()


@pytest.mark.parametrize("pattern", ["(unclosed", "{{nothing}}"], ids=["bad_regex", "unknown_def"])
def test_bad_pattern_rejected(tmp_path, pattern):
    (tmp_path / "bad.yaml").write_text(
        f"note: x\nrules:\n  - id: a\n    note: n\n    source: s\n    pattern: '{pattern}'\n",
        "utf-8")
    _assert_rejected(tmp_path)


def test_duplicate_rule_id_rejected(tmp_path):
    rule = "  - id: a\n    note: n\n    source: s\n    pattern: 'x'\n"
    (tmp_path / "dup.yaml").write_text("note: x\nrules:\n" + rule + rule, "utf-8")
    _assert_rejected(tmp_path)
