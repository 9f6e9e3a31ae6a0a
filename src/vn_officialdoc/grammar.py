"""Grammars as data: load and validate ``grammars/*.yaml``, compile their patterns.

Every YAML file has the same shape (validated by :class:`GrammarFile`, unknown keys
rejected)::

    version: 1
    note: what the file is for
    source: where its entries come from
    defs:                 # named sub-patterns, used in patterns as {{name}}
      num: '\\d{1,6}'
    rules:                # ordered: first match wins
      - id: number.so_colon
        note: 'Số: 554/UBND-KT'
        source: Nghị định 30/2020 Phụ lục I
        pattern: '...'    # a `regex` pattern (\\p{L} classes, no hand-listed letters)
        flags: [i]        # i = ignore case, x = verbose
        value: {...}      # what the rule yields (type name and code, authority...)
        words: [...]      # a word list, for rules that are lists rather than patterns
        prefilter: '...'  # optional: a cheap pattern found in every text the pattern
                          # matches (a necessary condition); a text without it is not
                          # searched with the pattern at all (speed; tests check it)
        cases:            # at least one per rule; the tests run them
          - text: 'Số: 554/UBND-KT'
            expect: {number: '554', symbol: UBND-KT}   # named groups, or
          - text: 'Sơ đồ'
            match: false

The files are found inside the installed package (``vn_officialdoc/grammars``, where the
wheel puts them) or, in a source checkout, in the top-level ``grammars/`` folder.
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Union

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import GrammarError

#: how long one pattern may run on one line before it is treated as a bug
MATCH_TIMEOUT = 1.0

#: the thread (``threading.get_ident()``) whose letter runs under :func:`cpu_budget`, whose
#: patterns then run without their own timeout; 0 = none
_budget_thread = 0
_get_ident = threading.get_ident
# plain ints and the C getsignal: signal's enum wrappers cost microseconds a call
_SIGPROF = int(getattr(signal, "SIGPROF", 0))
try:
    from _signal import getsignal as _getsignal
except ImportError:  # not CPython
    _getsignal = signal.getsignal
_ITIMER_PROF = getattr(signal, "ITIMER_PROF", None) if hasattr(signal, "setitimer") else None


def call_timeout(seconds: float = MATCH_TIMEOUT) -> float | None:
    """The ``timeout=`` for a direct ``regex`` call: ``seconds``, or None inside
    :func:`cpu_budget` (whose one timer guards every pattern of the letter)."""
    return None if _get_ident() == _budget_thread else seconds


def timed(method: Callable[..., Any], seconds: float = MATCH_TIMEOUT) -> Callable[..., Any]:
    """A compiled pattern's ``match``/``search``/``fullmatch``/``finditer`` with the time
    limit of :func:`call_timeout`: the method itself inside the letter's CPU budget (no
    limit then, and no keyword argument: the regex module takes about a microsecond to read
    one, even ``timeout=None``), else with ``timeout=seconds``."""
    t = call_timeout(seconds)
    return method if t is None else functools.partial(method, timeout=t)


class BudgetExceeded(TimeoutError):
    """A letter used up its CPU budget (a pattern backtracking without end)."""


def _on_budget(signum: int, frame: Any) -> None:
    # installed once and left in place: a late tick after the block is ignored, never fatal
    if _budget_thread:
        raise BudgetExceeded("the letter used up its CPU budget (a pattern running away?)")


@contextlib.contextmanager
def cpu_budget(seconds: float):
    """Guard a whole letter with one CPU-time limit instead of a timeout on each pattern call.

    ``regex``'s ``timeout=`` costs about 1.8 µs a call, most of the cost of a short search,
    and a letter makes hundreds of them. Inside this block, on the main thread, a process CPU
    timer (``ITIMER_PROF``) raises :class:`BudgetExceeded` (a ``TimeoutError``) once the block
    has used ``seconds`` of CPU; ``regex`` checks for signals while it matches, so a runaway
    pattern is stopped there. Elsewhere (another thread, no ``setitimer``, the profiling timer
    or its signal already in use by someone else, or a budget already running) the block adds
    nothing and every pattern call keeps its own :data:`MATCH_TIMEOUT`."""
    global _budget_thread
    if (_budget_thread or _ITIMER_PROF is None
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(_ITIMER_PROF) != (0.0, 0.0)):
        yield
        return
    handler = _getsignal(_SIGPROF)
    if handler is not _on_budget:
        if handler not in (signal.SIG_DFL, None):   # someone else's: leave it alone
            yield
            return
        signal.signal(_SIGPROF, _on_budget)        # once per process (6 µs)
    _budget_thread = _get_ident()
    signal.setitimer(_ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(_ITIMER_PROF, 0)
        _budget_thread = 0


Scalar = Union[str, int, float, bool, None]


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str
    match: bool = True
    expect: Optional[Union[dict[str, Scalar], str]] = None


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    note: str = ""
    source: str = ""
    pattern: Optional[str] = None
    flags: list[str] = Field(default_factory=list)
    value: Optional[Union[dict[str, Union[Scalar, list[str]]], str]] = None
    words: list[str] = Field(default_factory=list)
    prefilter: Optional[str] = None
    cases: list[Case] = Field(default_factory=list)

    @field_validator("flags")
    @classmethod
    def _known_flags(cls, v: list[str]) -> list[str]:
        bad = set(v) - {"i", "x", "m"}
        if bad:
            raise ValueError(f"unknown flags {sorted(bad)}; use i, x or m")
        return v


class GrammarFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: int = 1
    note: str
    source: str = ""
    defs: dict[str, str] = Field(default_factory=dict)
    rules: list[Rule]


_DEF = regex.compile(r"\{\{(\w+)\}\}")


class CompiledRule:
    """A rule with its pattern compiled. ``search``/``match`` use a timeout (or, inside
    :func:`cpu_budget`, the letter's CPU budget).

    A rule with a ``prefilter`` first looks for it (without a timeout: prefilters are
    simple) anywhere in the text; without it the pattern cannot match and is not run."""

    __slots__ = ("rule", "regex", "file", "pre")

    def __init__(self, rule: Rule, compiled: "regex.Pattern | None", file: str,
                 pre: "regex.Pattern | None" = None) -> None:
        self.rule = rule
        self.regex = compiled
        self.file = file
        self.pre = pre

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def value(self) -> Any:
        return self.rule.value

    def search(self, text: str, pos: int = 0) -> "regex.Match | None":
        if self.regex is None or self.pre is not None and self.pre.search(text) is None:
            return None
        if _get_ident() == _budget_thread:
            return self.regex.search(text, pos)
        return self.regex.search(text, pos, timeout=MATCH_TIMEOUT)

    def match(self, text: str) -> "regex.Match | None":
        if self.regex is None or self.pre is not None and self.pre.search(text) is None:
            return None
        if _get_ident() == _budget_thread:
            return self.regex.match(text)
        return self.regex.match(text, timeout=MATCH_TIMEOUT)

    def fullmatch(self, text: str) -> "regex.Match | None":
        if self.regex is None or self.pre is not None and self.pre.search(text) is None:
            return None
        if _get_ident() == _budget_thread:
            return self.regex.fullmatch(text)
        return self.regex.fullmatch(text, timeout=MATCH_TIMEOUT)

    def finditer(self, text: str) -> Iterator["regex.Match"]:
        if self.regex is None or self.pre is not None and self.pre.search(text) is None:
            return iter(())
        if _get_ident() == _budget_thread:
            return self.regex.finditer(text)
        return self.regex.finditer(text, timeout=MATCH_TIMEOUT)

    def __repr__(self) -> str:
        return f"<rule {self.file}:{self.id}>"


def _expand(pattern: str, defs: dict[str, str], depth: int = 0) -> str:
    if depth > 8:
        raise GrammarError(f"defs nest too deep in pattern {pattern!r}")

    def sub(m: "regex.Match") -> str:
        name = m.group(1)
        if name not in defs:
            raise GrammarError(f"unknown def {{{{{name}}}}} in pattern {pattern!r}")
        return "(?:" + _expand(defs[name], defs, depth + 1) + ")"

    return _DEF.sub(sub, pattern)


def compile_pattern(pattern: str, flags: list[str], defs: dict[str, str]) -> "regex.Pattern":
    f = regex.V0 | regex.UNICODE
    if "i" in flags:
        f |= regex.IGNORECASE
    if "x" in flags:
        f |= regex.VERBOSE
    if "m" in flags:
        f |= regex.MULTILINE
    return regex.compile(_expand(pattern, defs), f)


class Grammar:
    """All grammar files, validated and compiled. Get it with :func:`load_grammar`."""

    def __init__(self, files: dict[str, GrammarFile], root: Path) -> None:
        self.root = root
        self.files = files
        self._compiled: dict[str, list[CompiledRule]] = {}
        self._by_id: dict[tuple[str, str], CompiledRule] = {}
        for name, gf in files.items():
            compiled = []
            seen: set[str] = set()
            for rule in gf.rules:
                if rule.id in seen:
                    raise GrammarError(f"duplicate rule id {rule.id!r}", path=f"{name}.yaml")
                seen.add(rule.id)
                rx = pre = None
                if rule.prefilter is not None and rule.pattern is None:
                    raise GrammarError(f"rule {rule.id!r}: a prefilter without a pattern",
                                       path=f"{name}.yaml")
                for what, source in (("pattern", rule.pattern), ("prefilter", rule.prefilter)):
                    if source is None:
                        continue
                    try:
                        compiled_one = compile_pattern(source, rule.flags, gf.defs)
                    except (regex.error, GrammarError) as exc:
                        raise GrammarError(f"rule {rule.id!r}: {what} does not compile: {exc}",
                                           path=f"{name}.yaml") from exc
                    if what == "pattern":
                        rx = compiled_one
                    else:
                        pre = compiled_one
                compiled.append(CompiledRule(rule, rx, name, pre))
            self._compiled[name] = compiled
            for r in compiled:
                self._by_id[(name, r.id)] = r

    def rules(self, file: str) -> list[CompiledRule]:
        try:
            return self._compiled[file]
        except KeyError:
            raise GrammarError(f"no grammar file {file}.yaml", path=str(self.root)) from None

    def rule(self, file: str, rule_id: str) -> CompiledRule:
        found = self._by_id.get((file, rule_id))
        if found is not None:
            return found
        raise GrammarError(f"no rule {rule_id!r} in {file}.yaml", path=str(self.root))

    def first(self, file: str, text: str, *, how: str = "search"
              ) -> tuple[CompiledRule, "regex.Match"] | tuple[None, None]:
        """First rule of ``file`` whose pattern matches ``text`` (``how``: search/match/fullmatch)."""
        for r in self.rules(file):
            m = getattr(r, how)(text)
            if m is not None:
                return r, m
        return None, None

    def any_of(self, file: str, ids: tuple[str, ...] | None = None) -> "regex.Pattern | None":
        """One pattern that finds a match in a text iff some rule of ``file`` (or the rules
        ``ids`` of it) does (the rules' patterns joined as alternatives): a cheap test
        before trying the rules one by one. None when the rules cannot be joined without
        changing their meaning (flags other than i, inline flags, back references) or the
        joined pattern does not compile."""
        cache = self.__dict__.setdefault("_any_of", {})
        key = (file, ids)
        if key not in cache:
            rules = self.rules(file) if ids is None else [self.rule(file, i) for i in ids]
            cache[key] = _join(rules)
        return cache[key]

    def words(self, file: str, rule_id: str) -> list[str]:
        return self.rule(file, rule_id).rule.words

    def defs(self, file: str) -> dict[str, str]:
        return self.files[file].defs

    def all_rules(self) -> Iterator[CompiledRule]:
        for name in sorted(self._compiled):
            yield from self._compiled[name]


_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<|\(\?[a-zA-OQ-Z^-]")


def _join(rules: list[CompiledRule]) -> "regex.Pattern | None":
    rules = [r for r in rules if r.regex is not None]
    if not rules or any(set(r.rule.flags) - {"i"} or _BACKREF.search(r.regex.pattern)
                        for r in rules):
        return None
    # a rule's ignore-case flag is kept as a scoped flag on its own alternative
    parts = [f"(?i:{r.regex.pattern})" if "i" in r.rule.flags else f"(?:{r.regex.pattern})"
             for r in rules]
    try:
        return regex.compile("|".join(parts), regex.V0 | regex.UNICODE)
    except regex.error:
        return None


def grammar_root() -> Path:
    """Where the grammar files are: $VN_OFFICIALDOC_GRAMMARS, the package, or the checkout."""
    env = os.environ.get("VN_OFFICIALDOC_GRAMMARS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    packaged = here / "grammars"
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / "grammars"
    if checkout.is_dir():
        return checkout
    raise GrammarError("grammar files not found: the package is incomplete "
                       "(reinstall it) or set VN_OFFICIALDOC_GRAMMARS to the grammars/ folder")


def load_file(path: Path) -> GrammarFile:
    try:
        # libyaml's parser when PyYAML has it (the same result, several times faster)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - safe
    except (OSError, yaml.YAMLError) as exc:
        raise GrammarError(f"cannot read grammar: {exc}", path=str(path)) from exc
    try:
        return GrammarFile.model_validate(data)
    except ValidationError as exc:
        raise GrammarError(f"invalid grammar: {exc}", path=str(path)) from exc


@functools.lru_cache(maxsize=4)
def load_grammar(root: str | None = None) -> Grammar:
    base = Path(root) if root else grammar_root()
    files = {p.stem: load_file(p) for p in sorted(base.glob("*.yaml"))}
    if not files:
        raise GrammarError("no grammar files found", path=str(base))
    return Grammar(files, base)
