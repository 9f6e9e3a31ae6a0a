"""Stage 3, segment: label every line with a zone (see :class:`~.labels.Zone`).

Zones are labels over line ranges of the normalized text, never copies of it. Three
passes run in order; each labels only lines still marked BODY unless it has strong
evidence, so that later passes do not undo earlier ones:

1. ``_label_head``: header, title/subject, stamp, and noise lines (e-signature banners,
   OCR debris) - the two-column header may come flattened in any order;
2. ``_label_recipients``: the ``Kính gửi`` block;
3. ``_label_tail``: closing, copies-to (``Nơi nhận``), signature and seal lines.

Whatever is left is the body.
"""

from __future__ import annotations

import functools

from .grammar import Grammar, timed
from .labels import Zone
from .letter import Letter

# the labels that the loops over every line test, read once: ``Zone.BODY`` is a lookup
# through the Enum class (about 0.1 us), a cost on each line of a long letter otherwise
_BODY, _BLANK, _RECIPIENTS = Zone.BODY, Zone.BLANK, Zone.RECIPIENTS


def _label_head(letter: Letter, grammar: Grammar) -> None:
    """Label HEADER, TITLE, STAMP and NOISE lines.

    The head is read by :func:`~.extract.header.scan_head` (the same reading the header
    extractor uses): from the first line to the first line that opens the body ('Kính
    gửi', 'Căn cứ', 'Thực hiện', 'Điều 1.', a numbered item) or that no longer belongs to
    the header, the title and subject, the stamp or the noise around them. A letter
    without a header (S002) gets no HEADER line here."""
    from .extract.header import scan_head

    scan = scan_head(letter, grammar)
    for index, zone in scan.zones.items():
        if letter.lines[index].zone is Zone.BODY:
            letter.lines[index].zone = zone


def _label_recipients(letter: Letter, grammar: Grammar) -> None:
    """Label the RECIPIENTS block: the first ``Kính gửi`` line still in the body and the
    addressee lines after it. An addressee starts with a dash (or, in a list without
    dashes, after a line ending in ';' or ','); a line without a dash right under an
    unfinished addressee continues it; the block ends at an addressee ending in '.', or at
    a blank line followed by a line that is not a dashed addressee, unless the list
    resumes there (:func:`_addressee_resumes`)."""
    heading = grammar.rule("recipients", "heading")
    dash = grammar.rule("recipients", "dash")
    lines = letter.lines
    start = _first_heading(letter, heading)
    if start is None:
        return
    lines[start].zone = Zone.RECIPIENTS
    rest = heading.match(lines[start].text).group("rest").strip()
    # a numbered list ('Kính gửi: 1. Ông ...' / '2. Bà ...') goes on at its numbers
    numbered = grammar.rule("recipients", "numbered")
    numbers = numbered.match(rest) is not None and rest.lstrip().startswith("1")
    rest_text = rest.strip("*_ ")
    last = rest_text          # text of the last recipient line ('' when none yet)
    seen = bool(rest_text)
    dashed = False            # the addressees seen so far start with dashes
    blank = False
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if line.zone is Zone.BLANK:
            blank = True
            continue
        if line.zone is not Zone.BODY:
            break
        text = line.text.strip()
        if last.endswith(".") and seen or heading.match(text):
            break                 # the list ended (or another 'Kính gửi' begins)
        if not dashed and any(grammar.rule("header", r).match(text)
                              for r in ("stop.can_cu", "stop.opener")):
            break                 # 'Thực hiện ...', 'Căn cứ ...': the body begins
        if not seen and text.startswith("1") and numbered.match(text) is not None:
            numbers = True        # the first addressee under a bare 'Kính gửi:' is '1. ...'
        is_number = numbered.match(text) is not None
        if is_number and not numbers and dashed:
            break                 # a numbered line after a dashed list: the body's item
        is_dash = dash.match(text) is not None or (numbers and is_number)
        if is_dash:
            pass
        elif not seen:
            # the first addressee under a bare 'Kính gửi:' may come without a dash
            pass
        elif blank and not _addressee_resumes(last, text, dashed, grammar):
            break
        elif last.endswith((";", ",")) and not dashed:
            pass                  # a list without dashes: one addressee per line
        elif last.endswith((";", ".")):
            break
        line.zone = Zone.RECIPIENTS
        dashed = dashed or is_dash
        last, seen, blank = text, True, False


