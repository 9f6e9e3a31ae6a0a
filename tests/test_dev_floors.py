"""Accuracy floors on the dev corpus (../shared/corpus/dev), a little under what was reached.

Figures reached on 2026-11-22 (48 letters): micro-F1 0.965, header-F1 0.985, macro-F1 0.970,
whole header right 41/48; on the 29 letters that are raw Tesseract OCR of scans (MANIFEST
raw_ocr = yes) micro-F1 0.945 (0.899 when issue 2 was closed). A floor is never lowered to
make a change pass.
"""

from __future__ import annotations

import csv

import pytest

from conftest import DEV

MICRO_FLOOR = 0.955
HEADER_FLOOR = 0.975
WHOLE_HEADER_FLOOR = 0.83
RAW_OCR_MICRO_FLOOR = 0.935
FIELD_FLOORS = {
    "format": 0.98, "issuer": 0.97, "issuer_parent": 0.95, "number": 0.95, "symbol": 0.97,
    "doc_type": 0.97, "place": 0.97, "date": 0.95, "subject": 0.87, "signer": 0.94,
    "signer_title": 0.89, "authority": 0.90, "recipients": 0.97, "top_items": 0.97,
    "references": 0.95, "slogans": 0.85, "copies_to": 0.935,
}


@pytest.fixture(scope="module")
def report():
    if not DEV.is_dir():
        pytest.fail(f"the dev corpus is not beside the checkout: {DEV}")
    from vn_officialdoc.evaluate import evaluate_folder

    return evaluate_folder(DEV)


def test_dev_corpus_size(report):
    assert len(report.letters) == 48
    assert not report.failures


def test_accuracy_floors(report):
    from floors import floor_failures

    assert not floor_failures(report, MICRO_FLOOR, HEADER_FLOOR, WHOLE_HEADER_FLOOR,
                              FIELD_FLOORS)


def test_raw_ocr_letters_floor(report):
    """Issue 3: the dev letters that are raw OCR of real scans gain at least 3 points of
    micro-F1 over issue 2's figure (0.899); reached 0.945."""
    with (DEV / "MANIFEST.tsv").open(encoding="utf-8") as f:
        raw = {row["id"] for row in csv.DictReader(f, delimiter="\t")
               if row["raw_ocr"].strip() == "yes"}
    assert len(raw) == 29
    from vn_officialdoc.evaluate import Counts

    total, seen = Counts(), 0
    for letter in report.letters:
        if letter.id in raw:
            seen += 1
            for c in letter.counts.values():
                total.add(c)
    assert seen == 29 and total.tp > 500
    assert total.f1 >= RAW_OCR_MICRO_FLOOR >= 0.899 + 0.03, f"raw-OCR micro-F1 {total.f1:.3f}"
