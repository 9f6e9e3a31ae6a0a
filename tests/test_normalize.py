"""Normalization: offsets back to the raw text, tone placement, no harm to clean text."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
import regex

from vn_officialdoc.normalize import normalize, normalize_line
from vn_officialdoc.read import read_bytes, read_text
from vn_officialdoc import tones
from vn_officialdoc.tones import place_tone, split_tone

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def clean_letters() -> list[Path]:
    """samples/ and the dev letters that are not raw OCR (MANIFEST raw_ocr = no)."""
    paths = sorted(SAMPLES.glob("*.txt"))
    manifest = DEV / "MANIFEST.tsv"
    if manifest.is_file():
        with manifest.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                if row["raw_ocr"].strip() == "no" and (DEV / f"{row['id']}.txt").is_file():
                    paths.append(DEV / f"{row['id']}.txt")
    return paths


def all_letters() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt")) + sorted(DEV.glob("*.txt"))


def _base(ch: str) -> str:
    """The letter without marks: what OCR restoration and tone placement leave unchanged."""
    return tones.skeleton(ch)


# -- tone placement ------------------------------------------------------------------------
@pytest.mark.parametrize("word,classic,new", [
    ("hoà", "hòa", "hoà"), ("hòa", "hòa", "hoà"), ("HOÀ", "HÒA", "HOÀ"),
    ("thuỷ", "thủy", "thuỷ"), ("Uỷ", "Ủy", "Uỷ"), ("khoẻ", "khỏe", "khoẻ"),
    ("hóa", "hóa", "hoá"), ("HÓA", "HÓA", "HOÁ"),
    ("hoàng", "hoàng", "hoàng"),          # a final consonant: on the last vowel, both
    ("họat", "hoạt", "hoạt"),             # a misplaced mark (OCR) is moved
    ("người", "người", "người"),          # ươ: on ơ
    ("ngoài", "ngoài", "ngoài"),          # three vowels: the middle one
    ("của", "của", "của"), ("mùa", "mùa", "mùa"), ("kìa", "kìa", "kìa"),
    ("quý", "quý", "quý"), ("giữ", "giữ", "giữ"), ("gì", "gì", "gì"),
    ("Nguyễn", "Nguyễn", "Nguyễn"), ("khuỷu", "khuỷu", "khuỷu"),
    ("QĐ", "QĐ", "QĐ"), ("TTg", "TTg", "TTg"), ("UBND", "UBND", "UBND"),
    ("Covid", "Covid", "Covid"),
])
def test_place_tone(grammar, word, classic, new):
    assert place_tone(word, grammar, "classic") == classic
    assert place_tone(word, grammar, "new") == new
    # keep: a word placed by one convention or the other stays as printed
    expected = word if word in (classic, new) else classic
    assert place_tone(word, grammar, "keep") == expected
    assert tones.key(word, grammar) == classic


def test_printed_convention_is_kept(grammar):
    """Default (style keep): both conventions stand as printed; misplaced marks move."""
    letter = normalize(read_text("Các tỉnh uỷ, thành ủy\nCỘNG HOÀ XÃ HỘI\nsức khỏe, họat động"),
                       grammar)
    assert letter.text == "Các tỉnh uỷ, thành ủy\nCỘNG HOÀ XÃ HỘI\nsức khỏe, hoạt động"
    assert [(c["before"], c["after"]) for c in letter.corrections] == [("họat", "hoạt")]


def test_letter_style_is_the_majority(grammar):
    assert tones.letter_style("tỉnh uỷ, thành uỷ, Thủy", grammar) == "new"
    assert tones.letter_style("Ủy ban, hòa bình, hoà giải", grammar) == "classic"
    assert tones.letter_style("không có", grammar) == "classic"
    text, _, changes = normalize_line("tỉnh uỷ, thành uỷ, Thủy", grammar, "letter")
    assert text == "tỉnh uỷ, thành uỷ, Thuỷ"


def test_symbols_are_not_retokenized(grammar):
    text, cols, changes = normalize_line("Số: 345/QĐ-TTg ngày 5/3/2021 về hoà giải", grammar,
                                         "classic")
    assert text == "Số: 345/QĐ-TTg ngày 5/3/2021 về hòa giải"
    assert [(b, a, r) for b, a, r, _ in changes] == [("hoà", "hòa", "tone.placement")]


# -- offsets -----------------------------------------------------------------------------------
def test_offsets_map_back_to_raw_line_and_column(grammar):
    raw = ("dòng một\n"
           "**CỘNG HOÀ XÃ HỘI** |  “Độc lập” – Tự do\n"
           "\tThuỷ lợi …  " + unicodedata.normalize("NFD", "họat động") + "\n")
    letter = normalize(read_text(raw), grammar)
    assert [line.raw_no for line in letter.lines] == [1, 2, 3, 4]
    text = letter.text
    raw_lines = raw.split("\n")

    def raw_at(word: str) -> str:
        line, col = letter.raw_position(text.index(word))
        return raw_lines[line - 1][col:]

    assert raw_at("CỘNG").startswith("CỘNG HOÀ")
    assert raw_at("HOÀ").startswith("HOÀ")
    assert raw_at('"Độc').startswith("“Độc")
    assert raw_at("Tự do").startswith("Tự do")
    assert raw_at("Thuỷ").startswith("Thuỷ")
    assert raw_at("hoạt").startswith(unicodedata.normalize("NFD", "họat"))
    assert raw_at("động").startswith(unicodedata.normalize("NFD", "động"))
    # every change but white space is on the record with its rule and raw position
    rules = [(c["rule"], c["line"], c["column"]) for c in letter.corrections]
    assert ("debris.markdown_bold", 2, 0) in rules
    assert ("debris.table_bar", 2, 19) in rules
    assert ("typo.double_quote", 2, 23) in rules
    assert ("typo.dash", 2, 33) in rules
    assert ("tone.placement", 3, 13) in rules
    assert not any(c["rule"].startswith("space.") for c in letter.corrections)


@pytest.mark.parametrize("path", all_letters(), ids=lambda p: p.stem)
def test_every_letter_maps_back_character_by_character(grammar, path):
    letter = normalize(read_bytes(path.read_bytes(), path=str(path)), grammar)
    raw_lines = letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    assert len(letter.lines) == len(raw_lines)
    for i, line in enumerate(letter.lines):
        assert line.raw_no == i + 1
        raw = raw_lines[i]
        for k, ch in enumerate(line.text):
            if ch.isalnum():
                col = line.raw_col(k)
                assert _base(raw[col]) == _base(ch), (path.name, i + 1, k, line.text)


# -- clean text ------------------------------------------------------------------------------
_LETTERS = regex.compile(r"\P{L}+")


@pytest.mark.parametrize("path", clean_letters(), ids=lambda p: p.stem)
def test_no_correct_word_changes_on_clean_text(grammar, path):
    """On clean letters normalization only removes debris and unifies punctuation; a tone
    mark may move within a word (the convention), never change the word's letters or tone."""
    letter = normalize(read_bytes(path.read_bytes(), path=str(path)), grammar)
    for c in letter.corrections:
        assert not c["rule"].startswith("ocr."), c  # OCR repairs never fire on clean text
        if c["rule"] == "tone.placement":
            (b_base, b_tones), (a_base, a_tones) = split_tone(c["before"]), split_tone(c["after"])
            assert b_base == a_base and [t for _, t in b_tones] == [t for _, t in a_tones], c
        else:
            assert c["rule"].startswith(("debris.", "typo.")), c
            assert _LETTERS.sub("", c["before"]) == _LETTERS.sub("", c["after"]), c


