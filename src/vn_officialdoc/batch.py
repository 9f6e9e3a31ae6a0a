"""Batches: find the letters under the given paths and parse each, never stopping.

Every input ends as a record or as an error entry naming the file and why; an error in
one file never stops the batch. :func:`run_batch` is the whole batch as a library call
(the ``parse`` command is a thin layer over it):

- inputs are found by :func:`discover` (streamed, sorted, recursive) and cut into chunks;
- the chunks run on an engine (this process, a local process pool, or Dask: see
  :mod:`.engines`), results come back in input order, so the outputs are byte-identical
  whatever the number of workers;
- with an output folder, a :class:`~.manifest.Manifest` records each input's content hash
  and outcome: a rerun skips what is done, redoes what changed, and a killed batch loses
  nothing and duplicates nothing; every file is written atomically;
- a :class:`Summary` counts ok + warned + failed = inputs, always, and is written to
  ``summary.json`` in the output folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import OutputError, TimeLimitError, VnOfficialDocError

log = logging.getLogger(__name__)

#: file name endings taken when a folder is given (scans are read by vn_officialdoc.ocr)
TEXT_SUFFIXES = (".txt", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".pdf")

#: the summary's file name in the output folder (no letter's record may take it)
SUMMARY_NAME = "summary.json"
#: letters per chunk sent to a worker
CHUNK_SIZE = 16
#: default time limit for one letter, in seconds (a text letter takes milliseconds; a
#: scanned PDF goes through OCR, which may take minutes)
DEFAULT_TIMEOUT = 600.0
#: at most this many failures are listed one by one in summary.json
MAX_LISTED_FAILURES = 1000


@dataclass
class Input:
    path: Path          # the file to read
    relative: Path      # its path relative to the folder given (mirrored in the output)
    error: dict | None = None  # set when the input could not even be listed (see discover)


@dataclass
class Outcome:
    input: Input
    record: object | None = None      # a Record
    error: dict | None = None         # an error entry's "error" part
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.error is not None:
            return "failed"
        return "warned" if getattr(self.record, "warnings", None) else "ok"


# -- finding the inputs ------------------------------------------------------------------

def _listing_error(given: Path, exc: OSError) -> Input:
    """An input for a folder under ``given`` that os.walk could not list."""
    bad = Path(exc.filename) if exc.filename else given
    try:
        rel = bad.relative_to(given)
    except ValueError:
        rel = Path(bad.name)
    if not rel.parts:  # the folder given itself
        rel = Path(given.resolve().name or "folder")
    why = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
    return Input(bad, rel, error={"code": "E101", "type": "UnreadableFileError",
                                  "message": f"cannot list folder: {why}"})


def discover(paths: Iterable[str | os.PathLike], suffixes: tuple[str, ...] = TEXT_SUFFIXES,
             exclude: Iterable[str | os.PathLike] = ()) -> Iterator[Input]:
    """Files given, and files with a taken ending under folders given (recursive, sorted).

    Nothing is lost silently: a sub-folder that cannot be listed and a link to a folder
    whose name has a taken ending become inputs carrying their error. Links to folders
    are not followed (no loops). Folders in ``exclude`` (the output folder) are skipped.
    """
    skip = {os.path.realpath(e) for e in exclude}
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            yield Input(p, Path(p.name or str(p)))
            continue
        failures: list[OSError] = []
        for root, dirs, files in os.walk(p, onerror=failures.append, followlinks=False):
            while failures:
                yield _listing_error(p, failures.pop(0))
            if skip and os.path.realpath(root) in skip:
                dirs[:] = []
                continue
            dirs.sort()
            for d in list(dirs):
                full = Path(root) / d
                if full.is_symlink():
                    dirs.remove(d)
                    if not d.startswith(".") and d.lower().endswith(suffixes):
                        yield Input(full, full.relative_to(p))  # its parse says: a folder
                    else:
                        log.info("not following the link to a folder %s", full)
            for name in sorted(files):
                if name.startswith(".") or not name.lower().endswith(suffixes):
                    continue
                if name.endswith(".gold.json"):
                    continue
                f = Path(root) / name
                yield Input(f, f.relative_to(p))
        while failures:  # the last folder, or the folder given, could not be listed
            yield _listing_error(p, failures.pop(0))


# -- parsing one input -------------------------------------------------------------------

@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise :class:`TimeLimitError` in the block after ``seconds`` (main thread only;
    elsewhere, e.g. in a Dask worker thread, the grammar's own match timeout still holds)."""
    if (not seconds or seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()):
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeLimitError(f"parsing took more than {seconds:g} s (a slow pattern?); "
                             "please report this file")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_one(item: Input, encoding: str | None = None, timeout: float | None = None) -> Outcome:
    """Parse one input into an Outcome: a record, or an error naming why. Never raises
    (except KeyboardInterrupt/SystemExit)."""
    if item.error is not None:
        return Outcome(item, error=dict(item.error))
    from .pipeline import parse_file

    start = time.perf_counter()
    try:
        with time_limit(timeout):
            outcome = Outcome(item, record=parse_file(item.path, encoding=encoding))
    except VnOfficialDocError as exc:
        outcome = Outcome(item, error={"code": exc.code, "type": type(exc).__name__,
                                       "message": exc.message})
    except TimeoutError as exc:  # a grammar pattern ran over its own time limit
        outcome = Outcome(item, error={"code": TimeLimitError.code, "type": "TimeoutError",
                                       "message": f"a pattern ran over its time limit: {exc}"})
    except RecursionError as exc:  # pathological nesting: an error entry, not a crash
        outcome = Outcome(item, error={"code": "E900", "type": "RecursionError",
                                       "message": str(exc)})
    except MemoryError:
        outcome = Outcome(item, error={"code": "E902", "type": "MemoryError",
                                       "message": "out of memory on this file"})
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the batch; it is logged
        log.exception("internal error on %s", item.path)
        outcome = Outcome(item, error={"code": "E999", "type": type(exc).__name__,
                                       "message": f"internal error: {exc}"})
    outcome.seconds = time.perf_counter() - start
    return outcome


