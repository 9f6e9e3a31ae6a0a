"""The `parse` command line (issue 2 points 6-7, issue 4): usage errors, exit codes, and a
`--help` that imports nothing heavy (speed itself is measured in benchmarks/)."""

from __future__ import annotations

import json
import subprocess
import sys

from test_batch import letters, run_cli

HEAVY = ("pandas", "dask", "distributed", "spacy", "underthesea", "pyarrow", "openpyxl",
         "rich", "markdown_it", "pydantic", "regex")


def test_help_imports_nothing_heavy():
    code = ("import sys; sys.argv = ['vn-officialdoc', '--help']\n"
            "from vn_officialdoc.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "import json; print(json.dumps(sorted(sys.modules)), file=sys.stderr)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "parse" in r.stdout and "export" in r.stdout
    loaded = set(json.loads(r.stderr.strip().splitlines()[-1]))
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert heavy == [], f"--help imports {heavy}"


def test_exit_codes(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(letters()[0].read_bytes())
    assert run_cli("parse", str(good), "--jsonl", "-", "--quiet").returncode == 0
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03" * 100)
    r = run_cli("parse", str(good), str(bad), "--out", str(tmp_path / "o"), "--quiet")
    assert r.returncode == 1 and "bad.txt" in r.stderr
    assert (tmp_path / "o" / "good.json").is_file() and (tmp_path / "o" / "bad.json").is_file()
    r = run_cli("parse", str(tmp_path / "missing.txt"), "--jsonl", "-", "--quiet")
    assert r.returncode == 1 and "missing.txt" in r.stderr
    assert json.loads(r.stdout)["error"]["code"] == "E101"


def test_usage_errors_exit_2(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(letters()[0].read_bytes())
    assert run_cli("parse", str(f)).returncode == 2                       # no --out, no --jsonl
    assert run_cli("parse", str(f), "--out", str(f)).returncode == 2      # --out is a file
    assert run_cli("parse", str(f), "--jsonl", "-", "--engine", "spark").returncode == 2
    assert run_cli("parse", str(f), "--jsonl", "-", "--jobs", "-1").returncode == 2
    for r in (run_cli("parse", str(f)), run_cli("parse", str(f), "--out", str(f))):
        assert "Traceback" not in r.stderr


def test_empty_folder_is_an_empty_batch(tmp_path):
    (tmp_path / "in").mkdir()
    r = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "o"))
    assert r.returncode == 0, r.stderr
    s = json.loads((tmp_path / "o" / "summary.json").read_text("utf-8"))
    assert s["inputs"] == s["ok"] == s["warned"] == s["failed"] == 0
