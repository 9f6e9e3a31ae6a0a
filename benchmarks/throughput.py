"""Throughput benchmark of `vn-officialdoc parse` (issue 4 point 6).

Builds a corpus of N letters, replicas of samples/ and of the dev corpus beside the
checkout (../shared/corpus/dev) with their numbers and dates varied, written one by one
(never the whole corpus in memory). Then, for each N, runs the command line as a user
would and reports:

- letters/s with one process (``--jobs 1``) and with all cores (``--jobs 0``), and letters
  per CPU-second of the batch's processes (the per-core speed, less sensitive to other
  work on the machine than the wall clock);
- letters/s of a rerun that finds everything done (the manifest's skip path);
- peak RSS: of the largest single process, and of the whole process tree;
- start-up time of ``vn-officialdoc --help``;
- the pipeline alone (``parse_text`` in one process, no batch and no files) on the distinct
  source letters, each once: letters per CPU-second with no replica at all.

Usage::

    .venv/bin/python benchmarks/throughput.py                    # N = 1k and 10k
    .venv/bin/python benchmarks/throughput.py --sizes 1000,10000,100000
    .venv/bin/python benchmarks/throughput.py --sizes 1000 --json out.json

Figures depend on the machine: they are printed with its core count and CPU model.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger("throughput")

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "samples", ROOT.parent / "shared" / "corpus" / "dev"]
CLI = [sys.executable, "-m", "vn_officialdoc"]
_DIGITS = re.compile(r"\d+")


def source_letters() -> list[str]:
    texts = []
    for folder in SOURCES:
        if folder.is_dir():
            texts += [p.read_text("utf-8", "replace") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit("no letters found in samples/ or ../shared/corpus/dev")
    return texts


def vary(text: str, rng: random.Random) -> str:
    """The same letter with other numbers: every run of digits gets new digits of the same
    length (numbers, dates, symbols, phone numbers), so no two replicas are identical."""
    return _DIGITS.sub(lambda m: "".join(rng.choice("0123456789") for _ in m.group(0)), text)


def build_corpus(folder: Path, n: int, seed: int = 4) -> None:
    """Write ``n`` letters under ``folder`` in sub-folders of 1000, streaming."""
    texts = source_letters()
    rng = random.Random(seed)
    for i in range(n):
        d = folder / f"box{i // 1000:04d}"
        if i % 1000 == 0:
            d.mkdir(parents=True, exist_ok=True)
        (d / f"letter{i:07d}.txt").write_text(vary(texts[i % len(texts)], rng), "utf-8")


class TreeRss:
    """Samples the summed RSS of a process and its descendants (Linux /proc)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.peak = pid, every, 0
        self.cpu: dict[int, float] = {}  # CPU seconds last seen, per process of the tree
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _tree(self) -> list[int]:
        kids: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
        out, todo = [], [self.pid]
        while todo:
            p = todo.pop()
            out.append(p)
            todo += kids.get(p, [])
        return out

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _cpu(self, pid: int) -> None:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass

    def _run(self) -> None:
        while not self._stop.is_set():
            tree = self._tree()
            self.peak = max(self.peak, sum(self._rss(p) for p in tree))
            for p in tree[1:]:  # not the measuring process itself
                self._cpu(p)
            self._stop.wait(self.every)

    def cpu_seconds(self) -> float:
        """CPU time of the batch's processes (sampled: a process's last 0.2 s may be
        missed, so this is slightly low)."""
        return sum(self.cpu.values())

    def stop(self) -> int:
        self._stop.set()
        self._t.join()
        return self.peak


_MEASURE = r"""
import resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.run(sys.argv[1:]).returncode
wall = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{rc} {wall} {ru.ru_maxrss * 1024} {ru.ru_utime + ru.ru_stime}")
"""