@dataclass
class Result:
    """What a worker sends back for one input: small, picklable, already serialized."""

    status: str                      # ok | warned | failed
    text: str                        # the output file's JSON
    line: str | None                 # the JSON Lines form (when asked for)
    warnings: tuple[str, ...] = ()   # warning codes
    error: dict | None = None
    seconds: float = 0.0
    sha256: str | None = None        # of the input bytes the record was made from


def render(outcome: Outcome, with_line: bool = True) -> Result:
    """Serialize an Outcome: the record's JSON, or the error entry's."""
    from .emit import dumps, error_entry, fast_record_json

    if outcome.record is not None:
        record = outcome.record
        codes = tuple(w.code for w in record.warnings)  # type: ignore[attr-defined]
        sha256 = record.source.sha256  # type: ignore[attr-defined]
        text = fast_record_json(record)
        if text is not None and not with_line:
            return Result(outcome.status, text, None, codes, outcome.error, outcome.seconds,
                          sha256)
        obj = record.model_dump(mode="json")  # type: ignore[attr-defined]
        return Result(outcome.status, text if text is not None else dumps(obj),
                      dumps(obj, indent=None) if with_line else None,
                      codes, outcome.error, outcome.seconds, sha256)
    else:
        e = outcome.error or {}
        obj = error_entry(str(outcome.input.path), e.get("code", "E999"),
                          e.get("type", "Error"), e.get("message", ""))
        codes = ()
    return Result(outcome.status, dumps(obj), dumps(obj, indent=None) if with_line else None,
                  codes, outcome.error, outcome.seconds)


@dataclass
class ChunkTask:
    items: list[Input]
    encoding: str | None = None
    timeout: float | None = DEFAULT_TIMEOUT
    with_line: bool = False


