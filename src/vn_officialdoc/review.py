"""The review page: records beside their letters, every field highlighted where it came from.

``vn-officialdoc review OUT`` reads the records that ``parse --out OUT`` wrote (one JSON per
letter; error entries hold an ``"error"`` object) and writes one self-contained HTML file:
inline CSS and JavaScript, no network, no server. For each record whose source file can
still be read, the letter is annotated again to get the exact spans of every field; the
raw text is shown with those spans highlighted (raw line and column, through the column
maps of :class:`~.letter.Line`). When only line numbers are known (a record's
``header.lines``, ``items[].line`` ...) the whole line is marked; when the source is gone
the fields are shown alone.

Every piece of letter text goes through jinja2's autoescape, and the page carries a
Content-Security-Policy that allows only its own script (by hash): a letter holding
``<script>`` or ``"><img onerror=...>`` shows as text.

jinja2 is imported lazily, inside :func:`render`, so the command line starts fast.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import VnOfficialDocError
from .labels import SpanLabel, WARNING_TEXT, WarningCode

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: status of a letter on the page, in the order the index lists them (worst first)
STATUS_ORDER = {"failed": 0, "warned": 1, "ok": 2}
STATUS_TEXT = {"failed": "failed", "warned": "warnings", "ok": "ok"}

#: the field each span label belongs to (record path) and how the page names it
LABEL_FIELD: dict[SpanLabel, str] = {
    SpanLabel.ISSUER: "header.issuer.name",
    SpanLabel.ISSUER_PARENT: "header.issuer.parent",
    SpanLabel.MOTTO: "header.motto",
    SpanLabel.NUMBER: "header.number",
    SpanLabel.SYMBOL: "header.symbol",
    SpanLabel.DOC_TYPE: "header.doc_type",
    SpanLabel.PLACE: "header.place",
    SpanLabel.DATE: "header.date",
    SpanLabel.SUBJECT: "header.subject",
    SpanLabel.URGENCY: "header.urgency",
    SpanLabel.SECRECY: "header.secrecy",
    SpanLabel.RECEIVED: "received",
    SpanLabel.RECIPIENT: "recipients",
    SpanLabel.ITEM: "items",
    SpanLabel.SLOGAN: "slogans",
    SpanLabel.REFERENCE: "references",
    SpanLabel.AUTHORITY: "signature.authority",
    SpanLabel.SIGNER_TITLE: "signature.title",
    SpanLabel.SIGNER: "signature.signer",
    SpanLabel.COPY_TO: "copies_to",
    SpanLabel.EMAIL: "emails",
}

#: header fields shown on every letter (found or not): (record path, header.lines key, name)
HEADER_ROWS = (
    ("header.issuer.parent", "issuer.parent", "Parent body", SpanLabel.ISSUER_PARENT),
    ("header.issuer.name", "issuer.name", "Issuer", SpanLabel.ISSUER),
    ("header.motto", "motto", "Motto", SpanLabel.MOTTO),
    ("header.number", "number", "Number", SpanLabel.NUMBER),
    ("header.symbol", "symbol", "Symbol", SpanLabel.SYMBOL),
    ("header.doc_type", "doc_type", "Type", SpanLabel.DOC_TYPE),
    ("header.place", "place", "Place", SpanLabel.PLACE),
    ("header.date", "date", "Date", SpanLabel.DATE),
    ("header.subject", "subject", "Subject", SpanLabel.SUBJECT),
    ("header.urgency", "urgency", "Urgency", SpanLabel.URGENCY),
    ("header.secrecy", "secrecy", "Secrecy", SpanLabel.SECRECY),
)
#: header rows hidden when empty (most letters have none)
OPTIONAL_HEADER = {"header.motto", "header.urgency", "header.secrecy"}

SIGNATURE_ROWS = (
    ("signature.authority", "authority", "Authority", SpanLabel.AUTHORITY),
    ("signature.title", "title", "Signer's title", SpanLabel.SIGNER_TITLE),
    ("signature.signer", "signer", "Signer", SpanLabel.SIGNER),
)


class ReviewError(VnOfficialDocError):
    """The review page cannot be made (no records in the folder, jinja2 missing...)."""

    code = "E500"


# -- offsets of the annotated letter -> raw line and column ------------------------------

def raw_lines(raw: str) -> list[str]:
    """The raw text's lines, split exactly as ``normalize`` splits them (raw_no = index + 1)."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def raw_line_offsets(raw: str) -> list[int]:
    """Offset in ``raw`` of the start of each raw line (``\\r\\n``, ``\\r``, ``\\n`` breaks)."""
    starts = [0]
    i, n = 0, len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\r":
            i += 2 if i + 1 < n and raw[i + 1] == "\n" else 1
            starts.append(i)
        elif ch == "\n":
            i += 1
            starts.append(i)
        else:
            i += 1
    return starts