def _first_heading(letter: Letter, heading) -> int | None:
    """The first BODY line of eight characters or more that ``heading`` matches.

    Only the lines where the rule's prefilter is found are tried: it is searched in the
    whole text, from line to line, instead of once per line. This holds because the
    prefilter (recipients.yaml heading) has no anchor or look-around: a match inside a
    line is a match in the whole text at the same place, so the search never passes over
    a line that has one (tests/test_perf_tail.py checks the prefilter's form)."""
    lines = letter.lines
    pre = heading.pre
    if pre is None:
        return next((i for i, line in enumerate(lines) if line.zone is _BODY
                     and len(line.text) >= 8 and heading.match(line.text)), None)
    text = letter.text
    pos = 0
    while True:
        m = pre.search(text, pos)
        if m is None:
            return None
        i = letter.line_index(m.start())
        line = lines[i]
        if line.zone is Zone.BODY and len(line.text) >= 8 and heading.match(line.text):
            return i
        if i + 1 >= len(lines):
            return None
        pos = letter.line_start(i + 1)


def _addressee_resumes(last: str, text: str, dashed: bool, grammar: Grammar) -> bool:
    """After a blank line (OCR puts one inside a list), the Kính gửi list goes on when
    the addressee above is unfinished (no closing ',' ';' '.' ':') and the line starts in
    lower case (its wrapped rest: '... tham mưu công' / '' / 'tác dân vận ...'), or, in a
    list without dashes, when the addressee above ended in ';' and the line is a whole
    addressee (a capital first, ',' ';' or '.' last) that does not open the body
    ('Căn cứ ...', 'Thực hiện ...': header.yaml stop.can_cu, stop.opener)."""
    s = text.lstrip(" *_")
    if not s:
        return False
    if not last.endswith((",", ";", ".", ":")) and s[0].islower():
        return True
    if dashed or not last.endswith(";") or not s[0].isupper() or not s.endswith((",", ";", ".")):
        return False
    return not any(grammar.rule("header", r).match(s) for r in ("stop.can_cu", "stop.opener"))


