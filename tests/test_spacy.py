"""The spaCy component: found through its entry point, record on doc._.letter, field spans.

Which spans exist is checked with the harness extractor of test_review (known spans at
known raw places, Windows line ends, NFD text); on the real samples only what is robust
while the extractors grow: every span is labelled with a SpanLabel and covers its field's
text, and the record equals what parse_text gives.
"""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from importlib.metadata import entry_points

import pytest

from conftest import SAMPLES

spacy = pytest.importorskip("spacy", reason="the spaCy component needs the 'spacy' extra: pip install -e '.[spacy]'")

from test_review import HARNESS_TEXT, HARNESS_WHERE, harness  # noqa: E402,F401 - fixture
from vn_officialdoc import pipeline  # noqa: E402
from vn_officialdoc.labels import SpanLabel  # noqa: E402
from vn_officialdoc.record import Record  # noqa: E402

CONFIG = {"nlp": {"tokenizer": {"use_pyvi": False}}}


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("vi", config=CONFIG)
    nlp.add_pipe("vn_officialdoc")
    return nlp


def _letters(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def test_entry_point_is_declared():
    eps = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    assert eps.get("vn_officialdoc") == "vn_officialdoc.spacy_component:make_component", \
        "reinstall the package (pip install -e .) so that its entry points are registered"


def test_add_pipe_works_without_importing_the_component():
    """A fresh interpreter: spaCy finds the factory through the entry point alone."""
    code = (
        "import spacy, sys\n"
        f"nlp = spacy.blank('vi', config={CONFIG!r})\n"
        "nlp.add_pipe('vn_officialdoc')\n"
        "doc = nlp('Số 234-CV/BDVTU')\n"
        "print(type(doc._.letter).__name__, 'vn_officialdoc' in doc.spans, nlp.pipe_names)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[:2] == ["Record", "True"]


def test_harness_spans_land_on_their_raw_text(harness):  # noqa: F811 - the fixture
    nlp = spacy.blank("vi", config=CONFIG)
    nlp.add_pipe("vn_officialdoc")
    doc = nlp(HARNESS_TEXT)
    assert isinstance(doc._.letter, Record)
    assert doc._.letter.header.number == "0234"
    spans = doc.spans["vn_officialdoc"]
    got = {s.label_: s for s in spans}
    assert set(got) == set(HARNESS_WHERE)
    raw_lines = HARNESS_TEXT.split("\r\n")
    for label, span in got.items():
        # the span sits on the right raw line (counted in the Doc's own text)
        line_no = doc.text.count("\r\n", 0, span.start_char) + 1
        assert line_no == HARNESS_WHERE[label], label
        assert span.text in raw_lines[line_no - 1]
    assert got["NUMBER"].text == "0234-CV/BDVTU"    # expanded to the whitespace token
    assert got["SIGNER"].text == "**Vương Thúy Hằng**"  # one token with its markdown
    # the place, decomposed (NFD) in the Doc's text, is covered whole
    assert _letters(got["PLACE"].text).startswith("Tuyen Quang")
    assert unicodedata.normalize("NFC", got["PLACE"].text).startswith("Tuyên Quang")


def test_samples(nlp):
    for path in sorted(SAMPLES.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        doc = nlp(text)
        record = doc._.letter
        assert record.model_dump(exclude={"source"}) == \
            pipeline.parse_text(text).model_dump(exclude={"source"})
        letter = pipeline.annotate_text(text)
        spans = list(doc.spans["vn_officialdoc"])
        assert len(spans) <= len(letter.spans)
        for span in spans:
            assert span.label_ in SpanLabel.__members__
        # every labelled field span has a Doc span of the same label starting on its raw line
        def line_of(d):
            return text.count("\n", 0, d.start_char) + 1
        for s in letter.spans:
            if not s.text.strip():
                continue
            raw_line = letter.raw_position(s.start)[0]
            assert any(d.label_ == s.label.value and line_of(d) == raw_line for d in spans), \
                (path.name, s)
        # and a record value that has a span label has at least one span (spans exist
        # for the fields the extractors found; S000's number 234 is one of them)
        if path.name == "S000.txt" and record.header.number:
            assert any(d.label_ == "NUMBER" and record.header.number in d.text for d in spans)


def test_empty_and_odd_texts(nlp):
    for text in ["", "\n\n", "\r\n", "x", "Số\r\n", "a\u0301\u0323" * 5]:
        doc = nlp(text)
        assert isinstance(doc._.letter, Record)
        for span in doc.spans["vn_officialdoc"]:
            assert 0 <= span.start_char <= span.end_char <= len(text)


def test_pipe_and_custom_key():
    nlp = spacy.blank("vi", config=CONFIG)
    nlp.add_pipe("vn_officialdoc", config={"spans_key": "fields"})
    docs = list(nlp.pipe(["Số 1-CV/X", "Số 2-CV/Y"]))
    assert all("fields" in d.spans and d._.letter is not None for d in docs)


def test_pipeline_saves_and_loads(tmp_path):
    nlp = spacy.blank("vi", config=CONFIG)
    nlp.add_pipe("vn_officialdoc", config={"spans_key": "fields"})
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again.pipe_names == ["vn_officialdoc"]
    doc = again("Số 234-CV/BDVTU")
    assert isinstance(doc._.letter, Record) and "fields" in doc.spans
