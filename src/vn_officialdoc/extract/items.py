"""Extract items: the numbered body items as a tree.

Reads the BODY zone only (the tail and any appendix after the signature are other
zones). A line whose start matches an ``item.*`` rule of ``grammars/items.yaml`` opens an
item with that rule's rank (Roman section 0, article 1, Arabic 2, '1.1' 3, 'a)' 4,
dash 5); other lines are the wrapped continuation of the open item until a blank line
followed by a paragraph that starts a new sentence. An item becomes the child of the
nearest open item of a smaller rank. Labels are kept as printed, without punctuation:
'II', '1', '1.1', 'a', 'Điều 1', '-'.
"""

from __future__ import annotations

from typing import Any

from ..grammar import CompiledRule, Grammar
from ..labels import SpanLabel, Zone
from ..letter import Letter


def item_rule(text: str, grammar: Grammar) -> tuple[CompiledRule, Any] | tuple[None, None]:
    """The first ``item.*`` rule whose pattern matches the start of ``text``."""
    for rule in grammar.rules("items"):
        if not rule.id.startswith("item."):
            continue
        m = rule.match(text)
        if m is not None:
            return rule, m
    return None, None


def _label(rule: CompiledRule, m: Any) -> str:
    if rule.id == "item.article":
        return f"Điều {int(m.group('num'))}"
    return m.group("label")


def extract(letter: Letter, grammar: Grammar) -> Letter:
    roots: list[dict[str, Any]] = []
    stack: list[tuple[int, dict[str, Any]]] = []   # (rank, item) of the open path
    current: dict[str, Any] | None = None
    blank_before = False
    used: list[int] = []
    prev_index = None
    for i, line in letter.zone_lines(Zone.BODY):
        if prev_index is not None and i > prev_index + 1:
            blank_before = any(letter.lines[k].zone.value == "blank"
                               for k in range(prev_index + 1, i))
            if any(letter.lines[k].zone not in (Zone.BLANK, Zone.BODY)
                   for k in range(prev_index + 1, i)):
                current = None        # another zone between: no continuation across it
        prev_index = i
        text = line.text
        rule, m = item_rule(text, grammar)
        if rule is None:
            if current is not None and not (blank_before and _new_paragraph(current["text"], text)):
                current["text"] = f"{current['text']} {text.strip()}".strip()
            else:
                current = None
            blank_before = False
            continue
        blank_before = False
        rank = int((rule.value or {}).get("rank", 9)) if isinstance(rule.value, dict) else 9
        item = {"label": _label(rule, m), "text": text[m.end():].strip(),
                "line": line.raw_no, "children": [], "_rank": rank}
        letter.add_span(SpanLabel.ITEM, i, m.start(), len(text))
        used.append(i)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            stack[-1][1]["children"].append(item)
        else:
            roots.append(item)
        stack.append((rank, item))
        current = item
    roots = _regroup(roots)
    if roots and all(r["_rank"] >= 5 for r in roots):
        roots = []      # a body of dashes only has no top-level items (GOLD_SPEC)
    letter.set("items", [_clean(r) for r in roots], lines=used)
    return letter


def _regroup(roots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep at the top only the items of the smallest rank present; items of a larger rank
    printed before the first of them (a preamble list) are dropped from the tree's top."""
    if not roots:
        return roots
    top = min(r["_rank"] for r in roots)
    if top >= 5:
        return roots
    return [r for r in roots if r["_rank"] == top]


def _new_paragraph(prev: str, text: str) -> bool:
    """After a blank line, a line starting with a capital after a finished sentence
    begins a new paragraph (not a wrapped continuation)."""
    s = text.lstrip()
    return bool(s) and s[0].isupper() and prev.rstrip().endswith((".", ":", ";", "!", "?"))


def _clean(item: dict[str, Any]) -> dict[str, Any]:
    return {"label": item["label"], "text": item["text"], "line": item["line"],
            "children": [_clean(c) for c in item["children"]]}