def raw_segments(letter: Any, start: int, end: int) -> list[tuple[int, int, int]]:
    """Raw pieces of the normalized-text span ``[start, end)``: (raw line, col start, col end).

    One piece per normalized line the span touches. Columns are 0-based, end exclusive,
    and cover combining marks that normalization composed into the last character.
    """
    if end <= start or not letter.lines:
        return []
    lines_raw = raw_lines(letter.raw)
    pieces = []
    first, last = letter.line_index(start), letter.line_index(end - 1)
    for i in range(first, last + 1):
        line = letter.lines[i]
        base = letter.line_start(i)
        s = max(start, base) - base
        e = min(end, base + len(line.text)) - base
        if e <= s:
            continue
        raw_text = lines_raw[line.raw_no - 1] if 0 < line.raw_no <= len(lines_raw) else ""
        rs = min(line.raw_col(s), len(raw_text))
        re_ = min(line.raw_col(e - 1) + 1, len(raw_text))
        while re_ < len(raw_text) and unicodedata.combining(raw_text[re_]):
            re_ += 1
        if re_ > rs:
            pieces.append((line.raw_no, rs, re_))
    return pieces


# -- what the page shows -----------------------------------------------------------------

@dataclass
class Piece:
    """A run of raw text with the spans covering it (innermost first)."""

    text: str
    spans: list[str] = field(default_factory=list)
    label: str | None = None


@dataclass
class SourceLine:
    no: int
    pieces: list[Piece]
    fields: list[str] = field(default_factory=list)   # row ids marking the whole line


@dataclass
class Row:
    id: str
    group: str
    name: str
    value: str | None
    label: str | None = None          # span label (colour) of the row
    spans: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    depth: int = 0
    warned: bool = False


@dataclass
class View:
    """One letter (or error entry) on the page."""

    id: str
    record_file: str
    source_path: str | None
    status: str
    issuer: str = ""
    doc_type: str = ""
    number: str = ""
    date: str = ""
    year: str = ""
    error: dict | None = None
    rows: list[Row] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    source: list[SourceLine] | None = None
    source_note: str | None = None
    found: int = 0

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


