"""Batches: find the letters under the given paths and parse each, never stopping.

Every input ends as a record or as an error entry naming the file and why; an error in
one file never stops the batch.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import VnOfficialDocError

log = logging.getLogger(__name__)

#: file name endings taken when a folder is given
TEXT_SUFFIXES = (".txt",)


@dataclass
class Input:
    path: Path          # the file to read
    relative: Path      # its path relative to the folder given (mirrored in the output)


@dataclass
class Outcome:
    input: Input
    record: object | None = None      # a Record
    error: dict | None = None         # an error entry's "error" part

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "warned" if getattr(self.record, "warnings", None) else "ok"


def discover(paths: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = TEXT_SUFFIXES
             ) -> Iterator[Input]:
    """Files given, and files with a taken ending under folders given (recursive, sorted)."""
    for given in paths:
        p = Path(given)
        if p.is_dir():
            for root, dirs, files in os.walk(p, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    f = Path(root) / name
                    if name.startswith(".") or not name.lower().endswith(suffixes):
                        continue
                    if name.endswith(".gold.json"):
                        continue
                    yield Input(f, f.relative_to(p))
        else:
            yield Input(p, Path(p.name))


def parse_one(item: Input, encoding: str | None = None) -> Outcome:
    from .pipeline import parse_file

    try:
        return Outcome(item, record=parse_file(item.path, encoding=encoding))
    except VnOfficialDocError as exc:
        return Outcome(item, error={"code": exc.code, "type": type(exc).__name__,
                                    "message": exc.message})
    except RecursionError as exc:  # pathological nesting: an error entry, not a crash
        return Outcome(item, error={"code": "E900", "type": "RecursionError", "message": str(exc)})
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch; it is logged
        log.exception("internal error on %s", item.path)
        return Outcome(item, error={"code": "E999", "type": type(exc).__name__,
                                    "message": f"internal error: {exc}"})