def run_parse(corpus: Path, out: Path, jobs: int) -> dict:
    """Run one parse in a fresh measuring process; return its figures."""
    cmd = [sys.executable, "-c", _MEASURE, *CLI, "parse", str(corpus), "--out", str(out),
           "--jobs", str(jobs), "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    tree = TreeRss(p.pid)
    stdout, _ = p.communicate()
    peak_tree = tree.stop()
    rc, wall, maxrss, cpu = stdout.split()
    tree_cpu = tree.cpu_seconds()
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    return {"jobs": jobs, "exit": int(rc), "seconds": float(wall), "cpu_seconds": float(cpu),
            "letters": summary["inputs"], "parsed": summary["parsed"],
            "skipped": summary["skipped"], "workers": summary["run"]["workers"],
            "letters_per_s": summary["inputs"] / float(wall),
            "tree_cpu_seconds": tree_cpu,
            "letters_per_cpu_s": summary["inputs"] / tree_cpu if tree_cpu else 0.0,
            "peak_rss_process_mb": int(maxrss) / 2**20, "peak_rss_tree_mb": peak_tree / 2**20}


_PIPELINE = r"""
import json, statistics, sys, time
from pathlib import Path
from vn_officialdoc.pipeline import parse_text
texts = [Path(p).read_text("utf-8", "replace") for p in sys.argv[1:]]
parse_text(texts[0])  # grammar and caches loaded once, as in a batch worker
per = []
c0 = time.process_time()
for text in texts:
    t = time.process_time()
    parse_text(text)
    per.append(time.process_time() - t)
cpu = time.process_time() - c0
print(json.dumps({"letters": len(texts), "cpu_seconds": cpu, "letters_per_cpu_s": len(texts) / cpu,
                  "median_ms": 1000 * statistics.median(per), "max_ms": 1000 * max(per)}))
"""


def pipeline_rate() -> dict:
    """The pipeline alone (no files written, no batch) on the distinct source letters,
    each parsed once in one fresh process: letters per CPU-second, with no replica."""
    paths = [str(p) for folder in SOURCES if folder.is_dir() for p in sorted(folder.glob("*.txt"))]
    r = subprocess.run([sys.executable, "-c", _PIPELINE, *paths], capture_output=True,
                       text=True, check=True)
    return json.loads(r.stdout)


def help_startup(runs: int = 15) -> dict:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(CLI + ["--help"], stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return {"median_s": statistics.median(times), "min_s": min(times), "runs": runs}


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "nproc": os.cpu_count(), "cpu": model or platform.processor(),
            "python": platform.python_version(),
            "load_avg_at_start": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000",
                    help="comma-separated corpus sizes (default 1000,10000; add 100000)")
    ap.add_argument("--jobs", default="1,0", help="--jobs values to run (0 = all cores)")
    ap.add_argument("--workdir", type=Path, default=None,
                    help="where to build the corpora (default: a temp folder, removed after)")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    jobs = [int(j) for j in args.jobs.split(",") if j]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="vn-bench-"))
    report = {"machine": machine(), "help": help_startup(), "pipeline": pipeline_rate(),
              "runs": []}
    log.info("machine: %s", report["machine"])
    log.info("vn-officialdoc --help: median %.3f s, min %.3f s", report["help"]["median_s"],
             report["help"]["min_s"])
    log.info("pipeline alone, %d distinct letters once each: %.0f letters per CPU-second "
             "(median %.1f ms, max %.1f ms)", report["pipeline"]["letters"],
             report["pipeline"]["letters_per_cpu_s"], report["pipeline"]["median_ms"],
             report["pipeline"]["max_ms"])
    try:
        for n in sizes:
            corpus = work / f"corpus-{n}"
            if not corpus.is_dir():
                t = time.perf_counter()
                build_corpus(corpus, n)
                log.info("built %d letters in %.1f s", n, time.perf_counter() - t)
            for j in jobs:
                out = work / f"out-{n}-j{j}"
                shutil.rmtree(out, ignore_errors=True)
                r = run_parse(corpus, out, j)
                r["n"] = n
                report["runs"].append(r)
                log.info("N=%d jobs=%d workers=%d: %.1f letters/s (%.1f s), peak RSS %.0f MB "
                         "(tree %.0f MB)", n, j, r["workers"], r["letters_per_s"], r["seconds"],
                         r["peak_rss_process_mb"], r["peak_rss_tree_mb"])
            rerun = run_parse(corpus, work / f"out-{n}-j{jobs[-1]}", jobs[-1])
            rerun.update(n=n, rerun=True)
            report["runs"].append(rerun)
            log.info("N=%d rerun (all done): %.0f letters/s, %d skipped", n,
                     rerun["letters_per_s"], rerun["skipped"])
            shutil.rmtree(work / f"out-{n}-j{jobs[-1]}", ignore_errors=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), "utf-8")
    return 0


def table(report: dict) -> str:
    m = report["machine"]
    lines = [f"{m['date']}, {m['nproc']} cores ({m['cpu']}), Python {m['python']}, "
             f"load average at start {m['load_avg_at_start']:.1f}",
             f"`vn-officialdoc --help`: median {report['help']['median_s']:.3f} s "
             f"(min {report['help']['min_s']:.3f} s, {report['help']['runs']} runs)",
             f"pipeline alone (no batch, no files), the {report['pipeline']['letters']} distinct "
             f"letters once each: {report['pipeline']['letters_per_cpu_s']:.0f} letters per "
             f"CPU-second (median {report['pipeline']['median_ms']:.1f} ms, "
             f"max {report['pipeline']['max_ms']:.1f} ms a letter)", "",
             "| letters | run | workers | letters/s | letters per CPU-second | time | "
             "peak RSS, largest process | peak RSS, all processes |",
             "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in report["runs"]:
        run = "rerun, all done" if r.get("rerun") else f"--jobs {r['jobs']}"
        lines.append(f"| {r['n']:,} | {run} | {r['workers']} | {r['letters_per_s']:.0f} | "
                     f"{r['letters_per_cpu_s']:.0f} | {r['seconds']:.1f} s | "
                     f"{r['peak_rss_process_mb']:.0f} MB | {r['peak_rss_tree_mb']:.0f} MB |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