def read_output(path: Path) -> dict:
    """The JSON object of one output file; a file that is not a JSON object becomes an
    error entry saying so."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        data = {"source": {"path": None},
                "error": {"code": "E500", "type": "ReviewError",
                          "message": f"cannot read this record: {exc}"}}
    return data


def iter_outputs(out_dir: Path) -> Iterable[tuple[str, dict]]:
    """(relative path, JSON object) of every record or error entry under ``out_dir``, in
    sorted order, one at a time.

    Records have a ``schema_version``, error entries an ``error``; other JSON files (a run
    summary) are skipped. A ``*.json`` file that is not JSON becomes an error entry.
    """
    for root, dirs, files in os.walk(out_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".json"):
                continue
            path = Path(root) / name
            data = read_output(path)
            if "schema_version" not in data and "error" not in data:
                log.debug("%s is not a record (a run summary?): skipped", path)
                continue
            yield path.relative_to(out_dir).as_posix(), data


def load_outputs(out_dir: Path) -> list[tuple[str, dict]]:
    """:func:`iter_outputs` as a list."""
    return list(iter_outputs(out_dir))


def status_of(data: dict) -> str:
    """failed | warned | ok, as :func:`build_view` tells it."""
    if "error" in data:
        return "failed"
    return "warned" if any(isinstance(w, dict) for w in _list(data.get("warnings"))) else "ok"


def _get(data: dict, path: str) -> Any:
    cur: Any = data
    for key in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(key)
    return cur


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _squash(s: str) -> str:
    return " ".join(s.split()).casefold()


def _locate(given: str | None, root: Path | None) -> Path | None:
    if not given:
        return None
    p = Path(given)
    candidates = [p] if p.is_absolute() else ([root / p] if root else []) + [p]
    for c in candidates:
        if c.is_file():
            return c
    return None


class _Matcher:
    """Hands out a letter's spans of one label to the rows of list fields, each once."""

    def __init__(self, spans: dict[SpanLabel, list[tuple[str, int, str]]]):
        self.free = {k: list(v) for k, v in spans.items()}
        self.order = {k: list(v) for k, v in spans.items()}

    def take(self, label: SpanLabel, text: str | None, line: int | None,
             index: int | None = None, total: int | None = None) -> list[str]:
        """The span of the ``index``-th of ``total`` values: same raw line, same text, or
        (when the letter has exactly one span per value) the span in the same place."""
        pool = self.free.get(label) or []
        pick = None
        if line is not None:
            same = [s for s in pool if s[1] == line]
            if text and len(same) > 1:
                same = [s for s in same if _squash(text)[:20] in _squash(s[2])] or same
            pick = same[0] if same else None
        if pick is None and text:
            want = _squash(text)
            pick = next((s for s in pool if _squash(s[2]) == want), None) or \
                next((s for s in pool if want and (want in _squash(s[2]) or _squash(s[2]) in want)), None)
        order = self.order.get(label) or []
        if pick is None and index is not None and total == len(order) and order[index] in pool:
            pick = order[index]
        if pick is None:
            return []
        pool.remove(pick)
        return [pick[0]]

    def all(self, label: SpanLabel) -> list[str]:
        return [s[0] for s in self.free.get(label) or []]


def _annotate(path: Path, encoding: str | None):
    from .pipeline import annotate_file

    try:
        return annotate_file(path)
    except VnOfficialDocError:
        if encoding:
            return annotate_file(path, encoding=encoding)
        raise


