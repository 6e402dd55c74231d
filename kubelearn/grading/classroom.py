"""Grade a whole class: find the submitted notebooks, name their learners, run them.

``kubelearn grade SUBMISSIONS/`` is built from three steps, each here:

1. :func:`discover` finds every ``*.ipynb`` under the folder (hidden folders such
   as ``.ipynb_checkpoints`` are skipped), sorted by relative path, and decides
   whose each one is (:func:`learner_id`). Two notebooks of one learner are a
   mistake the instructor must see before any grade is written, so they raise
   :class:`SubmissionError` listing them.
2. :func:`grade_all` re-runs the notebooks (``runner.grade_notebook``), ``jobs``
   at a time. Each notebook is graded in a child process of its own: a learner's
   kernel that ignores interrupts is killed with its process, never stalling the
   class, and the kernels' chatter on stderr stays out of the instructor's
   terminal. A line per finished notebook goes to ``progress`` (nbgrader #1456
   and otter #827 asked for exactly that).
3. ``kubelearn.grading.reports`` writes the CSVs and the feedback.

Whose notebook is it? In this order:

* ``metadata.kubelearn.learner`` (or ``metadata.kubelearn.learner_id``) in the
  notebook, when the instructor or a hand-out script put it there;
* else, when the file is named like a course notebook (``02-kubernetes-in-
  action.ipynb``: two digits and a dash) and sits in a sub-folder, the name of
  the folder just above it (``alice/02-kubernetes-in-action.ipynb`` is alice's);
* else the file name without ``.ipynb`` (``alice.ipynb`` is alice's).

Ids are compared as ``variants.normalise`` compares them (``Alice`` is
``alice``), since the same id picks the learner's exercise variants: an
exercise with per-learner values (``kubelearn.grading.variants``) is graded on
the values of the learner the notebook is graded as, which are the values
the learner saw after ``set_learner("<that id>")``. A notebook that calls
``set_learner`` with another id gets a note for the instructor; a class that
never set learner ids is graded with ``own_values=False`` (``--no-variants``),
on the values the tasks document.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from kubelearn.grading.registry import chapter_key

COURSE_NOTEBOOK = re.compile(r"^\d\d-")
# The child process gets the notebook's two budgets (learner cells, grading cell)
# plus this much for starting and stopping a kernel before it is killed.
KERNEL_GRACE = 60


class SubmissionError(Exception):
    """A problem with the submissions folder the instructor must fix (exit code 2)."""


@dataclass(frozen=True)
class Submission:
    """One notebook to grade: whose it is, where, and which chapter's exercises
    (``--chapter``, else its ``metadata.kubelearn.chapter``; ``None``: every exercise)."""
    learner: str
    path: Path
    notebook: str               # the path relative to the submissions folder, with "/"
    chapter: str | None = None
    own_values: bool = True     # grade variant exercises on this learner's own values
    notes: tuple[str, ...] = () # for the instructor: a set_learner id that is not this one


@dataclass
class Graded:
    """A submission and the runner's report of it (see ``runner.grade_notebook``)."""
    submission: Submission
    report: dict = field(default_factory=dict)

    @property
    def learner(self) -> str:
        return self.submission.learner

    @property
    def status(self) -> str:
        return self.report.get("status", "error")


def _read(path: Path) -> dict:
    """The notebook as JSON, ``{}`` if unreadable (the runner reports an unreadable
    notebook as an error of its own)."""
    try:
        with open(path, encoding="utf-8") as fh:
            nb = json.load(fh)
        return nb if isinstance(nb, dict) else {}
    except (OSError, ValueError):
        return {}


def _metadata(path: Path, nb: dict | None = None) -> dict:
    """The notebook's ``kubelearn`` metadata, ``{}`` if there is none."""
    meta = (_read(path) if nb is None else nb).get("metadata") or {}
    found = meta.get("kubelearn") if isinstance(meta, dict) else None
    return found if isinstance(found, dict) else {}


