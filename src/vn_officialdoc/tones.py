"""Vietnamese syllables and their tone marks: is a word a syllable, and where its tone goes.

The shape of a syllable (onset, vowel cluster, final consonant) is data, in the defs and
the rule ``syllable.shape`` of ``grammars/normalize.yaml``. Two uses:

* :func:`syllable_share` scores a candidate decoding (``encodings``): right decodings give
  text whose words are mostly valid syllables, wrong ones give words that are not.
* :func:`place_tone` moves a word's tone mark to where a convention puts it
  (``tone.placement`` in normalize.yaml). Conventions differ only for an open ``oa``,
  ``oe``, ``uy``: classic ``hòa``, ``khỏe``, ``thủy`` / new ``hoà``, ``khoẻ``, ``thuỷ``.
  :func:`key` gives every word the classic placement, for comparing names.
  Everywhere else the placement is fixed by the syllable: on the hatted or horned vowel
  (``ê``, ``ơ``, ``â`` ...; the second of ``ươ``), else on the last vowel before a final
  consonant, else on the middle of three vowels, else on the first of two.

A word is changed only when it is one valid syllable carrying exactly one tone mark, so
abbreviations (``UBND``), symbols (``QĐ-TTg`` is three words, none changed), foreign words
and OCR debris are left alone.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import unicodedata
from typing import Iterable, Iterator

import regex

from .grammar import Grammar

#: combining tone marks: grave, acute, tilde, hook above, dot below
TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
#: tones a syllable closed by a stop (c, ch, p, t) can carry: acute and dot below
STOP_TONES = frozenset("\u0301\u0323")
STOP_CODAS = frozenset(("c", "ch", "p", "t"))
#: vowel marks other than tones: circumflex, breve, horn (they tell where the tone goes)
HATS = frozenset("\u0302\u0306\u031B")

#: conventions: classic (hòa), new (hoà), or keep: a word placed by either convention is
#: left as printed and only a mark that neither puts there is moved (to the classic place)
STYLES = ("classic", "new", "keep")
#: value.style of tone.placement that lets each letter keep the convention most of its
#: words follow (ties: classic)
LETTER_STYLE = "letter"

_WORD = regex.compile(r"\p{L}+")
_WORD_OR_BREAK = regex.compile(r"\p{L}+|\n")
#: a token: a run of non-space characters, punctuation and symbols at its ends stripped
_TOKEN = regex.compile(r"[\p{P}\p{S}]*([^\s]*?)[\p{P}\p{S}]*(?:\s|$)")
_LETTER = regex.compile(r"\p{L}")
#: the last word before a position (a search from the right)
_LAST_WORD = regex.compile(r"(?r)\p{L}+")
#: punctuation that most often ends or starts a word: read as space when looking for words
#: (none is a letter; str.replace is far cheaper than a regex call per token)
_WORD_ENDS = ',.;:()"'


def _is_letter(ch: str) -> bool:
    """``ch`` is \\p{L} (``str.isalpha`` letters all are; an ASCII non-alpha is not)."""
    return ch.isalpha() or not ch.isascii() and _LETTER.match(ch) is not None


is_letter = _is_letter


def whole_words(text: str, word: str) -> Iterator[int]:
    """Where ``word`` (letters only) stands in ``text`` as a whole word (a run of \\p{L}
    that is all of it), found with str.find: far cheaper than reading every word."""
    size, n = len(word), len(text)
    pos = text.find(word)
    while pos >= 0:
        end = pos + size
        if (pos == 0 or not _is_letter(text[pos - 1])) and (
                end == n or not _is_letter(text[end])):
            yield pos
        # (no whole word starts inside this one: the character before it is a letter)
        pos = text.find(word, end)


def _shape(grammar: Grammar) -> "regex.Pattern":
    return grammar.rule("normalize", "syllable.shape").regex


def split_tone(word: str) -> tuple[str, list[tuple[int, str]]]:
    """(the word without tone marks, NFC; [(index of the letter, tone mark), ...])."""
    bases: list[str] = []
    tones: list[tuple[int, str]] = []
    for i, ch in enumerate(unicodedata.normalize("NFC", word)):
        d = unicodedata.normalize("NFD", ch)
        marks = [c for c in d if c in TONES]
        for m in marks:
            tones.append((i, m))
        bases.append(unicodedata.normalize("NFC", "".join(c for c in d if c not in TONES))
                     if marks else ch)
    return "".join(bases), tones


@functools.lru_cache(maxsize=1 << 16)
def _parse(toneless_lower: str, shape: "regex.Pattern") -> tuple[int, str, str] | None:
    """(length of onset, vowel cluster, coda) of a toneless lower-case syllable, or None."""
    if len(toneless_lower) > 8:
        return None
    m = shape.fullmatch(toneless_lower)
    if m is None:
        return None
    return len(m.group("onset") or ""), m.group("vowels"), m.group("coda") or ""


def parse(word: str, grammar: Grammar) -> tuple[str, list[tuple[int, str]], tuple] | None:
    """Split a word into (toneless form, tones, (onset length, vowels, coda)) if a syllable."""
    if len(word) != len(unicodedata.normalize("NFC", word)):
        word = unicodedata.normalize("NFC", word)
    toneless, tones = split_tone(word)
    if len(tones) > 1 or len(toneless) != len(word):
        return None
    parts = _parse(toneless.lower(), _shape(grammar))
    if parts is None:
        return None
    if parts[2] in STOP_CODAS and (not tones or tones[0][1] not in STOP_TONES):
        return None  # a syllable closed by c, ch, p, t takes the acute or the dot below
    return toneless, tones, parts


@functools.lru_cache(maxsize=1 << 16)
def is_syllable(word: str, grammar: Grammar) -> bool:
    """True when ``word`` is one Vietnamese syllable (at most one tone, allowed with its coda:
    after c, ch, p, t only the acute or the dot below)."""
    return parse(word, grammar) is not None


def syllable_share(text: str, grammar: Grammar, limit: int = 4000) -> tuple[float, int]:
    """(share of the words of ``text`` that are valid syllables, number of words looked at).

    Words are the space-separated tokens that hold a letter, punctuation at their ends
    stripped (so mojibake such as ``Cá»™ng`` is one bad word, not two good ones); at most
    ``limit`` of them are looked at.
    """
    valid = total = 0
    for m in _TOKEN.finditer(text):
        word = m.group(1)
        if not word or not _LETTER.search(word):
            continue
        total += 1
        if is_syllable(word, grammar):
            valid += 1
        if total >= limit:
            break
    return (valid / total if total else 0.0), total


def tone_index(vowels: str, coda: str, style: str = "classic") -> int:
    """Index, in the vowel cluster, of the vowel that carries the tone."""
    hatted = [i for i, ch in enumerate(vowels)
              if any(c in HATS for c in unicodedata.normalize("NFD", ch))]
    if hatted:
        return hatted[-1]
    if coda:
        return len(vowels) - 1
    if len(vowels) == 3:
        return 1
    if len(vowels) == 2 and style == "new" and vowels in ("oa", "oe", "uy"):
        return 1
    return 0


@functools.lru_cache(maxsize=1 << 16)
def place_tone(word: str, grammar: Grammar, style: str = "classic") -> str:
    """``word`` with its tone mark on the vowel the convention ``style`` puts it on.

    Returns ``word`` itself when it is not one syllable with exactly one tone mark, or when
    the mark is already in place.
    """
    parsed = parse(word, grammar)
    if parsed is None:
        return word
    toneless, tones, (onset_len, vowels, coda) = parsed
    if not tones:
        return word
    current, mark = tones[0]
    if style == "keep":
        if current - onset_len == tone_index(vowels, coda, "new"):
            return word
        style = "classic"
    target = onset_len + tone_index(vowels, coda, style)
    if current == target:
        return word
    chars = list(toneless)
    chars[target] = unicodedata.normalize("NFC", chars[target] + mark)
    return "".join(chars)


def key(text: str, grammar: Grammar) -> str:
    """``text`` with every word's tone placed the classic way: a key for comparing names
    (``Thanh Hoá`` and ``Thanh Hóa`` get one key) without changing the text itself."""
    return _WORD.sub(lambda m: place_tone(m.group(0), grammar, "classic"), text)


def votes(text: str, grammar: Grammar) -> tuple[int, int]:
    """(words placed the classic way, words placed the new way) among those that differ."""
    classic = new = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        a, b = place_tone(word, grammar, "classic"), place_tone(word, grammar, "new")
        if a != b:
            if word == a:
                classic += 1
            elif word == b:
                new += 1
    return classic, new


def letter_style(text: str, grammar: Grammar) -> str:
    """The convention most of the letter's words follow: 'new' or (ties) 'classic'."""
    classic, new = votes(text, grammar)
    return "new" if new > classic else "classic"


