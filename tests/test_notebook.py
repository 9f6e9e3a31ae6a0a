"""notebooks/tour.ipynb runs from top to bottom (nbclient + ipykernel), so it never rots."""

from __future__ import annotations

import pytest

from conftest import ROOT, SAMPLES

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs the 'notebook' extra: pip install -e '.[notebook]'")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs the 'notebook' extra: pip install -e '.[notebook]'")
pytest.importorskip("ipykernel", reason="the notebook test needs the 'notebook' extra: pip install -e '.[notebook]'")
pytest.importorskip("matplotlib", reason="the notebook test needs the 'notebook' extra: pip install -e '.[notebook]'")

NOTEBOOK = ROOT / "notebooks" / "tour.ipynb"


def _outputs(cell, kind):
    return [o for o in cell.get("outputs", []) if kind in o.get("data", {})]


def test_tour_notebook_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("VN_TOUR_OUT", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # committed without outputs: what the tests run is what a reader gets
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell
    code = [c for c in nb.cells if c.cell_type == "code"]
    streams = "".join(o.get("text", "") for c in code for o in c.outputs if o.get("output_type") == "stream")
    n = len(list(SAMPLES.glob("*.txt")))
    assert f"{n} letters parsed" in streams
    # the records table, one row per letter
    table = next(c for c in code if "table = pd.DataFrame" in c.source)
    html = _outputs(table, "text/html")
    assert html and all(f"S00{i}.txt" in html[0]["data"]["text/html"] for i in range(n))
    # the per-issuer plot is drawn (the per-month plot only when dates were found)
    issuer = next(c for c in code if "per_issuer" in c.source)
    assert _outputs(issuer, "image/png")
    month = next(c for c in code if "per month" in c.source or "months" in c.source)
    assert _outputs(month, "image/png") or "no issue date" in "".join(o.get("text", "") for o in month.outputs)
    # the review page was written and linked
    assert (tmp_path / "review.html").is_file()
    assert len(list((tmp_path / "records").glob("*.json"))) == n
    link = _outputs(code[-1], "text/markdown")
    assert link and "review.html" in link[0]["data"]["text/markdown"]
