"""Tests for the Makefile's helper scripts in tools/."""

import importlib.util
import json
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def load(name):
    spec = importlib.util.spec_from_file_location(f"tools_{name}", TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


nbtest = load("nbtest")


def test_nbtest_skips_missing_empty_and_checkpoint_only_folders(tmp_path, monkeypatch, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "ckpt" / ".ipynb_checkpoints").mkdir(parents=True)
    (tmp_path / "ckpt" / ".ipynb_checkpoints" / "a-checkpoint.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(nbtest.subprocess, "call",
                        lambda cmd, env=None: pytest.fail("pytest must not run"))
    assert nbtest.main(["missing", "empty", "ckpt", "--", "--nbval"]) == 0
    out = capsys.readouterr().out
    assert out.count("no notebooks yet") == 3


def test_nbtest_runs_pytest_on_folders_with_notebooks_and_keeps_exit_code(tmp_path, monkeypatch):
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01.ipynb").write_text("{}")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KUBELEARN_LEARNER", "someone")
    calls = []
    monkeypatch.setattr(nbtest.subprocess, "call",
                        lambda cmd, env=None: calls.append((cmd, env)) or 5)
    assert nbtest.main(["chapters", "solutions", "--", "--nbval", "-p", "no:randomly"]) == 5
    ((cmd, env),) = calls
    assert cmd[1:] == ["-m", "pytest", "--nbval-current-env", "--nbval", "-p", "no:randomly", "chapters"]
    # the notebooks run as a new learner: a progress folder of their own, no learner id
    assert "KUBELEARN_LEARNER" not in env
    assert Path(env["KUBELEARN_HOME"]).name.startswith("kubelearn-home-")


def test_nbtest_needs_separator(capsys):
    assert nbtest.main(["chapters"]) == 2


def test_run_notebooks_kernels_run_as_a_new_learner(monkeypatch, tmp_path):
    run_notebooks = load("run_notebooks")
    monkeypatch.setenv("KUBELEARN_LEARNER", "someone")
    monkeypatch.setenv("KUBELEARN_HOME", "/somewhere/else")
    run_notebooks.as_new_learner(str(tmp_path))
    import os
    assert os.environ["KUBELEARN_HOME"] == str(tmp_path)
    assert "KUBELEARN_LEARNER" not in os.environ


def test_run_notebooks_normalise_is_deterministic():
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    run_notebooks = load("run_notebooks")

    def executed():
        nb = nbformat.v4.new_notebook()
        nb.metadata["widgets"] = {"state": "random"}
        nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
        cell = nbformat.v4.new_code_cell("w", execution_count=1, id="cell-1")
        cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
        view = {"model_id": f"random-{id(cell)}", "version_major": 2}
        cell.outputs = [nbformat.v4.new_output("execute_result", {
            run_notebooks.WIDGET_VIEW: view, "text/plain": "IntSlider(value=3)"}, execution_count=1)]
        nb.cells = [cell]
        run_notebooks.normalise(nb, "01.ipynb")
        return nb

    a, b = executed(), executed()
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert "widgets" not in a.metadata and "version" not in a.metadata.language_info
    assert a.metadata.kernelspec["name"] == "python3"
    assert a.cells[0].metadata == {}


def test_run_notebooks_merges_stream_outputs(tmp_path, monkeypatch):
    """How the kernel batches a print()'s pieces into stream messages varies from run to
    run; merged per stream (as nbval compares them) the stored file does not."""
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    run_notebooks = load("run_notebooks")
    seen = {}

    class Client:
        def __init__(self, nb, **options):
            seen.update(options)

        def execute(self):
            pass

    monkeypatch.setattr(run_notebooks, "NotebookClient", Client)
    monkeypatch.setattr(run_notebooks, "KernelManager", lambda **kw: None)
    path = tmp_path / "nb.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    run_notebooks.run(path)
    assert seen["coalesce_streams"] is True