def split_chunk(task: ChunkTask) -> list[ChunkTask]:
    """One task per letter (to find the one that kills its worker)."""
    return [ChunkTask([item], task.encoding, task.timeout, task.with_line)
            for item in task.items]


def join_chunks(results: list[list[Result]]) -> list[Result]:
    return [r for part in results for r in part]


def lost_chunk(task: ChunkTask, exc: BaseException) -> list[Result]:
    """Error entries for the letters of a chunk whose worker died (crash, out of memory)."""
    why = ("the worker process died while parsing this file (a crash or out of memory): "
           f"{type(exc).__name__}")
    return [render(Outcome(item, error={"code": "E903", "type": "WorkerLostError",
                                        "message": why}), task.with_line)
            for item in task.items]


def process_chunk(task: ChunkTask) -> list[Result]:
    """The worker's job: parse and serialize every input of a chunk, in order."""
    results = []
    for item in task.items:
        outcome = parse_one(item, encoding=task.encoding, timeout=task.timeout)
        try:
            results.append(render(outcome, task.with_line))
        except Exception as exc:  # noqa: BLE001 - a record that does not serialize is a bug
            log.exception("cannot serialize the record of %s", item.path)
            bad = Outcome(item, error={"code": "E999", "type": type(exc).__name__,
                                       "message": f"internal error: {exc}"})
            results.append(render(bad, task.with_line))
    return results


# -- the batch -----------------------------------------------------------------------------

@dataclass
class BatchOptions:
    out: Path | None = None          # output folder (records, manifest, summary.json)
    jsonl: str | None = None         # JSON Lines file, or '-' for stdout
    jobs: int = 0                    # worker processes; 0 = all cores
    engine: str = "local"            # local | dask
    scheduler: str | None = None     # dask scheduler address (None: a LocalCluster)
    force: bool = False              # redo every input, ignoring the manifest
    encoding: str | None = None      # force the input encoding
    timeout: float | None = DEFAULT_TIMEOUT  # per letter, seconds (0/None: no limit)
    chunk_size: int = CHUNK_SIZE
    suffixes: tuple[str, ...] = TEXT_SUFFIXES


@dataclass
class Summary:
    inputs: int = 0
    ok: int = 0
    warned: int = 0
    failed: int = 0
    skipped: int = 0                 # already done in an earlier run (counted in ok/warned)
    warning_codes: Counter = field(default_factory=Counter)
    failures: list[dict] = field(default_factory=list)
    error_codes: Counter = field(default_factory=Counter)
    pipeline: str = ""
    engine: str = ""
    workers: int = 1
    elapsed: float = 0.0
    parse_seconds: float = 0.0

    def count(self, status: str) -> None:
        self.inputs += 1
        setattr(self, status, getattr(self, status) + 1)

    @property
    def parsed(self) -> int:
        return self.inputs - self.skipped

    @property
    def rate(self) -> float:
        return self.parsed / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict:
        """summary.json: counts first (the same for any --jobs), then how the run went."""
        return {
            "inputs": self.inputs, "ok": self.ok, "warned": self.warned,
            "failed": self.failed,
            "skipped": self.skipped, "parsed": self.parsed,
            "pipeline": self.pipeline,
            "warnings_by_code": dict(sorted(self.warning_codes.items())),
            "errors_by_code": dict(sorted(self.error_codes.items())),
            "failures": self.failures,
            "failures_listed": len(self.failures),
            "run": {"engine": self.engine, "workers": self.workers,
                    "elapsed_s": round(self.elapsed, 3),
                    "letters_per_s": round(self.rate, 1),
                    "parse_cpu_s": round(self.parse_seconds, 3)},
        }


class Progress:
    """What the batch tells while it runs; the CLI passes a richer one (see progress.py)."""

    def start(self, total: int | None) -> None: ...
    def advance(self, summary: Summary) -> None: ...
    def error(self, path: str, code: str, message: str) -> None:
        log.warning("%s: [%s] %s", path, code, message)
    def stop(self, summary: Summary) -> None: ...


