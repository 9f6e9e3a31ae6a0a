"""Extract items: the numbered body items as a tree.

Reads the BODY zone only (the tail and any appendix after the signature are other
zones). A line whose start matches an ``item.*`` rule of ``grammars/items.yaml`` opens an
item with that rule's rank (Roman section 0, article 1, Arabic 2, '1.1' 3, 'a)' 4,
dash 5); other lines are the wrapped continuation of the open item until a blank line
followed by a paragraph that starts a new sentence. An item becomes the child of the
nearest open item of a smaller rank. Labels are kept as printed, without punctuation:
'II', '1', '1.1', 'a', 'Điều 1', '-'; OCR's damage to labels is repaired from the
sequence they stand in (Roman sections 'II' twice, 'L.', 'HH.'; 'n,' between n - 1 and
n + 1; 'x' between n and n + 2), each repair recorded in ``letter.corrections``.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from ..grammar import CompiledRule, Grammar, call_timeout
from ..labels import SpanLabel, Zone
from ..letter import Letter


def item_rule(text: str, grammar: Grammar) -> tuple[CompiledRule, Any] | tuple[None, None]:
    """The first ``item.*`` rule whose pattern matches the start of ``text``."""
    return _item_rule(text, _candidates(grammar), call_timeout())


def _item_rule(text: str, table: dict, timeout: float | None
               ) -> tuple[CompiledRule, Any] | tuple[None, None]:
    """:func:`item_rule` with the rule table (:func:`_candidates`) and the timeout
    (``grammar.call_timeout``) looked up once by the caller."""
    return _match_item(text, text.strip(), table, timeout)


#: first letters of a Roman item label and of an article ('Điều', OCR 'Dieu')
_ROMAN_FIRST = "IVX"
_ARTICLE_FIRST = "ĐDđd"


def _match_item(text: str, s: str, table: dict, timeout: float | None
                ) -> tuple[CompiledRule, Any] | tuple[None, None]:
    """:func:`_item_rule` of ``text`` whose stripped form ``s`` the caller has."""
    if len(s) < 3:
        return _NO_ITEM          # a label needs text after it
    first = s[0]
    if (first.isalpha() and first not in _ROMAN_FIRST and first not in _ARTICLE_FIRST
            and not (first.islower() and ")" in s[:6]) and not table[("", False, False)]):
        # most lines of a body (wrapped text): a letter that opens no label, and no
        # lettered point 'a)': the lookup below would give the table's empty row for them
        return _NO_ITEM
    # which rules can match, from the first letter or digit of the line (a cheap filter
    # before the patterns: bodies of 200 000 lines stay fast)
    head = s[:6]
    dash = False
    if not first.isalnum():
        dash = True              # a dash or bullet can open the line
        first = ""
        for c in head:           # the first letter or digit (a loop: cheaper than next())
            if c.isalnum():
                first = c
                break
    if first.isdigit():
        kind = "digit"
    elif first in _ROMAN_FIRST:  # also '' (no letter or digit in the head)
        kind = "roman"
    elif first in _ARTICLE_FIRST:
        kind = "article"
    else:
        kind = ""
    rules = table[(kind, first.islower() and ")" in head, dash)]
    if not rules:
        return _NO_ITEM
    # the patterns are matched without their prefilters: each prefilter is the start of
    # its pattern loosened (a necessary condition read off the pattern), so it could only
    # turn away lines the pattern turns away too (tests/test_perf_body3.py); no timeout=
    # inside the letter's CPU budget (the argument alone costs a microsecond a call)
    for rule in rules:
        m = rule.regex.match(text) if timeout is None else rule.regex.match(text,
                                                                            timeout=timeout)
        if m is not None:
            return rule, m
    return _NO_ITEM


_NO_ITEM = (None, None)
#: the rule of a (rule, match) pair
_RULE = operator.itemgetter(0)


@functools.lru_cache(maxsize=8)
def _item_rules(grammar: Grammar) -> tuple[CompiledRule, ...]:
    return tuple(r for r in grammar.rules("items") if r.id.startswith("item."))


@functools.lru_cache(maxsize=64)
def _rank(rule: CompiledRule) -> int:
    """The rule's value.rank (9 without one); read once per rule."""
    return int((rule.value or {}).get("rank", 9)) if isinstance(rule.value, dict) else 9


#: which item rules :func:`_item_rule` tries, by the kind of the line's first letter or
#: digit (digit, Roman, article) and whether a lettered point or a dash can open it
_FIRST_KINDS = {"digit": ("item.arabic", "item.sub"), "roman": ("item.roman",),
                "article": ("item.article",), "": ()}