def _placed_table(grammar: Grammar, style: str) -> dict[str, str]:
    """A per-grammar, per-style word -> placed word table (cheaper than an lru_cache key)."""
    tables = grammar.__dict__.setdefault("_placed_words", {})
    placed = tables.get(style)
    if placed is None or len(placed) > 1 << 16:
        placed = tables[style] = {}
    return placed


def words_and_breaks(lines: list[str]) -> list[str]:
    """The words of ``lines`` in order, with a ``"\n"`` between lines (one regex call for
    a whole letter)."""
    return _WORD_OR_BREAK.findall("\n".join(lines))


def distinct_words(lines: Iterable[str]) -> set[str]:
    """The distinct words of ``lines`` (the words findall of ``\\p{L}+`` gives).

    Read from the distinct space-separated tokens: a token of letters only is one word
    (``str.isalpha`` letters are all ``\\p{L}``, tests/test_perf_norm.py), the words of
    the other tokens are read in one regex call; much faster than a regex call over the
    whole text."""
    tokens = set(" ".join(lines).split())
    words = set(filter(str.isalpha, tokens))
    tokens.difference_update(words)
    if tokens:
        words.update(_WORD.findall(" ".join(tokens)))
    return words


def any_tone_moves(text: str, grammar: Grammar, style: str = "classic") -> bool:
    """True when :func:`place_tones` would move some word of ``text`` (each distinct word
    looked at once: one call for a whole letter)."""
    return any_word_moves(set(_WORD.findall(text)), grammar, style)


