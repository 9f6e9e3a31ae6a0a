"""What a batch shows a person: a progress bar on a terminal, error lines, a summary.

The bar (letters done / total, letters/s, ETA, ok / warned / failed) is drawn on stderr
only when stderr is a terminal; piped or with ``--quiet`` nothing moves. Error lines
("error: PATH: [CODE] message") are always written to stderr. ``rich`` is imported only
when a bar or a table is drawn.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any

from .batch import Progress, Summary


def _fmt_rate(summary: Summary, elapsed: float) -> str:
    done = summary.inputs - summary.skipped
    return f"{done / elapsed:,.0f} letters/s" if elapsed > 0 else "- letters/s"


class PlainProgress(Progress):
    """No bar: error lines only, and the summary unless quiet."""

    wants_total = False

    def __init__(self, quiet: bool = False, stream: IO[str] | None = None) -> None:
        self.quiet = quiet
        self.stream = stream or sys.stderr

    def error(self, path: str, code: str, message: str) -> None:
        print(f"error: {path}: [{code}] {message}", file=self.stream, flush=True)

    def stop(self, summary: Summary) -> None:
        if self.quiet:
            return
        print(summary_line(summary), file=self.stream, flush=True)


def summary_line(s: Summary) -> str:
    line = (f"{s.inputs} letters: {s.ok} ok, {s.warned} with warnings, {s.failed} failed")
    if s.skipped:
        line += f" ({s.skipped} already done, skipped)"
    if s.elapsed > 0:
        line += f"; {s.elapsed:.1f} s, {_fmt_rate(s, s.elapsed)}"
    return line


class RichProgress(Progress):
    """A live bar on the terminal, then a summary table."""

    wants_total = True

    def __init__(self, stream: IO[str] | None = None) -> None:
        from rich.console import Console

        self.console = Console(file=stream or sys.stderr)
        self._progress: Any = None
        self._task: Any = None
        self._start = time.perf_counter()
        self._last = 0.0

    def start(self, total: int | None) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn,
                                   TimeRemainingColumn)

        self._start = time.perf_counter()
        self._progress = Bar(
            TextColumn("parsing"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA"), TimeRemainingColumn(),
            TextColumn("[green]{task.fields[ok]} ok[/] [yellow]{task.fields[warned]} warned[/] "
                       "[red]{task.fields[failed]} failed[/]"),
            console=self.console, transient=False, refresh_per_second=4)
        self._progress.start()
        self._task = self._progress.add_task("parse", total=total, rate="", ok=0, warned=0,
                                             failed=0)

    def advance(self, summary: Summary) -> None:
        now = time.perf_counter()
        if now - self._last < 0.1:
            return
        self._last = now
        self._update(summary, now)

    def _update(self, summary: Summary, now: float) -> None:
        if self._progress is None:
            return
        self._progress.update(self._task, completed=summary.inputs,
                              rate=_fmt_rate(summary, now - self._start), ok=summary.ok,
                              warned=summary.warned, failed=summary.failed)

    def error(self, path: str, code: str, message: str) -> None:
        from rich.markup import escape

        self.console.print(f"[red]error[/]: {escape(path)}: [{escape(code)}] {escape(message)}",
                           highlight=False)

    def stop(self, summary: Summary) -> None:
        if self._progress is None:
            return
        self._update(summary, time.perf_counter())
        self._progress.stop()
        self._progress = None
        self.console.print(summary_table(summary))


def summary_table(s: Summary) -> Any:
    from rich.table import Table

    t = Table(title="vn-officialdoc parse", show_header=True, title_justify="left")
    t.add_column("letters", justify="left")
    t.add_column("count", justify="right")
    t.add_row("[green]ok[/]", str(s.ok))
    t.add_row("[yellow]with warnings[/]", str(s.warned))
    t.add_row("[red]failed[/]", str(s.failed))
    t.add_row("[bold]total[/]", f"[bold]{s.inputs}[/]")
    if s.skipped:
        t.add_row("already done (skipped)", str(s.skipped))
    t.add_row("time", f"{s.elapsed:.1f} s, {_fmt_rate(s, s.elapsed)} ({s.engine}, "
                      f"{s.workers} worker{'s' if s.workers != 1 else ''})")
    for code, n in s.warning_codes.most_common(5):
        t.add_row(f"warning {code}", str(n))
    for code, n in s.error_codes.most_common(5):
        t.add_row(f"[red]error {code}[/]", str(n))
    return t


def make_progress(quiet: bool = False, stream: IO[str] | None = None) -> Progress:
    """A bar when stderr is a terminal and not quiet; plain lines otherwise."""
    stream = stream or sys.stderr
    if not quiet and stream.isatty():
        return RichProgress(stream)
    return PlainProgress(quiet, stream)
