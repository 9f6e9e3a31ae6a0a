"""Batches at archive scale (issue 4): parallel outputs identical to serial ones, resume
after SIGKILL with exactly one record per input, skip/redo/force, summary counts, every
bad input ending as an error entry, no output path leaving the output folder."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DEV, SAMPLES
from vn_officialdoc.batch import BatchOptions, Input, discover, parse_one, run_batch
from vn_officialdoc.emit import output_relative, safe_output_path
from vn_officialdoc.errors import OutputError

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def letters() -> list[Path]:
    """The real letters we have: the samples, and the dev corpus when it is beside us."""
    found = sorted(SAMPLES.glob("*.txt"))
    if DEV.is_dir():
        found += sorted(DEV.glob("*.txt"))
    return found


def make_corpus(root: Path, n: int, bad: bool = True) -> list[Path]:
    """``n`` letters (copies of the real ones, nested two levels) plus, with ``bad``, one of
    each kind of bad input. Returns the input files (the ones discover() will find)."""
    src = letters()
    made = []
    for i in range(n):
        d = root / f"box{i % 3}" / f"folder{i % 7:02d}"
        d.mkdir(parents=True, exist_ok=True)
        f = d / f"letter{i:05d}.txt"
        f.write_bytes(src[i % len(src)].read_bytes())
        made.append(f)
    if bad:
        b = root / "bad"
        b.mkdir(parents=True, exist_ok=True)
        (b / "empty.txt").write_bytes(b"")
        (b / "binary.txt").write_bytes(PNG)
        (b / "latin1.txt").write_bytes("Số 12/UBND\nđồng ý".encode("utf-16-le")[1:] + b"\xff\xfe\xff")
        (b / "nul.txt").write_bytes(b"S\x00o\x00 1\x00" * 50)
        os.symlink(b / "missing-target.txt", b / "broken-link.txt")
        made += [b / n for n in ("binary.txt", "broken-link.txt", "empty.txt", "latin1.txt", "nul.txt")]
    return made


def run_cli(*args: str, cwd: Path | None = None, timeout: float = 300,
            no_dac: bool = False) -> subprocess.CompletedProcess:
    """Run the command line as a user would; with ``no_dac``, even root obeys file modes."""
    return subprocess.run([sys.executable, "-m", "vn_officialdoc", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout,
                          preexec_fn=_drop_dac if no_dac else None)


def _drop_dac() -> None:
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH: root then obeys chmod 000
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def outputs(out: Path) -> dict[str, bytes]:
    """Every file a parse wrote, by relative path, but the manifest and the lock, and with
    summary.json's "run" part (timings, worker count) left out."""
    got = {}
    for f in sorted(out.rglob("*")):
        if f.is_dir() or f.name.startswith(".") or f.name.startswith("manifest.sqlite"):
            continue
        rel = str(f.relative_to(out))
        data = f.read_bytes()
        if rel == "summary.json":
            s = json.loads(data)
            s.pop("run")
            data = json.dumps(s, sort_keys=True).encode()
        got[rel] = data
    return got


def record_files(out: Path) -> list[Path]:
    return [f for f in sorted(out.rglob("*.json"))
            if not f.name.startswith(".") and f != out / "summary.json"]


# -- parallel = serial -------------------------------------------------------------------

def test_jobs_1_and_2_write_byte_identical_outputs(tmp_path):
    inputs = make_corpus(tmp_path / "in", 40)
    r1 = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "o1"), "--jobs", "1",
                 "--jsonl", str(tmp_path / "o1.jsonl"), "--quiet")
    r2 = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "o2"), "--jobs", "2",
                 "--jsonl", str(tmp_path / "o2.jsonl"), "--quiet")
    assert r1.returncode == r2.returncode == 1, (r1.stderr, r2.stderr)  # the bad inputs
    assert r1.stderr == r2.stderr
    o1, o2 = outputs(tmp_path / "o1"), outputs(tmp_path / "o2")
    assert o1.keys() == o2.keys()
    for k in o1:
        assert o1[k] == o2[k], k
    assert (tmp_path / "o1.jsonl").read_bytes() == (tmp_path / "o2.jsonl").read_bytes()
    # the two-job run did use two worker processes
    run2 = json.loads((tmp_path / "o2" / "summary.json").read_text("utf-8"))["run"]
    assert run2["workers"] == 2 and run2["engine"] == "local"
    # one output per input, plus summary.json
    assert len(record_files(tmp_path / "o1")) == len(inputs)


