"""Grade a notebook by re-running it: the core of the instructor's ``grade`` command.

``grade_notebook(path)`` executes the notebook headless (nbclient) in a fresh
``python3`` kernel, with the notebook's own folder as working directory, so
the cluster is rebuilt from what the notebook does: a saved output cannot
fake it, and the ``check()`` calls in the notebook are only advisory. Then it
runs one more cell in the same kernel, which calls
``kubelearn.grading.grade(...)`` for the chapter's exercises against the
current context's cluster — every check, hidden ones included — and prints
one JSON line that this process reads back.

The learner's cells run with ``allow_errors=True``: a cell that raises does
not stop grading, and its error is reported under ``learner_errors`` (cells
are numbered from 1, Markdown cells included, as they appear in Jupyter). The
learner's cells share one time budget (``timeout`` seconds); a cell still
running when it is spent is interrupted, the remaining cells are skipped, and
the cluster is graded as it stands, with status ``"timeout"``. The grading
cell has a budget of its own of the same length.

Returned (and JSON-serialisable)::

    {"exercises": {"1.1": {"title", "score", "max", "passed", "solved_with_help",
                           "items": [...]}},
     "total": 2, "max": 3, "status": "ok" | "error" | "timeout", "error": None | "…",
     "learner_errors": [{"cell": 3, "ename": "NameError", "evalue": "…"}]}
"""
from __future__ import annotations

import json
import math
import os
import tempfile
import time
from pathlib import Path

MARKER = "KUBELEARN-GRADE-JSON:"
_TIMEOUT_ENAME = "KubelearnCellTimeout"
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])


def kernel_report(chapter=None, exercise_modules=()) -> str:
    """Run in the grading kernel: grade the chapter's exercises, one JSON line.

    ``exercise_modules`` are imported first and their ``EXERCISES`` registered
    (exercises a course keeps outside the package)."""
    import importlib

    import kubelearn.grading as grading
    from kubelearn.grading import registry

    for name in exercise_modules:
        registry.register(*importlib.import_module(name).EXERCISES, replace=True)
    ids = registry.REGISTRY.ids(chapter)
    results = grading.grade(ids, settle=True)
    exercises = {}
    for result in results:
        entry = result.as_dict()
        entry["solved_with_help"] = grading.solved_with_help(result.exercise_id)
        exercises[result.exercise_id] = entry
    return MARKER + json.dumps({"exercises": exercises}, sort_keys=True, ensure_ascii=True)


def _grading_source(chapter, exercise_modules) -> str:
    return ("from kubelearn.grading.runner import kernel_report as _kubelearn_kernel_report\n"
            f"print(_kubelearn_kernel_report({chapter!r}, {tuple(exercise_modules)!r}))")


def _chapter_of(nb, chapter):
    if chapter is not None:
        return chapter
    return (nb.metadata.get("kubelearn") or {}).get("chapter")


def _learner_errors(cells) -> list[dict]:
    errors = []
    for index, cell in enumerate(cells):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if out.get("output_type") == "error":
                errors.append({"cell": index + 1, "ename": out.get("ename", ""),
                               "evalue": str(out.get("evalue", ""))})
    return errors


def _parse(cell) -> tuple[dict | None, str | None]:
    """The JSON the grading cell printed, or why there is none."""
    text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")
    for line in text.splitlines():
        if line.startswith(MARKER):
            try:
                return json.loads(line[len(MARKER):]), None
            except ValueError as exc:
                return None, f"grading printed a result that could not be read: {exc}"
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return None, f"grading failed: {out.get('ename')}: {out.get('evalue')}"
    return None, "grading printed no result"


def _empty_report(chapter) -> dict:
    """The maximum a notebook could have scored, for reports of notebooks that could not run."""
    from kubelearn.grading import registry

    try:
        exercises = registry.exercises(chapter)
    except Exception:  # noqa: BLE001 - an error report must still be produced
        exercises = []
    return {"exercises": {}, "total": 0, "max": sum(e.max_points for e in exercises)}


