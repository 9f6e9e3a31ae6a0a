"""Reading: one letter in every supported encoding gives one and the same record.

Fixtures are written by the tests: Python's own UTF codecs, glibc ``iconv`` for CP1258,
TCVN5712-1 and VISCII, and the independent VNI encoder of test_encodings.py; never the
project's own tables.
"""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest

from vn_officialdoc.batch import Input, parse_one
from vn_officialdoc.errors import BinaryInputError, DecodingError
from vn_officialdoc.pipeline import annotate_file
from vn_officialdoc.read import decode, read_bytes, read_file

from test_encodings import iconv, vni_encode  # noqa: E402 - tests/ is on sys.path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

needs_iconv = pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")

#: characters the legacy 8-bit sets lack, written as the ASCII a typist would have used
_ASCII = {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-",
          "\u2014": "-", "\u2026": "...", "\u00a0": " ", "\u2022": "-"}


def legacy_safe(text: str) -> str:
    """The sample letter with the punctuation TCVN3/VISCII lack written in ASCII."""
    text = "".join(_ASCII.get(c, c) for c in unicodedata.normalize("NFC", text))
    # keep only lines every legacy set can carry (letters outside Vietnamese are dropped)
    keep = []
    for line in text.split("\n"):
        try:
            iconv(line, "TCVN5712-1"), iconv(line, "VISCII"), iconv(line, "CP1258")
            vni_encode(line)
        except Exception:  # noqa: BLE001 - a line a legacy set cannot hold is left out
            continue
        keep.append(line)
    return "\n".join(keep)


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf-16": lambda t: t.encode("utf-16"),
    "nfd": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "cp1258": lambda t: iconv(t, "CP1258"),
    "tcvn3": lambda t: iconv(t, "TCVN5712-1"),
    "vni": vni_encode,
    "viscii": lambda t: iconv(t, "VISCII"),
}
EXPECTED_NAME = {"utf-8-bom": "utf-8", "nfd": "utf-8"}


def _comparable(record) -> dict:
    data = record.model_dump()
    data.pop("source")
    return data


@needs_iconv
@pytest.mark.parametrize("sample", ["S000", "S003"])
def test_same_letter_in_every_encoding_gives_one_record(tmp_path, sample):
    text = legacy_safe((SAMPLES / f"{sample}.txt").read_text(encoding="utf-8"))
    assert text.count("\n") > 20, "the sample lost too many lines to be a fair test"
    records, texts = {}, {}
    for name, encode in ENCODINGS.items():
        path = tmp_path / f"{sample}.{name}.txt"
        path.write_bytes(encode(text))
        letter = annotate_file(path)
        record = letter.fields["_record"]
        assert record.source.encoding == EXPECTED_NAME.get(name, name), name
        records[name] = _comparable(record)
        texts[name] = letter.text
    assert texts["utf-8"].split("\n") == [
        " ".join(line.split()) for line in texts["utf-8"].split("\n")]
    for name in ENCODINGS:
        assert texts[name] == texts["utf-8"], f"{name}: normalized text differs from utf-8"
        assert records[name] == records["utf-8"], f"{name}: record differs from utf-8"


@needs_iconv
def test_forced_encoding_overrides_detection(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(iconv("Độc lập - Tự do - Hạnh phúc", "TCVN5712-1"))
    assert read_file(path, encoding="TCVN3").raw == "Độc lập - Tự do - Hạnh phúc"
    assert read_file(path, encoding="tcvn3").encoding == "tcvn3"


def test_unknown_forced_encoding_is_a_decoding_error(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("Số 234".encode("utf-8"))
    with pytest.raises(DecodingError) as info:
        read_file(path, encoding="klingon")
    assert info.value.code == "E102"


def test_undecodable_file_is_an_error_entry_not_a_crash(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(0xA0, 0x100)) * 40)
    outcome = parse_one(Input(path, Path("junk.txt")))
    assert outcome.status == "failed"
    assert outcome.error["code"] == "E102"
    assert "--encoding" in outcome.error["message"]


def test_binary_is_refused():
    with pytest.raises(BinaryInputError):
        decode(bytes(range(0, 32)) * 100)


def test_utf16_without_bom():
    text = "Số: 45/UBND-VP ngày 3 tháng 4"
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")
    assert decode(text.encode("utf-16-be")) == (text, "utf-16-be")


def test_nfd_is_composed_on_read():
    letter = read_bytes(unicodedata.normalize("NFD", "Hạnh phúc").encode("utf-8"))
    assert letter.raw == "Hạnh phúc"
    assert unicodedata.is_normalized("NFC", letter.raw)
