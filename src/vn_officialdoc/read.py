"""Stage 1, read: bytes -> a :class:`Letter` with its raw text decoded.

Reading is the one stage that does not take a Letter: it makes one. It never alters the
raw text beyond decoding (which ends in Unicode NFC: Windows-1258 and VNI spell letters
with combining marks); everything else is ``normalize``'s job and goes on the record.
Encodings are detected by :mod:`vn_officialdoc.encodings`; images and PDFs are read by
:mod:`vn_officialdoc.ocr`. ``letter.fields["source.route"]`` says which way the text came
("text", "pdf-text", "ocr") and ``letter.fields["source.engine"]`` what produced it.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
from pathlib import Path

from .errors import BinaryInputError, DecodingError, InputTooLargeError, UnreadableFileError
from .labels import WarningCode
from .letter import Letter

#: files larger than this are refused (a letter is a few dozen kB; 64 MB is a mistake)
MAX_BYTES = 64 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# bytes that never occur in a text file (NUL and C0 controls other than \t \n \f \r, ESC)
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)


def looks_binary(data: bytes) -> bool:
    """True for images, archives, executables: many control bytes in the first 8 kB."""
    head = data[:8192]
    if not head:
        return False
    controls = len(head.translate(None, _NOT_CONTROL))  # the control bytes, in one pass
    return controls / len(head) > 0.10


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte of the head is NUL (text, no BOM)."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` to NFC text; return (text, encoding name).

    ``encoding`` forces one (tcvn3, vni, viscii, cp1258 or a Python codec); otherwise a
    byte-order mark decides, else :func:`vn_officialdoc.encodings.detect` picks the
    decoding whose words are most often Vietnamese syllables. Raises DecodingError (an
    undecodable file) or BinaryInputError.
    """
    from . import encodings

    if encoding:
        try:
            name = encodings.canonical(encoding)
            return encodings.decode_as(data, name), name
        except (UnicodeDecodeError, LookupError) as exc:
            raise DecodingError(f"cannot decode as {encoding}: {exc}") from exc
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text = unicodedata.normalize("NFC", data.decode(name))
            except UnicodeDecodeError as exc:
                raise DecodingError(f"bad {name} after a byte-order mark: {exc}") from exc
            return text, "utf-8" if name == "utf-8-sig" else name
    if looks_binary(data):
        name = _utf16_without_bom(data)
        if name is not None:
            try:
                return unicodedata.normalize("NFC", data.decode(name)), name
            except UnicodeDecodeError:
                pass
        raise BinaryInputError("the file is binary (image, archive or program), not text")
    try:
        found = encodings.detect(data)
    except UnicodeError as exc:
        raise DecodingError(f"{exc}; pass --encoding (tcvn3, vni, viscii, cp1258 ...) "
                            "if you know the file's encoding") from exc
    return found.text, found.name


def read_bytes(data: bytes, path: str | None = None, encoding: str | None = None) -> Letter:
    try:
        text, used = decode(data, encoding)
    except (DecodingError, BinaryInputError) as exc:
        exc.path = path
        raise
    letter = Letter(raw=text, path=path, sha256=hashlib.sha256(data).hexdigest(),
                    encoding=used, size=len(data))
    letter.fields["source.route"] = "text"
    if not text or text.isspace():   # (as ``not text.strip()``, without copying the text)
        letter.warn("source", WarningCode.EMPTY_INPUT)
    return letter


def read_text(text: str, path: str | None = None) -> Letter:
    data = text.encode("utf-8", "surrogatepass")
    letter = Letter(raw=text, path=path, sha256=hashlib.sha256(data).hexdigest(),
                    encoding="utf-8", size=len(data))
    letter.fields["source.route"] = "text"
    if not text or text.isspace():   # (as ``not text.strip()``, without copying the text)
        letter.warn("source", WarningCode.EMPTY_INPUT)
    return letter


#: file endings read as scans (images and PDF), through vn_officialdoc.ocr
SCAN_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf")


def read_file(path: str | os.PathLike, encoding: str | None = None,
              max_bytes: int = MAX_BYTES) -> Letter:
    """Read a letter file: text in any supported encoding, or a scan (image, PDF)."""
    p = Path(path)
    name = str(path)
    if p.suffix.lower() in SCAN_SUFFIXES and not p.is_dir():
        from .ocr import read_scan

        return read_scan(p, max_bytes=max_bytes)
    try:
        if p.is_dir():
            raise UnreadableFileError("is a folder, not a file", path=name)
        size = p.stat().st_size
        if size > max_bytes:
            raise InputTooLargeError(f"{size} bytes is over the limit of {max_bytes}", path=name)
        data = p.read_bytes()
    except FileNotFoundError:
        kind = "a broken link" if p.is_symlink() else "no such file"
        raise UnreadableFileError(kind, path=name) from None
    except PermissionError:
        raise UnreadableFileError("permission denied", path=name) from None
    except OSError as exc:
        raise UnreadableFileError(f"cannot read: {exc.strerror or exc}", path=name) from None
    return read_bytes(data, path=name, encoding=encoding)