@functools.lru_cache(maxsize=8)
def _candidates(grammar: Grammar) -> dict[tuple[str, bool, bool], tuple[CompiledRule, ...]]:
    """The ``item.*`` rules (in file order) to try for each (kind of first character,
    lettered point, dash) of :func:`_item_rule`."""
    out = {}
    for kind, ids in _FIRST_KINDS.items():
        for letter in (False, True):
            for dash in (False, True):
                wanted = set(ids) | ({"item.letter"} if letter else set()) | (
                    {"item.dash"} if dash else set())
                out[(kind, letter, dash)] = tuple(r for r in _item_rules(grammar)
                                                  if r.id in wanted and r.regex is not None)
    return out


def _label(rule: CompiledRule, m: Any) -> str:
    if rule.id == "item.article":
        num = m.group("num")
        return f"Điều {int(num) if num.isdigit() else 1}"    # 'Điều l.': OCR's l for 1
    return m.group("label")


def _walk(body: list, grammar: Grammar) -> tuple[dict[int, tuple[Any, Any]], tuple[list, ...]]:
    """Each body line's item rule (line index -> (rule, match) of :func:`_item_rule`)
    and, for each helper of :func:`extract`, the lines it can act on, in order: it would
    pass over any other line (a walk of every body line by each helper cost more than
    their work). The first character and the head read off the stripped line are those
    of the line with its indent removed."""
    table, timeout = _candidates(grammar), call_timeout()
    arabic, roman = grammar.rule("items", "item.arabic"), grammar.rule("items", "item.roman")
    lettered, article = grammar.rule("items", "item.letter"), grammar.rule("items", "item.article")
    strokes = _strokes(grammar.rule("items", "ocr.roman_lookalike"))
    found: dict[int, tuple[Any, Any]] = {}
    comma_lines: list = []      # Arabic items; lines of no item opening 'n,' (a digit, ',')
    arabic_lines: list = []     # Arabic items
    stroke_lines: list = []     # Arabic and Roman items; lines of no item or a lettered
    #                             point opening with a look-alike stroke of I
    kind_lines: list = []       # stroke_lines and the articles, in order
    for i, line in body:
        text = line.text
        s = text.strip()
        hit = _match_item(text, s, table, timeout)
        found[i] = hit
        r = hit[0]
        if r is None or r is lettered:
            # _stroke_head(text, strokes), its first step written out (most body lines
            # open with a letter that is no stroke: no call for them)
            c = text[:1]
            if c in strokes or (c and not c.isalpha() and not c.isdecimal()
                                and _stroke_head(text, strokes)):
                stroke_lines.append((i, line))
                kind_lines.append((i, line))
            if r is None and s[:1].isdigit() and "," in s[:5]:
                comma_lines.append((i, line))
        elif r is arabic:
            comma_lines.append((i, line))
            arabic_lines.append((i, line))
            stroke_lines.append((i, line))
            kind_lines.append((i, line))
        elif r is roman:
            stroke_lines.append((i, line))
            kind_lines.append((i, line))
        elif r is article:
            kind_lines.append((i, line))
    return found, (comma_lines, arabic_lines, stroke_lines, kind_lines)