def _kernel_env(learner=None, home: str | None = None) -> dict:
    """The kernel imports the same kubelearn as the grader. ``KUBELEARN_GRADING``
    keeps the kernel off the progress file of whoever runs the grader (and makes
    the runner's learner id the only one that counts); ``KUBELEARN_LEARNER`` picks
    the learner's variants (never the grader's own, left over in the environment);
    ``home`` is the kernel's own kubelearn home (``KUBELEARN_HOME``), so what a
    notebook writes there (chapter 5's kubeconfig and AWS config) never lands in the
    grader's, nor in another notebook graded beside it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
    env["KUBELEARN_GRADING"] = "1"
    if home is not None:
        env["KUBELEARN_HOME"] = home
    env.pop("KUBELEARN_LEARNER", None)
    if learner is not None and str(learner).strip():
        env["KUBELEARN_LEARNER"] = str(learner).strip()
    return env


def grade_notebook(path, chapter=None, timeout: float = 120, *, exercise_modules=(),
                   learner=None) -> dict:
    """Re-run the notebook at ``path`` in a fresh kernel and grade the resulting cluster.

    ``chapter`` picks the exercises (default: the notebook's
    ``metadata.kubelearn.chapter``, else every registered exercise);
    ``exercise_modules`` name extra modules with an ``EXERCISES`` list, imported
    in the kernel (the notebook's folder is its working directory); ``learner``
    is the learner id whose variants the exercises are graded on (without one,
    the documented defaults)."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001
        return {**_empty_report(chapter), "status": "error", "learner_errors": [],
                "error": f"could not read {path.name}: {_one_line(exc)}"}
    chapter = _chapter_of(nb, chapter)
    learner_cells = list(nb.cells)
    grading_cell = nbformat.v4.new_code_cell(_grading_source(chapter, exercise_modules))
    nb.cells.append(grading_cell)
    timed_out: set[int] = set()

    def on_cell_executed(cell, cell_index, execute_reply):
        if (execute_reply or {}).get("content", {}).get("ename") == _TIMEOUT_ENAME:
            timed_out.add(cell_index)

    # On timeout nbclient interrupts the kernel and waits for the cell to wind
    # down, so the kernel is free again for the next cell (the grading cell).
    client = NotebookClient(nb, timeout=max(1, math.ceil(timeout)), kernel_name="python3",
                            allow_errors=True, interrupt_on_timeout=True,
                            error_on_timeout={"ename": _TIMEOUT_ENAME, "evalue": "", "traceback": []},
                            on_cell_executed=on_cell_executed,
                            resources={"metadata": {"path": str(path.parent)}})
    status, error = "ok", None
    home = tempfile.TemporaryDirectory(prefix="kubelearn-grading-home-")
    try:
        with home, client.setup_kernel(env=_kernel_env(learner, home.name)):
            deadline = time.monotonic() + timeout
            for index, cell in enumerate(learner_cells):
                if cell.cell_type != "code":
                    continue
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    client.timeout = max(1, math.ceil(remaining))
                    client.execute_cell(cell, index)
                if remaining <= 0 or index in timed_out:
                    status = "timeout"
                    error = (f"the notebook did not finish within {timeout:g} s (cell {index + 1} "
                             f"was {'still running' if remaining > 0 else 'not started'}); "
                             "the cluster was graded as it stood")
                    break
            client.timeout = max(1, math.ceil(timeout))
            client.execute_cell(grading_cell, len(learner_cells))
    except DeadKernelError:
        return {**_empty_report(chapter), "status": "error",
                "learner_errors": _learner_errors(learner_cells),
                "error": "the kernel died while running the notebook"}
    except Exception as exc:  # noqa: BLE001 - one notebook must not stop a whole class's grading
        return {**_empty_report(chapter), "status": "error",
                "learner_errors": _learner_errors(learner_cells),
                "error": f"could not run the notebook: {_one_line(exc)}"}
    if len(learner_cells) in timed_out:
        return {**_empty_report(chapter), "status": "timeout",
                "learner_errors": _learner_errors(learner_cells),
                "error": f"grading did not finish within {timeout:g} s"}
    report, problem = _parse(grading_cell)
    learner_errors = _learner_errors(learner_cells)
    if report is None:
        return {**_empty_report(chapter), "status": "error", "error": problem,
                "learner_errors": learner_errors}
    exercises = report["exercises"]
    return {"exercises": exercises,
            "total": sum(e["score"] for e in exercises.values()),
            "max": sum(e["max"] for e in exercises.values()),
            "status": status, "error": error, "learner_errors": learner_errors}


def _one_line(exc: BaseException) -> str:
    from kubelearn.grading.model import one_line

    return one_line(exc)
