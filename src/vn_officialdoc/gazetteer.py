"""Gazetteers: names the header may hold, for reading OCR-damaged names back.

Three kinds of names, all data (nothing listed here):

* places (provinces old and new, districts, wards): ``grammars/gazetteer/places.tsv``,
  derived from underthesea's admin-unit table by ``scripts/build_gazetteer.py``;
* organs: ``organs.yaml`` (``organ.names``, ``organ.top_level``, ``organ.abbreviations``);
* type codes: ``doc_types.yaml`` (``value.code``, ``value.party_code``).

Matching is done on *folded* names (tone marks and case removed, ``đ`` read as ``d``):
an OCR reading that differs only in its marks ('TUYỀN QUANG', 'HÁI DƯƠNG') folds to the
same key as the right name and is read back exactly; otherwise rapidfuzz scores the folded
strings and a name is accepted at or above the grammar's ``min_score``. Callers use these
only where such a name is expected (an issuer line, the place of the date line, a part of
a ký hiệu, a stamp's office), never on free text, and record every change with
``Letter.correct``.
"""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import regex

from .grammar import Grammar

log = logging.getLogger(__name__)

_MARKS = regex.compile(r"\p{Mn}+")
_SPACE = regex.compile(r"\s+")
_LEVEL_RANK = {"province": 0, "district": 1, "ward": 2}


def read_table(grammar: Grammar, name: str, without: str) -> list[str]:
    """The rows of ``grammars/gazetteer/NAME`` (blank and ``#`` lines left out). A missing
    file gives no rows and a log line saying what is done ``without`` it, never an error."""
    path = Path(grammar.root) / "gazetteer" / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        log.warning("%s not found; %s", path, without)
        return []
    return [row for row in text.splitlines() if row and not row.startswith("#")]


def two_syllable_words(grammar: Grammar) -> tuple[set[str], dict[str, list[str]], set[str]]:
    """The two-syllable words of ``grammars/gazetteer/words.tsv`` (built by
    ``scripts/build_lexicon.py``, lower case, classic tone placement): the set of words
    ('bổ sung'), the words by their skeleton ('bo sung': ['bổ sung']) and the syllables
    they hold; loaded once per grammar. A missing file gives empty tables (and a log
    line), never an error. Used where OCR may have misread a mark in a subject, copies-to
    or recipient word, always with the letter's own spelling as evidence too."""
    cached = grammar.__dict__.get("_two_syllable_words")
    if cached is not None:
        return cached
    from .tones import skeleton

    lines = read_table(grammar, "words.tsv", "words are kept as printed")
    # skeletons of the whole list at once, one translation table for its characters
    body = "\n".join(lines)
    bare = body.translate({ord(c): skeleton(c) for c in set(body)}).split("\n")
    by_skeleton: dict[str, list[str]] = {}
    for word, sk in zip(lines, bare):
        got = by_skeleton.get(sk)
        if got is None:
            by_skeleton[sk] = [word]
        else:
            got.append(word)
    cached = (set(lines), by_skeleton, set(body.split()))
    grammar.__dict__["_two_syllable_words"] = cached
    return cached


def second_syllables(grammar: Grammar) -> dict[str, frozenset[str]]:
    """The two-syllable words of :func:`two_syllable_words` as {first syllable: the second
    syllables that follow it} ('bổ' -> {'sung', ...}), built once per grammar: whether
    ``a b`` is a word of the list, for syllables ``a`` and ``b`` without spaces, is
    ``b in table.get(a, ())``, without building the string ``a b``."""
    cached = grammar.__dict__.get("_second_syllables")
    if cached is not None:
        return cached
    table: dict[str, set[str]] = {}
    for word in two_syllable_words(grammar)[0]:
        a, sep, b = word.partition(" ")
        if sep:
            table.setdefault(a, set()).add(b)
    cached = grammar.__dict__["_second_syllables"] = {a: frozenset(b) for a, b in table.items()}
    return cached


def fold(text: str) -> str:
    """Lower case, tone marks and diacritics removed, 'đ' as 'd', spaces collapsed."""
    s = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    s = _MARKS.sub("", s).casefold()
    return _SPACE.sub(" ", s).strip()


def _tone_key(text: str) -> str:
    """Each word with its tone mark moved to its end, so that where a mark sits ('hoà',
    'hòa') does not count as a difference between two spellings."""
    from .tones import TONES

    out = []
    for word in text.split(" "):
        nfd = unicodedata.normalize("NFD", word)
        marks = "".join(c for c in nfd if c in TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
                   + marks)
    return " ".join(out)


