"""Legacy Vietnamese encodings: tables, detection, .VnTimeH capitals.

Fixtures are made here with glibc's ``iconv`` (TCVN5712-1, VISCII, CP1258) or with the
small independent VNI encoder below, never with the project's own tables.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

from vn_officialdoc import encodings
from vn_officialdoc.encodings import canonical, decode_as, detect

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
PHRASE = ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về "
          "công tác văn thư; Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành thực hiện.")

needs_iconv = pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")


def iconv(text: str, target: str) -> bytes:
    return subprocess.run(["iconv", "-f", "UTF-8", "-t", target], input=text.encode("utf-8"),
                          capture_output=True, check=True).stdout


# -- an independent VNI encoder, from the VNI-Windows chart ----------------------------
# Each toned/hatted vowel is base + one modifier; the modifier for (hat, tone) pairs:
_VNI_MOD = {  # (hat or '', tone or '') -> lowercase-font modifier byte
    ("", "\u0301"): 0xF9, ("", "\u0300"): 0xF8, ("", "\u0309"): 0xFB, ("", "\u0303"): 0xF5,
    ("", "\u0323"): 0xEF, ("\u0302", ""): 0xE2, ("\u0306", ""): 0xEA,
    ("\u0302", "\u0301"): 0xE1, ("\u0302", "\u0300"): 0xE0, ("\u0302", "\u0309"): 0xE5,
    ("\u0302", "\u0303"): 0xE3, ("\u0302", "\u0323"): 0xE4,
    ("\u0306", "\u0301"): 0xE9, ("\u0306", "\u0300"): 0xE8, ("\u0306", "\u0309"): 0xFA,
    ("\u0306", "\u0303"): 0xFC, ("\u0306", "\u0323"): 0xEB,
}
_VNI_SINGLE = {"đ": 0xF1, "Đ": 0xD1, "ì": 0xEC, "Ì": 0xCC, "í": 0xED, "Í": 0xCD,
               "ỉ": 0xE6, "Ỉ": 0xC6, "ĩ": 0xF3, "Ĩ": 0xD3, "ị": 0xF2, "Ị": 0xD2}
_VNI_HORN = {"o": 0xF4, "O": 0xD4, "u": 0xF6, "U": 0xD6}  # ơ Ơ ư Ư


def vni_encode(text: str) -> bytes:
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _VNI_SINGLE:
            out.append(_VNI_SINGLE[ch])
            continue
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        if not marks:
            out += ch.encode("cp1252")
            continue
        horn = "\u031B" in marks
        hat = next((m for m in marks if m in "\u0302\u0306"), "")
        tone = next((m for m in marks if m in "\u0300\u0301\u0303\u0309\u0323"), "")
        out.append(_VNI_HORN[base] if horn else ord(base))
        if hat or tone:
            mod = _VNI_MOD[(hat, tone)]
            out.append(mod - 0x20 if base.isupper() else mod)
    return bytes(out)


# -- tables ----------------------------------------------------------------------------
def test_issue_examples_decode():
    assert decode_as("§éc lËp - Tù do - H¹nh phóc".encode("cp1252"), "tcvn3") == \
        "Độc lập - Tự do - Hạnh phúc"
    assert decode_as("Ñoäc laäp – Töï do – Haïnh phuùc".encode("cp1252"), "vni") == \
        "Độc lập – Tự do – Hạnh phúc"


@needs_iconv
@pytest.mark.parametrize("iconv_name,ours", [("TCVN5712-1", "tcvn3"), ("VISCII", "viscii"),
                                             ("CP1258", "cp1258")])
def test_every_vietnamese_letter_round_trips(iconv_name, ours):
    letters = "".join(sorted({c for c in unicodedata.normalize("NFC", MOTTO + PHRASE)}
                             | set("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ"
                                   "uùúủũụưừứửữựyỳýỷỹỵđ")))
    letters = letters + letters.upper()
    assert decode_as(iconv(letters, iconv_name), ours) == unicodedata.normalize("NFC", letters)


def test_vni_every_letter():
    letters = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ"
               "uùúủũụưừứửữựyỳýỷỹỵđ")
    letters = letters + " " + letters.upper()
    assert decode_as(vni_encode(letters), "vni") == letters


def test_vni_modifier_after_consonant_is_kept():
    # 'á' after a consonant is no modifier: Windows-1252 text passes through
    assert decode_as("cá".encode("cp1252"), "vni") == "cá"


@pytest.mark.parametrize("name,ours", [("TCVN3", "tcvn3"), ("abc", "tcvn3"), ("VNI", "vni"),
                                       ("viscii", "viscii"), ("windows-1258", "cp1258"),
                                       ("CP1258", "cp1258"), ("utf_8", "utf-8")])
def test_encoding_names(name, ours):
    assert canonical(name) == ours


def test_unknown_encoding_name():
    with pytest.raises(LookupError):
        canonical("klingon")


# -- .VnTimeH capitals -------------------------------------------------------------------
_VN3_CAPITALS = set("ĂÂÊÔƠƯĐ")  # the only toned/hatted capitals TCVN3 (VN3) has


def vntimeh(text: str) -> bytes:
    """Bytes as typed in a .VnTimeH font: capital toned letters as their lowercase codes."""
    out = bytearray()
    for ch in text:
        if ord(ch) > 0x7F and ch.isupper() and ch not in _VN3_CAPITALS:
            ch = ch.lower()
        out += iconv(ch, "TCVN5712-1")
    return bytes(out)


@needs_iconv
def test_vntimeh_headers_stay_upper_case():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH HẢI DƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\nSố: 12/QĐ-UBND\nĐÀ NẴNG\nQUYẾT ĐỊNH\n"
            "Về việc thành lập Tổ công tác\nĐiều 1. Giao cho xã")
    data = vntimeh(text)
    assert decode_as(data, "tcvn3") == text


@needs_iconv
def test_title_case_word_alone_stays_title_case():
    # 'Số' before a number, 'Đà' beside a lower-case word: not an upper-case run
    text = ("Số: 45/UBND-VP\nĐà Nẵng, ngày 3 tháng 4 năm 2009\nĐẾN Số: 906\n"
            "gửi về ở UBND xã")
    assert decode_as(vntimeh(text), "tcvn3") == text


# -- detection -------------------------------------------------------------------------------
@needs_iconv
@pytest.mark.parametrize("name,make", [
    ("utf-8", lambda t: t.encode("utf-8")),
    ("cp1258", lambda t: iconv(t, "CP1258")),
    ("tcvn3", lambda t: iconv(t, "TCVN5712-1")),
    ("viscii", lambda t: iconv(t, "VISCII")),
    ("vni", vni_encode),
])
def test_detect(name, make):
    text = MOTTO + "\n" + PHRASE
    found = detect(make(text))
    assert found.name == name
    assert found.text == text


@needs_iconv
@pytest.mark.parametrize("name,make", [
    ("tcvn3", lambda t: iconv(t, "TCVN5712-1")),
    ("vni", vni_encode),
    ("utf-8", lambda t: t.encode("utf-8")),
])
def test_detect_legacy_resaved_as_utf8(name, make):
    """Legacy bytes read as Windows-1252 by a program and saved again as UTF-8."""
    text = MOTTO + "\n" + PHRASE
    mojibake = encodings.cp1252_text(make(text)).encode("utf-8")
    found = detect(mojibake)
    assert found.name == f"{name}-in-utf-8"
    assert found.text == text


def test_clean_utf8_is_not_reread():
    text = "Hội nghị Ban Chấp hành lần thứ 5 – “Đổi mới” và phát triển; giá 5.000 €."
    assert detect(text.encode("utf-8")).name == "utf-8"


def test_not_vietnamese_bytes_raise():
    with pytest.raises(UnicodeError):
        detect(bytes(range(0xA0, 0x100)) * 20)