def any_word_moves(words: set[str], grammar: Grammar, style: str = "classic") -> bool:
    """True when :func:`place_tone` would move one of ``words``."""
    placed = _placed_table(grammar, style)
    stay = _known_set(grammar, "stay:" + style)   # words known to keep their mark
    get = placed.get
    for word in words - stay:
        new = get(word)
        if new is None:
            new = placed[word] = place_tone(word, grammar, style)
        if new != word:
            return True
        stay.add(word)
    return False


def _known_set(grammar: Grammar, name: str) -> set[str]:
    """A per-grammar set of words already looked at (bounded: emptied when it grows big)."""
    sets = grammar.__dict__.setdefault("_known_word_sets", {})
    known = sets.get(name)
    if known is None or len(known) > 1 << 17:
        known = sets[name] = set()
    return known


def place_tones(text: str, grammar: Grammar, style: str = "classic"
                ) -> Iterable[tuple[int, str, str]]:
    """(offset, word, replacement) of every word of ``text`` whose tone mark moves."""
    # offsets are looked for only on a line where some word moves (few lines)
    placed = _placed_table(grammar, style)
    get = placed.get
    for word in _WORD.findall(text):
        new = get(word)
        if new is None:
            new = placed[word] = place_tone(word, grammar, style)
        if new != word:
            break
    else:
        return
    for m in _WORD.finditer(text):
        word = m.group(0)
        new = place_tone(word, grammar, style)
        if new != word:
            yield m.start(), word, new


# -- marks restored from the letter itself -------------------------------------------------
def skeleton(word: str) -> str:
    """The word without any mark, lower case (``Tổ`` -> ``to``, ``Đảng`` -> ``dang``)."""
    d = unicodedata.normalize("NFD", word.lower().replace("đ", "d"))
    return "".join(c for c in d if not unicodedata.combining(c))


_skeleton = functools.lru_cache(maxsize=1 << 16)(skeleton)