@dataclass(frozen=True)
class NameMatch:
    name: str          # the canonical name, as in the gazetteer
    score: float       # 100 for an exact folded match
    level: str = ""    # province / district / ward, or 'organ'


class Gazetteer:
    """Place and organ names with their folded keys. Build it with :func:`gazetteer`."""

    def __init__(self, grammar: Grammar) -> None:
        self.places: dict[str, list[tuple[str, str]]] = {}
        for row in read_table(grammar, "places.tsv", "places are kept as printed"):
            if "\t" not in row:
                continue
            level, name = row.split("\t", 1)
            self.places.setdefault(fold(name), []).append((level, name))
        self._place_keys = list(self.places)
        self.organs: dict[str, str] = {fold(w): w for w in grammar.words("organs", "organ.names")}
        self._organ_keys = list(self.organs)
        self.top_level = {fold(w) for w in grammar.words("organs", "organ.top_level")}
        codes: set[str] = set()
        for rule in grammar.rules("doc_types"):
            value = rule.value if isinstance(rule.value, dict) else {}
            for key in ("code", "party_code"):
                if value.get(key):
                    codes.add(str(value[key]))
        self.type_codes = codes
        self.symbol_parts = codes | set(grammar.words("organs", "organ.abbreviations"))
        self.place_min = float(_value(grammar, "organs", "organ.admin_unit", "min_score", 85))
        self.organ_min = float(_value(grammar, "organs", "organ.names", "min_score", 85))

    # -- places ------------------------------------------------------------------------
    def place(self, text: str, min_score: float | None = None) -> NameMatch | None:
        """The place name ``text`` stands for, or None."""
        key = fold(text)
        if not key:
            return None
        cands = self.places.get(key)
        if cands:
            return self._best_place(text, cands, 100.0)
        from rapidfuzz import fuzz, process

        cutoff = self.place_min if min_score is None else min_score
        hit = process.extractOne(key, self._place_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit is None:
            return None
        # a fuzzy place keeps its word count and the first letter of each word ('AN
        # CHÍNH' is not 'NHÂN CHÍNH'; 'PHÚC SẠN', missing from the list, is not 'PHÚC AN')
        words, target = key.split(), hit[0].split()
        if len(target) != len(words) or any(a[:1] != b[:1] for a, b in zip(words, target)):
            return None
        return self._best_place(text, self.places[hit[0]], float(hit[1]))

    @staticmethod
    def _best_place(text: str, cands: list[tuple[str, str]], score: float) -> NameMatch:
        from rapidfuzz.distance import Levenshtein

        low = _tone_key(text.casefold())
        level, name = min(cands, key=lambda c: (Levenshtein.distance(
            low, _tone_key(c[1].casefold())), _LEVEL_RANK.get(c[0], 9)))
        return NameMatch(name, score, level)

    # -- organs ------------------------------------------------------------------------
    def organ(self, text: str) -> NameMatch | None:
        """The central organ name ``text`` stands for, or None."""
        key = fold(text)
        if not key:
            return None
        if key in self.organs:
            return NameMatch(self.organs[key], 100.0, "organ")
        from rapidfuzz import fuzz, process

        hit = process.extractOne(key, self._organ_keys, scorer=fuzz.ratio,
                                 score_cutoff=self.organ_min)
        if hit is None:
            return None
        # a fuzzy match keeps the head word (SỞ is never read as BỘ) and the word count
        words, target = key.split(), hit[0].split()
        if words[0] != target[0] or abs(len(words) - len(target)) > 1:
            return None
        return NameMatch(self.organs[hit[0]], float(hit[1]), "organ")

    def is_top_level(self, name: str) -> bool:
        return fold(name) in self.top_level


def _value(grammar: Grammar, file: str, rule_id: str, key: str, default):
    value = grammar.rule(file, rule_id).value
    if isinstance(value, dict) and key in value:
        return value[key]
    return default


def gazetteer(grammar: Grammar) -> Gazetteer:
    """The gazetteer of a loaded grammar (built once per grammar)."""
    cached = getattr(grammar, "_gazetteer", None)
    if cached is None:
        cached = Gazetteer(grammar)
        try:
            grammar._gazetteer = cached  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return cached
