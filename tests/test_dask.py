"""The Dask engine (issue 4 point 5): on a LocalCluster bound to 127.0.0.1, and on a
scheduler given by address, a batch writes the same outputs as a local run."""

from __future__ import annotations

import json

import pytest

from test_batch import make_corpus, outputs, run_cli

pytest.importorskip("distributed")


def test_dask_local_cluster_matches_local_run(tmp_path):
    make_corpus(tmp_path / "in", 40)
    local = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "local"), "--jobs", "1",
                    "--jsonl", str(tmp_path / "local.jsonl"), "--quiet")
    dask = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "dask"), "--jobs", "2",
                   "--engine", "dask", "--jsonl", str(tmp_path / "dask.jsonl"), "--quiet")
    assert local.returncode == dask.returncode == 1, dask.stderr  # the corpus's bad inputs
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")
    assert (tmp_path / "local.jsonl").read_bytes() == (tmp_path / "dask.jsonl").read_bytes()
    run = json.loads((tmp_path / "dask" / "summary.json").read_text("utf-8"))["run"]
    assert run["engine"] == "dask" and run["workers"] == 2


def test_dask_scheduler_address(tmp_path):
    from distributed import LocalCluster

    make_corpus(tmp_path / "in", 20, bad=False)
    local = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "local"), "--jobs", "1",
                    "--quiet")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://127.0.0.1:")
        r = run_cli("parse", str(tmp_path / "in"), "--out", str(tmp_path / "remote"),
                    "--engine", "dask", "--scheduler", address, "--quiet")
    assert r.returncode == local.returncode == 0, r.stderr
    assert outputs(tmp_path / "local") == outputs(tmp_path / "remote")


def test_scheduler_needs_dask_engine(tmp_path):
    r = run_cli("parse", str(tmp_path), "--out", str(tmp_path / "o"), "--scheduler",
                "tcp://127.0.0.1:1")
    assert r.returncode == 2 and "--engine dask" in r.stderr
