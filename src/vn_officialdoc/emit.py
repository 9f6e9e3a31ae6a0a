"""Stage 6, emit: records and error entries as JSON, written atomically.

A record file is the record's JSON (UTF-8, two-space indent, keys in model order); an
error entry is ``{"source": {"path": ...}, "error": {"code", "type", "message"}}``. The
JSON Lines form of either is the same object on one line. Both forms are made from the
same dict, so a record read back from its file and dumped on one line is byte-identical
to the line a fresh parse writes.

File names that are not valid UTF-8 reach Python as lone surrogates; they are written
as JSON ``\\udcXX`` escapes, never as invalid UTF-8 and never as a crash.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import tempfile
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import OutputError
from .record import Record


def dumps(obj: Any, indent: int | None = 2) -> str:
    """The one JSON spelling used for every output (UTF-8 text, not ASCII escapes)."""
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def record_json(record: Record, indent: int | None = 2) -> str:
    if indent == 2:
        text = fast_record_json(record)
        if text is not None:
            return text
    return dumps(record.model_dump(mode="json"), indent=indent)


def fast_record_json(record: Record) -> str | None:
    """The record's file JSON (what ``dumps(record.model_dump(mode="json"))`` gives) made
    by pydantic's compiled serializer, 4-5 times faster; None when that serializer cannot
    give the same text (a lone surrogate from an undecodable file name, or a float Python
    would spell otherwise: the caller then takes the ``json`` path). Checked equal to the
    ``json`` spelling by tests/test_batch.py on every sample and dev record."""
    for c in record.corrections:
        score = c.score
        if score is not None and score != 0.0 and not 1e-4 <= abs(score) < 1e16:
            return None                   # '1e-05' and '1e+16' are spelt otherwise
    try:
        return record.model_dump_json(indent=2)
    except ValueError:                    # pydantic_core.PydanticSerializationError
        return None


def error_entry(path: str, code: str, error: str, message: str) -> dict[str, Any]:
    """The entry written for a file that produced no record."""
    return {"source": {"path": path}, "error": {"code": code, "type": error, "message": message}}


def is_error_entry(obj: Any) -> bool:
    return isinstance(obj, dict) and "error" in obj and "schema_version" not in obj


def encode(text: str) -> bytes:
    """UTF-8 bytes of ``text``; lone surrogates (undecodable file names) become ``\\udcXX``."""
    return text.encode("utf-8", "backslashreplace")


def write_line(stream: IO[bytes], text: str) -> None:
    stream.write(encode(text) + b"\n")


def output_relative(relative: str | os.PathLike, suffix: str = ".json") -> Path:
    """The output path (relative to the output folder) of an input's relative path.

    ``a/b.txt`` -> ``a/b.json``; raises :class:`OutputError` for any path that could leave
    the output folder (absolute, or with a ``..`` part).
    """
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or rel.name in ("", "."):
        raise OutputError(f"output path {str(rel)!r} would leave the output folder")
    return rel.with_suffix(suffix) if rel.suffix else rel.parent / (rel.name + suffix)


def safe_output_path(out_dir: Path, relative: str | os.PathLike, suffix: str = ".json",
                     folders: dict[str, bool] | None = None) -> Path:
    """``out_dir/relative`` with ``suffix``, refusing any path that leaves ``out_dir``.

    Symbolic links inside ``out_dir`` that point elsewhere are caught too: the target's
    real path must stay under the output folder's real path. A batch passes ``folders``, a
    dict it keeps for its run, so each output folder is resolved once, not once per file
    (the file itself is still checked: a link in its place is resolved).
    """
    target = Path(out_dir) / output_relative(relative, suffix)
    if folders is None:
        folders = {}
    parent = str(target.parent)
    inside = folders.get(parent)
    if inside is None:
        root = folders.get("") or os.path.realpath(out_dir)
        if len(folders) > 10_000:        # a batch of many folders: memory stays flat
            folders.clear()
        folders[""] = root
        inside = folders[parent] = _is_under(os.path.realpath(parent), root)
    if inside and os.path.islink(target):
        inside = _is_under(os.path.realpath(target), folders[""])
    if not inside:
        raise OutputError(f"output path {str(relative)!r} would leave the output folder")
    return target


def _is_under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


@contextlib.contextmanager
def atomic_target(path: Path, prefix: str = ".tmp-", suffix: str = "") -> Iterator[Path]:
    """Yield a temp path beside ``path``; on success rename it onto ``path``, on any
    failure remove it: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


#: folders this process has made (or found) for output files: ``atomic_write`` does not ask
#: the file system again for each of their files (forgotten when it grows large)
_folders: set[str] = set()
_temp_numbers = itertools.count()
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _open_temp(folder: str) -> tuple[int, str]:
    """A new temp file in ``folder`` (made if missing), opened for writing, mode 0600.

    Named from the process id and a counter, and created with ``O_EXCL`` (never an existing
    file or link); ``tempfile.mkstemp`` does the same with a random name, more slowly."""
    if folder not in _folders:
        os.makedirs(folder, exist_ok=True)
        if len(_folders) > 100_000:
            _folders.clear()
        _folders.add(folder)
    tmp = os.path.join(folder, f".tmp-{os.getpid()}-{next(_temp_numbers)}")
    try:
        return os.open(tmp, _NEW_FILE, 0o600), tmp
    except FileExistsError:          # a name left by another process: take a random one
        pass
    except FileNotFoundError:        # the folder went away since: make it again
        _folders.discard(folder)
        os.makedirs(folder, exist_ok=True)
    return tempfile.mkstemp(prefix=".tmp-", dir=folder)


def atomic_write(path: str | os.PathLike, text: str | bytes, *, durable: bool = True) -> None:
    """Write ``text`` to ``path`` through a temp file and a rename: never half a file.

    With ``durable`` the data is flushed to disk (fsync) before the rename, so the file is
    whole after a power cut too, not only after a killed process.
    """
    data = encode(text) if isinstance(text, str) else text
    path = os.fspath(path)
    fd, tmp = _open_temp(os.path.dirname(path) or ".")
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class AtomicFile:
    """A file written in pieces that appears at ``path`` only when closed without error."""

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.path.name}.tmp-", dir=self.path.parent)
        self.fh: IO[bytes] = os.fdopen(fd, "wb")

    def write(self, data: bytes) -> int:
        return self.fh.write(data)

    def flush(self) -> None:
        self.fh.flush()

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.fh.close()
        finally:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