def _label_tail(letter: Letter, grammar: Grammar) -> None:
    """Label CLOSING, COPIES_TO, SIGNATURE and SEAL lines (NOISE for debris and for
    appendices after the signature block).

    The tail starts at the first of: the 'Nơi nhận' heading, a signing mark (KT., T/M ...)
    or, in a letter with neither, a title line directly followed by a personal name. A
    block of dash lines ending in a 'Lưu' line just above the heading is part of it (OCR
    of a two-column tail can put the list first). From the start, each line is a
    copies-to line, a signature line (mark, title, name, 'đã ký'), seal text (capitals
    between the title and the name) or debris, until a line that is none of these comes
    after the copies list and the signature are complete: that line and the rest of the
    letter are an appendix (Phụ lục, an attached Quy định) and are not the letter's body."""
    from .extract import tail as tf

    lines = letter.lines
    cp_heading = grammar.rule("copies_to", "heading")
    body = [i for i, ln in enumerate(lines) if ln.zone is _BODY]
    if not body:
        return
    # per-line results, computed once and only for the lines looked at (the appendix
    # after the tail is not): the line without HTML tags, stripped; its signing mark
    plain = _PlainLines(lines, grammar)
    # the answers of the tail tests per text, shared with the signature and copies-to
    # extractors, which ask them again of the tail lines
    memo = tf.memo(letter, grammar)
    marks = memo.marks

    def mark_of(i: int) -> tf.Mark | None:
        return memo.find_mark(plain[i])

    # the first 'Nơi nhận' line and, above it, the first mark line, in one pass (a mark
    # below the heading does not move the start: the scan ends at the heading)
    # (this loop reads most lines of the letter: the heading is tried pattern first; find_mark
    # is only asked until the first mark is found)
    is_heading = tf.pattern_first(cp_heading)
    find_mark = tf.find_mark
    nn = mark = None
    for i in body:
        text = lines[i].text       # plain[i], filled here without a call for each line
        text = plain[i] = (text if "<" not in text else tf.plain(text, grammar)).strip()
        if len(text) >= 7 and is_heading(text):
            nn = i
            break
        if mark is None:
            found = marks[text] = find_mark(text, grammar)
            if found is not None and _mark_line(text, found, grammar):
                mark = i
    starts = [i for i in (nn, mark) if i is not None]
    if not starts:
        pair = _title_name_pair(plain, grammar, body)
        if pair is None:
            return
        starts = [pair]
    start = min(starts)
    # a dash block ending in a 'Lưu' line just above the heading belongs to the list
    if nn is not None and start == nn:
        start = _copies_above(letter, grammar, nn)
    if nn is not None and start == nn:
        start = _title_above(letter, grammar, plain, nn)

    luu = grammar.rule("copies_to", "luu")
    dash = grammar.rule("copies_to", "dash_led")
    note_line = grammar.rule("copies_to", "note_line")
    gazette = grammar.rule("header", "noise.gazette")   # a page's running head in the tail
    debris = grammar.rule("header", "noise.debris")     # at most four letters on the line
    copies_open = nn is not None and start < nn   # a list printed above its heading
    copies_done = False
    in_signature = False
    have_name = False
    last_copy = ""
    last_sig_title = None     # the title line just seen, which may wrap onto the next
    seen_heading = False
    end = len(lines)
    for i in range(start, len(lines)):
        line = lines[i]
        if line.zone is not _BODY:
            continue
        text = plain[i]
        if not text or (("/" in text or "QUY" in text) and _running_head(text, gazette)):
            line.zone = Zone.NOISE           # nothing, or the gazette's running head
            continue
        if is_heading(text):
            if seen_heading:
                end = i              # a second 'Nơi nhận': another document begins
                break
            seen_heading = True
            line.zone = Zone.COPIES_TO
            if not copies_done:
                copies_open = True
            if mark_of(i) or memo.trailing_title(text):
                in_signature = True
            continue
        found_mark = mark_of(i)
        at_mark = found_mark is not None and _mark_line(text, found_mark, grammar)
        if at_mark and last_sig_title is not None and not (copies_open and not copies_done):
            end = i                  # a mark never follows the signer's title: a new block
            break
        if at_mark:
            if copies_open and not copies_done and _has_words(text[: found_mark.start]):
                line.zone = Zone.COPIES_TO       # '- Ban Bí thư; KT. THỦ TƯỚNG'
            else:
                line.zone = Zone.SIGNATURE
            in_signature = True
            continue
        if memo.skipped(text):
            line.zone = Zone.SIGNATURE
            continue
        is_dash = dash.match(text) is not None
        if not is_dash and memo.person_name(text):
            line.zone = Zone.SIGNATURE
            have_name = in_signature = True
            continue
        title = None if is_dash else memo.match_title(text)
        if title:
            line.zone = Zone.SIGNATURE
            in_signature = True
            last_sig_title = title
            continue
        if in_signature and not have_name and not is_dash and _debris(text, debris) \
                and not _capitals(text):     # ('NƯỚC': a title's wrapped word, below)
            # between the title and the name, OCR debris (seal marks), though a copies
            # list printed above its heading is open ('T/M ...' / ',ÊÂy' / the name)
            line.zone = Zone.NOISE
            continue
        if copies_open and not copies_done and last_copy.endswith(".") and not is_dash \
                and not note_line.match(text):
            copies_done = True               # a list without a 'Lưu' line ended
        if copies_open and not copies_done and (is_dash or _has_words(text)
                                                or note_line.match(text)):
            line.zone = Zone.COPIES_TO
            last_copy = text
            if luu.match(text):
                copies_done = True
            continue
        if in_signature and not have_name and (_seal_text(text) or _capitals(text)):
            prev = last_sig_title
            joined = prev is not None and tf.title_continues(prev, text, grammar)
            line.zone = Zone.SIGNATURE if joined else Zone.SEAL
            continue
        if not _has_words(text):
            line.zone = Zone.NOISE
            continue
        end = i
        break
    for i in range(end, len(lines)):
        # an appendix (a form with its own 'Kính gửi', an attached Quy định) is not the
        # letter's body; labels.Zone has no APPENDIX label, NOISE marks it as not-letter
        if lines[i].zone in (_BODY, _RECIPIENTS):
            lines[i].zone = Zone.NOISE
    _label_closing(letter, grammar, start)


