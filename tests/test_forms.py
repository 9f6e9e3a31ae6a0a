"""Accuracy floors on the made-up letters of forms the dev corpus lacks (tests/forms/,
see its README), a little under what was reached.

Reached on 2026-11-23 (150 letters): micro-F1 0.986, header-F1 0.990, whole header right
139/150 (before the fixes they led to, each set written after the previous set's fixes:
0.970 and 21/30 on the first set of 30, 0.956 and 20/30 on the second, 0.947 and 20/30 on
the third, 0.977 and 25/30 on the fourth, 0.951 and 19/30 on the fifth, all of it OCR-
damaged). The floors were set for the 150 letters when the fifth set was added (a harder
set, not a change to pass). A floor is never lowered to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FORMS = Path(__file__).parent / "forms"
MICRO_FLOOR = 0.98
HEADER_FLOOR = 0.98
WHOLE_HEADER_FLOOR = 0.86
FIELD_FLOORS = {"issuer": 0.96, "issuer_parent": 0.96, "number": 0.98, "symbol": 0.98,
                "subject": 0.96, "signer": 0.94, "signer_title": 0.96, "authority": 0.97,
                "doc_type": 0.97, "recipients": 0.93, "references": 0.98, "slogans": 0.83,
                "copies_to": 0.97}


@pytest.fixture(scope="module")
def report():
    from vn_officialdoc.evaluate import evaluate_folder

    return evaluate_folder(FORMS)


def test_forms_set_size(report):
    assert len(report.letters) == 150
    assert not report.failures


def test_accuracy_floors(report):
    from floors import floor_failures

    assert not floor_failures(report, MICRO_FLOOR, HEADER_FLOOR, WHOLE_HEADER_FLOOR,
                              FIELD_FLOORS)


def test_the_floor_check_can_fail(report):
    from floors import floor_failures

    got = floor_failures(report, 1.01, 1.01, 1.01, {"issuer": 1.01})
    assert len(got) == 4 and got[0].startswith("micro-F1 ")
