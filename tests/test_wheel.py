"""The package works when installed as a wheel: grammars ship inside it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import ROOT, SAMPLES


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                        "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr
    wheels = list(out.glob("vn_officialdoc-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


def test_wheel_contains_grammars(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    grammar_files = sorted(n for n in names if n.startswith("vn_officialdoc/grammars/"))
    source = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "grammars").rglob("*")
                    if p.is_file())
    assert [g.removeprefix("vn_officialdoc/") for g in grammar_files] == source
    assert "vn_officialdoc/templates/review.html.j2" in names


def test_installed_wheel_parses(wheel, tmp_path):
    site = tmp_path / "site"
    r = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                        str(site), str(wheel)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    env = dict(os.environ, PYTHONPATH=str(site))
    env.pop("VN_OFFICIALDOC_GRAMMARS", None)
    code = ("import json, vn_officialdoc, vn_officialdoc.grammar as g;"
            "print(json.dumps({'file': vn_officialdoc.__file__, 'root': str(g.grammar_root())}))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    where = json.loads(r.stdout)
    assert where["file"].startswith(str(site)), where
    assert where["root"].startswith(str(site)), where
    r = subprocess.run([sys.executable, "-m", "vn_officialdoc", "parse", str(SAMPLES / "S000.txt"),
                        "--jsonl", "-", "--quiet"], capture_output=True, text=True, env=env,
                       cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    record = json.loads(r.stdout)
    assert record["source"]["path"].endswith("S000.txt")
