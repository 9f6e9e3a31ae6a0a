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


def fold(text: str) -> str:
    """Lower case, tone marks and diacritics removed, 'đ' as 'd', spaces collapsed."""
    s = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    s = _MARKS.sub("", s).casefold()
    return _SPACE.sub(" ", s).strip()


@dataclass(frozen=True)
class NameMatch:
    name: str          # the canonical name, as in the gazetteer
    score: float       # 100 for an exact folded match
    level: str = ""    # province / district / ward, or 'organ'


class Gazetteer:
    """Place and organ names with their folded keys. Build it with :func:`gazetteer`."""

    def __init__(self, grammar: Grammar) -> None:
        self.places: dict[str, list[tuple[str, str]]] = {}
        path = Path(grammar.root) / "gazetteer" / "places.tsv"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            log.warning("place gazetteer %s not found; places are kept as printed", path)
            text = ""
        for row in text.splitlines():
            if not row or row.startswith("#") or "\t" not in row:
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
        # a fuzzy place keeps its word count and its first letter ('AN CHÍNH' is not
        # 'NHÂN CHÍNH')
        if len(hit[0].split()) != len(key.split()) or hit[0][:1] != key[:1]:
            return None
        return self._best_place(text, self.places[hit[0]], float(hit[1]))

    @staticmethod
    def _best_place(text: str, cands: list[tuple[str, str]], score: float) -> NameMatch:
        from rapidfuzz.distance import Levenshtein

        low = text.casefold()
        level, name = min(cands, key=lambda c: (Levenshtein.distance(low, c[1].casefold()),
                                                _LEVEL_RANK.get(c[0], 9)))
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
