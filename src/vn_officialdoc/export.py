"""Exports: records (a parse output folder or a JSON Lines file) as a table, via pandas.

Two profiles:

- ``catalogue``: the archive catalogue, one row per letter, columns in the order
  archivists list a văn bản, with Vietnamese headers (or their English tags); the columns
  are data, in ``grammars/catalogue.yaml``;
- ``full``: every field of the record flattened to dotted English paths, lists as JSON.

Formats: CSV (UTF-8 with a BOM, so Excel opens it right), XLSX (frozen header row),
Parquet (pyarrow) and JSON Lines. Error entries are exported too, with status ``failed``
and the reason in the error column. pandas is imported only here, only when exporting.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from .emit import atomic_target
from .errors import VnOfficialDocError

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx", "parquet", "jsonl")
PROFILES = ("catalogue", "full")
HEADERS = ("vi", "en")
#: rows per piece written for the streaming formats (csv, jsonl, parquet)
ROWS_PER_PIECE = 5000
#: the most rows a worksheet holds (Excel's limit, less the header row)
XLSX_MAX_ROWS = 1_048_575
LIST_SEPARATOR = " | "


class ExportError(VnOfficialDocError):
    """The records cannot be exported (missing extra, nothing to export, too many rows)."""

    code = "E410"


@dataclass(frozen=True)
class Column:
    tag: str        # English tag
    vi: str         # Vietnamese header
    path: str | None
    kind: str
    key: str | None = None


def catalogue_columns() -> list[Column]:
    """The catalogue profile's columns, from grammars/catalogue.yaml."""
    from .grammar import load_grammar

    cols = []
    for rule in load_grammar().rules("catalogue"):
        v = rule.value if isinstance(rule.value, dict) else {}
        cols.append(Column(rule.id, str(v.get("vi") or rule.id), v.get("path"),  # type: ignore[arg-type]
                           str(v.get("kind") or "text"), v.get("key")))  # type: ignore[arg-type]
    return cols


# -- reading records ---------------------------------------------------------------------

def iter_records(source: str | os.PathLike) -> Iterator[dict]:
    """Records and error entries of a parse output folder (sorted, as parse wrote them)
    or of a JSON Lines file. Other JSON files (summary.json) are passed over."""
    src = Path(source)
    if src.is_file():
        with open(src, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    log.warning("%s line %d is not JSON; passed over", src, n)
                    continue
                if _is_entry(obj):
                    yield obj
        return
    if not src.is_dir():
        raise ExportError(f"{src} is neither a folder of records nor a JSON Lines file",
                          path=str(src))
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".json"):
                continue
            f = Path(root) / name
            try:
                obj = json.loads(f.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("%s cannot be read as JSON (%s); passed over", f, exc)
                continue
            if _is_entry(obj):
                yield obj


def _is_entry(obj: Any) -> bool:
    return isinstance(obj, dict) and ("schema_version" in obj or "error" in obj) and "source" in obj


# -- rows --------------------------------------------------------------------------------

def _get(obj: Any, path: str | None) -> Any:
    if not path:
        return None
    for part in path.split("."):
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def _date_parts(iso: Any) -> tuple[int, int, int] | None:
    if not isinstance(iso, str):
        return None
    try:
        y, m, d = (int(x) for x in iso[:10].split("-"))
    except ValueError:
        return None
    return y, m, d


def status_of(obj: dict) -> str:
    if "error" in obj and "schema_version" not in obj:
        return "failed"
    return "warned" if obj.get("warnings") else "ok"


def format_warnings(warnings: Iterable[dict]) -> str:
    return LIST_SEPARATOR.join(f"{w.get('code')} {w.get('field')}: {w.get('message')}"
                               for w in warnings or ())


def format_error(error: dict | None) -> str | None:
    if not error:
        return None
    return f"{error.get('code')} {error.get('type')}: {error.get('message')}"


def cell(col: Column, obj: dict, seq: int) -> Any:
    """The value of one catalogue column for one record or error entry."""
    kind = col.kind
    if kind == "seq":
        return seq
    if kind == "status":
        return status_of(obj)
    if kind == "error":
        return format_error(obj.get("error") if status_of(obj) == "failed" else None)
    if kind == "warnings":
        return format_warnings(obj.get("warnings") or []) or None
    value = _get(obj, col.path)
    if kind == "text":
        return None if value is None or value == "" else (
            value if isinstance(value, (str, int, float, bool)) else json.dumps(value, ensure_ascii=False))
    if kind == "join":
        items = value or []
        parts = [(_get(i, col.key) if col.key else i) for i in items]
        return LIST_SEPARATOR.join(str(p) for p in parts if p not in (None, "")) or None
    if kind in ("date", "day", "month", "year"):
        parts = _date_parts(value)
        if parts is None:
            return None
        y, m, d = parts
        return {"date": f"{d:02d}/{m:02d}/{y:04d}", "day": d, "month": m, "year": y}[kind]
    raise ExportError(f"catalogue column {col.tag!r} has an unknown kind {kind!r}")


def flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    """``{'header': {'number': '1'}}`` -> ``{'header.number': '1'}``; lists stay JSON."""
    out: dict[str, Any] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            key = f"{prefix}.{k}" if prefix else str(k)
            if isinstance(v, dict) and v:
                out.update(flatten(v, key))
            elif isinstance(v, (list, dict)):
                out[key] = json.dumps(v, ensure_ascii=False) if v else None
            else:
                out[key] = v
    return out


def _clean(value: Any, xlsx: bool) -> Any:
    """Strings that every format can store: undecodable file names (lone surrogates)
    become \\udcXX escapes; for XLSX, control characters it refuses become U+FFFD."""
    if not isinstance(value, str):
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "backslashreplace").decode("utf-8")
    if xlsx:
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