@dataclass
class _Entry:
    """One input on its way through the batch (in input order)."""

    item: Input
    key: str                    # absolute path: the manifest key
    output: Path | None         # relative output path
    sha256: str | None = None
    skip: Any = None            # the manifest Row when already done
    line: str | None = None     # the JSON Lines form of a skipped record
    error: dict | None = None   # an output error found while planning
    res: Any = None             # the worker's Result, once back


class _DiskSet:
    """A set of short byte keys kept in a temporary SQLite database (its own file, removed
    when closed), so that planning a batch of millions of letters holds no key in memory:
    the batch's memory stays flat however many letters it has."""

    def __init__(self) -> None:
        import sqlite3

        self.db = sqlite3.connect("", isolation_level=None)   # "": a private temp file
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE k (key BLOB PRIMARY KEY) WITHOUT ROWID")

    def add(self, key: bytes) -> bool:
        """Add ``key``; True when it was not there yet."""
        return self.db.execute("INSERT OR IGNORE INTO k VALUES (?)", (key,)).rowcount == 1

    def __contains__(self, key: bytes) -> bool:
        return self.db.execute("SELECT 1 FROM k WHERE key=?", (key,)).fetchone() is not None

    def close(self) -> None:
        self.db.close()


def _digest(s: str) -> bytes:
    return hashlib.blake2b(s.encode("utf-8", "surrogatepass"), digest_size=8).digest()


class _Planner:
    """Turns discovered inputs into entries: dedupes inputs, gives each a free output
    path, and decides from the manifest what is already done."""

    def __init__(self, opts: BatchOptions, manifest: Any, pipeline: str, options_key: str):
        self.opts = opts
        self.manifest = manifest
        self.pipeline = pipeline
        self.options_key = options_key
        self.seen = _DiskSet()                 # inputs already planned
        self.claimed = _DiskSet()              # output names already given
        self.claimed.add(_digest(SUMMARY_NAME))
        self.folders: dict[str, bool] = {}     # output folders checked (safe_output_path)

    def close(self) -> None:
        self.seen.close()
        self.claimed.close()

    def _claim(self, relative: Path) -> Path:
        from .emit import output_relative

        out = output_relative(relative)
        if _digest(str(out)) in self.claimed:      # a.txt and a.pdf, or summary.txt
            base = relative.parent / (relative.name + ".json")
            out, n = base, 2
            while _digest(str(out)) in self.claimed:
                out = relative.parent / f"{relative.name}~{n}.json"
                n += 1
        self.claimed.add(_digest(str(out)))
        return out

    def entries(self, items: Iterable[Input]) -> Iterator[_Entry]:
        from .emit import safe_output_path
        from .manifest import file_sha256
        from .read import MAX_BYTES

        out_dir = self.opts.out
        for item in items:
            key = os.path.abspath(item.path)
            if not self.seen.add(_digest(key)):
                log.info("%s is given twice; parsed once", item.path)
                continue
            entry = _Entry(item, key, None)
            if out_dir is None:
                yield entry
                continue
            try:
                entry.output = self._claim(item.relative)
                safe_output_path(out_dir, entry.output, folders=self.folders)
            except (OutputError, ValueError, OSError) as exc:
                entry.output = None
                entry.error = {"code": OutputError.code, "type": "OutputError",
                               "message": getattr(exc, "message", str(exc))}
                yield entry
                continue
            # the file is hashed here only when an earlier run may have done it; otherwise
            # the worker hashes the bytes it reads (Result.sha256): each file is read once
            row = (self.manifest.get(key) if self.manifest is not None and not self.opts.force
                   and item.error is None else None)
            if (row is not None and row.pipeline == self.pipeline
                    and row.options == self.options_key
                    and row.status in ("ok", "warned") and row.output == str(entry.output)):
                entry.sha256 = file_sha256(item.path, MAX_BYTES)
                if entry.sha256 is not None and row.sha256 == entry.sha256:
                    entry.skip = self._check_done(out_dir / entry.output, row)
                    if entry.skip is not None and self.opts.jsonl:
                        entry.line, entry.skip = self._line_of(out_dir / entry.output, row)
            yield entry

    @staticmethod
    def _check_done(path: Path, row: Any) -> Any:
        return row if path.is_file() else None

    @staticmethod
    def _line_of(path: Path, row: Any) -> tuple[str | None, Any]:
        from .emit import dumps

        try:
            return dumps(json.loads(path.read_text("utf-8")), indent=None), row
        except (OSError, ValueError):
            return None, None  # unreadable or damaged output: redo the letter