def build_view(index: int, record_file: str, data: dict, root: Path | None = None) -> View:
    """What the page shows of one record file (an error entry shows its error)."""
    vid = f"L{index}"
    source_path = _get(data, "source.path")
    source_path = source_path if isinstance(source_path, str) and source_path else None
    if "error" in data:
        err = data.get("error")
        err = err if isinstance(err, dict) else {"message": err}
        err = {k: _text(err.get(k)) for k in ("code", "type", "message")}
        return View(vid, record_file, source_path, "failed", error=err)

    header = _dict(data.get("header"))
    date = _text(header.get("date")) or ""
    symbol = _text(header.get("symbol"))
    warnings = [_warning(w) for w in _list(data.get("warnings")) if isinstance(w, dict)]
    view = View(vid, record_file, source_path, "warned" if warnings else "ok",
                issuer=_text(_get(data, "header.issuer.name")) or "",
                doc_type=_text(header.get("doc_type")) or "",
                number="".join(filter(None, [_text(header.get("number")),
                                             "-" + symbol if symbol else None])),
                date=date, year=date[:4] if len(date) >= 4 and date[:4].isdigit() else "",
                corrections=[_correction(c) for c in _list(data.get("corrections"))
                             if isinstance(c, dict)],
                warnings=warnings)

    # the letter again, for the text and the exact spans
    letter = None
    located = _locate(source_path, root)
    if source_path and located is None:
        view.source_note = f"the source file {source_path} was not found: fields only"
    elif located is not None:
        try:
            letter = _annotate(located, _get(data, "source.encoding"))
        except VnOfficialDocError as exc:
            view.source_note = f"the source file cannot be read again ({exc.message}): fields only"
        except Exception as exc:  # noqa: BLE001 - one bad letter must not stop the page; logged
            log.exception("annotating %s for review", located)
            view.source_note = f"the source file could not be annotated again ({exc}): fields only"
        if letter is not None and _get(data, "source.sha256") not in (None, letter.sha256):
            view.source_note = ("the source file changed after the record was made: the text and "
                                "highlights are those of the file as it is now")
    spans: dict[SpanLabel, list[tuple[str, int, str]]] = {}
    segments: dict[str, list[tuple[int, int, int]]] = {}
    span_label: dict[str, str] = {}
    if letter is not None:
        for k, s in enumerate(letter.spans):
            sid = f"{vid}s{k}"
            segs = raw_segments(letter, s.start, s.end)
            if not segs:
                continue
            segments[sid] = segs
            span_label[sid] = s.label.value
            spans.setdefault(s.label, []).append((sid, segs[0][0], s.text))
    matcher = _Matcher(spans)
    warned_fields = {w["field"] for w in view.warnings}
    rows = view.rows

    def add(group: str, path: str, name: str, value: Any, label: SpanLabel | None,
            sids: list[str], lines: Iterable[int] | None, depth: int = 0) -> None:
        rows.append(Row(f"{vid}r{len(rows)}", group, name, _text(value),
                        label.value if label else None, sids,
                        sorted({n for n in (lines or []) if isinstance(n, int)}), depth,
                        warned=path in warned_fields or path.split(".")[0] in warned_fields))

    hl = _dict(header.get("lines"))
    add("Header", "format", "Format", data.get("format"), None, [], None)
    for path, key, name, label in HEADER_ROWS:
        value = _get(data, path)
        if value is None and path in OPTIONAL_HEADER:
            continue
        add("Header", path, name, value, label, matcher.all(label) if value is not None else [],
            hl.get(key))
    received = data.get("received")
    if isinstance(received, dict):
        rlines = _list(received.get("lines"))
        sids = matcher.all(SpanLabel.RECEIVED)
        for key, name in (("number", "Received number"), ("date", "Received date"),
                          ("office", "Received by")):
            add("Received stamp", f"received.{key}", name, received.get(key),
                SpanLabel.RECEIVED, sids if received.get(key) is not None else [],
                rlines if received.get(key) is not None else None)
    recipients = _list(data.get("recipients"))
    for k, r in enumerate(recipients):
        add("Recipients", "recipients", "Recipient", r, SpanLabel.RECIPIENT,
            matcher.take(SpanLabel.RECIPIENT, _text(r), None, k, len(recipients)), None)

    def walk(items: list, depth: int) -> None:
        for it in _list(items):
            if not isinstance(it, dict):
                continue
            line = it.get("line") if isinstance(it.get("line"), int) else None
            add("Items", "items", str(it.get("label", "")), it.get("text"), SpanLabel.ITEM,
                matcher.take(SpanLabel.ITEM, _text(it.get("text")), line),
                [line] if line else None, depth)
            walk(it.get("children"), depth + 1)

    walk(data.get("items"), 0)
    slogans = _list(data.get("slogans"))
    for k, s in enumerate(slogans):
        if isinstance(s, dict):
            add("Slogans", "slogans", "Slogan", s.get("text"), SpanLabel.SLOGAN,
                matcher.take(SpanLabel.SLOGAN, _text(s.get("text")), s.get("line"), k, len(slogans)),
                [s.get("line")])
    references = _list(data.get("references"))
    for k, r in enumerate(references):
        if isinstance(r, dict):
            ref_id = "-".join(filter(None, [_text(r.get("number")), _text(r.get("symbol"))]))
            name = " ".join(filter(None, [_text(r.get("doc_type")), ref_id]))
            add("References", "references", name or "Reference", r.get("text"), SpanLabel.REFERENCE,
                matcher.take(SpanLabel.REFERENCE, _text(r.get("text")), r.get("line"), k,
                             len(references)),
                [r.get("line")])
    sig = _dict(data.get("signature"))
    for path, key, name, label in SIGNATURE_ROWS:
        value = sig.get(key)
        add("Signature", path, name, value, label, matcher.all(label) if value is not None else [],
            _list(sig.get("lines")) if value is not None else None)
    copies = _list(data.get("copies_to"))
    for k, c in enumerate(copies):
        if isinstance(c, dict):
            value = " ".join(filter(None, [_text(c.get("text")), _text(c.get("note"))])) or None
            add("Copies to", "copies_to", "Copy to", value, SpanLabel.COPY_TO,
                matcher.take(SpanLabel.COPY_TO, _text(c.get("text")), None, k, len(copies)), None)
    emails = _list(data.get("emails"))
    for k, e in enumerate(emails):
        add("E-mail", "emails", "E-mail", e, SpanLabel.EMAIL,
            matcher.take(SpanLabel.EMAIL, _text(e), None, k, len(emails)), None)
    view.found = sum(1 for r in rows if r.value is not None)

    if letter is not None:
        view.source = _source_lines(letter.raw, segments, span_label, rows)
    return view


