"""The batch manifest: an SQLite file in the output folder that makes batches resumable.

One row per input, keyed by the input's absolute path, holding the SHA-256 of the bytes
that were parsed, the pipeline fingerprint and the options that change a record
(``--encoding``), the output file and the outcome. A rerun skips an input whose row
matches all of these and whose output file is still there; anything else is redone.

Crash safety: an output file is renamed into place *before* its row is written, and rows
are committed in small transactions (WAL journal). A batch killed with SIGKILL therefore
leaves, for each input, either a committed row with its whole output file, or no row (the
input is redone on the next run and its output overwritten, never duplicated).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: file name of the manifest inside the output folder
MANIFEST_NAME = "manifest.sqlite"
#: bumped when the table layout changes; an older manifest is then started afresh
MANIFEST_FORMAT = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
    path TEXT PRIMARY KEY,          -- absolute input path
    sha256 TEXT,                    -- of the input bytes when it was parsed (NULL: unreadable)
    pipeline TEXT NOT NULL,         -- pipeline fingerprint (version + grammars + code)
    options TEXT NOT NULL,          -- options that change a record (e.g. encoding=cp1258)
    output TEXT,                    -- output file, relative to the output folder
    status TEXT NOT NULL,           -- ok | warned | failed
    code TEXT,                      -- error code when failed
    message TEXT,                   -- error message when failed
    warnings TEXT NOT NULL DEFAULT '',  -- warning codes, space separated
    run INTEGER,
    updated REAL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL, finished REAL, pipeline TEXT, argv TEXT,
    inputs INTEGER, ok INTEGER, warned INTEGER, failed INTEGER, skipped INTEGER
);
"""


@dataclass(frozen=True)
class Row:
    path: str
    sha256: str | None
    pipeline: str
    options: str
    output: str | None
    status: str
    code: str | None
    message: str | None
    warnings: str


#: modules of the package that do not change what a record holds (left out of the digest)
_NOT_IN_RECORDS = frozenset({"__main__", "cli", "progress", "engines", "manifest", "export",
                             "evaluate", "review"})


@functools.lru_cache(maxsize=1)
def pipeline_fingerprint() -> str:
    """``VERSION+DIGEST``: the package version and a digest of the grammars and the code.

    A record depends on both; hashing them means a changed grammar or extractor redoes the
    letters even when nobody bumped the version.
    """
    from . import __version__
    from .grammar import grammar_root

    h = hashlib.sha256()
    package = Path(__file__).resolve().parent
    try:
        grammars = sorted(grammar_root().glob("*.yaml"))
    except Exception:  # noqa: BLE001 - no grammar: the pipeline itself will report it
        grammars = []
    for f in sorted(package.rglob("*.py")) + grammars:
        if f.parent == package and f.stem in _NOT_IN_RECORDS:
            continue
        try:
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
        except OSError:
            continue
    return f"{__version__}+{h.hexdigest()[:12]}"


def file_sha256(path: str | os.PathLike, max_bytes: int | None = None) -> str | None:
    """SHA-256 of a regular file's bytes; None when it cannot be read (the parse says why)."""
    try:
        st = os.stat(path)
        if not _is_regular(st.st_mode) or (max_bytes is not None and st.st_size > max_bytes):
            return None
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except (OSError, ValueError):
        return None


def _is_regular(mode: int) -> bool:
    import stat

    return stat.S_ISREG(mode)


class Manifest:
    """The manifest of one output folder. Use as a context manager; one writer at a time."""

    def __init__(self, out_dir: str | os.PathLike, *, commit_every: float = 1.0,
                 commit_rows: int = 500) -> None:
        self.path = Path(out_dir) / MANIFEST_NAME
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self._check_format()
        self.db.executescript(_SCHEMA)
        self.db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (MANIFEST_FORMAT,))
        self.commit_every = commit_every
        self.commit_rows = commit_rows
        self._pending = 0
        self._last_commit = time.monotonic()
        self.run_id: int | None = None

    def _check_format(self) -> None:
        try:
            got = self.db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
        except sqlite3.OperationalError:
            return  # a new manifest
        if got and got[0] != MANIFEST_FORMAT:
            log.warning("manifest %s has format %s, not %s: starting a new one",
                        self.path, got[0], MANIFEST_FORMAT)
            self.db.executescript("DROP TABLE IF EXISTS letters; DROP TABLE IF EXISTS runs;"
                                  "DROP TABLE IF EXISTS meta;")

    # -- runs ---------------------------------------------------------------------------
    def last_run_unfinished(self) -> bool:
        row = self.db.execute("SELECT finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        return row is not None and row[0] is None

    def start_run(self, pipeline: str, argv: str = "") -> int:
        cur = self.db.execute("INSERT INTO runs (started, pipeline, argv) VALUES (?, ?, ?)",
                              (time.time(), pipeline, argv))
        self.run_id = int(cur.lastrowid)
        return self.run_id

    def finish_run(self, inputs: int, ok: int, warned: int, failed: int, skipped: int) -> None:
        self.commit()
        self.db.execute("UPDATE runs SET finished=?, inputs=?, ok=?, warned=?, failed=?, "
                        "skipped=? WHERE id=?",
                        (time.time(), inputs, ok, warned, failed, skipped, self.run_id))

    # -- letters ------------------------------------------------------------------------
    def get(self, path: str) -> Row | None:
        r = self.db.execute("SELECT path, sha256, pipeline, options, output, status, code, "
                            "message, warnings FROM letters WHERE path=?", (path,)).fetchone()
        return Row(*r) if r else None

    def put(self, row: Row) -> None:
        if self._pending == 0:
            self.db.execute("BEGIN")
        self.db.execute(
            "INSERT OR REPLACE INTO letters (path, sha256, pipeline, options, output, status, "
            "code, message, warnings, run, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (row.path, row.sha256, row.pipeline, row.options, row.output, row.status, row.code,
             row.message, row.warnings, self.run_id, time.time()))
        self._pending += 1
        if (self._pending >= self.commit_rows
                or time.monotonic() - self._last_commit >= self.commit_every):
            self.commit()

    def commit(self) -> None:
        if self._pending:
            self.db.execute("COMMIT")
            self._pending = 0
        self._last_commit = time.monotonic()

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM letters").fetchone()[0])

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self.db.close()

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
