"""Speed paths of normalize and tones (round 4) give what the plain ways give."""

from __future__ import annotations

import random

from vn_officialdoc import normalize as norm


def _random_lines(rng: random.Random, chars: str) -> list[str]:
    return ["".join(rng.choice(chars) for _ in range(rng.randrange(0, 40)))
            for _ in range(rng.randrange(1, 12))]


def test_lines_to_substitute_finds_as_the_class_scan(grammar, monkeypatch):
    """The one-character classes looked for with str.find per character flag the lines,
    with the rules, that one regex class scan of the joined lines flags."""
    rng = random.Random(4)
    chars = "ab \u201c\u2013*|\t\u00a0\u200b'\u2019x_=\u3000\u2000\u1ead\u00ad~"
    cases = [_random_lines(rng, chars) for _ in range(300)]
    cases.append(["", "*" * (norm._ONE_SCAN_LINE + 5), "a\u201cb"])
    fast = [norm._lines_to_substitute(lines, grammar) for lines in cases]
    monkeypatch.setattr(norm, "_FIND_CHARS", 0)    # the regex class scan
    plain = [norm._lines_to_substitute(lines, grammar) for lines in cases]
    assert fast == plain
    assert any(fast)
