"""Re-execute notebooks in place, storing their outputs (``make notebooks``).

    python tools/run_notebooks.py FOLDER_OR_NOTEBOOK...

Each notebook runs top to bottom in a fresh kernel of this Python environment
(as ``pytest --nbval-current-env`` does), with the notebook's folder as the
working directory, so the stored outputs are exactly what nbval will compare
against. Running it twice writes byte-identical files: no execution
timestamps, no widget state, stream outputs merged per stream (as nbval
merges them before comparing), the Python version dropped from the metadata,
widget model ids replaced by ids derived from the cell's position, and
execution counts 1, 2, 3, ... from the fresh kernel.

The kernels run as a brand-new learner would: with an empty progress folder
of their own (``KUBELEARN_HOME``, so ``check()`` and ``solve()`` never touch
your own ``~/.kubelearn``) and no learner id (``KUBELEARN_LEARNER`` unset, so
variant exercises use the values the notebooks document).

A notebook whose cell fails (without the ``raises-exception`` tag) is left
unchanged and the script exits 1 after running the others.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

import ipykernel.kernelspec
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

CELL_TIMEOUT = 600  # seconds
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


class CurrentEnvKernelSpecs(KernelSpecManager):
    """Every kernel name means: ipykernel on this Python (this venv)."""

    def get_kernel_spec(self, kernel_name):
        return self.kernel_spec_class(
            resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict()
        )


def notebooks(args: list[str]) -> list[Path]:
    found = []
    for arg in args:
        path = Path(arg)
        if path.suffix == ".ipynb":
            found.append(path)
        elif path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.ipynb")) if ".ipynb_checkpoints" not in p.parts)
    return found


def normalise(nb: nbformat.NotebookNode, name: str) -> None:
    """Remove what changes from run to run or machine to machine."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata.get("language_info", {}).pop("version", None)
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for j, output in enumerate(cell.get("outputs", [])):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view and "model_id" in view:
                view["model_id"] = uuid.uuid5(uuid.NAMESPACE_URL, f"kubelearn:{name}:{i}:{j}").hex


def run(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=CurrentEnvKernelSpecs())
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        record_timing=False,
        store_widget_state=False,
        # one stream output per stream and cell, as nbval compares them: how the kernel
        # happens to batch print()'s pieces must not change the stored file
        coalesce_streams=True,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    client.execute()
    normalise(nb, path.name)
    nbformat.write(nb, path)


def as_new_learner(home: str) -> None:
    """The environment the kernels inherit: a fresh progress folder, no learner id."""
    os.environ["KUBELEARN_HOME"] = home
    os.environ.pop("KUBELEARN_LEARNER", None)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="kubelearn-home-") as home:
        as_new_learner(home)
        return run_all(argv)


def run_all(argv: list[str]) -> int:
    paths = notebooks(argv)
    if not paths:
        print("run_notebooks: no notebooks found in", " ".join(argv) or "(nothing given)")
        return 0
    failed = []
    for path in paths:
        print(f"run_notebooks: {path}", flush=True)
        try:
            run(path)
        except CellExecutionError as err:
            print(f"run_notebooks: {path} failed, left unchanged:\n{err}", file=sys.stderr)
            failed.append(path)
    if failed:
        print(f"run_notebooks: {len(failed)} of {len(paths)} notebooks failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
