"""Decoding Vietnamese text files: Unicode forms and the legacy font encodings.

Archives hold letters typed in the 1990s-2000s fonts as well as Unicode. Supported:

* ``utf-8`` (with or without a BOM), ``utf-16``/``utf-32`` with a BOM;
* ``cp1258`` (Windows-1258: base letters plus combining tone marks, composed to NFC);
* ``tcvn3`` (TCVN 5712:1993, the ABC ``.VnTime`` fonts), ``vni`` (VNI-Windows fonts),
  ``viscii`` (RFC 1456): tables in this folder (``*.tsv``), each with its source;
* the same legacy text re-saved as UTF-8 by a program that read it as Windows-1252
  (``§éc lËp`` in a UTF-8 file): reported as ``tcvn3-in-utf-8`` etc., and UTF-8 read as
  Windows-1252 and saved again (``Cá»™ng``): ``utf-8-in-utf-8``.

Detection scores every candidate decoding by the share of its words that are valid
Vietnamese syllables (:func:`vn_officialdoc.tones.syllable_share`); charset guessers that
look at byte statistics alone take VNI for Czech. Every decoding ends in NFC.

Why tables of our own: the maintained converter on PyPI (``viparse`` 0.1.31, a RAG
loader) keeps corpus-derived tables that leave letters out (its VNI table has no ``ẳ``;
its TCVN3 table no capitals), and its detector is opt-in. Our tables come from the
standards (glibc's charmaps for TCVN 5712:1993 and VISCII, the VNI-Windows chart) and
agree with every entry of viparse's tables (checked when they were written; see the
headers of the .tsv files).
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata
from importlib import resources

import regex

#: the legacy encodings this module decodes itself (Python has no codec for them)
LEGACY = ("tcvn3", "vni", "viscii")

#: names accepted for --encoding, mapped to ours (anything else goes to Python's codecs)
ALIASES = {
    "tcvn3": "tcvn3", "tcvn": "tcvn3", "tcvn-3": "tcvn3", "tcvn5712": "tcvn3",
    "tcvn-5712": "tcvn3", "tcvn5712-1": "tcvn3", "abc": "tcvn3", "vntime": "tcvn3",
    "vni": "vni", "vni-windows": "vni", "vniwin": "vni",
    "viscii": "viscii",
    "cp1258": "cp1258", "windows-1258": "cp1258", "1258": "cp1258",
    "utf8": "utf-8", "utf-8": "utf-8", "utf-8-sig": "utf-8-sig",
    "utf16": "utf-16", "utf-16": "utf-16",
}

#: how much better (share of valid syllables) a re-reading of UTF-8 text must score
REREAD_MARGIN = 0.15
#: below this share of valid syllables, a non-UTF-8 file is not taken as Vietnamese
MIN_SHARE = 0.30
#: words needed before the share is trusted to tell a non-Vietnamese file
MIN_WORDS = 8
#: candidates are scored on this many leading bytes / characters (the winner decodes all)
SAMPLE = 32_768

_CASED_TOKEN = regex.compile(r"\S+")


class UnknownEncoding(LookupError):
    pass


def canonical(name: str) -> str:
    """Our name for an encoding given by a user (``TCVN3``, ``VNI``, ``windows-1258`` ...)."""
    key = name.strip().lower().replace("_", "-").replace(" ", "")
    if key in ALIASES:
        return ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise UnknownEncoding(
            f"unknown encoding {name!r}; use one of tcvn3, vni, viscii, cp1258, utf-8, "
            "utf-16 or a Python codec name") from None


# -- tables -------------------------------------------------------------------------
def _rows(name: str) -> list[list[str]]:
    text = resources.files(__package__).joinpath(f"{name}.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def _code_points(field: str) -> str:
    return "".join(chr(int(cp[2:], 16)) for cp in field.split())


@functools.lru_cache(maxsize=None)
def byte_table(name: str) -> tuple[str, ...]:
    """256 strings: what each byte decodes to in the single-byte table ``name``."""
    table = [chr(b) for b in range(256)]
    for byte, cps, *_ in _rows(name):
        table[int(byte, 16)] = _code_points(cps)
    return tuple(table)


@functools.lru_cache(maxsize=None)
def vni_table() -> tuple[dict[str, str], dict[str, str]]:
    """(modifier character -> combining marks, letter character -> letter) of VNI."""
    modifiers: dict[str, str] = {}
    letters: dict[str, str] = {}
    for kind, byte, _char, cps in (r[:4] for r in _rows("vni")):
        ch = bytes([int(byte, 16)]).decode("cp1252")
        (modifiers if kind == "modifier" else letters)[ch] = _code_points(cps)
    return modifiers, letters


# -- surfaces: bytes <-> the Windows-1252 characters a legacy font's bytes show as ---
@functools.lru_cache(maxsize=1)
def _cp1252_chars() -> tuple[str, ...]:
    out = []
    for b in range(256):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81 0x8D 0x8F 0x90 0x9D: undefined, read as Latin-1
            out.append(chr(b))
    return tuple(out)


def cp1252_text(data: bytes) -> str:
    """Bytes read as Windows-1252; the five bytes it leaves undefined read as Latin-1."""
    table = _cp1252_chars()
    return "".join(table[b] for b in data)


def cp1252_bytes(text: str) -> bytes | None:
    """The bytes a Windows-1252 reading of which gave ``text``; None if it cannot be that."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) < 0x100:
                out.append(ord(ch))
            else:
                return None
    return bytes(out)


