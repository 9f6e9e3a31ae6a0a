"""Stage 6, emit: records and error entries as JSON, written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .errors import OutputError
from .record import Record


def record_json(record: Record, indent: int | None = 2) -> str:
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=indent)


def error_entry(path: str, code: str, error: str, message: str) -> dict[str, Any]:
    """The entry written for a file that produced no record."""
    return {"source": {"path": path}, "error": {"code": code, "type": error, "message": message}}


def safe_output_path(out_dir: Path, relative: str | os.PathLike, suffix: str = ".json") -> Path:
    """``out_dir/relative`` with ``suffix``, refusing any path that leaves ``out_dir``."""
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts:
        raise OutputError(f"output path {str(rel)!r} would leave the output folder")
    target = (out_dir / rel).with_suffix(suffix) if rel.suffix else out_dir / (str(rel) + suffix)
    root = out_dir.resolve()
    if not target.resolve().is_relative_to(root):
        raise OutputError(f"output path {str(rel)!r} would leave the output folder")
    return target


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file and a rename: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
