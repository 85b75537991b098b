"""The notebooks run from start to end on the dataset of the sample reports, and are committed
with their outputs (so that a reader sees the charts without running anything)."""
from __future__ import annotations

import pytest
from conftest import ROOT, need_module

nbformat = need_module("nbformat", "running the notebooks")
nbclient = need_module("nbclient", "running the notebooks")
need_module("ipykernel", "running the notebooks")
need_module("matplotlib", "the notebooks' charts")

NOTEBOOKS = ("researcher", "auditor")


def outputs(nb) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def images(nb) -> int:
    return sum("image/png" in o.get("data", {}) for o in outputs(nb))


@pytest.mark.parametrize("name", NOTEBOOKS)
@pytest.mark.e2e
def test_the_notebook_runs_on_the_samples_dataset(name, samples_run, monkeypatch):
    monkeypatch.setenv("OGI_DATASET", str(samples_run))
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    # started from notebooks/, as Jupyter would: the notebook finds the repository by itself
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    assert not [o for o in outputs(nb) if o.output_type == "error"]
    assert images(nb) >= 2                                          # the matplotlib charts
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs(nb))
    assert "office-year" in text or "offices" in text
    if name == "auditor":
        assert "report_id,office_id,year,table_code" in text       # the corrections line it proposes
        assert "expected" in text and "message_en" in text


@pytest.mark.parametrize("name", NOTEBOOKS)
@pytest.mark.unit
def test_the_notebook_is_committed_with_its_outputs(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.get("execution_count") for c in code)
    assert images(nb) >= 2 and not [o for o in outputs(nb) if o.output_type == "error"]
    assert "/tmp/" not in nbformat.writes(nb)                       # no machine's paths in the outputs


@pytest.mark.unit
def test_nothing_refers_to_the_old_notebook():
    for path in [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), *(ROOT / "tests").glob("*.py"),
                 *(ROOT / "pipeline").rglob("*.py")]:
        if path.name != "test_notebooks.py":
            assert "explore_outputs" not in path.read_text(encoding="utf-8"), path
