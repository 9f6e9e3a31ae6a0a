"""The review page without a browser: offsets to raw positions, escaping, error entries, CLI.

Most tests run the real read/normalize/segment/validate stages with a small *harness*
extractor (:func:`harness_extract`) in place of the real ones, so that which spans exist
is known here and does not move while the extractors improve. The harness letter has
Windows line ends, decomposed (NFD) Vietnamese, markdown bold debris and HTML injection
attempts; where each field sits in it is written below by reading the letter.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from conftest import SAMPLES
from vn_officialdoc import pipeline
from vn_officialdoc.labels import SpanLabel

jinja2 = pytest.importorskip("jinja2", reason="the review page needs jinja2 (a core dependency)")

from vn_officialdoc import review  # noqa: E402

# -- the harness letter -------------------------------------------------------------------

SCRIPT = "<script>window.__pwned = 1; alert('pwned')</script>"
IMG = '"><img src=x onerror="window.__pwned = 2; alert(2)">'
HARNESS_LINES = [
    "TỈNH ỦY TUYÊN QUANG",
    f"BAN DÂN VẬN {SCRIPT}",
    "",
    "Số 0234-CV/BDVTU",
    f"V/v thử nghiệm {IMG} trang",
    unicodedata.normalize("NFD", "Tuyên Quang, ngày 07 tháng 9 năm 2021"),
    "",
    f"Kính gửi: - Ban Dân vận {IMG}",
    "",
    "1- Nội dung thứ nhất.",
    "**Vương Thúy Hằng**",
]
HARNESS_TEXT = "\r\n".join(HARNESS_LINES) + "\r\n"
#: raw 1-based line of each harness field (read off HARNESS_LINES above)
HARNESS_WHERE = {"ISSUER": 2, "NUMBER": 4, "SYMBOL": 4, "SUBJECT": 5, "PLACE": 6, "DATE": 6,
                 "RECIPIENT": 8, "ITEM": 10, "SIGNER": 11}


def harness_extract(letter, grammar):
    """Stand-in extractor: finds the harness letter's fields by its fixed layout."""
    for i, line in enumerate(letter.lines):
        t = line.text
        if t.startswith("BAN "):
            letter.add_span(SpanLabel.ISSUER, i)
            letter.set("header.issuer.name", t, [i])
        elif m := re.match(r"Số (\d+)-(\S+)", t):
            letter.add_span(SpanLabel.NUMBER, i, m.start(1), m.end(1))
            letter.add_span(SpanLabel.SYMBOL, i, m.start(2), m.end(2))
            letter.set("header.number", m.group(1), [i])
            letter.set("header.symbol", m.group(2), [i])
        elif t.startswith("V/v"):
            letter.add_span(SpanLabel.SUBJECT, i)
            letter.set("header.subject", t, [i])
        elif m := re.match(r"(.+?), (ngày .*)", t):
            letter.add_span(SpanLabel.PLACE, i, m.start(1), m.end(1))
            letter.add_span(SpanLabel.DATE, i, m.start(2), m.end(2))
            letter.set("header.place", m.group(1), [i])
            letter.set("header.date", "2021-09-07", [i])
        elif t.startswith("Kính gửi"):
            start = t.index("Ban")
            letter.add_span(SpanLabel.RECIPIENT, i, start)
            letter.set("recipients", [t[start:]], [i])
        elif m := re.match(r"(\d+)- (.*)", t):
            letter.add_span(SpanLabel.ITEM, i)
            letter.set("items", [{"label": m.group(1), "text": m.group(2), "line": line.raw_no}], [i])
        elif "Hằng" in t:
            m = re.search(r"[^\W\d_][^*]*[^\W\d_]", t)
            letter.add_span(SpanLabel.SIGNER, i, m.start(), m.end())
            letter.set("signature", {"signer": m.group(0)}, [i])
            letter.provenance["signature"] = [line.raw_no]
    return letter


