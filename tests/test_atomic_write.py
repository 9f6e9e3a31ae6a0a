"""emit.atomic_write: a temp file and a rename, never half a file, never a stray temp file."""

from __future__ import annotations

import itertools
import os
import shutil
import stat
from pathlib import Path

import pytest

from vn_officialdoc import emit


def test_writes_whole_file_and_leaves_no_temp(tmp_path: Path):
    target = tmp_path / "box" / "a.json"  # the folder is made
    emit.atomic_write(target, "Số 234-CV/BDVTU\n", durable=False)
    assert target.read_text("utf-8") == "Số 234-CV/BDVTU\n"
    emit.atomic_write(target, b"x" * 200_000)  # replaces, durable
    assert target.read_bytes() == b"x" * 200_000
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.json"]
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0  # 0600 like mkstemp's


def test_a_name_taken_by_another_file_is_not_touched(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(emit, "_temp_numbers", itertools.count(7))
    taken = tmp_path / f".tmp-{os.getpid()}-7"
    taken.write_text("someone else's", "utf-8")
    emit.atomic_write(tmp_path / "a.json", "mine", durable=False)
    assert (tmp_path / "a.json").read_text("utf-8") == "mine"
    assert taken.read_text("utf-8") == "someone else's"
    assert len(list(tmp_path.iterdir())) == 2


def test_a_link_on_the_temp_name_is_not_followed(tmp_path: Path, monkeypatch):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(emit, "_temp_numbers", itertools.count(3))
    (out / f".tmp-{os.getpid()}-3").symlink_to(outside)
    emit.atomic_write(out / "a.json", "mine", durable=False)
    assert outside.read_text("utf-8") == "keep"
    assert (out / "a.json").read_text("utf-8") == "mine"


def test_a_folder_removed_after_use_is_made_again(tmp_path: Path):
    folder = tmp_path / "box"
    emit.atomic_write(folder / "a.json", "1", durable=False)
    shutil.rmtree(folder)
    emit.atomic_write(folder / "b.json", "2", durable=False)
    assert (folder / "b.json").read_text("utf-8") == "2"


def test_a_failed_rename_removes_the_temp_file(tmp_path: Path):
    target = tmp_path / "a.json"
    target.mkdir()  # a folder in the way: the rename fails
    (target / "x").write_text("", "utf-8")
    with pytest.raises(OSError):
        emit.atomic_write(target, "data", durable=False)
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]
