"""The learner's progress in a small local file, so it survives kernel restarts.

Each chapter's notebook runs in a kernel of its own, and a kernel forgets
everything when it restarts; a self-paced learner still wants to see, in any
notebook, how far they got in all of them. So ``check`` and ``solve`` record,
per exercise, the best score, the maximum, a status and whether the reference
solution was used, in ``~/.kubelearn/progress.json`` (``$KUBELEARN_HOME/
progress.json`` when that variable is set)::

    {"exercises": {"2.1": {"best_score": 4, "max": 6, "solved_with_help": false,
                           "status": "partly"}},
     "format": 1, "learner": "alice"}

* Every update reads the file, changes one exercise and writes it back
  atomically (a temporary file, then ``os.replace``), with sorted keys, so two
  notebooks open side by side add to each other's record and a crash never
  leaves half a file. (Two kernels writing in the same instant can still lose
  one update; checking again restores it.)
* A file that cannot be read as progress (bad JSON, wrong shape) is kept as
  ``progress.json.corrupt``, a new one is started, and this is said once, in
  the output of the next ``check``, ``solve`` or ``progress``
  (:func:`take_notices`); never a traceback. A folder that
  cannot be written is also said once; the record then lives in this kernel.
* An instructor's grading run (``KUBELEARN_GRADING``, set by the runner) must
  not read or write the file of whoever runs the grader: the record then lives
  in memory only.
"""
from __future__ import annotations

import json
import os
from copy import deepcopy
from pathlib import Path

from kubelearn.grading.variants import grading_run

ENV_HOME = "KUBELEARN_HOME"
FILE_NAME = "progress.json"
FORMAT = 1

PASSED, PARTLY, NOT_YET, NOT_TRIED, SOLVED = (
    "passed", "partly", "not yet", "not tried", "solved with help")
STATUSES = (PASSED, PARTLY, NOT_YET, NOT_TRIED, SOLVED)

_memory: dict[str, dict] = {}      # path (or "" for a grading run) -> the last record known
_reported: set[tuple[str, str]] = set()
_pending: list[str] = []           # notices not shown yet
_unsaved: set[str] = set()         # paths whose last write failed: memory is the record


def progress_path() -> Path | None:
    """Where progress is kept; ``None`` in a grading run (memory only)."""
    if grading_run():
        return None
    home = os.environ.get(ENV_HOME, "").strip()
    return (Path(home).expanduser() if home else Path.home() / ".kubelearn") / FILE_NAME


def empty() -> dict:
    return {"format": FORMAT, "exercises": {}}


def status_of(entry: dict | None) -> str:
    """The status an entry stands for (``not tried`` without one)."""
    if not entry:
        return NOT_TRIED
    if entry.get("solved_with_help"):
        return SOLVED
    if entry.get("status") == PASSED:
        return PASSED
    return PARTLY if entry.get("best_score", 0) > 0 else NOT_YET


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _problem(data) -> str:
    """Why ``data`` is not a progress record ("" when it is one)."""
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), dict):
        return "it has no exercises table"
    if data.get("format") != FORMAT:
        return f"its format is {data.get('format')!r}, not {FORMAT}"
    if data.get("learner") is not None and not isinstance(data.get("learner"), str):
        return "its learner is not text"
    for key, entry in data["exercises"].items():
        if not (isinstance(entry, dict) and _number(entry.get("best_score"))
                and _number(entry.get("max")) and entry.get("status") in STATUSES
                and isinstance(entry.get("solved_with_help"), bool)):
            return f"its entry for exercise {key!r} is not a progress entry"
    return ""


def _once(path: str, kind: str, text: str) -> None:
    """Queue a notice about this file, unless this kind was already said in this process."""
    if (path, kind) not in _reported:
        _reported.add((path, kind))
        _pending.append(text)


