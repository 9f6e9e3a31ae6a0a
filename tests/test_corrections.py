"""Issue 3: every correction in the records is listed with its rule and its raw position,
and on clean text no correction changes a correct word.

"Clean" letters are samples/ and the dev letters that are not raw OCR (MANIFEST raw_ocr =
no). Their text is still OCR'd or copied text, and three of them hold real misreadings,
which are the only content changes allowed on them (each read in the letter by hand).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import DEV
from vn_officialdoc.grammar import load_grammar
from vn_officialdoc.pipeline import annotate_file

ROOT = Path(__file__).resolve().parent.parent

#: (letter, before, after): misreadings in the clean letters that a rule corrects
MISREADINGS = {
    # 'ĐẢNG BỘ TỈNH TUYỀN QUANG': the province is Tuyên Quang (the seed's own gold)
    ("S001", "TUYỀN QUANG", "TUYÊN QUANG"),
    # '- BCD phòng, chống dịch tỉnh': Ban Chỉ đạo is BCĐ
    ("S003", "BCD", "BCĐ"),
    # 'Quyết định số 5969/QĐUBND': the dash of the symbol QĐ-UBND is lost
    ("D008", "QĐUBND", "QĐ-UBND"),
}
#: rules that only remove debris, unify punctuation or move a tone mark within a word
#: (checked letter by letter in tests/test_normalize.py)
TYPOGRAPHY = ("debris.", "typo.", "tone.")


def _letters(raw: str) -> list[Path]:
    out = sorted((ROOT / "samples").glob("*.txt")) if raw == "no" else []
    with (DEV / "MANIFEST.tsv").open(encoding="utf-8") as f:
        out += [DEV / f"{row['id']}.txt" for row in csv.DictReader(f, delimiter="\t")
                if row["raw_ocr"].strip() == raw]
    return out


CLEAN = _letters("no")
ALL = CLEAN + _letters("yes")


def _rule_exists(rule_id: str) -> bool:
    grammar = load_grammar()
    ids = {r.id for r in grammar.all_rules()} | {f"{r.file}.{r.id}" for r in grammar.all_rules()}
    return rule_id in ids or any(rule_id.endswith("." + i) for i in ids)


def test_letter_sets():
    assert len(CLEAN) == 24 and len(ALL) == 53


@pytest.mark.parametrize("path", CLEAN, ids=lambda p: p.stem)
def test_no_correct_word_is_changed_on_clean_text(path):
    letter = annotate_file(path)
    for c in letter.corrections:
        if c["rule"].startswith(TYPOGRAPHY):
            continue
        assert (path.stem, c["before"], c["after"]) in MISREADINGS, (path.stem, c)


def test_the_misreadings_are_corrected():
    found = set()
    for path in CLEAN:
        letter = annotate_file(path)
        found |= {(path.stem, c["before"], c["after"]) for c in letter.corrections}
    assert MISREADINGS <= found


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_correction_names_its_rule_and_raw_place(path):
    letter = annotate_file(path)
    raw_lines = letter.raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    record = letter.fields["_record"]
    assert len(record.corrections) == len(letter.corrections)
    for c in record.corrections:
        assert c.rule and _rule_exists(c.rule), c
        assert c.line is not None and 1 <= c.line <= len(raw_lines), c
        assert c.column is not None and 0 <= c.column <= len(raw_lines[c.line - 1]), c