# -- writing -------------------------------------------------------------------------------

def _pandas():
    try:
        import pandas as pd
    except ImportError as exc:
        raise ExportError("exports need the export extra: pip install 'vn_officialdoc[export]'"
                          ) from exc
    return pd


def _frames(records: Iterable[dict], profile: str, headers: str, xlsx: bool,
            rows_per_piece: int) -> Iterator[Any]:
    """DataFrames of at most ``rows_per_piece`` rows, with the same columns and dtypes."""
    pd = _pandas()
    if profile == "catalogue":
        cols = catalogue_columns()
        names = [c.vi if headers == "vi" else c.tag for c in cols]
        ints = {n for c, n in zip(cols, names) if c.kind in ("seq", "day", "month", "year")}
        batch: list[list[Any]] = []
        seq = 0
        for obj in records:
            seq += 1
            batch.append([_clean(cell(c, obj, seq), xlsx) for c in cols])
            if len(batch) >= rows_per_piece:
                yield _typed(pd, batch, names, ints)
                batch = []
        if batch or seq == 0:
            yield _typed(pd, batch, names, ints)
        return
    # full: the columns are the union of every record's paths, so read all rows first
    rows = [{k: _clean(v, xlsx) for k, v in {"status": status_of(o), **flatten(o)}.items()}
            for o in records]
    names = list(dict.fromkeys(k for r in rows for k in r))
    frame = pd.DataFrame(rows, columns=names)
    for n in names:
        if frame[n].map(lambda v: v is None or isinstance(v, str)).all():
            frame[n] = frame[n].astype("string")
    yield frame


def _typed(pd: Any, rows: list[list[Any]], names: list[str], ints: set[str]) -> Any:
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    for n in names:
        frame[n] = frame[n].astype("Int64" if n in ints else "string")
    return frame


def default_output(source: Path, fmt: str) -> Path:
    ext = {"csv": "csv", "xlsx": "xlsx", "parquet": "parquet", "jsonl": "jsonl"}[fmt]
    if source.is_dir():
        return source / f"catalogue.{ext}"
    return source.with_name(f"{source.stem}.catalogue.{ext}")


def export_records(source: str | os.PathLike, fmt: str = "csv",
                   output: str | os.PathLike | None = None, *, profile: str = "catalogue",
                   headers: str = "vi", rows_per_piece: int = ROWS_PER_PIECE) -> tuple[Path, int]:
    """Export the records of ``source`` to ``output`` (atomically). Returns (path, rows)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if profile not in PROFILES:
        raise ExportError(f"unknown profile {profile!r}; use one of {', '.join(PROFILES)}")
    if headers not in HEADERS:
        raise ExportError(f"unknown headers {headers!r}; use one of {', '.join(HEADERS)}")
    src = Path(source)
    target = Path(output) if output is not None else default_output(src, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    frames = _frames(iter_records(src), profile, headers, fmt == "xlsx", rows_per_piece)
    with atomic_target(target, prefix=f".{target.name}.tmp-", suffix=target.suffix) as tmp:
        rows = _WRITERS[fmt](frames, tmp)
    return target, rows


def _write_csv(frames: Iterator[Any], tmp: Path) -> int:
    rows = 0
    # utf-8-sig writes the byte-order mark once, at the start: Excel then reads UTF-8
    with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
        for i, frame in enumerate(frames):
            frame.to_csv(fh, index=False, header=(i == 0), lineterminator="\r\n")
            rows += len(frame)
    return rows


def _write_jsonl(frames: Iterator[Any], tmp: Path) -> int:
    rows = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for frame in frames:
            if len(frame):
                text = frame.to_json(orient="records", lines=True, force_ascii=False)
                fh.write(text if text.endswith("\n") else text + "\n")
            rows += len(frame)
    return rows


def _write_parquet(frames: Iterator[Any], tmp: Path) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError("Parquet needs pyarrow: pip install 'vn_officialdoc[export]'") from exc
    rows = 0
    writer = None
    try:
        for frame in frames:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table.cast(writer.schema))
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return rows


def _write_xlsx(frames: Iterator[Any], tmp: Path) -> int:
    pd = _pandas()
    try:
        import openpyxl  # noqa: F401
    except ImportError as exc:
        raise ExportError("XLSX needs openpyxl: pip install 'vn_officialdoc[export]'") from exc
    frame = pd.concat(list(frames), ignore_index=True)
    if len(frame) > XLSX_MAX_ROWS:
        raise ExportError(f"{len(frame)} rows do not fit in one worksheet "
                          f"({XLSX_MAX_ROWS} at most); export to csv or parquet")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
        frame.to_excel(xw, index=False, sheet_name="catalogue", freeze_panes=(1, 0))
        sheet = xw.sheets["catalogue"]
        sheet.auto_filter.ref = sheet.dimensions
    return len(frame)


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet,
            "xlsx": _write_xlsx}