def extract(letter: Letter, grammar: Grammar) -> Letter:
    roots: list[dict[str, Any]] = []
    stack: list[tuple[int, dict[str, Any]]] = []   # (rank, item) of the open path
    current: dict[str, Any] | None = None
    blank_before = False
    used: list[int] = []
    prev_index = None
    last_article = 0
    article = grammar.rule("items", "item.article")
    lines = letter.lines
    # the BODY lines as tail.lines_in gives them (a comprehension: no generator step a line)
    wanted = {Zone.BODY}
    body = [(i, line) for z in letter.zones if z.label in wanted
            for i in range(z.start, z.end) for line in (lines[i],) if line.zone in wanted]
    found, (comma_lines, arabic_lines, stroke_lines, kind_lines) = _walk(body, grammar)
    commas = _arabic_commas(letter, grammar, found, comma_lines)
    misread = _roman_misread(letter, grammar, found, arabic_lines)
    sequence = _roman_sequence(letter, grammar, found, misread, stroke_lines)
    order = _first_kinds(letter, grammar, {**misread, **sequence}, found, kind_lines)
    for i, line in body:
        if prev_index is not None and i > prev_index + 1:
            blank_before = False
            for k in range(prev_index + 1, i):
                zone = lines[k].zone
                if zone is Zone.BLANK:
                    blank_before = True
                elif zone is not Zone.BODY:
                    current = None    # another zone between: no continuation across it
        prev_index = i
        text = line.text
        rule, m = found[i]
        if rule is None:
            # (the open item's last line is read only after a blank line)
            if current is not None and not (blank_before and _new_paragraph(
                    current["_more"][-1] if current["_more"] else current["text"], text)):
                current["_more"].append(text.strip())
            else:
                current = None
            blank_before = False
            continue
        blank_before = False
        label = _label(rule, m)
        if rule is article and not m.group("num").isdigit():
            letter.correct(m.group("num"), "1", "items.item.article", i, m.start("num"))
        if i in misread:
            letter.correct(label, misread[i], "items.ocr.roman_digits", i, m.start("label"))
            rule, label = grammar.rule("items", "item.roman"), misread[i]
        elif i in sequence:
            letter.correct(label, sequence[i], "items.ocr.roman_sequence", i, m.start("label"))
            rule, label = grammar.rule("items", "item.roman"), sequence[i]
        elif i in commas:
            rule = grammar.rule("items", "item.arabic")
        kind = rule.id
        rank = order[kind] if kind in order else _rank(rule)
        start = m.start()
        item = {"label": label, "text": text[m.end():].strip(), "line": line.raw_no,
                "children": [], "_rank": rank, "_more": [], "_kind": kind,
                "_at": (i, m.start("label") if _has_label(m.re) else start)}
        letter.add_span(SpanLabel.ITEM, i, start, len(text))
        used.append(i)
        if kind == "item.article" and _quoted_article(label, last_article, stack):
            # 'Điều 24' inside 'Điều 1' (an amendment quoting another text's article):
            # out of sequence, so it belongs to the open item, not to the top level
            rank = stack[-1][0] + 1
        elif kind == "item.article":
            last_article = int(label.split()[-1])
        while stack and stack[-1][0] >= rank:
            stack.pop()
        if stack:
            stack[-1][1]["children"].append(item)
        else:
            roots.append(item)
        stack.append((rank, item))
        current = item
    roots = _regroup(roots)
    _arabic_sequence(letter, roots)
    if roots and all(r["_rank"] >= 5 for r in roots):
        roots = []      # a body of dashes only has no top-level items (GOLD_SPEC)
    letter.set("items", [_clean(r) for r in roots], lines=used)
    return letter


@functools.lru_cache(maxsize=64)
def _has_label(pattern: Any) -> bool:
    """The pattern has a group 'label' (``groupindex`` builds a new dict at each read)."""
    return "label" in pattern.groupindex


def _quoted_article(label: str, last: int, stack: list) -> bool:
    """An article whose number does not follow the last article's (last + 1), inside an
    open article: quoted text of another document."""
    n = int(label.split()[-1])
    return last > 0 and n != last + 1 and bool(stack)


def _capitals(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))     # (C loops: no Python a character)
    return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) >= 0.8


def _roman_misread(letter: Letter, grammar: Grammar, found: dict, body: list
                   ) -> dict[int, str]:
    """Line index -> Roman label for Arabic labels that OCR made of Roman ones ('1- CHỨC
    NĂNG'), in a body that has Roman sections (``items.yaml``: ocr.roman_digits)."""
    rule = grammar.rule("items", "ocr.roman_digits")
    table = rule.value if isinstance(rule.value, dict) else {}
    misread: dict[int, str] = {}
    # rules compared by identity: one CompiledRule per id (cheaper than reading .id)
    roman, arabic = grammar.rule("items", "item.roman"), grammar.rule("items", "item.arabic")
    if roman not in map(_RULE, found.values()):    # (a C loop; rules compare by identity)
        return misread            # no Roman section in the body
    for i, line in body:
        r, m = found[i]
        if r is arabic and m.group("label") in table and \
                _capitals(line.text[m.end():]):
            misread[i] = str(table[m.group("label")])
    return misread


_ROMAN = {"I": 1, "V": 5, "X": 10}


def _roman_value(label: str) -> int | None:
    """The value of a Roman numeral as the item rule reads it ('IV' -> 4)."""
    if not label or any(c not in _ROMAN for c in label):
        return None
    total = 0
    for k, c in enumerate(label):
        v = _ROMAN[c]
        total += -v if k + 1 < len(label) and _ROMAN[label[k + 1]] > v else v
    return total