@functools.lru_cache(maxsize=1 << 16)
def _suspect(word: str, grammar: Grammar) -> bool:
    """A word restore_from_letter may correct: 2 to 8 letters, not a valid syllable, and
    carrying Vietnamese marks only."""
    if not 2 <= len(word) <= 8:
        return False
    low = word.lower()
    return not is_syllable(low, grammar) and _vietnamese_marks_only(low)


def with_case_of(template: str, word: str) -> str:
    """``word`` (same length) written with the upper/lower case of ``template``."""
    return "".join(w.upper() if t.isupper() else w for t, w in zip(template, word))


@functools.lru_cache(maxsize=1 << 16)
def _vietnamese_marks_only(word: str) -> bool:
    """True when the word carries a Vietnamese mark (or đ) and no other (no ä, ç ...)."""
    marks = [c for c in unicodedata.normalize("NFD", word) if unicodedata.combining(c)]
    return (bool(marks) or "đ" in word) and all(m in TONES or m in HATS for m in marks)


@functools.lru_cache(maxsize=8)
def _skeleton_shape(grammar: Grammar) -> "regex.Pattern | None":
    """The shape of a syllable's skeleton: ``syllable.shape`` with the letters of its defs
    stripped of their marks (``ươ`` -> ``uo``, ``đ`` -> ``d``). The skeleton of every
    valid syllable matches it (the shape is made of those letters only: stripping marks
    letter by letter maps each of its strings to one of this one's). None when the shape
    is not so made (no gate then)."""
    from .grammar import compile_pattern

    rule = grammar.rule("normalize", "syllable.shape")
    defs = grammar.defs("normalize")
    frame = regex.sub(r"\{\{\w+\}\}|\(\?P<\w+>", "", rule.rule.pattern)
    names = regex.findall(r"\{\{(\w+)\}\}", rule.rule.pattern)
    if rule.rule.flags or regex.search(r"[^()?:|^$]", frame) or not all(
            regex.fullmatch(r"[\p{L}|]+", defs.get(name, "")) for name in names):
        return None
    bare = {name: "|".join(skeleton(part) for part in defs[name].split("|"))
            for name in names}
    try:
        return compile_pattern(rule.rule.pattern, [], bare)
    except regex.error:
        return None


@functools.lru_cache(maxsize=1 << 16)
def _may_have_candidate(word: str, grammar: Grammar) -> bool:
    """False when no valid syllable has the skeleton of ``word`` (``QĐ``, ``HĐND``): a
    suspect restore_from_letter can never correct (it finds no candidate)."""
    shape = _skeleton_shape(grammar)
    return shape is None or shape.fullmatch(_skeleton(word.lower())) is not None


def _fixable(word: str, grammar: Grammar) -> bool:
    """A suspect (:func:`_suspect`) some valid syllable could replace."""
    return _suspect(word, grammar) and _may_have_candidate(word, grammar)


def unsettled(words: set[str], grammar: Grammar, style: str | None = None) -> set[str]:
    """The words of ``words`` that the tone step in ``style`` may move (None: not looked
    for) or that :func:`restore_from_letter` may correct (a suspect some valid syllable
    could replace). The others are remembered per grammar (bounded), so a letter whose
    words are all known costs one set difference."""
    quiet = _known_set(grammar, f"quiet:{style}")
    fresh = words - quiet
    if not fresh:
        return fresh
    placed = _placed_table(grammar, style) if style is not None else {}
    out = set()
    for w in fresh:
        if style is not None:
            new = placed.get(w)
            if new is None:
                new = placed[w] = place_tone(w, grammar, style)
            if new != w:
                out.add(w)
                continue
        if _fixable(w, grammar):
            out.add(w)
        else:
            quiet.add(w)
    return out