def test_jsonl_stdout_in_input_order(tmp_path):
    make_corpus(tmp_path / "in", 20, bad=False)
    r = run_cli("parse", str(tmp_path / "in"), "--jsonl", "-", "--jobs", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    paths = [json.loads(line)["source"]["path"] for line in r.stdout.splitlines()]
    assert paths == [str(i.path) for i in discover([tmp_path / "in"])]


# -- resume ------------------------------------------------------------------------------

def test_sigkill_mid_batch_then_rerun_gives_exactly_one_record_per_input(tmp_path):
    import sqlite3

    # enough letters for the batch to run ~4 s on two workers, however fast the pipeline is
    # (timed in this process, after a warm-up: a probe batch's time was mostly its pool's
    # start-up, so on a loaded machine the corpus came out so small that the batch ended
    # before it could be killed)
    from vn_officialdoc.pipeline import parse_file

    probe = make_corpus(tmp_path / "probe", 10, bad=False)
    parse_file(probe[0])
    t0 = time.perf_counter()
    for f in probe:
        parse_file(f)
    per_letter = (time.perf_counter() - t0) / len(probe)
    inputs = make_corpus(tmp_path / "in", max(200, min(4000, int(8 / per_letter))))
    out = tmp_path / "out"

    def committed() -> int:
        try:
            db = sqlite3.connect(f"file:{out / 'manifest.sqlite'}?mode=ro", uri=True, timeout=1)
            try:
                return db.execute("SELECT count(*) FROM letters "
                                  "WHERE status != 'failed'").fetchone()[0]
            finally:
                db.close()
        except sqlite3.Error:
            return 0

    cmd = [sys.executable, "-m", "vn_officialdoc", "parse", str(tmp_path / "in"), "--out",
           str(out), "--jobs", "2", "--quiet"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    killed = False
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / "manifest.sqlite").exists() and committed() >= 1:
                os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its workers, the fork server
                killed = True
                break
            time.sleep(0.05)
    finally:
        if proc.poll() is None and not killed:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert killed, "the batch ended before it could be killed: make the corpus larger"
    done_before = record_files(out)
    assert 0 < len(done_before) < len(inputs)
    for f in done_before:  # atomic writes: whatever is there is whole
        json.loads(f.read_text("utf-8"))
    assert not (out / "summary.json").exists()

    r = run_cli("parse", str(tmp_path / "in"), "--out", str(out), "--jobs", "2",
                "--jsonl", str(tmp_path / "all.jsonl"), "--quiet")
    assert r.returncode == 1, r.stderr
    files = record_files(out)
    assert len(files) == len(inputs)
    sources = [json.loads(f.read_text("utf-8"))["source"]["path"] for f in files]
    assert sorted(sources) == sorted(str(p) for p in inputs)
    lines = (tmp_path / "all.jsonl").read_text("utf-8").splitlines()
    assert sorted(json.loads(x)["source"]["path"] for x in lines) == sorted(sources)
    assert not [f for f in out.rglob(".tmp-*")], "temp files left behind"
    s = json.loads((out / "summary.json").read_text("utf-8"))
    assert s["inputs"] == len(inputs) == s["ok"] + s["warned"] + s["failed"]
    db = sqlite3.connect(out / "manifest.sqlite")
    first_pipeline = db.execute("SELECT pipeline FROM runs ORDER BY id LIMIT 1").fetchone()[0]
    if first_pipeline == s["pipeline"]:  # (not when someone edited the code meanwhile)
        assert 0 < s["skipped"] < len(inputs)  # what was done before the kill: not redone
    db = sqlite3.connect(out / "manifest.sqlite")
    assert db.execute("SELECT count(*), count(DISTINCT path) FROM letters").fetchone() == (
        len(inputs), len(inputs))


def _opts(out: Path, **kw) -> BatchOptions:
    return BatchOptions(out=out, jobs=1, **kw)


def test_rerun_skips_done_redoes_changed_and_force_redoes_all(tmp_path):
    inputs = make_corpus(tmp_path / "in", 12, bad=False)
    out = tmp_path / "out"
    first = run_batch([tmp_path / "in"], _opts(out))
    assert (first.inputs, first.skipped) == (12, 0)
    before = outputs(out)
    again = run_batch([tmp_path / "in"], _opts(out, jsonl=str(tmp_path / "again.jsonl")))
    assert (again.inputs, again.skipped, again.parsed) == (12, 12, 0)
    assert (again.ok, again.warned, again.failed) == (first.ok, first.warned, first.failed)
    after = outputs(out)
    assert after.pop("summary.json") != before.pop("summary.json")  # "skipped" differs
    assert after == before
    # the JSON Lines of a resumed run still hold every record, same as a fresh run
    fresh = run_batch([tmp_path / "in"], BatchOptions(jsonl=str(tmp_path / "fresh.jsonl"), jobs=1))
    assert fresh.parsed == 12
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "fresh.jsonl").read_bytes()
    # a changed letter is redone, and only it
    changed = inputs[3]
    changed.write_bytes(letters()[0].read_bytes() + "\nPhụ lục kèm theo.\n".encode("utf-8"))
    third = run_batch([tmp_path / "in"], _opts(out))
    assert (third.skipped, third.parsed) == (11, 1)
    rec = json.loads((out / output_relative(changed.relative_to(tmp_path / "in"))).read_text("utf-8"))
    assert rec["source"]["sha256"] == __import__("hashlib").sha256(changed.read_bytes()).hexdigest()
    # a deleted output is redone
    (out / output_relative(inputs[5].relative_to(tmp_path / "in"))).unlink()
    assert run_batch([tmp_path / "in"], _opts(out)).parsed == 1
    # another --encoding is another record: redone
    assert run_batch([tmp_path / "in"], _opts(out, encoding="utf-8")).parsed == 12
    assert run_batch([tmp_path / "in"], _opts(out, force=True, encoding="utf-8")).parsed == 12