@pytest.fixture
def harness(monkeypatch):
    """Run the pipeline with the harness extractor instead of the real ones."""
    from vn_officialdoc.normalize import normalize
    from vn_officialdoc.segment import segment
    from vn_officialdoc.validate import validate

    monkeypatch.setattr(pipeline, "STAGES", (normalize, segment, harness_extract, validate))


def write_harness_outputs(tmp: Path) -> tuple[Path, Path]:
    """Letters in tmp/in (harness letter, a binary file), records in tmp/out. -> (in, out)."""
    from vn_officialdoc.batch import discover, parse_one
    from vn_officialdoc.emit import error_entry, record_json, safe_output_path

    src = tmp / "in"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / 'inj"><b>x.txt').write_bytes(HARNESS_TEXT.encode("utf-8"))
    (src / "broken.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp / "out"
    for item in discover([src]):
        o = parse_one(item)
        target = safe_output_path(out, item.relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        if o.record is not None:
            target.write_text(record_json(o.record), encoding="utf-8")
        else:
            target.write_text(json.dumps(error_entry(str(item.path), o.error["code"], o.error["type"],
                                                     o.error["message"])), encoding="utf-8")
    return src, out


def _letters(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


# -- offsets --------------------------------------------------------------------------------

def test_raw_line_offsets_match_raw_lines():
    for raw in ["", "a", "a\r\nb\rc\nd", "x\n", "\r\n\r\n", "é\r\n\n"]:
        starts = review.raw_line_offsets(raw)
        lines = review.raw_lines(raw)
        assert len(starts) == len(lines)
        for s, line in zip(starts, lines):
            assert raw[s:s + len(line)] == line


def test_spans_map_to_their_raw_text(harness):
    letter = pipeline.annotate_text(HARNESS_TEXT)
    raw = review.raw_lines(letter.raw)
    seen = {}
    for span in letter.spans:
        segs = review.raw_segments(letter, span.start, span.end)
        assert len(segs) == 1
        no, s, e = segs[0]
        seen[span.label.value] = no
        # the raw slice is the span's text before normalization (NFD composed, ** dropped;
        # tone marks may be moved by the normalizer, letters stay)
        assert _letters(raw[no - 1][s:e]) == _letters(span.text)
    assert seen == HARNESS_WHERE
    # the decomposed place name maps onto all of its raw code points
    place = next(s for s in letter.spans if s.label is SpanLabel.PLACE)
    no, s, e = review.raw_segments(letter, place.start, place.end)[0]
    assert unicodedata.normalize("NFC", raw[no - 1][s:e]) == "Tuyên Quang"
    signer = next(s for s in letter.spans if s.label is SpanLabel.SIGNER)
    no, s, e = review.raw_segments(letter, signer.start, signer.end)[0]
    assert raw[no - 1][s:e] == "Vương Thúy Hằng"


def test_span_over_several_lines_gives_one_piece_per_line(harness):
    letter = pipeline.annotate_text(HARNESS_TEXT)
    start = letter.line_start(3)              # "Số 0234-CV/BDVTU"
    end = letter.line_start(4) + 3            # ... through "V/v"
    assert review.raw_segments(letter, start, end) == [(4, 0, len(HARNESS_LINES[3])), (5, 0, 3)]
    assert review.raw_segments(letter, 5, 5) == []


# -- the page ---------------------------------------------------------------------------------

@pytest.fixture
def page(harness, tmp_path):
    src, out = write_harness_outputs(tmp_path)
    target = review.write_review(out, tmp_path / "page.html").path
    return target.read_text(encoding="utf-8"), out


def test_letter_text_is_escaped(page):
    text, _ = page
    assert "<script>window" not in text and "<img" not in text and "<b>x" not in text
    assert "&lt;script&gt;window.__pwned = 1;" in text and "&lt;img src=x onerror=" in text
    # the only script element is the page's own, at the end
    assert text.count("<script") == 1
    assert re.search(r'<meta http-equiv="Content-Security-Policy" content="[^"]*script-src \'sha256-', text)


def test_page_is_self_contained(page):
    text, _ = page
    for attr in re.findall(r'\b(?:src|href|action)="([^"]*)"', text):
        assert attr.startswith("#"), f"external reference {attr!r}"
    assert "@import" not in text and "url(" not in text


def test_failures_first_then_warnings(page):
    text, _ = page
    order = re.findall(r'<tr data-id="L\d+" data-rank="\d+" data-status="(\w+)"', text)
    assert order[0] == "failed"
    assert order == sorted(order, key=review.STATUS_ORDER.get)


def test_error_entry_shows_its_message(page):
    text, out = page
    entry = json.loads((out / "broken.json").read_text(encoding="utf-8"))
    assert "error" in entry
    assert html.escape(entry["error"]["message"]) in text


def test_every_field_row_points_at_its_span(harness, tmp_path):
    src, out = write_harness_outputs(tmp_path)
    views = review.build_views(out)
    view = next(v for v in views if v.status != "failed")
    assert view.source is not None and view.source_note is None
    rows = {r.name: r for r in view.rows}
    pieces = {sid: (line.no, p) for line in view.source for p in line.pieces for sid in p.spans}
    expect = {"Issuer": "ISSUER", "Number": "NUMBER", "Symbol": "SYMBOL", "Subject": "SUBJECT",
              "Place": "PLACE", "Date": "DATE", "Recipient": "RECIPIENT", "1": "ITEM", "Signer": "SIGNER"}
    for name, label in expect.items():
        row = rows[name]
        assert row.value is not None and row.label == label
        assert len(row.spans) == 1, name
        no, piece = pieces[row.spans[0]]
        assert no == HARNESS_WHERE[label] and piece.label == label
    assert rows["Number"].value == "0234"
    # the text is shown whole, line by line (as decoded: the reader may compose NFD to NFC)
    shown = ["".join(p.text for p in line.pieces) for line in view.source]
    assert [unicodedata.normalize("NFC", t) for t in shown] == \
        [unicodedata.normalize("NFC", t) for t in HARNESS_LINES + [""]]
    assert rows["Parent body"].value is None and not rows["Parent body"].spans


def test_only_lines_known_marks_whole_lines(tmp_path):
    """A record whose letter is gone: fields only; a record with lines but no spans: lines."""
    out = tmp_path / "out"
    out.mkdir()
    rec = {"schema_version": "1.0", "source": {"path": str(tmp_path / "gone.txt")}, "header": {"number": "7", "lines": {"number": [3]}},
           "warnings": [{"field": "header.date", "code": "W002", "message": "not found"}]}
    (out / "gone.json").write_text(json.dumps(rec), encoding="utf-8")
    letter = tmp_path / "here.txt"
    letter.write_text("a\nb\nSố 7\n", encoding="utf-8")
    rec2 = dict(rec, source={"path": str(letter), "sha256": "0" * 64})
    (out / "here.json").write_text(json.dumps(rec2), encoding="utf-8")
    (out / "notjson.json").write_text("[1, 2", encoding="utf-8")
    views = {v.record_file: v for v in review.build_views(out)}
    assert views["gone.json"].source is None and "not found" in views["gone.json"].source_note
    here = views["here.json"]
    assert "changed" in here.source_note
    marked = [line.no for line in here.source if line.fields]
    if not any(p.spans for line in here.source for p in line.pieces):  # extractors gave no span
        assert marked == [3]
    assert views["notjson.json"].status == "failed"
    assert views["gone.json"].warnings[0]["message"] == "not found"
    assert views["gone.json"].warnings[0]["words"]  # the code's words beside the message


#: field rows whose value is always read from one place in the letter, so must have a span
SPANNED = {"Issuer", "Parent body", "Number", "Symbol", "Place", "Date", "Subject", "Recipient",
           "Signer", "Slogan"}


def test_samples_page_has_every_letter(tmp_path):
    from vn_officialdoc.emit import record_json

    out = tmp_path / "out"
    out.mkdir()
    letters = sorted(SAMPLES.glob("*.txt"))
    for p in letters:
        (out / (p.stem + ".json")).write_text(record_json(pipeline.parse_file(p)), encoding="utf-8")
    views = review.build_views(out)
    assert len(views) == len(letters)
    for v in views:
        assert v.source is not None, v.source_note
        # every value the record has that came with spans is linked to highlighted text
        sids = {sid for line in v.source for p in line.pieces for sid in p.spans}
        for r in v.rows:
            assert set(r.spans) <= sids
    # spans exist for the fields a record has values for (single-place fields and lists)
    for v in views:
        for r in v.rows:
            if r.value is not None and r.name in SPANNED:
                assert r.spans, f"{v.record_file}: {r.name} = {r.value!r} has no span in the letter"
    s000 = next(v for v in views if v.record_file == "S000.json")
    number = next(r for r in s000.rows if r.name == "Number")
    assert number.value == "234"            # Số 234-CV/BDVTU, line 8 of S000.txt
    assert [p.text for line in s000.source for p in line.pieces if number.spans[0] in p.spans] == ["234"]
    shown = "\n".join("".join(p.text for p in line.pieces) for line in s000.source)
    assert unicodedata.normalize("NFC", shown) == unicodedata.normalize(
        "NFC", (SAMPLES / "S000.txt").read_text(encoding="utf-8").replace("\r\n", "\n"))


# -- pages ----------------------------------------------------------------------------------

def _batch(out: Path, errors: int = 2) -> int:
    """Records of the samples and ``errors`` error entries in ``out``; how many in all."""
    from vn_officialdoc.emit import error_entry, record_json

    out.mkdir()
    letters = sorted(SAMPLES.glob("*.txt"))
    for p in letters:
        (out / (p.stem + ".json")).write_text(record_json(pipeline.parse_file(p)), encoding="utf-8")
    for k in range(errors):
        (out / f"bad{k}.json").write_text(json.dumps(error_entry(
            f"bad{k}.txt", "E101", "BinaryInputError", "not text")), encoding="utf-8")
    return len(letters) + errors


def _articles(page: str) -> list[str]:
    return re.findall(r'<article class="letter st-border-(\w+)" id="(L\d+)"', page)


def test_a_large_batch_is_paged_failures_first(tmp_path):
    out = tmp_path / "out"
    total = _batch(out)                                     # 5 records, 2 error entries
    written = review.write_review(out, page_size=2)
    assert (written.letters, written.pages, written.failed) == (total, 4, 2)
    names = ["review.html", "review-2.html", "review-3.html", "review-4.html"]
    pages = [(out / n).read_text(encoding="utf-8") for n in names]
    found = [_articles(p) for p in pages]
    assert [len(f) for f in found] == [2, 2, 2, 1]
    assert [st for st, _ in found[0]] == ["failed", "failed"]   # failures on page 1
    ids = [i for f in found for _, i in f]
    assert len(set(ids)) == total                            # each letter once
    for k, page in enumerate(pages, start=1):
        assert f"Page {k} of 4" in page
        assert f"{total} letters:" in page                   # the batch's summary on each
        assert "2 failed" in page
        assert ('rel="prev"' in page) == (k > 1) and ('rel="next"' in page) == (k < 4)
        if k < 4:
            assert f'href="{names[k]}" rel="next"' in page
        if k > 1:
            assert f'href="{names[k - 2]}" rel="prev"' in page
    # a later review on fewer pages removes the pages it no longer writes
    again = review.write_review(out, page_size=5)
    assert again.pages == 2
    assert sorted(p.name for p in out.glob("review*.html")) == ["review-2.html", "review.html"]
    assert len(_articles((out / "review-2.html").read_text(encoding="utf-8"))) == 2


def test_a_small_batch_is_one_page_without_page_links(tmp_path):
    out = tmp_path / "out"
    total = _batch(out, errors=1)
    written = review.write_review(out)
    assert written.pages == 1 and written.letters == total
    page = (out / "review.html").read_text(encoding="utf-8")
    assert len(_articles(page)) == total and 'class="pages"' not in page
    with pytest.raises(review.ReviewError, match="page size"):
        review.write_review(out, page_size=0)


def test_cli_page_size_default_is_the_library_default():
    from vn_officialdoc.cli import review as command
    import inspect

    assert inspect.signature(command).parameters["page_size"].default.default == review.PAGE_SIZE


# -- the command ------------------------------------------------------------------------------

def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vn_officialdoc", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_cli_review_writes_the_page(tmp_path):
    out = tmp_path / "out"
    r = _cli("parse", str(SAMPLES), "--out", str(out), "--quiet")
    assert r.returncode in (0, 1), r.stderr
    r = _cli("review", str(out), "--html", str(tmp_path / "r.html"))
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert text.count('<article class="letter') == len(list(SAMPLES.glob("*.txt")))
    assert "review.html" not in {p.name for p in out.iterdir()}
    r = _cli("review", str(out))                   # default: OUT/review.html
    assert r.returncode == 0 and (out / "review.html").is_file()
    r = _cli("review", str(out))                   # the page itself is not read as a record
    assert r.returncode == 0 and "5 letters" in r.stderr
    r = _cli("review", str(out), "--page-size", "2")
    assert r.returncode == 0 and "5 letters on 3 pages" in r.stderr, r.stderr
    assert (out / "review-3.html").is_file() and not (out / "review-4.html").exists()


def test_cli_review_errors(tmp_path):
    r = _cli("review", str(tmp_path / "missing"))
    assert r.returncode == 2 and "not a folder" in r.stderr
    (tmp_path / "empty").mkdir()
    r = _cli("review", str(tmp_path / "empty"))
    assert r.returncode == 2 and "no records" in r.stderr


def test_help_imports_no_jinja2_or_spacy():
    code = ("import sys, atexit\n"
            "atexit.register(lambda: print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & "
            "{'jinja2', 'markupsafe', 'spacy', 'pandas'})))\n"
            "sys.argv = ['vn-officialdoc', '--help']\n"
            "from vn_officialdoc.cli import main\nmain()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "review" in r.stdout
    assert "LOADED []" in r.stdout


JUNK_RECORDS = [
    {"schema_version": "1.0"},
    {"schema_version": "1.0", "header": "x", "signature": [], "received": 3, "items": "abc",
     "recipients": {"a": 1}, "warnings": ["w"], "corrections": [1, None], "source": "s"},
    {"schema_version": "1.0", "header": {"issuer": "x", "lines": [1], "date": 20210907},
     "items": [{"label": 1, "children": "x"}, 5], "slogans": [None, {"text": 7, "line": "3"}],
     "references": [{"line": -4}], "copies_to": [{"note": "(B/c)"}], "emails": [None],
     "warnings": [{"code": "W999"}, {}], "source": {"path": 5, "sha256": 1}},
    {"error": "boom"},
    {"error": {"code": None}, "source": None},
]


@pytest.mark.parametrize("data", JUNK_RECORDS)
def test_odd_records_still_render(tmp_path, data):
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.json").write_text(json.dumps(data), encoding="utf-8")
    page = review.write_review(out, tmp_path / "p.html")
    assert page.letters == 1
    text = (tmp_path / "p.html").read_text(encoding="utf-8")
    assert text.count('<article class="letter') == 1


def test_cli_review_root_finds_relative_sources(tmp_path):
    from conftest import ROOT

    out = tmp_path / "out"
    r = _cli("parse", "samples", "--out", str(out), "--quiet", cwd=ROOT)
    assert r.returncode in (0, 1), r.stderr
    assert json.loads((out / "S000.json").read_text(encoding="utf-8"))["source"]["path"] == "samples/S000.txt"
    # from elsewhere, relative source paths are not found: fields only
    r = _cli("review", str(out), "--html", str(tmp_path / "a.html"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert text.count("was not found: fields only") == 5 and 'class="ln' not in text
    # --root says where they are
    r = _cli("review", str(out), "--html", str(tmp_path / "b.html"), "--root", str(ROOT), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "not found: fields only" not in text and text.count('<div class="text" lang="vi">') == 5
