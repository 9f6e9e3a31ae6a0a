"""Rule prefilters (``prefilter:`` in grammars/*.yaml) are necessary conditions: a text the
rule's pattern matches always holds a match of its prefilter, so skipping the pattern where
the prefilter finds nothing never changes a result. Checked on every case of the rule, on
every line of the samples and of the dev corpus (and pairs of lines), on the OCR-like
variants of those lines (a rule that matches none of them: on damaged variants of its own
cases), and on adversarial strings; prefilters must be fast themselves."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from conftest import DEV
from vn_officialdoc.errors import GrammarError
from vn_officialdoc.grammar import Grammar, GrammarFile, load_grammar

GRAMMAR = load_grammar()
FILTERED = [r for r in GRAMMAR.all_rules() if r.pre is not None]
IDS = [f"{r.file}:{r.id}" for r in FILTERED]
ROOT = Path(__file__).resolve().parent.parent


def _lines() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))]
    assert len(texts) >= 50, "the samples and the dev corpus are needed"
    lines = [line for text in texts for line in text.splitlines() if line.strip()]
    pairs = [a + " " + b for a, b in zip(lines, lines[1:])]
    rng = random.Random(7)
    # OCR-like damage: marks dropped, case flipped, punctuation moved
    damaged = []
    for line in lines:
        chars = list(line)
        for i in range(len(chars)):
            r = rng.random()
            if r < 0.05:
                chars[i] = chars[i].swapcase()
            elif r < 0.08:
                chars[i] = rng.choice(" ,.:;")
        damaged.append("".join(chars))
    return lines + pairs + damaged


LINES = _lines()


def test_some_rules_have_prefilters():
    assert FILTERED, "no rule has a prefilter"


@pytest.mark.parametrize("rule", FILTERED, ids=IDS)
def test_prefilter_holds_on_cases(rule):
    for case in rule.rule.cases:
        if case.match:
            assert rule.pre.search(case.text), f"{rule}: prefilter misses case {case.text!r}"


def _damaged(text: str, rng: random.Random) -> str:
    """``text`` with OCR-like damage: case flipped, a character dropped, doubled or replaced
    by punctuation or a space, words glued."""
    chars = list(text)
    out = []
    for ch in chars:
        r = rng.random()
        if r < 0.06:
            out.append(ch.swapcase())
        elif r < 0.09:
            continue
        elif r < 0.12:
            out.append(ch + ch)
        elif r < 0.15:
            out.append(rng.choice(" ,.:;-/"))
        elif r < 0.18 and ch == " ":
            continue
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("rule", FILTERED, ids=IDS)
def test_prefilter_is_necessary_on_real_lines(rule):
    hits = 0
    for line in LINES:
        if rule.regex.search(line):
            hits += 1
            assert rule.pre.search(line), f"{rule}: matches {line!r} but its prefilter does not"
    if hits:
        return
    # A rule for a rare form (an OCR misreading, a secrecy mark) may match no corpus line:
    # then its own cases are the evidence, so it needs several, and the prefilter must hold
    # on every damaged variant of them (and on them inside longer lines) the pattern matches.
    positives = [case.text for case in rule.rule.cases if case.match]
    assert len(positives) >= 2, f"{rule}: matches no corpus line and has < 2 matching cases"
    rng = random.Random(rule.id)
    tried = 0
    for text in positives:
        variants = [text, f"x {text} y", f"{LINES[0]} {text}"]
        variants += [_damaged(text, rng) for _ in range(300)]
        for variant in variants:
            if rule.regex.search(variant):
                tried += 1
                assert rule.pre.search(variant), \
                    f"{rule}: matches {variant!r} but its prefilter does not"
    assert tried >= 2 * len(positives)


@pytest.mark.parametrize("rule", FILTERED, ids=IDS)
def test_prefilter_is_fast(rule):
    for text in ("ngày " * 4000, " " * 20000 + "x", "Đ" * 20000, ":" * 20000,
                 "aaaaaaaaaaaaaaaaaaaa" * 1000 + "!", ", ngày" * 3000):
        t0 = time.perf_counter()
        rule.pre.search(text)
        assert time.perf_counter() - t0 < 0.2, f"{rule}: prefilter slow on {text[:12]!r}..."


def test_prefilter_without_pattern_is_rejected():
    gf = GrammarFile.model_validate({"note": "x", "rules": [
        {"id": "a", "note": "n", "source": "s", "prefilter": "x", "words": ["w"],
         "cases": [{"text": "x"}]}]})
    with pytest.raises(GrammarError, match="prefilter without a pattern"):
        Grammar({"t": gf}, ROOT)


def test_prefilter_skips_the_pattern():
    gf = GrammarFile.model_validate({"note": "x", "rules": [
        {"id": "a", "note": "n", "source": "s", "pattern": "b+", "prefilter": "ab",
         "cases": [{"text": "abb"}]}]})
    rule = Grammar({"t": gf}, ROOT).rule("t", "a")
    assert rule.search("abb").group(0) == "bb"
    assert rule.search("bb") is None           # the pattern alone would match: skipped
    assert list(rule.finditer("bb")) == [] and rule.fullmatch("bb") is None
