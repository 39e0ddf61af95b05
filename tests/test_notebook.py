"""The example notebook (queries/notebooks/healthkg-example.ipynb) runs from top to bottom, so it never rots."""
import pytest
from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
pytest.importorskip("pandas")

NOTEBOOK = ROOT / "queries" / "notebooks" / "healthkg-example.ipynb"


def _text(cell) -> str:
    return "".join(str(output.get("text") or output.get("data", {}).get("text/plain", "")) for output in cell.outputs)


def test_the_example_notebook_runs(tmp_path):
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), "committed with outputs"
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    # the headline as the gold readings give it (tests/test_bureau_load.py): health leads 16 tasks, co-operates on 25
    assert "rank 1: Health (卫生健康): leads 16 tasks, co-operates on 25" in _text(code[1])
    assert any("image/png" in output.get("data", {}) for cell in code for output in cell.outputs), "no chart"
    assert (tmp_path / "healthkg-exports" / "co-assignment.gexf").stat().st_size > 0
    assert "bodies," in _text(code[-1])