def take_notices() -> str:
    """The notices not shown yet, as one paragraph ("" when there are none)."""
    text = " ".join(_pending)
    _pending.clear()
    return text


class ProgressStore:
    """Reads and writes one progress file (or only memory, with ``path=None``).

    Problems with the file are queued for :func:`take_notices`, never raised.
    """

    def __init__(self, path: Path | None):
        self.path = path
        self._key = str(path) if path is not None else ""

    def load(self) -> dict:
        """The record (a new, empty one when the file is missing or was corrupt)."""
        if self.path is None:
            return deepcopy(_memory.get(self._key) or empty())
        try:
            text = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return deepcopy(_memory[self._key]) if self._key in _unsaved else empty()
        except UnicodeDecodeError:
            return self._replace_corrupt("it is not UTF-8 text")
        except OSError as exc:
            _once(self._key, "unusable", f"Your progress file {self.path} could not be read "
                  f"({exc.strerror or exc}); progress is kept in this kernel only.")
            return deepcopy(_memory.get(self._key) or empty())
        try:
            data = json.loads(text)
        except ValueError as exc:
            return self._replace_corrupt(f"it is not valid JSON: {exc.msg}, line {exc.lineno}")
        why = _problem(data)
        return self._replace_corrupt(why) if why else data

    def _replace_corrupt(self, why: str) -> dict:
        kept = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, kept)
            where = f"it was kept as {kept.name} and a new one was started"
        except OSError:
            where = "a new one was started"
        _once(self._key, "corrupt", f"Your progress file {self.path} could not be used ({why}); "
              f"{where}.")
        self._write(empty())
        return empty()

    def _write(self, data: dict) -> None:
        _memory[self._key] = deepcopy(data)
        if self.path is None:
            return
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
            os.replace(tmp, self.path)
            _unsaved.discard(self._key)
        except OSError as exc:
            _unsaved.add(self._key)
            try:
                tmp.unlink()
            except OSError:
                pass
            _once(self._key, "unusable", f"Your progress could not be saved in {self.path} "
                  f"({exc.strerror or exc}); it is kept in this kernel only.")

    def _update(self, change) -> None:
        data = self.load()
        change(data)
        self._write(data)

    # -- what check, solve and set_learner record ----------------------------------------------

    def record_check(self, exercise_id: str, score: float, max_score: float,
                     passed: bool) -> None:
        """Keep the best score of a check (public checks: what ``check`` runs)."""
        def change(data):
            entry = data["exercises"].get(exercise_id) or {}
            if entry.get("max") != max_score:          # first try, or the exercise changed
                entry = {"best_score": 0, "solved_with_help": entry.get("solved_with_help", False),
                         "status": NOT_YET}
            entry["best_score"] = max(entry["best_score"], score)
            entry["max"] = max_score
            entry["status"] = PASSED if passed or entry["status"] == PASSED else NOT_YET
            entry["status"] = status_of(entry)
            data["exercises"][exercise_id] = entry
        self._update(change)

    def record_solved(self, exercise_id: str, score: float, max_score: float) -> None:
        """Mark an exercise "solved with help" (its score is kept too)."""
        def change(data):
            entry = data["exercises"].get(exercise_id) or {}
            best = entry.get("best_score", 0) if entry.get("max") == max_score else 0
            data["exercises"][exercise_id] = {"best_score": max(best, score), "max": max_score,
                                              "solved_with_help": True, "status": SOLVED}
        self._update(change)

    def set_learner(self, learner: str | None) -> None:
        def change(data):
            if learner is None:
                data.pop("learner", None)
            else:
                data["learner"] = learner
        self._update(change)

    def entries(self) -> dict:
        """``{exercise id: entry}``."""
        return self.load()["exercises"]

    def learner(self) -> str | None:
        return self.load().get("learner")


def current() -> ProgressStore:
    """The store for this kernel's environment (read each time: tests and the
    runner change the environment)."""
    return ProgressStore(progress_path())