# -- decoders -------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _vni_vowels() -> frozenset[str]:
    """The 12 vowel letters without tone, from the syllable grammar (single-letter rhymes)."""
    return frozenset(v for v in _grammar().defs("normalize")["vowels"].split("|")
                     if len(v) == 1)


def decode_vni(text: str) -> str:
    """VNI text (as Windows-1252 characters) to Unicode NFC."""
    from ..tones import TONES, split_tone

    modifiers, letters = vni_table()
    vowels = _vni_vowels()
    out: list[str] = []
    for ch in text:
        if ch in modifiers and out:
            composed = unicodedata.normalize("NFC", out[-1] + modifiers[ch])
            if len(composed) == 1:
                toneless, tones = split_tone(composed)
                base = unicodedata.normalize("NFD", out[-1])
                already = any(c in TONES for c in base)
                if toneless.lower() in vowels and len(tones) <= 1 and not already:
                    out[-1] = composed
                    continue
        out.append(letters.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def decode_table(data: bytes, name: str) -> str:
    """Decode with a single-byte table (tcvn3, viscii); TCVN3 capitals restored (.VnTimeH)."""
    table = byte_table(name)
    chars = [table[b] for b in data]
    if name == "tcvn3":
        legacy_lower = [b >= 0x80 and chars[i].islower() for i, b in enumerate(data)]
        chars = restore_capitals(chars, legacy_lower)
    return unicodedata.normalize("NFC", "".join(chars))


def restore_capitals(chars: list[str], legacy_lower: list[bool]) -> list[str]:
    """Upper-case the TCVN3 letters of words set in an upper-case font (.VnTimeH).

    TCVN3 has no codes for most capital toned letters: a heading is typed as capital ASCII
    plus the lower-case codes, and the ``H`` font draws them all as capitals, so
    ``CéNG HOµ`` reads ``CộNG HOà``. A word is taken to be upper case when its ASCII
    letters are all capitals and either there are two capitals or a capital follows a
    lower-case toned letter (impossible in ordinary text); a word with one capital or none
    (``Sè``, ``Uû``, ``ë``: ``Số`` or ``SỐ``? ``ở`` or ``Ở``?) follows the words right
    beside it: upper case when the next word (or, at the end of a line, the one before)
    is an upper-case word (not an abbreviation such as ``UBND``) and neither is lower case.
    """
    text = "".join(chars) if all(len(c) == 1 for c in chars) else None
    if text is None:
        return chars
    out = list(chars)
    for line_start, line in _lines(text):
        states: list[tuple[int, int, str]] = []
        for m in _CASED_TOKEN.finditer(line):
            s, e = m.start() + line_start, m.end() + line_start
            states.append((s, e, _token_state(text, legacy_lower, s, e)))
        for k, (s, e, state) in enumerate(states):
            if state == "ambiguous":
                left = _tells(text, *states[k - 1]) if k > 0 else None
                right = _tells(text, *states[k + 1]) if k + 1 < len(states) else None
                # the word after tells (ỦY BAN, HÀ NỘI); the word before only at the end
                # of a line (ĐẾN Số: 906 is a stamp label, not an upper-case run)
                if "lower" not in (left, right) and (
                        right == "upper" or (left == "upper" and k + 1 == len(states))):
                    state = "fix"
            if state == "fix":
                for i in range(s, e):
                    up = out[i].upper()
                    if len(up) == 1:
                        out[i] = up
    return out


def _tells(text: str, s: int, e: int, state: str) -> str | None:
    """What a neighbouring token says of the case of its line: upper, lower or nothing.

    An all-capital token tells "upper" only when it is a set word (a syllable such as
    ``BAN``), not an abbreviation (``UBND``, ``CV/BDVTU``), which stands in any text.
    """
    if state in ("fix", "lower"):
        return "upper" if state == "fix" else "lower"
    if state == "upper":
        from ..tones import is_syllable

        word = regex.sub(r"^[\p{P}\p{S}]+|[\p{P}\p{S}]+$", "", text[s:e])
        return "upper" if is_syllable(word, _grammar()) else None
    return None


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _token_state(text: str, legacy_lower: list[bool], s: int, e: int) -> str:
    if any(c.isdigit() for c in text[s:e]):
        return "skip"
    uppers = 0
    ascii_lower = legacy = cap_after_lower = False
    for i in range(s, e):
        c = text[i]
        if not c.isalpha():
            continue
        if c.isupper():
            uppers += 1
            if legacy:
                cap_after_lower = True
        elif c.islower():
            if legacy_lower[i]:
                legacy = True
            else:
                ascii_lower = True
    if not legacy:
        if ascii_lower:
            return "lower"
        return "upper" if uppers >= 2 else "none"
    if ascii_lower:
        return "lower"
    if uppers >= 2 or cap_after_lower:
        return "fix"
    return "ambiguous"


def decode_as(data: bytes, name: str) -> str:
    """Decode ``data`` in encoding ``name`` (our names or Python's); NFC; strict."""
    name = canonical(name)
    if name == "tcvn3" or name == "viscii":
        text = decode_table(data, name)
    elif name == "vni":
        text = decode_vni(cp1252_text(data))
    else:
        text = data.decode(name)
        if text.startswith("\ufeff"):
            text = text[1:]
    return unicodedata.normalize("NFC", text)


# -- detection ----------------------------------------------------------------------
class Candidate:
    """A decoding of the bytes: its name, its text, and the share of valid Vietnamese
    syllables among the words of its head (``words`` of them), scored when first asked for
    (a UTF-8 file with no rival reading is never scored)."""

    __slots__ = ("name", "text", "_share", "_words")

    def __init__(self, name: str, text: str, share: float | None = None,
                 words: int | None = None) -> None:
        self.name, self.text, self._share, self._words = name, text, share, words

    def _score(self) -> None:
        from ..tones import syllable_share

        self._share, self._words = syllable_share(self.text[:SAMPLE], _grammar())

    @property
    def share(self) -> float:
        if self._share is None:
            self._score()
        return self._share  # type: ignore[return-value]

    @property
    def words(self) -> int:
        if self._words is None:
            self._score()
        return self._words  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Candidate({self.name!r}, share={self.share:.3f}, words={self.words})"


def _grammar():
    """The grammar (normalize.yaml alone if another grammar file fails to load)."""
    from ..errors import GrammarError
    from ..grammar import load_grammar

    try:
        return load_grammar()
    except GrammarError:
        return _own_grammar()


@functools.lru_cache(maxsize=1)
def _own_grammar():
    from pathlib import Path

    from ..grammar import Grammar, grammar_root, load_file
    root = Path(grammar_root())
    return Grammar({"normalize": load_file(root / "normalize.yaml")}, root)


def _score(name: str, text: str) -> Candidate:
    from ..tones import syllable_share

    share, words = syllable_share(text, _grammar())
    return Candidate(name, text, share, words)


def _reread(text: str, name: str) -> str:
    """UTF-8 ``text`` read back as the bytes a Windows-1252 reading came from, in ``name``."""
    raw = cp1252_bytes(text)
    if raw is None:
        raise UnicodeError("not a Windows-1252 reading")
    if name == "utf-8":
        return unicodedata.normalize("NFC", raw.decode("utf-8"))
    return decode_as(raw, name)


def reread_candidates(text: str) -> list[Candidate]:
    """Legacy or double-UTF-8 readings of (the head of) text decoded as UTF-8 (mojibake).

    The candidates' texts are of the head only (:data:`SAMPLE` characters).
    """
    head = text[:SAMPLE]
    if not _LATIN1_OR_SPECIAL.search(head) or cp1252_bytes(head) is None:
        return []  # (no Windows-1252 reading gave it: every re-reading fails)
    found = []
    for name in ("utf-8", *LEGACY):
        try:
            found.append(_score(f"{name}-in-utf-8", _reread(head, name)))
        except UnicodeError:  # includes UnicodeDecodeError
            continue
    return found


_CP1252_SPECIALS = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", "ignore"))
#: a character of U+0080..U+00FF or one of _CP1252_SPECIALS
_LATIN1_OR_SPECIAL = re.compile("[\u0080-\u00ff" + re.escape("".join(sorted(_CP1252_SPECIALS))) + "]")


def detect(data: bytes) -> Candidate:
    """Pick the decoding of ``data`` (no BOM) whose text reads most as Vietnamese.

    Candidates are scored on the first :data:`SAMPLE` bytes or characters; the winner
    decodes the whole. Raises :class:`UnicodeError` when the bytes are not UTF-8 and no
    legacy encoding gives Vietnamese text.
    """
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8"))
    except UnicodeDecodeError:
        text = None
    if text is not None:
        rereads = reread_candidates(text)
        if rereads:
            base = _score("utf-8", text[:SAMPLE])
            best = max(rereads, key=lambda c: c.share)
            if best.share >= base.share + REREAD_MARGIN and best.words >= 1:
                try:
                    whole = _reread(text, best.name[: -len("-in-utf-8")])
                    return Candidate(best.name, whole, best.share, best.words)
                except UnicodeError:
                    pass
            return Candidate("utf-8", text, base.share, base.words)
        return Candidate("utf-8", text)  # the only reading: scored only if asked
    head = data[:SAMPLE]
    found = []
    for name in ("cp1258", *LEGACY):
        try:
            found.append(_score(name, decode_as(head, name)))
        except UnicodeDecodeError:
            # a cut in the middle of nothing: cp1258 fails on its undefined bytes only
            continue
    found.sort(key=lambda c: c.share, reverse=True)
    if found and (found[0].share >= MIN_SHARE or found[0].words < MIN_WORDS):
        best = found[0]
        try:
            return Candidate(best.name, decode_as(data, best.name), best.share, best.words)
        except UnicodeDecodeError:
            pass
    best = found[0] if found else None
    raise UnicodeError(
        "not UTF-8, and no Vietnamese encoding (cp1258, tcvn3, vni, viscii) gives "
        "Vietnamese text" + (f" (best: {best.name}, {best.share:.0%} of words are "
                             "Vietnamese syllables)" if best else ""))
