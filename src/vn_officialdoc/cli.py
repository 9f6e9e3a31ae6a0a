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
    # plain click help: typer's rich help formatter imports rich + markdown-it (~0.1 s of
    # CPU), which alone would break the 0.3 s start-up budget of `vn-officialdoc --help`
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


@app.command()
def parse(
    paths: List[Path] = typer.Argument(..., metavar="PATH", help="Letter files (.txt) or folders (searched recursively)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", metavar="DIR", help="Folder for one JSON per letter, mirroring relative paths; also holds manifest.sqlite (resume) and summary.json."),
    jsonl: Optional[str] = typer.Option(None, "--jsonl", metavar="FILE|-", help="Write all records as JSON Lines to FILE, or '-' for stdout."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Force the input encoding (default: detect)."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar and no summary on stderr (error lines are still written)."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, metavar="N", help="Worker processes (0 = all cores). Outputs are the same for any N."),
    force: bool = typer.Option(False, "--force", help="Redo every letter, even those the manifest says are done."),
    engine: str = typer.Option("local", "--engine", metavar="local|dask", help="Where to run: 'local' (process pool) or 'dask' (needs the dask extra)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Dask scheduler address tcp://HOST:PORT (default: a LocalCluster on 127.0.0.1)."),
    timeout: float = typer.Option(600.0, "--timeout", min=0, metavar="SECONDS", help="Give up on one letter after this many seconds (0 = no limit); it becomes an error entry."),
) -> None:
    """Parse letters into records, in parallel; a rerun resumes. Exit code 1 when any file failed."""
    from .batch import BatchOptions, run_batch
    from .engines import ENGINES
    from .errors import VnOfficialDocError
    from .progress import make_progress

    if out is None and jsonl is None:
        raise typer.BadParameter("give --out DIR and/or --jsonl FILE|-")
    if engine not in ENGINES:
        raise typer.BadParameter(f"--engine must be one of: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise typer.BadParameter("--scheduler needs --engine dask")
    if out is not None and out.exists() and not out.is_dir():
        raise typer.BadParameter(f"--out {out} exists and is not a folder")
    opts = BatchOptions(out=out, jsonl=jsonl, jobs=jobs, engine=engine, scheduler=scheduler,
                        force=force, encoding=encoding, timeout=timeout or None)
    try:
        summary = run_batch(paths, opts, make_progress(quiet), argv=" ".join(sys.argv[1:]))
    except VnOfficialDocError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        typer.echo("interrupted; run the same command again to resume", err=True)
        raise typer.Exit(130) from None
    except BrokenPipeError:  # the reader of --jsonl - went away
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def export(
    source: Path = typer.Argument(..., metavar="SOURCE", help="Output folder of `vn-officialdoc parse --out`, or a JSON Lines file of records."),
    to: str = typer.Option("csv", "--to", metavar="csv|xlsx|parquet|jsonl", help="Format: csv, xlsx, parquet or jsonl."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="File to write (default: SOURCE/catalogue.EXT, or beside a JSON Lines file)."),
    profile: str = typer.Option("catalogue", "--profile", metavar="catalogue|full", help="'catalogue': the archive catalogue columns; 'full': every record field, flattened."),
    headers: str = typer.Option("vi", "--headers", metavar="vi|en", help="Column headers: 'vi' (Vietnamese, for archivists) or 'en' (English tags)."),
) -> None:
    """Export records as an archive catalogue (CSV with BOM, XLSX, Parquet or JSON Lines).

    Needs the export extra (pandas, openpyxl; pyarrow for Parquet). Error entries are
    exported too, marked in the status column.
    """
    from .errors import VnOfficialDocError
    from .export import FORMATS, HEADERS, PROFILES, export_records

    if to not in FORMATS:
        raise typer.BadParameter(f"--to must be one of: {', '.join(FORMATS)}")
    if profile not in PROFILES:
        raise typer.BadParameter(f"--profile must be one of: {', '.join(PROFILES)}")
    if headers not in HEADERS:
        raise typer.BadParameter(f"--headers must be one of: {', '.join(HEADERS)}")
    if not source.exists():
        typer.echo(f"error: {source} does not exist", err=True)
        raise typer.Exit(2)
    try:
        target, rows = export_records(source, to, output, profile=profile, headers=headers)
    except VnOfficialDocError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {rows} rows to {target}", err=True)


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


@app.command()
def review(
    out: Path = typer.Argument(..., help="Folder of records written by `vn-officialdoc parse ... --out OUT`."),
    html: Optional[Path] = typer.Option(None, "--html", help="Write the page to FILE (default: OUT/review.html)."),
    root: Optional[Path] = typer.Option(None, "--root", help="Folder that relative source paths in the records are read from first (default: the current folder)."),
    page_size: int = typer.Option(200, "--page-size", min=1, help="Letters on one page; more go on further pages (review-2.html ...), linked to each other."),
) -> None:
    """Write a self-contained HTML page to check records against their letters.

    Each letter's fields sit beside its text, highlighted where they came from; letters
    with warnings or failures come first. No network and no server are needed. A large
    batch is split into pages of --page-size letters.
    """
    from .errors import VnOfficialDocError
    from .review import ReviewError, write_review

    if not out.is_dir():
        typer.echo(f"error: {out} is not a folder of records (run vn-officialdoc parse ... --out {out})", err=True)
        raise typer.Exit(2)
    try:
        page = write_review(out, html, root, page_size=page_size)
    except ReviewError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    except (VnOfficialDocError, OSError) as exc:
        typer.echo(f"error: cannot write the review page: {exc}", err=True)
        raise typer.Exit(1) from None
    pages = f" on {page.pages} pages ({page.path.stem}-2{page.path.suffix} ...)" if page.pages > 1 else ""
    typer.echo(f"wrote {page.path}: {page.letters} letters{pages}, {page.failed} failed, "
               f"{page.warned} with warnings", err=True)


def main() -> None:
    app()