def _pattern_first(rule):
    """:func:`~.extract.tail.pattern_first` (which the copies-to extractor uses too)."""
    from .extract.tail import pattern_first

    return pattern_first(rule)


class _PlainLines(dict):
    """line index -> ``tail.plain`` of the line, stripped; filled as lines are read."""

    def __init__(self, lines, grammar: Grammar) -> None:
        from .extract.tail import plain

        super().__init__()
        self.lines = lines
        self.grammar = grammar
        self.plain = plain

    def __missing__(self, i: int) -> str:
        text = self.lines[i].text
        # plain() gives the text itself where it has no '<' (most lines): no call then
        value = self[i] = (text if "<" not in text else self.plain(text, self.grammar)).strip()
        return value


def _running_head(text: str, gazette) -> bool:
    """The Official Gazette's running head at a page break ('2 CÔNG BÁO/Số 45 + 46/Ngày
    ...'): header.yaml noise.gazette, its first word in capitals (a copies-to entry
    'Công báo/...' is not one)."""
    m = gazette.search(text)
    if m is None:
        return False
    word = next((w for w in text.split() if any(c.isalpha() for c in w)), "")
    letters = [c for c in word if c.isalpha()]
    return all(c.isupper() for c in letters)


def _mark_line(text: str, found, grammar: Grammar) -> bool:
    """A signing mark is taken only where it heads a signature column: at the start of
    the line, after 'Nơi nhận:' or after a copies-to entry ending in ';' or ','.
    ``found``: the line's mark (:func:`~.extract.tail.find_mark` of ``text``) or None."""
    if found is None:
        return False
    before = text[: found.start]
    if not _has_words(before):
        return True
    if grammar.rule("copies_to", "heading").match(text):
        return True
    if before.rstrip(" _-~").endswith((";", ",", ":")):
        return True
    # two marks on one line: 'TM. CHÍNH PHỦ KT. THỦ TƯỚNG' (the one above signs for it)
    from .extract.tail import find_mark
    outer = find_mark(before, grammar)
    return outer is not None and not _has_words(before[: outer.start])


def _debris(text: str, rule) -> bool:
    """OCR debris: at most four letters on the line (``header.yaml``: noise.debris) and no
    two lower-case letters in a row (a wrapped word, 'ương', 'Nam', is no debris)."""
    return rule.match(text) is not None and not _two_in_a_row(text, str.islower)


def _has_words(text: str) -> bool:
    """At least one word of two letters or more (debris has none)."""
    return _two_in_a_row(text, str.isalpha)


def _two_in_a_row(text: str, test) -> bool:
    """Two characters in a row for which ``test`` holds."""
    run = 0
    for ch in text:
        run = run + 1 if test(ch) else 0
        if run >= 2:
            return True
    return False