def test_clean_text_keeps_its_words(grammar):
    """A clean letter's words come out unchanged but for misplaced tone marks."""
    for path in clean_letters():
        letter = normalize(read_bytes(path.read_bytes()), grammar)
        raw_words = regex.findall(r"\p{L}+", letter.raw)
        new_words = regex.findall(r"\p{L}+", letter.text)
        assert len(raw_words) == len(new_words), path.name
        for a, b in zip(raw_words, new_words):
            if a != b:
                assert place_tone(a, grammar, "keep") == b, (path.name, a, b)


def test_marks_restored_from_the_letter(grammar):
    raw = ("QUYẾT ĐỊNH\nCăn cứ Luật Tổ chức;\nQUYÉT ĐỊNH:\nĐiều 1. Quyêt định này, Quôc gia, "
           "Quốc gia\nQuốc hội, Quốc phòng, chât lượng, Việt\nViet Nam, Naïve")
    letter = normalize(read_text(raw), grammar)
    fixed = [(c["before"], c["after"], c["line"], c["column"]) for c in letter.corrections]
    assert ("QUYÉT", "QUYẾT", 3, 0) in fixed          # beside the same neighbour elsewhere
    assert ("Quôc", "Quốc", 4, 24) in fixed            # written that way 3 times
    assert ("Quyêt", "Quyết", 4, 8) in fixed           # beside 'định' in line 1
    assert not any(b in ("chât", "Viet", "Naïve") for b, *_ in fixed)  # no evidence / no marks
