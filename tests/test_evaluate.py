"""The scorer follows GOLD_SPEC.md exactly."""

from __future__ import annotations

import json

import pytest

from vn_officialdoc.evaluate import Counts, evaluate_pairs, gold_view, norm_item, score_letter
from vn_officialdoc.record import Record


@pytest.mark.parametrize("field,a,b,equal", [
    ("references", "635-CV/TU", "635/CV/TU", True),
    ("references", "172 -TB/TW", "172-TB/TW", True),
    ("references", "11/CT-UBND", "11-CT-UBND", True),
    ("references", "11/CT-UBND", "12/CT-UBND", False),
    ("copies_to", "Ban Dân vận TW Đảng (B/c)", "Ban Dân vận TW Đảng", True),
    ("copies_to", "Như trên,", "như trên", True),
    ("copies_to", "Lưu VT", "Lưu: VT", True),
    ("recipients", "Các Hội quần chúng cấp tỉnh.", "các hội quần chúng cấp tỉnh", True),
    ("recipients", "Sở Y tế (5)", "Sở Y tế", False),   # only copies_to drops parentheses
    ("slogans", "4 tại chỗ", "4 tại  chỗ", True),
    ("slogans", "4 tại chỗ", "4 Tại chỗ", False),
    ("top_items", "1", "I", False),
])
def test_list_normalisation(field, a, b, equal):
    assert (norm_item(field, a) == norm_item(field, b)) is equal


def test_scalar_rules():
    gold = {"issuer": "BAN DÂN VẬN", "number": "234", "date": None, "place": "Tuyên Quang",
            "signer_title": "PHÓ TRƯỞNG BAN"}
    pred = {"issuer": "Ban Dân  Vận", "number": "0234", "date": "2021-09-07", "place": None,
            "signer_title": "phó trưởng ban"}
    c = score_letter(pred, gold)
    assert (c["issuer"].tp, c["issuer"].fp, c["issuer"].fn) == (1, 0, 0)       # case folded
    assert (c["number"].tp, c["number"].fp, c["number"].fn) == (0, 1, 1)       # zeros kept
    assert (c["date"].tp, c["date"].fp, c["date"].fn) == (0, 1, 0)             # gold null
    assert (c["place"].tp, c["place"].fp, c["place"].fn) == (0, 0, 1)          # missed
    assert c["signer_title"].tp == 1
    assert "symbol" not in c                                                    # absent key


def test_received_subfields():
    gold = {"received": {"number": "906", "date": "2020-08-11"}}
    assert score_letter({"received": None}, gold)["received.number"].fn == 1
    c = score_letter({"received": {"number": "906", "date": "2020-08-12"}}, gold)
    assert c["received.number"].tp == 1 and c["received.date"].fp == 1
    c = score_letter({"received": {"number": "1", "date": None}}, {"received": None})
    assert c["received.number"].fp == 1 and c["received.date"].fp == 0


def test_multiset_counts():
    gold = {"top_items": ["1", "2", "2"]}
    c = score_letter({"top_items": ["1", "2", "3"]}, gold)["top_items"]
    assert (c.tp, c.fp, c.fn, c.support) == (2, 1, 1, 3)


def test_micro_macro_and_header():
    g = {"number": "1", "symbol": "CV/X", "slogans": ["a"]}
    report = evaluate_pairs([("A", {"number": "1", "symbol": "CV/X", "slogans": []}, g, None),
                             ("B", None, g, "boom")])
    d = report.to_dict()
    assert d["micro"]["support"] == 6
    assert report.micro().tp == 2 and report.micro().fn == 4
    assert d["header_entirely_right"] == 0.5
    assert report.failures == [{"id": "B", "error": "boom"}]


def test_counts_empty_is_perfect():
    assert Counts().f1 == 1.0


def test_gold_view_of_record():
    r = Record.model_validate({
        "header": {"issuer": {"name": "BAN DÂN VẬN", "parent": "TỈNH ỦY TUYÊN QUANG"},
                   "number": "234", "symbol": "CV/BDVTU"},
        "received": {"number": "1172", "date": "2021-09-06"},
        "items": [{"label": "1", "text": "x", "children": [{"label": "a", "text": "y"}]}],
        "references": [{"number": "635", "symbol": "CV/TU", "text": "635-CV/TU"}],
        "slogans": [{"text": "4 tại chỗ"}], "copies_to": [{"text": "Như trên", "note": None}],
        "signature": {"authority": "KT", "title": "PHÓ TRƯỞNG BAN", "signer": "Vương Thúy Hằng"}})
    v = gold_view(r)
    assert v["issuer"] == "BAN DÂN VẬN" and v["issuer_parent"] == "TỈNH ỦY TUYÊN QUANG"
    assert v["top_items"] == ["1"] and v["references"] == ["635-CV/TU"]
    assert v["received"] == {"number": "1172", "date": "2021-09-06"}
    assert v["signer_title"] == "PHÓ TRƯỞNG BAN" and v["authority"] == "KT"
    assert json.dumps(v, ensure_ascii=False)