def _chunks(entries: Iterator[_Entry], size: int) -> Iterator[list[_Entry]]:
    chunk: list[_Entry] = []
    for e in entries:
        chunk.append(e)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sweep_temp_files(out: Path) -> None:
    """Remove temp files a killed run left in the output folder."""
    for root, _dirs, files in os.walk(out):
        for name in files:
            if name.startswith(".tmp-"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(root, name))


class OutputLockedError(VnOfficialDocError):
    """Another batch is writing to the same output folder."""

    code = OutputError.code


@contextlib.contextmanager
def _lock(out: Path):
    import fcntl

    fh = open(out / ".vn-officialdoc.lock", "w")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputLockedError(f"another batch is writing to {out}; wait for it to end "
                                    "or give another --out folder", path=str(out)) from None
        yield
    finally:
        fh.close()


def run_batch(paths: Iterable[str | os.PathLike], opts: BatchOptions,
              progress: Progress | None = None, argv: str = "") -> Summary:
    """Parse every letter under ``paths``; write records, error entries, JSON Lines,
    the manifest and summary.json as ``opts`` says. Returns the Summary."""
    from .emit import AtomicFile, atomic_write, write_line
    from .engines import InlineEngine, make_engine
    from .grammar import load_grammar
    from .manifest import Manifest, Row, pipeline_fingerprint

    load_grammar()  # a broken grammar stops the batch here, not once per letter
    progress = progress or Progress()
    started = time.perf_counter()
    summary = Summary()
    summary.pipeline = pipeline = pipeline_fingerprint()
    options_key = f"encoding={opts.encoding or ''}"
    paths = list(paths)
    out = Path(opts.out) if opts.out is not None else None
    with contextlib.ExitStack() as stack:
        manifest = None
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            stack.enter_context(_lock(out))
            manifest = stack.enter_context(Manifest(out))
            if manifest.last_run_unfinished():
                _sweep_temp_files(out)
            manifest.start_run(pipeline, argv)
        stream = None
        if opts.jsonl == "-":
            import sys

            stream = sys.stdout.buffer
        elif opts.jsonl:
            stream = AtomicFile(opts.jsonl)
        exclude = [out] if out is not None else []

        def items() -> Iterator[Input]:
            return discover(paths, opts.suffixes, exclude=exclude)

        total = None
        if getattr(progress, "wants_total", False):
            total = sum(1 for _ in items())
        planner = _Planner(opts, manifest, pipeline, options_key)
        stack.callback(planner.close)
        chunks = _chunks(planner.entries(items()), max(1, opts.chunk_size))
        first = next(chunks, None)
        second = next(chunks, None) if first is not None else None
        if second is None:  # one chunk: a pool would only cost its start-up time
            engine = InlineEngine()
        else:
            engine = make_engine(opts.engine, opts.jobs, opts.scheduler)
        stack.enter_context(engine)
        summary.engine, summary.workers = engine.name, engine.workers

        def all_chunks() -> Iterator[list[_Entry]]:
            if first is not None:
                yield first
            if second is not None:
                yield second
            yield from chunks

        pending: list[list[_Entry]] = []

        def tasks() -> Iterator[ChunkTask | None]:
            for chunk in all_chunks():
                pending.append(chunk)
                todo = [e.item for e in chunk if e.skip is None and e.error is None]
                yield (ChunkTask(todo, opts.encoding, opts.timeout, stream is not None)
                       if todo else None)

        progress.start(total)
        stream_ok = True
        try:
            for results in engine.map(process_chunk, tasks(), split=split_chunk,
                                      failed=lost_chunk, join=join_chunks):
                chunk = pending.pop(0)
                it = iter(results or ())
                rows = []
                for e in chunk:
                    if e.skip is not None:
                        res = None
                    elif e.error is not None:
                        res = render(Outcome(e.item, error=e.error), stream is not None)
                    else:
                        res = next(it)
                    e.res = res
                    row = _finish(e, res, out, summary, progress, pipeline, options_key,
                                  atomic_write, Row)
                    if row is not None:
                        rows.append(row)
                if manifest is not None and rows:
                    # group commit: the chunk's files reach the disk together (one sync,
                    # not one fsync per file), then their manifest rows are written
                    _sync_files()
                    for row in rows:
                        manifest.put(row)
                for e in chunk:
                    if stream is not None and stream_ok:
                        line = e.line if e.res is None else e.res.line
                        try:
                            write_line(stream, line or "")
                        except BrokenPipeError:  # e.g. `... --jsonl - | head`
                            stream_ok = False
                progress.advance(summary)
                if not stream_ok and out is None:
                    log.info("the JSON Lines reader went away; stopping")
                    break
            if isinstance(stream, AtomicFile):
                stream.commit()
            elif stream is not None and stream_ok:
                with contextlib.suppress(BrokenPipeError):
                    stream.flush()
        except BaseException:
            if isinstance(stream, AtomicFile):
                stream.abort()
            raise
        finally:
            summary.elapsed = time.perf_counter() - started
            progress.stop(summary)
        if manifest is not None:
            manifest.finish_run(summary.inputs, summary.ok, summary.warned, summary.failed,
                                summary.skipped)
        if out is not None:
            atomic_write(out / SUMMARY_NAME, json.dumps(summary.to_dict(), ensure_ascii=False,
                                                       indent=2) + "\n")
    return summary


