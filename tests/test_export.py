"""Catalogue exports (issue 4 point 4): CSV with a BOM, XLSX with a frozen header, Parquet
and JSON Lines round-trip to the records; error entries are exported and marked; the
columns come from grammars/catalogue.yaml in the archivists' order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_batch import make_corpus, record_files, run_cli
from vn_officialdoc.batch import BatchOptions, run_batch
from vn_officialdoc.export import (catalogue_columns, export_records, format_error,
                                   format_warnings, iter_records)

pd = pytest.importorskip("pandas")

#: the văn bản fields in the order the brief (Thông tư 02/2019, Nghị định 30/2020 Phụ lục VI)
#: lists them; these must lead the catalogue, in this order
LEADING = ["Số thứ tự", "Tên loại văn bản", "Số của văn bản", "Ký hiệu của văn bản",
           "Ngày, tháng, năm văn bản", "Ngày", "Tháng", "Năm",
           "Tên cơ quan, tổ chức ban hành văn bản", "Trích yếu nội dung", "Người ký",
           "Ngôn ngữ", "Số trang", "Ghi chú"]


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    make_corpus(root / "in", 12)
    out = root / "out"
    run_batch([root / "in"], BatchOptions(out=out, jobs=1))
    records = [json.loads(f.read_text("utf-8")) for f in record_files(out)]
    return out, records


def _expected(rec: dict) -> dict:
    """The catalogue row a record should give, read straight from the record."""
    h = rec.get("header") or {}
    date = h.get("date")
    y = m = d = None
    if date:
        y, m, d = (int(x) for x in date.split("-"))
    failed = "error" in rec and "schema_version" not in rec
    return {
        "Tên loại văn bản": h.get("doc_type"), "Số của văn bản": h.get("number"),
        "Ký hiệu của văn bản": h.get("symbol"),
        "Ngày, tháng, năm văn bản": f"{d:02d}/{m:02d}/{y}" if date else None,
        "Ngày": d, "Tháng": m, "Năm": y,
        "Tên cơ quan, tổ chức ban hành văn bản": (h.get("issuer") or {}).get("name"),
        "Trích yếu nội dung": h.get("subject"),
        "Người ký": (rec.get("signature") or {}).get("signer"),
        "Tệp nguồn": rec["source"]["path"],
        "Trạng thái xử lý": "failed" if failed else ("warned" if rec.get("warnings") else "ok"),
        "Lỗi": format_error(rec["error"]) if failed else None,
        "Cảnh báo": format_warnings(rec.get("warnings") or []) or None,
    }


def _norm(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _compare(frame, records):
    assert len(frame) == len(records)
    by_path = {r["source"]["path"]: r for r in records}
    for _, row in frame.iterrows():
        rec = by_path[row["Tệp nguồn"]]
        for col, want in _expected(rec).items():
            got = _norm(row[col])
            if isinstance(want, int) and isinstance(got, str):
                got = int(got)
            assert got == want, (col, rec["source"]["path"])


def test_columns_are_data_in_archivist_order():
    cols = catalogue_columns()
    assert [c.vi for c in cols][:len(LEADING)] == LEADING
    assert len({c.tag for c in cols}) == len(cols)
    assert {"warnings", "status", "error", "source_path"} <= {c.tag for c in cols}


def test_csv_has_bom_and_round_trips(parsed, tmp_path):
    out, records = parsed
    target, rows = export_records(out, "csv", tmp_path / "c.csv")
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    assert rows == len(records)
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame = frame.replace({"": None})
    assert list(frame.columns) == [c.vi for c in catalogue_columns()]
    _compare(frame, records)
    # leading zeros of a number survive (it is text, not a number)
    assert all(isinstance(v, str) for v in frame["Số của văn bản"].dropna())


def test_xlsx_has_frozen_header_and_round_trips(parsed, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out, records = parsed
    target, rows = export_records(out, "xlsx", tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(target).active
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == [c.vi for c in catalogue_columns()]
    frame = pd.read_excel(target, dtype=object)
    _compare(frame, records)


def test_parquet_and_jsonl_round_trip(parsed, tmp_path):
    pytest.importorskip("pyarrow")
    out, records = parsed
    target, _ = export_records(out, "parquet", tmp_path / "c.parquet")
    _compare(pd.read_parquet(target), records)
    target, _ = export_records(out, "jsonl", tmp_path / "c.jsonl")
    rows = [json.loads(line) for line in target.read_text("utf-8").splitlines()]
    _compare(pd.DataFrame(rows), records)


def test_error_entries_are_exported_and_marked(parsed, tmp_path):
    out, records = parsed
    failed = [r for r in records if "error" in r and "schema_version" not in r]
    assert failed, "the corpus has bad inputs"
    target, _ = export_records(out, "csv", tmp_path / "c.csv")
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    marked = frame[frame["Trạng thái xử lý"] == "failed"]
    assert sorted(marked["Tệp nguồn"]) == sorted(r["source"]["path"] for r in failed)
    assert all(marked["Lỗi"].str.startswith("E"))


def test_english_tags_and_full_profile(parsed, tmp_path):
    out, records = parsed
    target, _ = export_records(out, "csv", tmp_path / "en.csv", headers="en")
    frame = pd.read_csv(target, encoding="utf-8-sig", dtype=str)
    assert list(frame.columns) == [c.tag for c in catalogue_columns()]
    target, _ = export_records(out, "csv", tmp_path / "full.csv", profile="full")
    full = pd.read_csv(target, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert {"status", "source.path", "header.number", "header.issuer.name"} <= set(full.columns)
    assert len(full) == len(records)


def test_jsonl_source_and_summary_is_not_a_record(parsed, tmp_path):
    out, records = parsed
    assert len(list(iter_records(out))) == len(records)  # summary.json passed over
    lines = tmp_path / "r.jsonl"
    lines.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
                     + "not json\n", "utf-8")
    target, rows = export_records(lines, "csv")
    assert target == tmp_path / "r.catalogue.csv" and rows == len(records)


def test_odd_strings_survive_every_format(tmp_path):
    """Control characters (refused by XLSX) and undecodable file names (lone surrogates)."""
    rec = {"schema_version": "1.0", "source": {"path": "bad\udcffname.txt"},
           "header": {"subject": "V/v a\x01b\x1b c", "number": "007"}, "warnings": []}
    src = tmp_path / "r.jsonl"
    src.write_text(json.dumps(rec) + "\n", "utf-8")  # ASCII escapes keep it valid UTF-8
    for fmt in ("csv", "xlsx", "parquet", "jsonl"):
        if fmt == "parquet":
            pytest.importorskip("pyarrow")
        target, rows = export_records(src, fmt, tmp_path / f"o.{fmt}")
        assert rows == 1 and target.stat().st_size > 0


def test_cli_export(parsed, tmp_path):
    out, records = parsed
    r = run_cli("export", str(out), "--to", "csv", "--output", str(tmp_path / "x.csv"))
    assert r.returncode == 0, r.stderr
    assert f"wrote {len(records)} rows" in r.stderr
    r = run_cli("export", str(out), "--to", "pdf")
    assert r.returncode == 2
    r = run_cli("export", str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "does not exist" in r.stderr