def _roman_sequence(letter: Letter, grammar: Grammar, found: dict,
                    misread: dict[int, str], body: list) -> dict[int, str]:
    """Line index -> Roman label where OCR broke the body's sequence of Roman sections
    (``items.yaml``: ocr.roman_sequence, ocr.roman_lookalike): a label repeating the one
    just before it ('II' after 'II', for 'III') or a look-alike label ('L.', 'HH.') in a
    gap of the sequence. ``found`` gets the look-alike lines' matches."""
    look = grammar.rule("items", "ocr.roman_lookalike")
    strokes = _strokes(look)
    repairable = set(grammar.words("items", "ocr.roman_sequence"))
    entries: list[tuple[int, str, str, Any]] = []   # (line, kind, label as read, match)
    roman = grammar.rule("items", "item.roman")
    lettered = (None, grammar.rule("items", "item.letter"), grammar.rule("items", "item.arabic"))
    for i, line in body:
        rule, m = found[i]
        if i in misread:
            entries.append((i, "roman", misread[i], m))
        elif rule is roman:
            entries.append((i, "roman", m.group("label"), m))
        elif rule in lettered:      # no item, a lettered point or an Arabic item
            # (the walk put only lines that pass _stroke_head here)
            lm = look.match(line.text)
            if lm is None:
                continue
            if not lm.group("label").replace(".", "").isdigit():
                entries.append((i, "look", lm.group("label"), lm))
            elif lm.group("label") in ("1", "11", "111"):
                entries.append((i, "digit", lm.group("label"), lm))
    if not any(kind == "roman" for _, kind, _, _ in entries):
        return _stroke_sections(letter, found, look, entries, repairable, strokes)
    entries = [e for e in entries if e[1] != "digit"]     # ocr.roman_digits reads those
    out: dict[int, str] = {}
    expected = 1
    prev_read = None          # the value of the last Roman label as read
    for k, (i, kind, label, m) in enumerate(entries):
        value = _roman_value(label) if kind == "roman" else None
        if value == expected:
            expected, prev_read = expected + 1, value
            continue
        want = _to_roman(expected)
        nxt = next((v for _, kd, lb, _ in entries[k + 1:] if kd == "roman"
                    for v in [_roman_value(lb)] if v is not None and v >= expected), None)
        gap = nxt > expected if nxt is not None else expected > 1
        heading = kind == "look" and _capitals(letter.lines[i].text[m.end():])
        if want in repairable and (
                (gap and kind == "look" and (nxt is not None or heading))
                or (gap and kind == "roman" and value == expected - 1 and value == prev_read
                    and set(label) == {"I"})
                or (kind == "look" and _strokes_fit(label, expected, entries[k + 1:], heading,
                                                    strokes))):
            out[i] = want
            if kind == "look":
                found[i] = (look, m)
            expected, prev_read = expected + 1, expected if kind == "look" else value
        elif value is not None:
            if value > expected:
                expected = value + 1      # a section the text does not carry
            prev_read = value
    return out


def _arabic_commas(letter: Letter, grammar: Grammar, found: dict, body: list) -> set[int]:
    """Lines of items numbered 'n,' (a comma read for the full stop) that stand between
    items n - 1 and n + 1 (``items.yaml``: ocr.arabic_comma); ``found`` gets their
    matches."""
    rule = grammar.rule("items", "ocr.arabic_comma")
    seq: list[tuple[int, int, Any]] = []    # (line, number, comma match or None)
    arabic = grammar.rule("items", "item.arabic")
    for i, line in body:
        r, m = found[i]
        if r is not None:
            if r is arabic:
                seq.append((i, int(m.group("label")), None))
            continue
        s = line.text.lstrip()
        if s[:1].isdigit() and "," in s[:5]:
            cm = rule.match(line.text)
            if cm is not None:
                seq.append((i, int(cm.group("label")), cm))
    out = set()
    for k, (i, n, cm) in enumerate(seq):
        if cm is None or k == 0:
            continue
        prev_ok = seq[k - 1][1] == n - 1 and (seq[k - 1][2] is None or seq[k - 1][0] in out)
        if not prev_ok:
            continue
        if k + 1 < len(seq):
            ok = seq[k + 1][1] == n + 1
        else:           # the last one: after a run of two ('3.', '4,', '5,')
            ok = k >= 2 and seq[k - 2][1] == n - 2 and (seq[k - 2][2] is None
                                                         or seq[k - 2][0] in out)
        if ok:
            found[i] = (rule, cm)
            out.add(i)
    return out


def _stroke_head(text: str, strokes: dict[str, int]) -> bool:
    """A necessary condition of ``ocr.roman_lookalike``: its label starts within the
    first three characters, after at most two that are neither letters nor digits ('*
    L. Đối tượng'), so a stroke comes before any letter or digit there."""
    for c in text[:3]:
        if c in strokes:
            return True
        if c.isalpha() or c.isdecimal():      # \p{L} or \d before a stroke: no label
            return False
    return False


