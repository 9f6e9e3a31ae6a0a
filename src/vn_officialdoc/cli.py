"""The command line: a thin layer over the library (no field logic here)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn OCR'd Vietnamese official letters into validated JSON records.",
)


@app.command()
def parse(
    paths: List[Path] = typer.Argument(..., help="Letter files (.txt) or folders (searched recursively)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for one JSON per letter, mirroring relative paths."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", help="Write all records as JSON Lines to FILE, or '-' for stdout."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the input encoding (default: detect)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress or summary on stderr."),
) -> None:
    """Parse letters into records. Exit code 1 when any file failed."""
    from .batch import discover, parse_one
    from .emit import atomic_write, error_entry, record_json, safe_output_path

    if out is None and jsonl is None:
        raise typer.BadParameter("give --out DIR and/or --jsonl FILE|-")
    stream = None
    if jsonl == "-":
        stream = sys.stdout
    elif jsonl:
        stream = open(jsonl, "w", encoding="utf-8")
    counts = {"ok": 0, "warned": 0, "failed": 0}
    try:
        for item in discover(paths):
            outcome = parse_one(item, encoding=encoding)
            counts[outcome.status] += 1
            if outcome.record is not None:
                text = record_json(outcome.record)
                line = record_json(outcome.record, indent=None)
            else:
                entry = error_entry(str(item.path), **{k: outcome.error[k] for k in ("code",)},
                                    error=outcome.error["type"], message=outcome.error["message"])
                text = json.dumps(entry, ensure_ascii=False, indent=2)
                line = json.dumps(entry, ensure_ascii=False)
                typer.echo(f"error: {item.path}: [{outcome.error['code']}] "
                           f"{outcome.error['message']}", err=True)
            if out is not None:
                atomic_write(safe_output_path(out, item.relative), text + "\n")
            if stream is not None:
                stream.write(line + "\n")
    finally:
        if stream is not None and stream is not sys.stdout:
            stream.close()
    if not quiet:
        total = sum(counts.values())
        typer.echo(f"{total} letters: {counts['ok']} ok, {counts['warned']} with warnings, "
                   f"{counts['failed']} failed", err=True)
    raise typer.Exit(1 if counts["failed"] else 0)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the record."""
    from .record import json_schema

    typer.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@app.command()
def evaluate(
    folder: Path = typer.Argument(..., help="Folder of X.txt letters beside X.gold.json gold files."),
    records: Optional[Path] = typer.Option(None, "--records", help="Score existing records (X.json) in this folder instead of parsing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    min_f1: Optional[float] = typer.Option(None, "--min-f1", help="Exit 1 when micro-F1 is below this."),
    errors: bool = typer.Option(False, "--errors", help="Also list each letter's wrong fields."),
) -> None:
    """Score the pipeline against gold files (rules of GOLD_SPEC.md)."""
    from .evaluate import evaluate_folder, gold_files

    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is not a folder")
    if not gold_files(folder):
        typer.echo(f"error: no *.gold.json files in {folder}", err=True)
        raise typer.Exit(2)
    from .errors import VnOfficialDocError

    try:
        report = evaluate_folder(folder, records)
    except VnOfficialDocError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(report.table())
        if errors:
            for s in report.letters:
                for e in s.errors:
                    typer.echo(f"{s.id} {e['field']}: gold={e['gold']!r} pred={e['pred']!r}")
    f1 = report.micro().f1
    if min_f1 is not None and f1 < min_f1:
        typer.echo(f"micro-F1 {f1:.3f} is below --min-f1 {min_f1}", err=True)
        raise typer.Exit(1)


def main() -> None:
    app()