def words_and_unsettled(lines: Iterable[str], grammar: Grammar, style: str | None = None
                        ) -> tuple[set[str], set[str]]:
    """(:func:`distinct_words` of ``lines``, :func:`unsettled` of them) in one pass: a token
    that is a word known settled is taken whole, only the other tokens are looked into
    (most tokens of a letter are known words)."""
    quiet = _known_set(grammar, f"quiet:{style}")
    text = " ".join(lines)
    for mark in _WORD_ENDS:   # "tỉnh," -> "tỉnh ": a known word, taken whole
        text = text.replace(mark, " ")
    tokens = set(text.split())
    fresh = tokens - quiet
    alpha = set(filter(str.isalpha, fresh))     # a token of letters only is one word
    other = fresh - alpha
    if other:
        tokens -= other                         # now words only
        rest = " ".join(itertools.filterfalse(str.isdigit, other))  # (digits: no word)
        found = set(_WORD.findall(rest)) if rest else set()
        tokens |= found
        alpha |= found - quiet
    return tokens, unsettled(alpha, grammar, style)


def _syllable_index(grammar: Grammar, words: set[str]) -> dict[tuple[str, int], set[str]]:
    """{(skeleton, length) of a word lowered that is a valid syllable: the words, as
    written, that lower to one}, holding (at least) every word of ``words``.

    Per grammar, filled with the words not seen yet (bounded: emptied when it grows big)."""
    store = grammar.__dict__.setdefault("_syllable_index", {})
    indexed = store.get("words")
    if indexed is None or len(indexed) > 1 << 17:
        indexed = store["words"] = set()
        store["index"] = {}
    index = store["index"]
    for w in words - indexed:
        low = w.lower()
        if is_syllable(low, grammar):
            index.setdefault((_skeleton(low), len(low)), set()).add(w)
        indexed.add(w)
    return index


