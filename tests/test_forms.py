"""Accuracy floors on the made-up letters of forms the dev corpus lacks (tests/forms/,
see its README), a little under what was reached.

Reached on 2026-11-23 (30 letters): micro-F1 0.996, header-F1 0.996, whole header right
29/30 (before the fixes they found: micro-F1 0.970, whole header 21/30). A floor is never
lowered to make a change pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest

FORMS = Path(__file__).parent / "forms"
MICRO_FLOOR = 0.985
HEADER_FLOOR = 0.985
WHOLE_HEADER_FLOOR = 0.93
FIELD_FLOORS = {"issuer": 0.97, "issuer_parent": 0.95, "subject": 0.95, "signer": 0.95,
                "doc_type": 0.95, "references": 0.97, "slogans": 0.85, "copies_to": 0.97}


@pytest.fixture(scope="module")
def report():
    from vn_officialdoc.evaluate import evaluate_folder

    return evaluate_folder(FORMS)


def test_forms_set_size(report):
    assert len(report.letters) == 30
    assert not report.failures


def test_micro_f1_floor(report):
    assert report.micro().f1 >= MICRO_FLOOR


def test_header_f1_floor(report):
    from vn_officialdoc.evaluate import HEADER_FIELDS

    assert report.micro(HEADER_FIELDS).f1 >= HEADER_FLOOR


def test_whole_header_floor(report):
    assert report.header_right_share() >= WHOLE_HEADER_FLOOR


@pytest.mark.parametrize("field", sorted(FIELD_FLOORS))
def test_field_floor(report, field):
    f1 = report.fields()[field].f1
    assert f1 >= FIELD_FLOORS[field], f"{field}: F1 {f1:.3f} under its floor {FIELD_FLOORS[field]}"
