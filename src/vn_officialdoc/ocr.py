"""Scans as input: images and PDFs to a :class:`Letter`, by text layer or by OCR.

Part of stage 1 (``read``): :func:`vn_officialdoc.read.read_file` sends ``.png``,
``.jpg``/``.jpeg``, ``.tif``/``.tiff`` and ``.pdf`` here. A PDF whose pages carry a text
layer is read from it (route ``pdf-text``, engine pypdfium2); pages without one are
rasterized and, like images, read by Tesseract with the Vietnamese model (route ``ocr``,
engine ``tesseract 5.3.0 vie``, or ``pypdfium2 ... + tesseract ...`` for a PDF of both).
The route and the engine go on the record (``source.route``, ``source.engine``).

Needs the optional extra ``vn_officialdoc[ocr]`` (Pillow, pypdfium2, pytesseract) and,
for OCR, the Tesseract program with its Vietnamese data (Debian: ``tesseract-ocr``
``tesseract-ocr-vie``). Without them, :class:`OcrUnavailableError` says what to install.
Heavy modules are imported only when a scan is read.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError, InputTooLargeError, UnreadableFileError
from .labels import WarningCode
from .letter import Letter

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
PDF_SUFFIXES = (".pdf",)
#: resolution PDF pages are rasterized at for OCR (Tesseract works best near 300 dpi)
DPI = 300
#: Tesseract language(s) and page segmentation mode (3: fully automatic, the default)
LANG = "vie"
PSM = 3
#: a PDF page counts as having a text layer when it holds at least this many letters
MIN_LAYER_LETTERS = 20
#: images larger than this many pixels are refused (Pillow's bomb guard is 179 M)
MAX_PIXELS = 120_000_000
#: seconds Tesseract may take on one page before it is stopped (a page takes 5-60 s)
PAGE_TIMEOUT = 300

INSTALL_EXTRA = "pip install 'vn_officialdoc[ocr]'"
INSTALL_ENGINE = ("install Tesseract with its Vietnamese data (Debian/Ubuntu: "
                  "apt-get install tesseract-ocr tesseract-ocr-vie)")


class OcrUnavailableError(InputError):
    """A scan was given but the OCR extra or the Tesseract engine is missing."""

    code = "E110"


class ScanError(InputError):
    """An image or PDF that cannot be opened (damaged, encrypted, not what its name says)."""

    code = "E111"


# -- optional modules ---------------------------------------------------------------------
def _need(module: str, what: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise OcrUnavailableError(
            f"reading {what} needs the optional extra 'ocr' ({module} is not installed): "
            f"{INSTALL_EXTRA}") from None


def tesseract_version() -> str:
    """The Tesseract version ('5.3.0'); raises OcrUnavailableError when it is missing."""
    pytesseract = _need("pytesseract", "scans")
    try:
        version = str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        raise OcrUnavailableError(f"the Tesseract OCR program is not installed: "
                                  f"{INSTALL_ENGINE}") from None
    try:
        langs = pytesseract.get_languages(config="")
    except Exception:  # noqa: BLE001 - an old Tesseract without --list-langs: try anyway
        langs = [LANG]
    missing = [lang for lang in LANG.split("+") if lang not in langs]
    if missing:
        raise OcrUnavailableError(f"Tesseract has no language data {missing}: "
                                  f"{INSTALL_ENGINE}")
    return version.split()[0]


def ocr_available() -> bool:
    try:
        tesseract_version()
        return True
    except OcrUnavailableError:
        return False


# -- OCR of images --------------------------------------------------------------------------
def ocr_image(image, lang: str = LANG, psm: int = PSM) -> str:
    """Text of one page image (a PIL image) by Tesseract; NFC."""
    pytesseract = _need("pytesseract", "scans")
    tesseract_version()
    if image.mode not in ("L", "RGB", "1"):
        image = image.convert("RGB")
    try:
        text = pytesseract.image_to_string(image, lang=lang, config=f"--psm {psm}",
                                           timeout=PAGE_TIMEOUT)
    except pytesseract.TesseractError as exc:
        raise ScanError(f"Tesseract failed on a page: {exc}") from None
    except RuntimeError as exc:  # pytesseract kills Tesseract on its timeout
        raise ScanError(f"Tesseract gave up on a page after {PAGE_TIMEOUT} s: {exc}") from None
    return unicodedata.normalize("NFC", text)


def _frames(image) -> Iterator:
    """Every page of an image file (a multi-page TIFF has several)."""
    from PIL import ImageSequence

    for frame in ImageSequence.Iterator(image):
        yield frame.copy()


def _open_image(path: Path):
    Image = _need("PIL.Image", "images")
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        image = Image.open(path)
        image.load()
        return image
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ScanError(f"cannot open the image: {exc}", path=str(path)) from None


def _join_pages(pages: Iterable[str]) -> str:
    """Pages in order, each ending with a newline (a blank line marks the page break)."""
    out = []
    for text in pages:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "")
        out.append(text.rstrip("\n") + "\n")
    return "\n".join(out)


# -- PDF ------------------------------------------------------------------------------------
def _open_pdf(path: Path):
    """The PDF opened with pypdfium2 (a clear error when the extra or the file is missing)."""
    pdfium = _need("pypdfium2", "PDF files")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise ScanError(f"cannot open the PDF: {exc}", path=str(path)) from None


def pdf_text_layer(path: Path) -> list[str | None]:
    """The text layer of each page; None for a page without one (a scanned page)."""
    pdf = _open_pdf(path)
    try:
        pages: list[str | None] = []
        for page in pdf:
            textpage = page.get_textpage()
            text = unicodedata.normalize("NFC", textpage.get_text_range())
            textpage.close()
            page.close()
            pages.append(text if sum(ch.isalpha() for ch in text) >= MIN_LAYER_LETTERS
                         else None)
    finally:
        pdf.close()
    return pages


def pdf_page_image(path: Path, index: int, dpi: int = DPI):
    """Page ``index`` of a PDF rasterized (PIL, greyscale) for OCR."""
    pdf = _open_pdf(path)
    try:
        page = pdf[index]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        page.close()
        return image
    finally:
        pdf.close()


# -- the read stage for scans ------------------------------------------------------------------
def read_scan(path: str | Path, max_bytes: int | None = None, lang: str = LANG,
              psm: int = PSM) -> Letter:
    """Read an image or PDF file into a Letter (``fields['source.route'|'source.engine']``)."""
    p = Path(path)
    name = str(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise UnreadableFileError("no such file", path=name) from None
    except PermissionError:
        raise UnreadableFileError("permission denied", path=name) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot read: {exc.strerror or exc}", path=name) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise InputTooLargeError(f"{len(data)} bytes is over the limit of {max_bytes}",
                                 path=name)
    try:
        if p.suffix.lower() in PDF_SUFFIXES:
            layer = pdf_text_layer(p)
            pdfium = _need("pypdfium2", "PDF files")
            engines = [f"pypdfium2 {pdfium.PYPDFIUM_INFO}"] if any(
                t is not None for t in layer) else []
            route = "pdf-text"
            if any(t is None for t in layer):  # scanned pages: OCR them, keep the others
                route = "ocr"
                engines.append(f"tesseract {tesseract_version()} {lang}")
                layer = [t if t is not None else ocr_image(pdf_page_image(p, i), lang, psm)
                         for i, t in enumerate(layer)]
            engine = " + ".join(engines)
            text = _join_pages(layer)
        else:
            version = tesseract_version()
            image = _open_image(p)
            route, engine = "ocr", f"tesseract {version} {lang}"
            text = _join_pages(ocr_image(frame, lang, psm) for frame in _frames(image))
    except InputError as exc:
        exc.path = exc.path or name
        raise
    letter = Letter(raw=text, path=name, sha256=hashlib.sha256(data).hexdigest(),
                    encoding=None, size=len(data))
    letter.fields["source.route"] = route
    letter.fields["source.engine"] = engine
    log.info("%s: %s by %s, %d characters", name, route, engine, len(text))
    if not text.strip():
        letter.warn("source", WarningCode.EMPTY_INPUT, f"the {route} route gave no text")
    return letter


# -- drawing text as a page (tests and benchmarks/ocr_robustness.py) ------------------------
#: Times-like Liberation Serif 2 (Debian fonts-liberation2; 1.x has no Vietnamese glyphs),
#: else DejaVu (fonts-dejavu-core)
FONT_PATHS = ("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
              "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def find_font() -> str | None:
    """A TrueType font with Vietnamese glyphs."""
    for candidate in FONT_PATHS:
        if Path(candidate).is_file():
            return candidate
    return None


def render_pages(text: str, dpi: int = 200, font_path: str | None = None,
                 point_size: float = 13.0, min_point_size: float = 10.0,
                 width_mm: float = 210, height_mm: float = 297, margin_mm: float = 20) -> list:
    """Draw ``text`` as A4 page images (PIL, greyscale), one text line per printed line.

    The font shrinks (down to ``min_point_size``) until 95% of the lines fit the width, as
    the letter's own layout did; longer lines (paragraphs kept on one line) are wrapped.
    """
    from PIL import Image, ImageDraw, ImageFont

    font_path = font_path or find_font()
    if font_path is None:
        raise OcrUnavailableError("no font with Vietnamese glyphs: install fonts-liberation2 "
                                  "or fonts-dejavu-core")
    px = dpi / 25.4
    width, height, margin = int(width_mm * px), int(height_mm * px), int(margin_mm * px)
    usable = width - 2 * margin
    raw_lines = text.replace("\r\n", "\n").split("\n")
    size = point_size
    while True:
        font = ImageFont.truetype(font_path, int(size * dpi / 72))
        lengths = sorted(font.getlength(line) for line in raw_lines) or [0]
        if lengths[int(0.95 * (len(lengths) - 1))] <= usable or size <= min_point_size:
            break
        size -= 0.5
    line_height = int(size * dpi / 72 * 1.4)
    lines: list[str] = []
    for raw in raw_lines:
        current = ""
        for word in raw.split(" "):
            trial = f"{current} {word}" if current else word
            if current and font.getlength(trial) > usable:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    per_page = max(1, (height - 2 * margin) // line_height)
    pages = []
    for start in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for k, line in enumerate(lines[start:start + per_page]):
            draw.text((margin, margin + k * line_height), line, font=font, fill=0)
        pages.append(page)
    return pages or [Image.new("L", (width, height), 255)]