def _correction(c: dict) -> dict:
    out = {k: _text(c.get(k)) for k in ("before", "after", "rule")}
    out.update({k: c.get(k) if isinstance(c.get(k), int) else None for k in ("line", "column")})
    return out


def _warning(w: dict) -> dict:
    code = str(w.get("code", ""))
    try:
        words = WARNING_TEXT[WarningCode(code)]
    except ValueError:
        words = None
    message = str(w.get("message") or words or code)
    return {"field": str(w.get("field", "")), "code": code, "message": message,
            "words": words if words and words != message else None}


def _source_lines(raw: str, segments: dict[str, list[tuple[int, int, int]]],
                  span_label: dict[str, str], rows: list[Row]) -> list[SourceLine]:
    """The raw text line by line, cut into pieces at span boundaries."""
    by_line: dict[int, list[tuple[str, int, int]]] = {}
    for sid, segs in segments.items():
        for no, s, e in segs:
            by_line.setdefault(no, []).append((sid, s, e))
    span_size = {sid: sum(e - s for _, s, e in segs) for sid, segs in segments.items()}
    line_rows: dict[int, list[str]] = {}
    for row in rows:
        if row.lines and not row.spans and row.value is not None:
            for n in row.lines:
                line_rows.setdefault(n, []).append(row.id)
    out = []
    for no, text in enumerate(raw_lines(raw), start=1):
        marks = by_line.get(no, [])
        cuts = sorted({0, len(text), *(s for _, s, _ in marks), *(e for _, _, e in marks)})
        pieces = []
        for a, b in zip(cuts, cuts[1:]):
            over = sorted((sid for sid, s, e in marks if s <= a and b <= e),
                          key=lambda sid: span_size[sid])
            pieces.append(Piece(text[a:b], over, span_label[over[0]] if over else None))
        if not pieces:
            pieces = [Piece("")]
        out.append(SourceLine(no, pieces, line_rows.get(no, [])))
    return out


def build_views(out_dir: Path, root: Path | None = None) -> list[View]:
    """Every record under ``out_dir`` as a :class:`View`, failures and warnings first."""
    views = [build_view(i, rel, data, root) for i, (rel, data) in enumerate(load_outputs(out_dir))]
    views.sort(key=lambda v: (STATUS_ORDER[v.status], v.record_file))
    return views


# -- the page ------------------------------------------------------------------------------

