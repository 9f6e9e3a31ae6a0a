"""The letter's CPU budget (grammar.cpu_budget): one timer instead of a timeout per call.

Inside the budget patterns run without ``regex``'s per-call ``timeout=`` (it costs more than a
short search); a runaway pattern must still be stopped, by the budget, and everything must be
put back afterwards. Outside it (another thread, a foreign SIGPROF user) the per-call timeouts
stay.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import pytest
import regex

from vn_officialdoc import grammar as G
from vn_officialdoc import pipeline
from vn_officialdoc.batch import Input, parse_one
from vn_officialdoc.errors import TimeLimitError

RUNAWAY = regex.compile(r"(a|aa)+b")  # exponential on a long run of a's without b
RUNAWAY_TEXT = "a" * 60


def _rule(pattern: regex.Pattern) -> G.CompiledRule:
    return G.CompiledRule(G.Rule(id="test.runaway"), pattern, "test")


def test_budget_stops_a_runaway_pattern_the_call_has_no_timeout():
    rule = _rule(RUNAWAY)
    with pytest.raises(G.BudgetExceeded):
        with G.cpu_budget(0.2):
            assert G.call_timeout() is None  # inside: no per-call timeout
            rule.search(RUNAWAY_TEXT)
    # put back: no timer left running, per-call timeouts again
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert G.call_timeout() == G.MATCH_TIMEOUT


def test_outside_the_budget_the_per_call_timeout_still_stops_it():
    # a plain TimeoutError from regex (MATCH_TIMEOUT), not the budget's
    with pytest.raises(TimeoutError) as info:
        _rule(RUNAWAY).search(RUNAWAY_TEXT)
    assert not isinstance(info.value, G.BudgetExceeded)


def test_timed_runaway_stopped_inside_the_budget_and_outside_it():
    """grammar.timed: the bare method inside the budget (its timer stops a runaway), the
    method with timeout= outside it (regex's own limit stops it)."""
    with pytest.raises(G.BudgetExceeded):
        with G.cpu_budget(0.2):
            search = G.timed(RUNAWAY.search)
            assert search == RUNAWAY.search        # no keyword argument inside
            search(RUNAWAY_TEXT)
    search = G.timed(RUNAWAY.search, seconds=0.2)
    assert search.keywords == {"timeout": 0.2}
    with pytest.raises(TimeoutError) as info:
        search(RUNAWAY_TEXT)
    assert not isinstance(info.value, G.BudgetExceeded)


def test_budget_is_per_thread():
    seen = {}

    def other():
        seen["timeout"] = G.call_timeout()

    with G.cpu_budget(5.0):
        assert G.call_timeout() is None
        t = threading.Thread(target=other)
        t.start()
        t.join()
    assert seen["timeout"] == G.MATCH_TIMEOUT  # the other thread keeps its timeouts


def test_budget_in_a_thread_does_nothing():
    seen = {}

    def other():
        with G.cpu_budget(5.0):
            seen["timeout"] = G.call_timeout()
            seen["timer"] = signal.getitimer(signal.ITIMER_PROF)

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert seen == {"timeout": G.MATCH_TIMEOUT, "timer": (0.0, 0.0)}


def test_budget_leaves_a_foreign_sigprof_handler_alone():
    calls = []

    def foreign(signum, frame):
        calls.append(signum)

    old = signal.signal(signal.SIGPROF, foreign)
    try:
        with G.cpu_budget(5.0):
            assert G.call_timeout() == G.MATCH_TIMEOUT  # not armed: timeouts stay
            assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGPROF) is foreign
    finally:
        signal.signal(signal.SIGPROF, old)


def test_budget_is_disarmed_after_an_error_in_the_block():
    with pytest.raises(ValueError):
        with G.cpu_budget(5.0):
            raise ValueError("boom")
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert G.call_timeout() == G.MATCH_TIMEOUT


def test_nested_budget_keeps_the_outer_one():
    with G.cpu_budget(5.0):
        outer = signal.getitimer(signal.ITIMER_PROF)[0]
        with G.cpu_budget(0.01):
            inner = signal.getitimer(signal.ITIMER_PROF)[0]
        assert G.call_timeout() is None  # still inside the outer budget
    assert 0.5 < inner <= outer <= 5.1  # the outer timer, not 0.01 s (ticks round up)


def test_a_letter_over_budget_is_an_error_entry(tmp_path: Path, monkeypatch):
    """Through the batch: a stage stuck in a pattern becomes a time-limit error entry."""
    def stuck(letter, grammar):
        _rule(RUNAWAY).search(RUNAWAY_TEXT)  # runs untimed inside the pipeline's budget
        return letter

    monkeypatch.setattr(pipeline, "STAGES", (stuck,))
    monkeypatch.setattr(pipeline, "LETTER_BUDGET", 0.2)
    f = tmp_path / "letter.txt"
    f.write_text("Kính gửi: Ban Dân vận\n", "utf-8")
    outcome = parse_one(Input(f, Path("letter.txt")), timeout=None)
    assert outcome.record is None
    assert outcome.error["code"] == TimeLimitError.code
    assert "CPU budget" in outcome.error["message"]