def _sync_files() -> None:
    """Flush written files to the disk (one call for a chunk of files)."""
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()


def _finish(e: _Entry, res: Result | None, out: Path | None, summary: Summary,
            progress: Progress, pipeline: str, options_key: str,
            atomic_write: Callable, Row: Any) -> Any:
    """Write one input's output (atomically; made durable by the caller's sync) and count
    it. Returns its manifest row, for the caller to put once the file is on disk."""
    if res is None:  # done in an earlier run
        row = e.skip
        summary.count(row.status)
        summary.skipped += 1
        summary.warning_codes.update(row.warnings.split())
        return None
    status, error = res.status, res.error
    if out is not None and e.output is not None:
        try:
            atomic_write(out / e.output, res.text + "\n", durable=False)
        except OSError as exc:
            status, error = "failed", {"code": OutputError.code, "type": "OutputError",
                                       "message": f"cannot write {e.output}: "
                                                  f"{exc.strerror or exc}"}
    summary.count(status)
    summary.parse_seconds += res.seconds
    summary.warning_codes.update(res.warnings)
    if error is not None:
        summary.error_codes[error.get("code", "E999")] += 1
        if len(summary.failures) < MAX_LISTED_FAILURES:
            summary.failures.append({"path": str(e.item.path), "code": error.get("code"),
                                     "type": error.get("type"), "message": error.get("message")})
        progress.error(str(e.item.path), str(error.get("code")), str(error.get("message")))
    sha256 = res.sha256 or e.sha256
    if sha256 is None and e.item.error is None and out is not None:  # no record: hash here
        from .manifest import file_sha256
        from .read import MAX_BYTES

        sha256 = file_sha256(e.item.path, MAX_BYTES)
    return Row(e.key, sha256, pipeline, options_key,
               str(e.output) if e.output is not None else None, status,
               (error or {}).get("code"), (error or {}).get("message"), " ".join(res.warnings))