def _seal_text(text: str) -> bool:
    """Seal text read into the signature: a short line in capitals."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8 \
        and len(text.split()) <= 6


def _copies_above(letter: Letter, grammar: Grammar, nn: int) -> int:
    """Start of a block of dash lines ending in a 'Lưu' line right above the heading."""
    lines = letter.lines
    dash = grammar.rule("copies_to", "dash_led")
    luu = grammar.rule("copies_to", "luu")
    k = nn - 1
    while k >= 0 and lines[k].zone is Zone.BLANK:
        k -= 1
    if k < 0 or lines[k].zone is not Zone.BODY or not luu.match(lines[k].text.strip()):
        return nn
    first = k
    k -= 1
    while k >= 0 and (lines[k].zone is Zone.BLANK or (
            lines[k].zone is Zone.BODY and dash.match(lines[k].text.strip()))):
        if lines[k].zone is Zone.BODY:
            first = k
        k -= 1
    return first


def _title_above(letter: Letter, grammar: Grammar, plain: "_PlainLines", nn: int) -> int:
    """The signature column read before the copies list: a title line in capitals right
    above the 'Nơi nhận' heading ('TỔNG GIÁM ĐỐC' / 'Nơi nhận:' / ... / the name), with
    its mark line above it, starts the tail."""
    from .extract import tail as tf

    lines = letter.lines
    k = nn - 1
    if k < 0 or lines[k].zone is not _BODY:
        return nn
    if k > 0 and lines[k - 1].zone is _BODY and tf.person_name(plain[k], grammar):
        k -= 1            # the head signs: title, name, then 'Nơi nhận'
    text = plain[k]
    if not text.isupper() or len(text.split()) > 8 or tf.match_title(text, grammar) is None:
        return nn
    if k > 0 and lines[k - 1].zone is _BODY and tf.find_mark(plain[k - 1], grammar):
        return k - 1
    return k


def _title_name_pair(plain: "_PlainLines", grammar: Grammar, body: list[int]) -> int | None:
    """In a letter without 'Nơi nhận' and without a mark: the last title line that is
    followed (after its wrapped part, seal or 'đã ký' lines) by a personal name. Lines
    are read as the rest of the tail reads them (``plain``: HTML tags cut, stripped)."""
    from .extract import tail as tf

    found = None
    for pos, i in enumerate(body):
        if tf.match_title(plain[i], grammar) is None:
            continue
        for j in body[pos + 1:]:
            text = plain[j]
            if tf.person_name(text, grammar):
                found = i
                break
            if tf.is_signed_line(text, grammar) or _seal_text(text) or _capitals(text):
                continue      # seal text, 'đã ký', or the title's wrapped second line
            break
    return found


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.9


@functools.lru_cache(maxsize=8)
def _item_rules(grammar: Grammar) -> tuple[tuple, "object | None"]:
    """The item rules (``item.*``) of items.yaml, in file order, and their joined pattern
    (:meth:`~.grammar.Grammar.any_of`)."""
    items = tuple(r for r in grammar.rules("items") if r.id.startswith("item."))
    return items, grammar.any_of("items", tuple(r.id for r in items))


def _label_closing(letter: Letter, grammar: Grammar, start: int) -> None:
    """The closing paragraph just above the tail ('... thực hiện./.', 'Trân trọng.'):
    a body paragraph without an item label, ending in './.' or a closing formula."""
    lines = letter.lines
    k = start - 1
    while k >= 0 and lines[k].zone is Zone.BLANK:
        k -= 1
    if k < 0 or lines[k].zone is not Zone.BODY:
        return
    if grammar.rule("items", "closing").search(lines[k].text) is None:
        return
    first = k
    while first - 1 >= 0 and lines[first - 1].zone is Zone.BODY and \
            not lines[first - 1].text.rstrip().endswith((".", ":")):
        first -= 1
    items, any_item = _item_rules(grammar)
    # the item patterns joined: one timed call tells a line that none of them matches
    match_any = timed(any_item.match) if any_item is not None else None

    def has_item(text: str) -> bool:
        if match_any is not None and match_any(text) is None:
            return False
        return any(r.match(text) for r in items)

    if any(has_item(lines[j].text) for j in range(first, k + 1)):
        return            # the last item's own closing words ('Điều 3. ... thi hành./.')
    for i in range(first, k + 1):
        lines[i].zone = Zone.CLOSING


def segment(letter: Letter, grammar: Grammar) -> Letter:
    for line in letter.lines:
        # (not text.strip(): a blank line, read without building its stripped copy)
        text = line.text
        line.zone = _BLANK if not text or text.isspace() else _BODY
    _label_head(letter, grammar)
    _label_recipients(letter, grammar)
    _label_tail(letter, grammar)
    letter.rebuild_zones()
    return letter