def _environment():
    try:
        import jinja2
    except ImportError as exc:  # pragma: no cover - jinja2 is a dependency
        raise ReviewError("the review page needs jinja2: pip install jinja2 "
                          "(it is a dependency of vn_officialdoc; reinstall the package)") from exc
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _csp_hash(script: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()


@dataclass
class Pages:
    """Where a page stands among the pages of a paged review."""

    number: int                      # 1-based
    files: list[str]                 # the file names of all pages, in order
    first: int                       # 1-based rank of this page's first letter
    last: int
    total: int                       # letters on all pages
    counts: dict[str, int]           # of all pages, by status

    @property
    def count(self) -> int:
        return len(self.files)

    def file(self, number: int) -> str:
        return self.files[number - 1]


def render(views: list[View], title: str = "vn_officialdoc review",
           pages: Pages | None = None) -> str:
    """The HTML page for these views (a string); ``pages`` when it is one of several."""
    env = _environment()
    from markupsafe import Markup

    script = (TEMPLATES / "review.js").read_text(encoding="utf-8")
    style = (TEMPLATES / "review.css").read_text(encoding="utf-8")
    if "</" in script or "</" in style:
        raise ReviewError("review.js/review.css must not contain '</'")

    def options(attr: str) -> list[str]:
        return sorted({getattr(v, attr) for v in views if getattr(v, attr)})

    counts = {s: sum(1 for v in views if v.status == s) for s in STATUS_ORDER}
    return env.get_template("review.html.j2").render(
        title=title, views=views, counts=counts, total=len(views),
        issuers=options("issuer"), types=options("doc_type"), years=options("year"),
        script=Markup(script), style=Markup(style), script_hash=_csp_hash(script),
        labels=[lab.value for lab in SpanLabel], pages=pages)


def _readable(path: Path) -> None:
    """Give the page the usual permissions (the atomic write's temp file is private)."""
    mask = os.umask(0)
    os.umask(mask)
    try:
        os.chmod(path, 0o666 & ~mask)
    except OSError:  # pragma: no cover - a file system without modes
        pass


@dataclass
class ReviewPage:
    """What :func:`write_review` wrote: the (first) page's path, how many letters all
    pages show, and how many pages there are."""

    path: Path
    letters: int
    failed: int
    warned: int
    pages: int = 1


#: letters on one page: a batch with more is reviewed on several pages (a page of a few
#: hundred letters opens in a browser in a second or two; one of 100,000 would not open)
PAGE_SIZE = 200


def page_path(target: Path, number: int) -> Path:
    """The file of page ``number`` (1-based): ``review.html``, ``review-2.html`` ..."""
    return target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")


def write_review(out_dir: str | os.PathLike, html: str | os.PathLike | None = None,
                 root: str | os.PathLike | None = None, title: str | None = None,
                 page_size: int = PAGE_SIZE) -> ReviewPage:
    """Write the review page(s) of the records under ``out_dir``; say where and how many.

    ``html`` defaults to ``out_dir/review.html``; relative source paths of the records are
    looked up under ``root`` first, then from the current folder. More than ``page_size``
    letters go on several pages (``review.html``, ``review-2.html`` ..., failures and
    warnings first, each page linked to the others); pages of an earlier, longer review
    are removed. Memory stays flat: only one page's letters are read at a time.
    """
    out = Path(out_dir)
    if not out.is_dir():
        raise ReviewError(f"{out} is not a folder of records (run vn-officialdoc parse --out {out})")
    if page_size < 1:
        raise ReviewError(f"the page size must be at least 1 (not {page_size})")
    root_path = Path(root) if root else None
    # first pass: each output's status only (its fields are read again page by page)
    order = [(STATUS_ORDER[status_of(data)], rel, i)
             for i, (rel, data) in enumerate(iter_outputs(out))]
    if not order:
        raise ReviewError(f"no records (*.json) in {out}: run vn-officialdoc parse --out {out} first")
    order.sort()
    counts = {s: sum(1 for rank, _, _ in order if rank == n) for s, n in STATUS_ORDER.items()}
    target = Path(html) if html else out / "review.html"
    title = title or f"vn_officialdoc review: {out.name or out}"
    n_pages = -(-len(order) // page_size)
    files = [page_path(target, k).name for k in range(1, n_pages + 1)]
    from .emit import atomic_write

    for k in range(n_pages):
        part = order[k * page_size:(k + 1) * page_size]
        views = [build_view(i, rel, read_output(out / rel), root_path) for _, rel, i in part]
        pages = None if n_pages == 1 else Pages(
            k + 1, files, k * page_size + 1, k * page_size + len(part), len(order), counts)
        path = page_path(target, k + 1)
        atomic_write(path, render(views, title, pages))
        _readable(path)
    _remove_stale_pages(target, n_pages)
    log.info("wrote %s (%d letters, %d pages)", target, len(order), n_pages)
    return ReviewPage(target, len(order), counts["failed"], counts["warned"], n_pages)


def _remove_stale_pages(target: Path, n_pages: int) -> None:
    """Remove ``review-N.html`` pages beyond ``n_pages`` left by an earlier review."""
    k = n_pages + 1                      # (>= 2: page 1 is always written)
    while page_path(target, k).is_file():
        page_path(target, k).unlink()
        k += 1