def test_failed_inputs_are_retried(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(PNG)
    out = tmp_path / "out"
    assert run_batch([src], _opts(out)).failed == 1
    (src / "a.txt").write_bytes(letters()[0].read_bytes())  # fixed, same name
    s = run_batch([src], _opts(out))
    assert (s.failed, s.parsed) == (0, 1)
    assert "error" not in json.loads((out / "a.json").read_text("utf-8"))


def test_second_batch_on_same_output_folder_is_refused(tmp_path):
    make_corpus(tmp_path / "in", 2, bad=False)
    out = tmp_path / "out"
    out.mkdir()
    import fcntl

    with open(out / ".vn-officialdoc.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        r = run_cli("parse", str(tmp_path / "in"), "--out", str(out), "--quiet")
    assert r.returncode == 2 and "another batch" in r.stderr


# -- summary -------------------------------------------------------------------------------

def test_summary_counts_add_up_and_list_failures(tmp_path):
    inputs = make_corpus(tmp_path / "in", 10)
    out = tmp_path / "out"
    s = run_batch([tmp_path / "in"], _opts(out))
    data = json.loads((out / "summary.json").read_text("utf-8"))
    assert data["inputs"] == len(inputs) == data["ok"] + data["warned"] + data["failed"]
    assert data["failed"] == s.failed == len(data["failures"]) >= 2  # binary, broken link
    failed = {Path(f["path"]).name: f for f in data["failures"]}
    assert failed["binary.txt"]["code"] == "E103"
    assert failed["broken-link.txt"]["code"] == "E101"
    assert sum(data["errors_by_code"].values()) == data["failed"]
    assert data["run"]["workers"] == 1


# -- bad input -------------------------------------------------------------------------------

def test_every_bad_input_is_a_record_or_an_error_entry_naming_it(tmp_path):
    src = tmp_path / "in"
    make_corpus(src, 2)
    (src / "folder.txt").mkdir()            # a folder named like a letter: walked
    (src / "folder.txt" / "inner.txt").write_bytes(letters()[0].read_bytes())
    os.symlink(src / "folder.txt", src / "linked.txt")  # a link to a folder: not followed
    os.symlink(src / "loop.txt", src / "loop.txt")        # a link to itself
    (src / "secret.txt").write_bytes(letters()[0].read_bytes())
    (src / "secret.txt").chmod(0)
    (src / "locked").mkdir()
    (src / "locked" / "hidden.txt").write_bytes(b"x")
    (src / "locked").chmod(0)
    out = tmp_path / "out"
    try:
        r = run_cli("parse", str(src), "--out", str(out), "--jsonl", str(tmp_path / "all.jsonl"),
                    "--quiet", no_dac=True)
    finally:
        (src / "locked").chmod(0o755)
        (src / "secret.txt").chmod(0o644)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    entries = {}
    for line in (tmp_path / "all.jsonl").read_text("utf-8").splitlines():
        obj = json.loads(line)
        entries[Path(obj["source"]["path"]).name] = obj
    for name in ("binary.txt", "broken-link.txt", "linked.txt", "loop.txt", "secret.txt",
                 "locked"):
        assert "error" in entries[name], name
        assert name in r.stderr, name  # an error line naming the file
        assert entries[name]["error"]["message"]
    assert "permission denied" in entries["secret.txt"]["error"]["message"]
    assert "permission denied" in entries["locked"]["error"]["message"]
    assert "broken" in entries["broken-link.txt"]["error"]["message"]
    assert "error" not in entries["inner.txt"]
    for name in ("empty.txt", "latin1.txt", "nul.txt"):  # a record with warnings, or an error
        assert name in entries
        assert "error" in entries[name] or entries[name]["warnings"], name
    # one output file for each entry, and summary.json
    assert len(record_files(out)) == len(entries)


def test_parse_one_never_raises_on_odd_inputs(tmp_path):
    odd = [Input(tmp_path, Path("dir")), Input(tmp_path / "nope.txt", Path("nope.txt")),
           Input(tmp_path / "x", Path("x"), error={"code": "E101", "type": "UnreadableFileError",
                                                    "message": "cannot list folder"})]
    for item in odd:
        o = parse_one(item)
        assert o.status == "failed" and o.error["message"]


def test_time_limit_turns_a_slow_letter_into_an_error_entry(tmp_path, monkeypatch):
    import vn_officialdoc.pipeline as pipeline

    def slow(*a, **k):
        time.sleep(5)

    monkeypatch.setattr(pipeline, "parse_file", slow)
    t0 = time.perf_counter()
    o = parse_one(Input(tmp_path / "a.txt", Path("a.txt")), timeout=0.2)
    assert time.perf_counter() - t0 < 3
    assert o.status == "failed" and o.error["code"] == "E901"


# -- output paths ------------------------------------------------------------------------------

@pytest.mark.parametrize("rel", ["../x.txt", "a/../../x.txt", "/etc/x.txt", "..", "."])
def test_output_path_cannot_leave_the_output_folder(tmp_path, rel):
    with pytest.raises(OutputError):
        safe_output_path(tmp_path, rel)


def test_symlink_in_output_folder_cannot_lead_outside(tmp_path):
    src, out, elsewhere = tmp_path / "in", tmp_path / "out", tmp_path / "elsewhere"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "a.txt").write_bytes(letters()[0].read_bytes())
    (src / "b.txt").write_bytes(letters()[0].read_bytes())
    elsewhere.mkdir()
    out.mkdir()
    os.symlink(elsewhere, out / "sub")
    s = run_batch([src], _opts(out))
    assert list(elsewhere.iterdir()) == []
    assert (s.inputs, s.failed) == (2, 1)
    assert s.failures[0]["code"] == "E400" and "leave the output folder" in s.failures[0]["message"]
    assert (out / "b.json").is_file()


def test_link_in_place_of_the_output_file_is_caught_with_its_folder_known(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    folders: dict[str, bool] = {}
    assert safe_output_path(out, "a.txt", folders=folders) == out / "a.json"  # folder known
    os.symlink(elsewhere / "b.json", out / "b.json")
    with pytest.raises(OutputError):
        safe_output_path(out, "b.txt", folders=folders)
    os.symlink(out / "a.json", out / "c.json")  # a link that stays inside is fine
    assert safe_output_path(out, "c.txt", folders=folders) == out / "c.json"


def test_colliding_output_names_are_kept_apart(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "a.TXT", "summary.txt"):
        (src / name).write_bytes(letters()[0].read_bytes())
    out = tmp_path / "out"
    s = run_batch([src], _opts(out))
    assert s.inputs == 3
    got = {f.name: json.loads(f.read_text("utf-8"))["source"]["path"] for f in record_files(out)}
    # discovery is sorted ('a.TXT' before 'a.txt'): the first takes a.json, the next a.txt.json
    assert got == {"a.json": str(src / "a.TXT"), "a.txt.json": str(src / "a.txt"),
                   "summary.txt.json": str(src / "summary.txt")}
    assert json.loads((out / "summary.json").read_text("utf-8"))["inputs"] == 3


def test_same_file_given_twice_is_parsed_once(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_bytes(letters()[0].read_bytes())
    s = run_batch([src, src / "a.txt"], _opts(tmp_path / "out"))
    assert s.inputs == 1


def test_output_folder_inside_input_folder_is_not_read(tmp_path):
    src = tmp_path / "in"
    make_corpus(src, 3, bad=False)
    first = run_batch([src], _opts(src / "records"))
    (src / "records" / "notes.txt").write_text("x", "utf-8")  # would be found if walked
    again = run_batch([src], _opts(src / "records"))
    assert first.inputs == again.inputs == 3


# -- the terminal ------------------------------------------------------------------------------

def test_piped_run_draws_no_bar_and_prints_a_summary(tmp_path):
    make_corpus(tmp_path / "in", 3)
    r = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert "\x1b[" not in r.stderr  # no terminal control codes when piped
    assert "8 letters: " in r.stderr and "failed" in r.stderr
    q = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "out2"), "--quiet")
    assert "letters:" not in q.stderr
    assert all(line.startswith("error: ") for line in q.stderr.splitlines())


def test_terminal_run_draws_the_bar_and_the_table(tmp_path):
    import pty

    make_corpus(tmp_path / "in", 40)
    master, slave = pty.openpty()
    env = dict(os.environ, COLUMNS="160", TERM="xterm")
    p = subprocess.Popen([sys.executable, "-m", "vn_officialdoc", "parse", str(tmp_path / "in"),
                          "--out", str(tmp_path / "out"), "--jobs", "2"],
                         stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=120)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert "letters/s" in screen and "ETA" in screen
    assert "ok" in screen and "warned" in screen and "failed" in screen
    assert "total" in screen and "45" in screen  # the summary table: 40 letters + 5 bad


def test_pool_recycles_workers_and_keeps_order():
    from vn_officialdoc.engines import PoolEngine

    tasks = [-i for i in range(1, 30)] + [None, -30]
    with PoolEngine(2, recycle=3) as engine:
        got = list(engine.map(abs, tasks))
    assert got == [i for i in range(1, 30)] + [None, 30]
    assert engine.recycled >= 3


def test_fast_record_json_spells_records_as_json_does():
    """render() writes record files with pydantic's compiled serializer; it must give the
    very text of ``json.dumps(model_dump(mode="json"), indent=2)`` on real letters, and
    step aside (None) where it would not: a lone surrogate, a float Python spells as 1e-05."""
    from conftest import DEV
    from vn_officialdoc.emit import dumps, fast_record_json
    from vn_officialdoc.pipeline import parse_file, parse_text
    from vn_officialdoc.record import Correction

    letters = sorted(Path("samples").glob("*.txt")) + sorted(DEV.glob("*.txt"))
    assert len(letters) >= 50
    for path in letters:
        record = parse_file(path)
        assert fast_record_json(record) == dumps(record.model_dump(mode="json")), path
    record = parse_text("Kính gửi: Ủy ban nhân dân tỉnh", path="bad\udcffname.txt")
    assert fast_record_json(record) is None
    record = parse_text("Kính gửi: Ủy ban nhân dân tỉnh")
    record.corrections.append(Correction(before="a", after="b", rule="x", score=0.00001))
    assert fast_record_json(record) is None
    assert '"score": 1e-05' in dumps(record.model_dump(mode="json"))


def test_manifest_holds_the_hash_of_every_input_read_once(tmp_path):
    """A fresh run reads each file once (the worker hashes the bytes it parses); the manifest
    still holds every readable input's SHA-256, failed ones too, and NULL for unreadable."""
    import hashlib
    import sqlite3

    inputs = make_corpus(tmp_path / "in", 6)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], _opts(out))
    db = sqlite3.connect(out / "manifest.sqlite")
    rows = dict(db.execute("SELECT path, sha256 FROM letters"))
    db.close()
    assert len(rows) == len(inputs)
    for f in inputs:
        want = (hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else None)
        assert rows[os.path.abspath(f)] == want, f.name
