"""Every gold field of every letter in samples/ must be right (per GOLD_SPEC.md rules)."""

from __future__ import annotations

import json

import pytest

from conftest import SAMPLES, gold_paths
from vn_officialdoc import parse_file
from vn_officialdoc.evaluate import FIELDS, gold_view, score_letter

GOLDS = gold_paths(SAMPLES)
CASES = [(g, name) for g in GOLDS for name in FIELDS if name.split(".")[0] in json.loads(g.read_text("utf-8"))]


def test_samples_present():
    assert len(GOLDS) == 5, "samples/ must hold the five seed letters with their gold"


_cache: dict = {}


def _view(gold_path):
    if gold_path not in _cache:
        txt = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt"))
        _cache[gold_path] = gold_view(parse_file(txt))
    return _cache[gold_path]


@pytest.mark.parametrize("gold_path,field", CASES, ids=[f"{g.name.split('.')[0]}-{f}" for g, f in CASES])
def test_field(gold_path, field):
    gold = json.loads(gold_path.read_text("utf-8"))
    pred = _view(gold_path)
    counts = score_letter(pred, gold)[field]
    top = field.split(".")[0]
    assert counts.fp == 0 and counts.fn == 0, f"{field}: gold={gold.get(top)!r} pred={pred.get(top)!r}"