def restore_from_letter(lines: list[str], grammar: Grammar, min_count: int = 3,
                        ratio: float = 3.0, words: set[str] | None = None,
                        vocabulary: set[str] | None = None, suspects: set[str] | None = None
                        ) -> dict[tuple[int, int], tuple[str, str]]:
    """Marks OCR lost or misread, restored from the same letter's own spelling.

    Only a word with Vietnamese marks that cannot be Vietnamese (not a valid syllable:
    ``QUYÉT``, ``Quôc``, ``chât``) is touched (words without marks, ``Viet``, ``ket``, may
    be English, codes or names written without them), and only towards a valid word of the same letters that the
    letter itself writes: the one that also stands beside the same neighbour elsewhere
    in the letter (``QUYẾT ĐỊNH``), else the one written at least ``min_count`` times and
    ``ratio`` times as often as any other candidate. Valid words are never changed, so
    clean text is left alone. Returns {(line index, offset): (word, corrected)}.
    ``words``: :func:`distinct_words` of ``lines`` when the caller has it already (the
    words that may be suspects); ``vocabulary``: the words candidates are taken from,
    when not ``words`` (normalize leaves a few lines out of ``words``); ``suspects``: the
    words of ``words`` that :func:`_fixable` says, when the caller has them.
    """
    distinct = words if words is not None else distinct_words(lines)
    if suspects is None:
        plain = _known_set(grammar, "not_suspect")
        suspects = set()
        for w in distinct - plain:
            # (a suspect no valid syllable could replace has no candidate: never changed)
            if _fixable(w, grammar):
                suspects.add(w)
            else:
                plain.add(w)
    else:
        suspects = set(suspects)
    if not suspects:
        return {}
    # only valid words sharing a suspect's skeleton and length can be candidates: most
    # letters have none (their suspects are codes such as HĐND, QĐ)
    if vocabulary is None:
        vocabulary = distinct
    else:  # a valid word of ``words`` sharing a suspect's skeleton and a suspect's length
        wanted = {_skeleton(w.lower()) for w in suspects}
        lengths = {len(w.lower()) for w in suspects}
        if not any(len(w) in lengths and _skeleton(w) in wanted and is_syllable(w, grammar)
                   for w in {w.lower() for w in distinct}):
            return {}  # (none: none looked for in the vocabulary either)
    index = _syllable_index(grammar, vocabulary)
    variants: set[str] = set()   # the letter's words (as written) that lower to a candidate
    for w in list(suspects):
        low = w.lower()
        found = index.get((_skeleton(low), len(low)))
        found = vocabulary.intersection(found) if found else None
        if found:
            variants.update(found)
        else:
            suspects.discard(w)  # no candidate: never changed
    if not variants:
        return {}
    joined = "\n".join(lines)

    def occurrences(w: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each occurrence of ``w`` as a whole word."""
        return ((pos, pos + len(w)) for pos in whole_words(joined, w))

    def beside(pos: int, end: int) -> tuple[str | None, str | None]:
        """The words before and after an occurrence on its line, lower-cased."""
        line_start = joined.rfind("\n", 0, pos) + 1
        line_end = joined.find("\n", end)
        m = _LAST_WORD.search(joined, line_start, pos)
        prev = m.group(0).lower() if m else None
        m = _WORD.search(joined, end, len(joined) if line_end < 0 else line_end)
        return prev, m.group(0).lower() if m else None

    # the suspects' places (the words beside each are read only when needed, below)
    places = [(pos, w) for w in suspects for pos in whole_words(joined, w)]
    # the candidates of each (skeleton, length) some place has, with the letter's
    # spellings of each; then, per candidate, how often the letter writes it, where first,
    # and the words beside it: before[(word, c)] and after[(c, word)] count the pairs the
    # letter writes (a pair never spans a line break)
    needed = {(_skeleton(low), len(low)) for low in (w.lower() for _, w in places)}
    spellings: dict[str, list[str]] = {}
    for w in variants:
        spellings.setdefault(w.lower(), []).append(w)
    by_key: dict[tuple[str, int], list[str]] = {}
    for c in spellings:
        key = (_skeleton(c), len(c))
        if key in needed:
            by_key.setdefault(key, []).append(c)
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    before: dict[tuple[str | None, str], int] = collections.Counter()
    after: dict[tuple[str, str | None], int] = collections.Counter()
    # A key with one candidate is decided by its support or, failing that, by the
    # candidate's count reaching min_count: once it does, the place is corrected whatever
    # the support, so the count stops there (common words are written many times).
    enough = max(min_count, 1)
    valid_by_key: dict[tuple[str, int], list[str]] = {}
    for key, cands in by_key.items():
        single = len(cands) == 1
        for c in cands:
            found: list[tuple[int, int]] = []
            for w in spellings[c]:
                for occurrence in occurrences(w):
                    found.append(occurrence)
                    if single and len(found) >= enough:
                        break
                if single and len(found) >= enough:
                    break
            if not found:
                continue
            counts[c] = len(found)
            first[c] = min(found)[0]
            if single and len(found) >= enough:
                continue                 # decided: its neighbours are not needed
            for pos, end in found:
                prev, nxt = beside(pos, end)
                if prev is not None:
                    before[(prev, c)] += 1
                if nxt is not None:
                    after[(c, nxt)] += 1
        # the candidates in the order the letter first writes them
        written = sorted((c for c in cands if c in counts), key=first.__getitem__)
        if written:
            valid_by_key[key] = written
    starts: list[int] = []
    fixes: dict[tuple[int, int], tuple[str, str]] = {}
    for pos, word in places:
        low = word.lower()
        candidates = valid_by_key.get((_skeleton(low), len(low)), ())
        if not candidates:
            continue
        if len(candidates) == 1 and counts[candidates[0]] >= min_count:
            best = candidates[0]  # corrected whatever its support (see below): not read
        else:
            prev, nxt = beside(pos, pos + len(word))
            support = {c: before.get((prev, c), 0) + after.get((c, nxt), 0)
                       for c in candidates}
            ranked = sorted(candidates, key=lambda c: (support[c], counts[c]), reverse=True)
            best = ranked[0]
            second = ranked[1] if len(ranked) > 1 else None
            if support[best] and (second is None or support[best] > support[second]):
                pass
            elif counts[best] >= min_count and (second is None
                                                or counts[best] >= ratio * counts[second]):
                pass
            else:
                continue
        if not starts:
            starts = list(itertools.accumulate(map((1).__add__, map(len, lines[:-1])),
                                               initial=0))
        i = bisect.bisect_right(starts, pos) - 1
        fixes[(i, pos - starts[i])] = (word, with_case_of(word, best))
    return fixes
