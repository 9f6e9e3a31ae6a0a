"""Scans as input: an image of a letter and PDFs of it parse to the header of its text.

The image is drawn here with Pillow and DejaVu (Debian fonts-dejavu-core), the text-layer
PDF written with fpdf2; Tesseract (tesseract-ocr + tesseract-ocr-vie, installed by
scripts/system-deps.sh) reads the image and the image-only PDF.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from vn_officialdoc import ocr
from vn_officialdoc.batch import Input, parse_one
from vn_officialdoc.pipeline import annotate_file, parse_text

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

pytest.importorskip("PIL", reason="the 'ocr' extra (Pillow) is not installed")
pytest.importorskip("pypdfium2", reason="the 'ocr' extra (pypdfium2) is not installed")
needs_tesseract = pytest.mark.skipif(
    not ocr.ocr_available(), reason="Tesseract with Vietnamese data is not installed "
    "(apt-get install tesseract-ocr tesseract-ocr-vie; scripts/system-deps.sh does it)")
needs_font = pytest.mark.skipif(ocr.find_font() is None,
                                reason="no font with Vietnamese glyphs (fonts-liberation2)")

#: header fields compared (line numbers differ: OCR wraps and reorders lines)
FIELDS = ("format", "issuer", "number", "symbol", "doc_type", "place", "date", "subject",
          "motto")


def _letter_text() -> str:
    """The first page of seed S000: header, recipients and the first items."""
    lines = (SAMPLES / "S000.txt").read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:22])


def _header(record) -> dict:
    h = record.header
    return {"format": record.format, "issuer": h.issuer.model_dump(), "number": h.number,
            "symbol": h.symbol, "doc_type": h.doc_type, "place": h.place, "date": h.date,
            "subject": h.subject, "motto": h.motto}


@pytest.fixture(scope="module")
def letter():
    text = _letter_text()
    return text, _header(parse_text(text))


#: lines of the letter that carry header fields; OCR must give them back word for word
KEY_LINES = ("TỈNH ỦY TUYÊN QUANG", "BAN DÂN VẬN", "Số 234-CV/BDVTU",
             "Tuyên Quang, ngày 07 tháng 9 năm 2021", "ĐẢNG CỘNG SẢN VIỆT NAM")


def _has_key_lines(raw: str) -> bool:
    lines = {" ".join(line.split()) for line in raw.split("\n")}
    return all(key in lines for key in KEY_LINES)


@pytest.fixture(scope="module")
def page_image(letter):
    pages = ocr.render_pages(letter[0], dpi=300)
    assert len(pages) == 1
    return pages[0]


@needs_font
@needs_tesseract
def test_image_parses_to_the_text_header(tmp_path, letter, page_image):
    path = tmp_path / "letter.png"
    page_image.save(path)
    annotated = annotate_file(path)
    assert annotated.fields["source.route"] == "ocr"
    assert annotated.fields["source.engine"].startswith("tesseract ")
    assert _has_key_lines(annotated.raw), annotated.raw
    assert _header(annotated.fields["_record"]) == letter[1]


@needs_font
@needs_tesseract
def test_image_only_pdf_is_ocred(tmp_path, letter, page_image):
    path = tmp_path / "scan.pdf"
    page_image.convert("RGB").save(path, "PDF", resolution=300)
    annotated = annotate_file(path)
    assert annotated.fields["source.route"] == "ocr"
    assert _has_key_lines(annotated.raw), annotated.raw
    assert _header(annotated.fields["_record"]) == letter[1]


@needs_font
def test_pdf_text_layer_is_used(tmp_path, letter):
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (in the 'ocr' extra) writes the fixture")
    pdf = fpdf.FPDF(format="A4")
    pdf.add_page()
    pdf.add_font("DejaVu", "", ocr.find_font())
    pdf.set_font("DejaVu", size=11)
    for line in letter[0].split("\n"):
        pdf.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "born-digital.pdf"
    pdf.output(str(path))
    annotated = annotate_file(path)
    assert annotated.fields["source.route"] == "pdf-text"
    assert annotated.fields["source.engine"].startswith("pypdfium2 ")
    def lines(text):
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]

    assert lines(annotated.raw) == lines(letter[0])
    assert _header(annotated.fields["_record"]) == letter[1]


def test_missing_engine_is_an_error_entry_saying_what_to_install(tmp_path, monkeypatch):
    pytesseract = pytest.importorskip("pytesseract")

    def missing():
        raise pytesseract.TesseractNotFoundError()

    monkeypatch.setattr(pytesseract, "get_tesseract_version", missing)
    from PIL import Image

    path = tmp_path / "scan.png"
    Image.new("L", (50, 50), 255).save(path)
    outcome = parse_one(Input(path, Path("scan.png")))
    assert outcome.status == "failed"
    assert outcome.error["code"] == ocr.OcrUnavailableError.code
    assert "tesseract-ocr-vie" in outcome.error["message"]


def test_missing_extra_is_an_error_saying_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pytesseract", None)  # import fails as if not installed
    path = tmp_path / "scan.tif"
    path.write_bytes(b"II*\x00")
    with pytest.raises(ocr.OcrUnavailableError) as info:
        ocr.read_scan(path)
    assert "vn_officialdoc[ocr]" in str(info.value)


@needs_tesseract
def test_damaged_image_is_a_scan_error(tmp_path):
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    outcome = parse_one(Input(path, Path("broken.jpg")))
    assert outcome.error["code"] == ocr.ScanError.code


def test_damaged_pdf_is_a_scan_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 nothing else")
    with pytest.raises(ocr.ScanError):
        ocr.read_scan(path)


@needs_font
@needs_tesseract
def test_pdf_of_text_and_scanned_pages_reads_both(tmp_path):
    """A born-digital page keeps its text layer; a scanned page in the same PDF is OCR'd."""
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 (in the 'ocr' extra) writes the fixture")
    scan = tmp_path / "page2.png"
    ocr.render_pages("Nơi nhận:\n- Như trên;\n- Lưu: VT.", dpi=300)[0].save(scan)
    pdf = fpdf.FPDF(format="A4")
    pdf.add_font("Serif", "", ocr.find_font())
    pdf.set_font("Serif", size=12)
    pdf.add_page()
    for line in ("TỈNH ỦY TUYÊN QUANG", "BAN DÂN VẬN", "Số 234-CV/BDVTU"):
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.add_page()
    pdf.image(str(scan), x=0, y=0, w=210, h=297)
    path = tmp_path / "mixed.pdf"
    pdf.output(str(path))
    letter = ocr.read_scan(path)
    assert letter.fields["source.route"] == "ocr"
    assert letter.fields["source.engine"].startswith("pypdfium2 ")
    assert "+ tesseract " in letter.fields["source.engine"]
    lines = [" ".join(line.split()) for line in letter.raw.split("\n") if line.strip()]
    assert lines[:3] == ["TỈNH ỦY TUYÊN QUANG", "BAN DÂN VẬN", "Số 234-CV/BDVTU"]
    assert "- Như trên;" in lines and "Nơi nhận:" in lines