SET_LEARNER = re.compile(r"""set_learner\(\s*(?:name\s*=\s*)?["']([^"']*)["']""")


def set_learner_ids(nb: dict) -> list[str]:
    """The ids the notebook's code passes to ``set_learner("...")``, normalised."""
    from kubelearn.grading.variants import normalise

    found = []
    for cell in nb.get("cells") or []:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else str(source)
            found += [normalise(m) or "" for m in SET_LEARNER.findall(source)]
    return found


def _notes(learner: str, nb: dict) -> tuple[str, ...]:
    """A warning when the notebook names another learner than the one it is graded as:
    its variant exercises were then done with someone else's values."""
    from kubelearn.grading.variants import normalise

    others = sorted({i for i in set_learner_ids(nb) if i != normalise(learner)})
    if not others:
        return ()
    return (f'the notebook calls set_learner("{others[-1]}") but is graded as learner '
            f'"{learner}"; exercises with per-learner values are graded on {learner}\'s',)


def learner_id(path: Path, root: Path, metadata: dict | None = None) -> str:
    """Whose notebook this is (the rules are in the module docstring)."""
    metadata = _metadata(path) if metadata is None else metadata
    for key in ("learner", "learner_id"):
        value = metadata.get(key)
        if isinstance(value, (str, int)) and str(value).strip():
            return str(value).strip()
    relative = path.relative_to(root)
    if COURSE_NOTEBOOK.match(path.stem) and len(relative.parts) > 1:
        return relative.parts[-2]
    return path.stem