@functools.lru_cache(maxsize=8)
def _strokes(look: CompiledRule) -> dict[str, int]:
    """The characters OCR reads for the stroke of a Roman I, and how many strokes each is
    (``items.yaml`` ocr.roman_lookalike, value one_stroke and two_strokes: H is two run
    together); read once per grammar (callers only read it)."""
    value = look.value if isinstance(look.value, dict) else {}
    out = {str(c): 1 for c in value.get("one_stroke", [])}
    out.update({str(c): 2 for c in value.get("two_strokes", [])})
    return out


def _stroke_sections(letter: Letter, found: dict, look: CompiledRule, entries: list,
                     repairable: set[str], strokes: dict[str, int]) -> dict[int, str]:
    """A body where OCR misread every Roman label ('1 CHỨC NĂNG', 'H. NHIỆM VỤ', 'HI. TỔ
    CHỨC'): two or more look-alike or '1'-digit labels before headings in capitals whose
    strokes count 1, then more, in order (at most III) are those sections."""
    cands = [(i, label, m) for i, kind, label, m in entries
             if _capitals(letter.lines[i].text[m.end():])]
    counts = [sum(strokes.get(c, 0) for c in label) for _, label, _ in cands]
    if len(cands) < 2 or counts[0] != 1 or any(b <= a for a, b in zip(counts, counts[1:])):
        return {}
    wanted = [_to_roman(n) for n in counts]
    if any(w not in repairable for w in wanted):
        return {}
    out = {}
    for (i, _label, m), want in zip(cands, wanted):
        if found[i][0] is None:
            found[i] = (look, m)
        out[i] = want
    return out


def _strokes_fit(label: str, expected: int, after: list, heading: bool,
                 strokes: dict[str, int]) -> bool:
    """A look-alike label ('1L' for 'II') whose strokes count the section the sequence
    expects, where the next Roman label is that same number in I's (so itself the next
    section misread: 'I. / 1L NỘI DUNG / II. TỔ CHỨC' is I, II, III) or there is none
    and the label heads a section in capitals. Never for the first section."""
    if expected < 2 or sum(strokes.get(c, 0) for c in label) != expected:
        return False
    later = [(lb, _roman_value(lb)) for _, kd, lb, _ in after if kd == "roman"]
    if not later:
        return heading
    first, value = later[0]
    return value == expected and set(first) == {"I"} and all(v != expected + 1
                                                               for _, v in later[1:])


def _to_roman(n: int) -> str:
    out = ""
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _arabic_sequence(letter: Letter, items: list[dict[str, Any]]) -> None:
    """At each level, a numbered item between n and n + 2 whose number is not n + 1 is
    the OCR misreading of n + 1 (``items.yaml``: ocr.arabic_sequence; recorded)."""
    nums = [int(it["label"]) if it["_kind"] == "item.arabic" else None for it in items]
    for k in range(1, len(items) - 1):
        a, b, c = nums[k - 1], nums[k], nums[k + 1]
        if a is not None and b is not None and c is not None and c == a + 2 and b != a + 1:
            item = items[k]
            i, col = item["_at"]
            letter.correct(item["label"], str(a + 1), "items.ocr.arabic_sequence", i, col)
            item["label"] = str(a + 1)
            nums[k] = a + 1
    for it in items:
        if it["children"]:
            _arabic_sequence(letter, it["children"])


def _first_kinds(letter: Letter, grammar: Grammar, misread: dict[int, str],
                 found: dict, body: list) -> dict[str, int]:
    """Sections and articles nest either way: a Quy định has 'I.' sections holding
    'Điều' articles, a Quyết định has 'Điều 1' holding the 'I.' parts of what it approves.
    Whichever of the two comes first in the body holds the other."""
    # (rules compared by identity: one CompiledRule per id, cheaper than reading .id)
    roman, article = grammar.rule("items", "item.roman"), grammar.rule("items", "item.article")
    for i, _line in body:
        rule = found[i][0]
        if i in misread:
            rule = roman
        if rule is roman:
            return {"item.roman": 0, "item.article": 1}
        if rule is article:
            return {"item.article": 0, "item.roman": 1}
    return {}


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
    text = " ".join([item["text"]] + item.get("_more", [])).strip()
    return {"label": item["label"], "text": text, "line": item["line"],
            "children": [_clean(c) for c in item["children"]]}
