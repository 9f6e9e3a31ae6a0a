"""Junk input to every public entry point: a record or a VnOfficialDocError, never a crash."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

from conftest import SAMPLES
from vn_officialdoc import VnOfficialDocError, parse_file, parse_text
from vn_officialdoc.errors import BinaryInputError, DecodingError, UnreadableFileError

rng = random.Random(1234)
HALF = (SAMPLES / "S000.txt").read_text("utf-8")
HALF = HALF[: len(HALF) // 2]

TEXTS = {
    "empty": "",
    "blank": " \n\t\n  \n",
    "english": "Dear Sir,\nPlease find attached the report.\nRegards,\nJohn Smith\n",
    "random_unicode": "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(5000)),
    "half_letter": HALF,
    "symbols": "Số Số Số -/-/-/ ngày tháng năm \"\"\"\" ****  |||| 1.1.1.1.1.1.1",
    "deep_numbering": "\n".join("1." * k + " mục" for k in range(1, 300)),
    "huge": ("Kính gửi: - Ủy ban nhân dân tỉnh,\n" * 20000),
    "nul": "ab\x00cd\n" * 10,
}

BYTES = {
    "binary": bytes(rng.randrange(256) for _ in range(4096)),
    "png_header": b"\x89PNG\r\n\x1a\n" + bytes(200),
    "latin1": "Quyết định số 12 ngày 1/1/2020 Café".encode("utf-16-le")[:0] + "Café crème brûlée".encode("latin-1"),
}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_parse_text_junk(name):
    record = parse_text(TEXTS[name])
    assert record.schema_version
    if not TEXTS[name].strip():
        assert any(w.code == "W006" for w in record.warnings)


def test_empty_gives_nulls_and_warning():
    record = parse_text("")
    assert record.header.number is None and record.header.date is None
    assert record.warnings


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_parse_file_junk_text(tmp_path, name):
    p = tmp_path / f"{name}.txt"
    p.write_text(TEXTS[name], encoding="utf-8")
    try:
        record = parse_file(p)
    except VnOfficialDocError as exc:  # e.g. NUL bytes read as binary: an error naming the file
        assert name == "nul" and str(p) in str(exc)
    else:
        assert record.source.path == str(p)


@pytest.mark.parametrize("name", sorted(BYTES))
def test_parse_file_junk_bytes(tmp_path, name):
    p = tmp_path / f"{name}.txt"
    p.write_bytes(BYTES[name])
    try:
        record = parse_file(p)
    except VnOfficialDocError as exc:
        assert exc.code.startswith("E1")
        assert str(p) in str(exc)
    else:  # a decoder may read it; then the record says what it is unsure of
        assert record.source.encoding


def test_binary_is_error(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(BYTES["png_header"])
    with pytest.raises(BinaryInputError):
        parse_file(p)


def test_missing_file_is_error(tmp_path):
    with pytest.raises(UnreadableFileError):
        parse_file(tmp_path / "nope.txt")


def test_folder_is_error(tmp_path):
    with pytest.raises(UnreadableFileError):
        parse_file(tmp_path)


def _cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "vn_officialdoc", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def test_cli_batch_goes_on(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "good.txt").write_text((SAMPLES / "S000.txt").read_text("utf-8"), "utf-8")
    (src / "sub" / "empty.txt").write_text("", "utf-8")
    (src / "bin.txt").write_bytes(BYTES["png_header"])
    (src / "z_last.txt").write_text((SAMPLES / "S003.txt").read_text("utf-8"), "utf-8")
    out = tmp_path / "out"
    r = _cli("parse", str(src), "--out", str(out), "--quiet")
    assert r.returncode == 1, r.stderr  # one file failed
    assert "bin.txt" in r.stderr
    good = json.loads((out / "good.json").read_text("utf-8"))
    assert good["source"]["path"].endswith("good.txt")
    assert json.loads((out / "z_last.json").read_text("utf-8"))["format"] in ("party", "state", "unknown")
    assert "error" in json.loads((out / "bin.json").read_text("utf-8"))
    assert (out / "sub" / "empty.json").exists()


def test_cli_all_good_exit_zero(tmp_path):
    r = _cli("parse", str(SAMPLES / "S000.txt"), "--jsonl", "-", "--quiet")
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout.splitlines()[0])
    assert rec["source"]["path"].endswith("S000.txt")


def test_cli_evaluate_junk(tmp_path):
    r = _cli("evaluate", str(tmp_path))
    assert r.returncode != 0 and "gold" in r.stderr
    (tmp_path / "X.gold.json").write_text("{not json", "utf-8")
    r = _cli("evaluate", str(tmp_path))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr


def test_cli_schema():
    r = _cli("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert "header" in schema["properties"]


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_annotate_text_junk(name):
    from vn_officialdoc import annotate_text

    letter = annotate_text(TEXTS[name])
    assert len(letter.lines) == TEXTS[name].count("\n") + 1
    for span in letter.spans:
        assert letter.text[span.start:span.end] == span.text


@pytest.mark.parametrize("name", sorted(BYTES))
def test_annotate_file_junk_bytes(tmp_path, name):
    from vn_officialdoc import annotate_file

    p = tmp_path / f"{name}.txt"
    p.write_bytes(BYTES[name])
    try:
        letter = annotate_file(p)
    except VnOfficialDocError as exc:
        assert str(p) in str(exc)
    else:
        assert letter.encoding