def file_name(learner: str) -> str:
    """A file name for the learner's feedback: letters, digits, ``.``, ``-``, ``_``."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", learner).strip("._") or "learner"
    return safe


def _visible(path: Path, root: Path) -> bool:
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def discover(root, chapter=None, *, own_values: bool = True
             ) -> tuple[list[Submission], list[str]]:
    """The submissions under ``root``, sorted by learner id, and the notebooks left
    out (another chapter's, when ``chapter`` is given). Raises ``SubmissionError``
    for a missing folder, no notebooks, or a learner with two notebooks.
    ``own_values=False`` grades every exercise on its documented default values."""
    root = Path(root)
    if not root.is_dir():
        raise SubmissionError(f"{root} is not a folder")
    paths = sorted((p for p in root.rglob("*.ipynb") if _visible(p, root) and p.is_file()),
                   key=lambda p: p.relative_to(root).as_posix())
    if not paths:
        raise SubmissionError(f"no notebooks (*.ipynb) in {root}")
    found, skipped = [], []
    for path in paths:
        nb = _read(path)
        meta = _metadata(path, nb)
        own = meta.get("chapter")
        notebook = path.relative_to(root).as_posix()
        if chapter is not None and own is not None and chapter_key(own) != chapter_key(chapter):
            skipped.append(f"{notebook} (chapter {own})")
            continue
        picked = chapter if chapter is not None else own
        who = learner_id(path, root, meta)
        found.append(Submission(who, path, notebook,
                                None if picked is None else chapter_key(picked), own_values,
                                _notes(who, nb) if own_values else ()))
    if not found:
        raise SubmissionError(f"no notebooks of chapter {chapter} in {root} "
                              f"(found only: {', '.join(skipped)})")
    _refuse_duplicates(found, chapter)
    return sorted(found, key=lambda s: (s.learner.casefold(), s.notebook)), skipped


def _refuse_duplicates(found: list[Submission], chapter) -> None:
    by_key: dict[str, list[Submission]] = {}
    for sub in found:
        by_key.setdefault(file_name(sub.learner).casefold(), []).append(sub)
    clashes = [subs for subs in by_key.values() if len(subs) > 1]
    if not clashes:
        return
    lines = [f"  {subs[0].learner}: " + ", ".join(s.notebook for s in subs) for subs in clashes]
    advice = ("give each notebook its own learner id (file or folder name, or "
              "metadata.kubelearn.learner)")
    if chapter is None:
        advice += ", or grade one chapter at a time with --chapter N"
    raise SubmissionError("more than one notebook per learner:\n" + "\n".join(lines) +
                          f"\n{advice}")


# -- running ----------------------------------------------------------------------------------

def _job(sub: Submission, timeout: float, exercise_modules) -> dict:
    return {"path": str(sub.path), "chapter": sub.chapter, "timeout": timeout,
            "exercise_modules": list(exercise_modules),
            "learner": sub.learner if sub.own_values else None}


def _kill(proc: subprocess.Popen) -> None:
    """Stop the child and its kernel (they share the child's new session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        proc.kill()


def grade_one(sub: Submission, timeout: float = 120, exercise_modules=(), python_path=()) -> dict:
    """Grade one submission in a child process; always a report, never an exception.

    ``python_path`` is added to the child's (and so its kernel's) ``PYTHONPATH``:
    where extra exercise modules live."""
    limit = 2 * timeout + KERNEL_GRACE
    cmd = [sys.executable, "-m", "kubelearn.grading.classroom",
           json.dumps(_job(sub, timeout, exercise_modules))]
    paths = (str(Path(__file__).resolve().parents[2]), *python_path, os.environ.get("PYTHONPATH"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=os.name == "posix")
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        return _failed("timeout", f"grading did not finish within {limit:g} s; "
                                  "its kernel was stopped")
    for line in out.splitlines():
        if line.startswith(_RESULT):
            return json.loads(line[len(_RESULT):])
    last = next((ln for ln in reversed(err.strip().splitlines()) if ln.strip()), "no output")
    return _failed("error", f"the grading process failed: {last}")


def _failed(status: str, error: str) -> dict:
    return {"exercises": {}, "total": 0, "max": 0, "status": status, "error": error,
            "learner_errors": []}


def grade_all(submissions: list[Submission], *, jobs: int = 1, timeout: float = 120,
              exercise_modules=(), python_path=(), progress: TextIO | None = None,
              grade: Callable[..., dict] = grade_one) -> list[Graded]:
    """Grade every submission, ``jobs`` at a time; results in the submissions' order.

    ``grade(submission, timeout, exercise_modules, python_path)`` grades one (tests
    pass a fake); ``progress`` gets a line per finished notebook."""
    results: dict[int, Graded] = {}
    lock = threading.Lock()
    total = len(submissions)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {pool.submit(grade, sub, timeout, exercise_modules, python_path): i
                   for i, sub in enumerate(submissions)}
        for future in as_completed(futures):
            index = futures[future]
            sub = submissions[index]
            report = future.result()
            results[index] = Graded(sub, report)
            if progress is not None:
                with lock:
                    done = len(results)
                    progress.write(f"graded {done}/{total}  {sub.learner or sub.notebook}  "
                                   f"{report.get('status')}  {_points(report)}\n")
                    progress.flush()
    return [results[i] for i in range(total)]


def _points(report: dict) -> str:
    from kubelearn.grading.model import number

    return f"{number(report.get('total', 0))}/{number(report.get('max', 0))}"


# -- the child process --------------------------------------------------------------------------

_RESULT = "KUBELEARN-CLASSROOM-REPORT:"


def _child(argv: list[str]) -> int:
    """``python -m kubelearn.grading.classroom JOB-JSON``: grade, print one report line."""
    import importlib

    job = json.loads(argv[0])
    path = Path(job["path"])
    sys.path.append(str(path.parent))        # course modules next to the notebook
    for name in job["exercise_modules"]:     # so an error report still knows the maximum
        try:
            from kubelearn.grading import registry

            registry.register(*importlib.import_module(name).EXERCISES, replace=True)
        except Exception:  # noqa: BLE001 - the kernel reports a missing module itself
            pass
    from kubelearn.grading.runner import grade_notebook

    report = grade_notebook(path, job["chapter"], job["timeout"],
                            exercise_modules=tuple(job["exercise_modules"]),
                            learner=job["learner"])
    print(_RESULT + json.dumps(report, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
