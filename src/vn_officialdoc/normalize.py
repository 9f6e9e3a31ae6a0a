"""Stage 2, normalize: raw text -> normalized lines, every change on the record.

Each raw line becomes one :class:`Line` (line structure is kept, so raw line numbers
stay exact). The rules of ``grammars/normalize.yaml`` are applied in order; each
substitution keeps a column map back to the raw line, and each change that is more than
white space goes into ``letter.corrections`` with its rule id and raw position.
"""

from __future__ import annotations

import unicodedata

from .grammar import Grammar
from .letter import Letter, Line

#: rules whose changes are typography, not corrections of content: not listed one by one
_QUIET_RULES = ("space.",)


def _apply(text: str, cols: list[int], rule, replacement: str
           ) -> tuple[str, list[int], list[tuple[str, str, int]]]:
    """Apply one substitution rule; return new text, new column map and the changes."""
    out: list[str] = []
    out_cols: list[int] = []
    changes: list[tuple[str, str, int]] = []
    last = 0
    for m in rule.finditer(text):
        s, e = m.span()
        if s == e and not replacement:
            continue
        out.append(text[last:s])
        out_cols.extend(cols[last:s])
        if m.group(0) != replacement:
            changes.append((m.group(0), replacement, cols[s] if s < len(cols) else
                            (cols[-1] + 1 if cols else 0)))
        anchor = cols[s] if s < len(cols) else (cols[-1] + 1 if cols else 0)
        out.append(replacement)
        out_cols.extend([anchor] * len(replacement))
        last = e
    if not changes and last == 0:
        return text, cols, []
    out.append(text[last:])
    out_cols.extend(cols[last:])
    return "".join(out), out_cols, changes


def normalize_line(raw_line: str, grammar: Grammar) -> tuple[str, list[int], list[tuple]]:
    """Normalize one raw line. Returns (text, raw columns, [(before, after, rule, col)])."""
    text = raw_line
    cols = list(range(len(raw_line)))
    changes: list[tuple] = []
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        # NFC composes characters: map each composed char to the first raw column it covers
        new_cols, i = [], 0
        for ch in nfc:
            new_cols.append(i)
            i += len(unicodedata.normalize("NFD", ch)) if i < len(text) else 1
            i = min(i, len(text))
        changes.append((text, nfc, "unicode.nfc", 0))
        text, cols = nfc, new_cols
    for rule in grammar.rules("normalize"):
        value = rule.value if isinstance(rule.value, dict) else {}
        replacement = str(value.get("replace", ""))
        if rule.regex is None or not rule.regex.search(text, timeout=1.0):
            continue
        text, cols, ch = _apply(text, cols, rule, replacement)
        if not rule.id.startswith(_QUIET_RULES):
            changes.extend((b, a, rule.id, c) for b, a, c in ch)
    return text, cols, changes


def normalize(letter: Letter, grammar: Grammar) -> Letter:
    """Fill ``letter.lines`` from ``letter.raw``; list content changes in corrections."""
    raw_lines = letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: list[Line] = []
    for no, raw_line in enumerate(raw_lines, start=1):
        text, cols, changes = normalize_line(raw_line, grammar)
        identity = text == raw_line
        lines.append(Line(text=text, raw_no=no, cols=None if identity else cols))
        for before, after, rule_id, col in changes:
            letter.corrections.append({"before": before, "after": after, "rule": rule_id,
                                       "line": no, "column": col})
    letter.lines = lines
    letter.invalidate()
    return letter
